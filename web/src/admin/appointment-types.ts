/** What GET /api/appointments/{id} and …/extras answer, as the appointment card reads them. */
import type { CardActions } from '../../../src/appointments/actions';
import type { CardProgress } from '../../../src/appointments/progress';
import type { AppointmentView as ServerAppointmentView } from '../../../src/http/views';
import type { RequestedFiles } from '../../../src/conversations/thread';
import type { Wire } from '../wire';
import type { StaffFeedback } from './FeedbackPanel';

/** The appointment as GET /api/appointments/{id} answers it: the server's view (src/http/views.ts). */
export type AppointmentView = Wire<ServerAppointmentView>;

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
  /** What the service asks the customer to send before the visit, and what arrived (src/conversations/thread.ts). */
  files?: Wire<RequestedFiles>;
}
