/**
 * Which reported status changes need a person. A platform reporting that a matched appointment is
 * scheduled, confirmed, in progress or completed (HubSpot `COMPLETED`, ServiceTitan `Dispatched`, an
 * admin-written `confirmed`, a Jobber visit completed …) only confirms what appointflow already
 * tracks: it is recorded on the timeline and opens no task. Anything else (on hold, rescheduled without
 * a time, an unknown word, a voided invoice, a visit that became unscheduled) still opens a reach-out
 * task, because someone has to look at it. Pure.
 */
const NO_ACTION = new Set([
  'scheduled',
  'booked',
  'confirmed',
  'accepted',
  'completed',
  'complete',
  'done',
  'finished',
  'in progress',
  'inprogress',
  'working',
  'started',
  'dispatched',
  'arrived',
  'checked in',
  'checkedin',
]);

/** The status as words: `IN_PROGRESS` → `in progress`, `Checked-In` → `checked in`. */
export function normaliseStatus(status: string): string {
  return status
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function statusNeedsStaff(status: string | undefined): boolean {
  if (!status) return true;
  return !NO_ACTION.has(normaliseStatus(status));
}
