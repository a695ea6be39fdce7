import type { Channels } from '../../ChannelChoice';
/** What the portal API answers (src/portal/account.ts, src/http/routes/portal-*.ts). */
import type { CancellationQuote } from '../CancellationPolicy';
export interface PortalCustomer {
  name: string;
  email: string;
}

export interface PortalAppointment {
  id: string;
  status: string;
  stage: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  price: { amountMinor: number; currency: string };
  publicNotes: string;
  service: { id: string; name: string; slug: string };
  staff: { id: string; name: string };
  /** What the business asks the customer to send before the visit; null: nothing. */
  filesRequest: string | null;
  /** A visit of a recurring series: visit `index` of `count`, `rule` like "every week". */
  series: { id: string; index: number; count: number; rule: string } | null;
  membershipVisit: boolean;
  invoice: { id: string; status: string } | null;
  actions: { reschedule: boolean; cancel: boolean };
  /** Upcoming only: the cancellation policy and what cancelling now costs (null: free). */
  cancellation?: CancellationQuote | null;
}

export interface PortalAppointments {
  upcoming: PortalAppointment[];
  past: PortalAppointment[];
}

export interface PortalInvoice {
  id: string;
  number: number;
  status: string;
  total: { amountMinor: number; currency: string };
  issuedAt: string | null;
  paidAt: string | null;
  appointmentId: string | null;
  description: string;
  visitAt: string | null;
}

export interface PortalMembership {
  id: string;
  certificateNumber: string;
  stage: string;
  plan: { name: string | null; services: Array<{ id: string; name: string }> };
  visits: { total: number | null; left: number | null; used: number; booked: number };
  validFrom: string;
  validUntil: string;
  timeZone: string;
}

/** With its message channels (preference, WhatsApp opt-in; web/src/ChannelChoice.tsx). */
export interface PortalProfile extends Channels {
  name: string;
  email: string;
  phone: string | null;
  address: string | null;
  timeZone: string | null;
  clientNotes: string;
  sms: { optIn: boolean; optedInAt: string | null; optedOutAt: string | null };
}

export interface PendingDetails {
  id: string;
  details: Record<string, unknown>;
  givenAt: string;
}
