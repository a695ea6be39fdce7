/** What GET /api/appointments/{id} and …/extras answer, as the appointment card reads them. */
import type { CardActions } from '../../../src/appointments/actions';
import type { CardProgress } from '../../../src/appointments/progress';
import type { Reachability } from './MessageStatus';
import type { StaffFeedback } from './FeedbackPanel';

export interface AppointmentView {
  id: string;
  workflowId: string;
  temporalUrl: string;
  status: string;
  stage: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  source: string;
  /** The invoice's total once invoiced, else the booked price. */
  price: { amountMinor: number; currency: string };
  invoice: { number: number; status: string; balanceMinor: number } | null;
  billing: { pricing: 'fixed' | 'hourly'; hourlyRateMinor: number | null; incrementMinutes: number };
  clientNote: string;
  publicNotes: string;
  cancelReason: string | null;
  service: { id: string; name: string };
  staff: { id: string; name: string };
  contact: {
    id: string;
    name: string;
    email: string;
    phone: string | null;
    address: string | null;
    notes: string;
    reachability?: Reachability;
  };
}

export interface TimelineEntry {
  occurred_at: string;
  kind: string;
  actor: string;
  channel: string;
  summary: string;
}

export interface MessageEntry {
  id: string;
  channel: string;
  template: string;
  recipient: string;
  subject: string | null;
  body?: string;
  status: string;
  provider: string;
  error?: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface CardResponse {
  appointment: AppointmentView;
  timeline: TimelineEntry[];
  messages: MessageEntry[];
  actions: CardActions;
  progress: CardProgress;
}

export interface Extras {
  billableMinutes: number | null;
  tasks: Array<{ id: string; kind: string; title: string; status: string; dueAt: string | null }>;
  invoices: Array<{ id: string; number: number; status: string; totalMinor: number; currency: string }>;
  payments: Array<{
    id: string;
    attempt: number;
    status: string;
    amountMinor: number;
    currency: string;
    declineCode: string | null;
    createdAt: string;
  }>;
  membership: {
    id: string;
    certificateNumber: string;
    planName: string;
    stage: string;
    visitsTotal: number | null;
    visitsUsed: number;
    visitsLeft: number | null;
    visitsBooked: number;
    validUntil: string;
  } | null;
  feedback?: StaffFeedback | null;
}
