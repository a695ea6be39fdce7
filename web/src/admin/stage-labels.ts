/**
 * Membership stages as staff read them (issue 15): the stored stages follow the CRM's pipeline names
 * (seed 001), which read oddly for a membership ("Appointment Unscheduled"); the app shows these.
 */
export const MEMBERSHIP_STAGE_LABELS: Readonly<Record<string, string>> = {
  'Appointment Unscheduled': 'No visit booked',
  'Appointment Scheduled': 'Visit booked',
  'Appointment Tomorrow': 'Visit tomorrow',
  'Appointment Today': 'Visit today',
  'Membership Expired': 'Expired',
};

export function membershipStage(stage: string): string {
  return MEMBERSHIP_STAGE_LABELS[stage] ?? stage;
}
