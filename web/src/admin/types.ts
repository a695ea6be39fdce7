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
