/**
 * Custom search attributes appointflow registers on the Temporal namespace and sets from its workflows,
 * so operators can find flows in the Web UI, e.g. `AppointmentStage = "Appointment Today"`.
 * Imported by workflow code (deterministic: definitions only), by the dev-server start-up that
 * registers them, and by tests.
 */
import { defineSearchAttributeKey, type SearchAttributePair, SearchAttributeType } from '@temporalio/common';

export const AppointmentStage = defineSearchAttributeKey('AppointmentStage', SearchAttributeType.KEYWORD);
export const AppointmentStatus = defineSearchAttributeKey('AppointmentStatus', SearchAttributeType.KEYWORD);
export const StaffId = defineSearchAttributeKey('StaffId', SearchAttributeType.KEYWORD);
export const ContactId = defineSearchAttributeKey('ContactId', SearchAttributeType.KEYWORD);
export const AppointmentStartsAt = defineSearchAttributeKey('AppointmentStartsAt', SearchAttributeType.DATETIME);
export const MembershipId = defineSearchAttributeKey('MembershipId', SearchAttributeType.KEYWORD);
export const MembershipStage = defineSearchAttributeKey('MembershipStage', SearchAttributeType.KEYWORD);
export const CertificateNumber = defineSearchAttributeKey('CertificateNumber', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [
  AppointmentStage,
  AppointmentStatus,
  StaffId,
  ContactId,
  AppointmentStartsAt,
  MembershipId,
  MembershipStage,
  CertificateNumber,
] as const;

/** What an appointment's search attributes are made of (the workflow's snapshot has these fields). */
export interface AppointmentSearchFields {
  stage: string;
  status: string;
  staffId: string;
  contactId: string;
  startsAt: number;
}

/**
 * An appointment's search attributes: set when its workflow starts (src/booking/service.ts) and kept
 * up to date by the workflow (workflows/appointment/state.ts `publish`).
 */
export function appointmentSearchAttributes(appointment: AppointmentSearchFields): SearchAttributePair[] {
  return [
    { key: AppointmentStage, value: appointment.stage },
    { key: AppointmentStatus, value: appointment.status },
    { key: StaffId, value: appointment.staffId },
    { key: ContactId, value: appointment.contactId },
    { key: AppointmentStartsAt, value: new Date(appointment.startsAt) },
  ];
}
