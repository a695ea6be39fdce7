export interface ListedAppointment {
  id: string;
  startsAt: string;
  endsAt: string;
  status: string;
  stage: string;
  timeZone: string;
  priceMinor: number;
  currency: string;
  serviceName: string;
  staffId: string;
  staffName: string;
  contactName: string;
}

export interface StaffMember {
  id: string;
  name: string;
  role: string;
  timeZone: string;
}

/** GET /api/admin/calendar?include=schedules: a staff member's working hours and time off in the range. */
export interface StaffSchedule {
  staffId: string;
  staffName: string;
  timeZone: string;
  working: Array<{ startsAt: string; endsAt: string }>;
  timeOff: Array<{ startsAt: string; endsAt: string; reason: string }>;
}

/** A membership as GET /api/admin/memberships lists it. */
export interface MembershipRow {
  id: string;
  certificateNumber: string;
  stage: string;
  visitsTotal: number | null;
  visitsUsed: number;
  visitsLeft: number | null;
  validUntil: string;
  planName: string;
  contactId: string;
  contactName: string;
  contactEmail: string;
}

/** Settings → Staff: a staff member as GET /api/admin/staff lists them. */
export interface StaffRow {
  id: string;
  name: string;
  role: string;
  timeZone: string;
  colour: string | null;
  active: boolean;
}

/** GET /api/admin/staff/{id}: the staff member, their booked appointments ahead, the change history. */
export interface StaffDetail {
  staff: StaffRow & {
    email: string;
    phone: string | null;
    serviceIds: string[];
    account: { email: string; active: boolean } | null;
    invitation: { sentAt: string; expiresAt: string; acceptedAt: string | null } | null;
  };
  futureAppointments: Array<{ id: string; startsAt: string; contactName: string; serviceName: string }>;
  history: Array<{ occurredAt: string; summary: string; actor: string; channel: string }>;
}
