/**
 * Custom search attributes appointflow registers on the Temporal namespace and sets from its workflows,
 * so operators can find flows in the Web UI, e.g. `AppointmentStage = "Appointment Today"`.
 * Imported by workflow code (deterministic: definitions only), by the dev-server start-up that
 * registers them, and by tests.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

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
