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
