/**
 * Everything the outside world can say to an `appointment:<id>` workflow, and what it answers: the
 * updates (validated, answered synchronously), their fire-and-forget signal forms for webhooks, and the
 * state query. Imported by the workflow and by the API, so both sides agree on names and shapes.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CancellationTerms, FeeChoice, FeeKind } from '../../src/domain/cancellation-policy';
import type { LifecyclePolicy } from '../../src/domain/lifecycle-policy';
import type { MarkKind } from '../../src/domain/marks';
import type { PipelineStage, ServiceStatus } from '../../src/domain/stages';
import type { CustomerEvent, StaffEvent } from '../../src/messaging/templates';

export const APPOINTMENT_WORKFLOW_TYPE = 'appointmentWorkflow';

export function appointmentWorkflowId(appointmentId: string): string {
  return `appointment:${appointmentId}`;
}

/** Who asked for a change. `name` is what the timeline shows. */
export interface Actor {
  kind: 'customer' | 'staff' | 'technician' | 'system' | 'integration';
  id?: string;
  name: string;
}

/**
 * The channel a trigger came through (seed 003): web booking or manage link, SMS, email, phone or in
 * person at the front desk, an admin override, the API, or an integration (`integration:<platform>`).
 */
export type Channel =
  | 'web'
  | 'manage_link'
  | 'sms'
  | 'whatsapp'
  | 'email'
  | 'phone'
  | 'in_person'
  | 'admin'
  | 'api'
  | 'system'
  | `integration:${string}`;

/** What the workflow needs to know about its appointment; refreshed from the database on changes. */
export interface AppointmentSnapshot {
  appointmentId: string;
  contactId: string;
  staffId: string;
  serviceId: string;
  serviceName: string;
  startsAt: number;
  endsAt: number;
  /** The customer's zone, for messages and summaries. */
  timeZone: string;
  status: ServiceStatus;
  stage: PipelineStage;
  revision: number;
  policy: LifecyclePolicy;
  /** Billing policy of the service; absent in workflows started before billing existed. */
  billing?: { policy: 'manual' | 'auto'; incrementMinutes: number };
  /** The cancellation policy frozen at booking, as amounts (absent: no fee can apply; migration 0053). */
  cancellation?: CancellationTerms;
  /** The deposit paid at booking (absent: none; src/billing/deposits.ts), credited on the invoice. */
  deposit?: { amountMinor: number };
}

/** A message the workflow decided to send and has not sent yet (queued in the outbox, carried across runs). */
export interface OutboxMessage {
  audience: 'customer' | 'staff';
  event: CustomerEvent | StaffEvent;
  /** Step name, part of the message's idempotency key. */
  step: string;
  revision: number;
  /** Drop the message if, by the time it is sent, the appointment moved on (reminders, briefs). */
  onlyIfCurrent: boolean;
  previousStartsAt?: number;
  suggestSlots?: number;
  nextAttemptAt?: number;
  assignee?: 'staff' | 'billing_owner';
  /** The reschedule message as staff edited it, and the public note (patch appointment-reschedule-options-v1). */
  edited?: RescheduleMessage;
  publicNote?: string;
  /** What becomes of the deposit on a cancel: refunded, and kept against a fee (patch appointment-deposits-v1). */
  deposit?: DepositOutcome;
}

/** A cancelled or missed visit's deposit: what is refunded and what a fee keeps (patch appointment-deposits-v1). */
export interface DepositOutcome {
  refundMinor: number;
  keptMinor: number;
}

/** What a run hands to the next by continue-as-new (patch appointment-continue-as-new-v1). */
export interface AppointmentCarry {
  /** Which run this was (1 = the first). */
  run: number;
  revisionSince: number;
  fired: string[];
  cancelledAt: number | null;
  cancelReason: string | null;
  rebookFollowUp: AppointmentState['rebookFollowUp'];
  billingEnabled: boolean;
  deliverTask: TaskState | null;
  chargeTask: TaskState | null;
  billing: BillingState | null;
  cardUpdated: boolean;
  /** A late-cancel or no-show fee being collected (patch appointment-cancellation-fees-v1). */
  fee?: FeeState | null;
  /** The deposit to settle after a cancel or no-show, and whether it was (patch appointment-deposits-v1). */
  deposit?: (DepositOutcome & { settled: boolean }) | null;
  remindersOff: number[];
  lateReminderLimit: boolean;
  /** Refused signal requests so far (part of their timeline keys). */
  refusals: number;
  /** Messages queued and not yet sent: the next run sends them first. */
  outbox: OutboxMessage[];
}

export interface AppointmentWorkflowInput {
  appointment: AppointmentSnapshot;
  bookedBy: { actor: Actor; channel: Channel };
  /**
   * When the appointment was booked (the row's creation, epoch ms): marks after it are still to fire,
   * even when the workflow's first task runs later (patch appointment-marks-from-booking-v1). Absent in
   * workflows started before it: their first task counts as the booking.
   */
  bookedAt?: number;
  /** Present when the workflow continued as new: the state the previous run handed over. */
  carried?: AppointmentCarry;
}

/**
 * The reschedule message as staff edited it (from the preview), sent instead of the rendered template;
 * `{manage-link}` in it becomes the customer's own manage link. A channel left out renders as usual.
 */
export interface RescheduleMessage {
  email?: { subject: string; body: string };
  sms?: string;
}

export interface RescheduleRequest {
  /** New start, epoch milliseconds. */
  startsAt: number;
  staffId?: string;
  serviceId?: string;
  /** A note for the timeline (integrations say where the move came from). */
  note?: string;
  /** A note for the customer, shown in the reschedule email (patch appointment-reschedule-options-v1). */
  publicNote?: string;
  /** Staff-edited text of the reschedule message; absent: the template renders as before. */
  message?: RescheduleMessage;
  /** false: no 48 h / 12 h reminders for the new time (its stage changes and the staff brief still happen). */
  reminders?: boolean;
  actor: Actor;
  channel: Channel;
}

export interface CancelRequest {
  reason: string;
  /**
   * The late-cancel fee: staff `charge` it (the customer phoned in) or `waive` it; absent, the rule of
   * src/domain/cancellation-policy.ts — charged only when the customer cancels inside the window.
   */
  cancellationFee?: FeeChoice;
  actor: Actor;
  channel: Channel;
}

export interface NoShowRequest {
  note?: string;
  /** The no-show fee: charged unless staff `waive` it. */
  cancellationFee?: FeeChoice;
  actor: Actor;
  channel: Channel;
}

export interface StartServiceRequest {
  actor: Actor;
  channel: Channel;
}

/** Completes a human task: the deliver task takes the billable minutes, the charge task an optional adjusted amount. */
export interface CompleteTaskRequest {
  taskId: string;
  form: { minutes?: number; notes?: string; amountMinor?: number; report?: ServiceReport };
  actor: Actor;
  channel: Channel;
}

/**
 * The service report staff write at delivery (issue 16), sent to the customer with the receipt: what was
 * done, what comes next, and photos chosen from the customer's conversation attachments (their ids).
 */
export interface ServiceReport {
  summary: string;
  nextSteps?: string;
  photoIds?: string[];
}

export interface CardUpdated {
  source: 'manage_link' | 'stripe_webhook' | 'staff';
}

export type MarkState = 'pending' | 'fired' | 'skipped';

export interface TaskState {
  taskId: string;
  status: 'open' | 'done';
  overdue: boolean;
}

/** A cancellation or no-show fee the workflow collects (patch appointment-cancellation-fees-v1). */
export interface FeeState {
  kind: FeeKind;
  amountMinor: number;
}

export interface BillingState {
  invoice: { invoiceId: string; number: number; currency: string; totalMinor: number } | null;
  payment:
    | 'not_started'
    | 'awaiting_confirmation'
    | 'charging'
    | 'paid'
    | 'declined'
    | 'requires_action'
    /** No card on file: a pay link was sent (patch appointment-pay-links-v1). */
    | 'awaiting_payment'
    | 'failed';
  attempts: number;
}

export interface AppointmentState {
  appointment: AppointmentSnapshot;
  marks: Array<{ kind: MarkKind; at: number; state: MarkState }>;
  nextMarkAt: number | null;
  cancelledAt: number | null;
  cancelReason: string | null;
  rebookFollowUp: 'not_applicable' | 'waiting' | 'sent' | 'not_needed';
  closed: boolean;
  tasks: { deliver: TaskState | null; charge: TaskState | null };
  billing: BillingState | null;
  /** A late-cancel or no-show fee charged for this appointment (its invoice and payment are `billing`). */
  cancellationFee?: FeeState | null;
  /** The deposit's fate after a cancel or no-show (refunded, kept against the fee). */
  deposit?: (DepositOutcome & { settled: boolean }) | null;
  /** Whether the customer gets reminders for the current time (false when staff turned them off). */
  reminders?: boolean;
  /** "Book again" (patch appointment-follow-ups-v1): when it fires, and whether it was sent or not needed. */
  bookAgain?: { state: 'waiting' | 'sent' | 'not_needed'; at: number };
  /** Which run of the workflow answers (continue-as-new starts a new one), and its history length so far. */
  run?: number;
  historyLength?: number;
}

export const rescheduleUpdate = defineUpdate<AppointmentState, [RescheduleRequest]>('reschedule');
export const cancelUpdate = defineUpdate<AppointmentState, [CancelRequest]>('cancel');
export const markNoShowUpdate = defineUpdate<AppointmentState, [NoShowRequest]>('markNoShow');
export const startServiceUpdate = defineUpdate<AppointmentState, [StartServiceRequest]>('startService');

/**
 * Signal forms of reschedule / cancel / no-show, for fire-and-forget callers; a refused one is written
 * to the timeline. Nothing in appointflow sends them today (every caller uses the updates); they stay
 * registered for running histories and hand-sent signals (docs/architecture.md, "Message surface").
 */
export const rescheduleSignal = defineSignal<[RescheduleRequest]>('rescheduleRequested');
export const cancelSignal = defineSignal<[CancelRequest]>('cancelRequested');
export const noShowSignal = defineSignal<[NoShowRequest]>('noShowReported');

export const completeTaskUpdate = defineUpdate<AppointmentState, [CompleteTaskRequest]>('completeTask');
export const cardUpdatedSignal = defineSignal<[CardUpdated]>('cardUpdated');

export const stateQuery = defineQuery<AppointmentState>('state');

/** Patch ids for changes to running workflows (see test/histories). */
export const PATCHES = {
  billing: 'appointment-billing-v1',
  /** A zero-total invoice is settled at once, without a charge task, whatever the billing policy. */
  zeroInvoice: 'appointment-zero-invoice-v1',
  /** Staff reschedule options: the edited message and public note reach the customer; reminders can be skipped. */
  rescheduleOptions: 'appointment-reschedule-options-v1',
  /**
   * Bounded retries: a message that cannot be sent (render error, retries spent) is marked failed and
   * staff are told, and the lifecycle goes on; a data step stuck past its schedule-to-close limit alerts
   * staff and is retried later outside the lock instead of failing the workflow.
   */
  boundedRetries: 'appointment-bounded-retries-v1',
  /** The end of a run drains the outbox, then waits for handlers, until both are quiet. */
  endOfRun: 'appointment-end-of-run-v1',
  /**
   * Marks are computed against the booking instant (input `bookedAt`), so a late first task still fires
   * a mark due in between; a customer reminder later than the policy's limit is dropped with a note.
   */
  marksFromBooking: 'appointment-marks-from-booking-v1',
  /** The workflow continues as new when Temporal suggests it or after `MAX_CHANGES_PER_RUN` changes. */
  continueAsNew: 'appointment-continue-as-new-v1',
  /**
   * Payments a customer can complete (issue 13): no card (or one needing the customer) → a pay link
   * and a staff task, never a decline notice; a card update during a charge retries at once; after the
   * last attempt the invoice is uncollectible and the workflow still takes a card update for a while.
   */
  payLinks: 'appointment-pay-links-v1',
  /**
   * Cancellation policy (issue 13, item 6): a late cancel by the customer or a no-show with a fee in the
   * appointment's frozen policy opens an invoice with the fee line and charges it once (saved card, or a
   * pay link; never a decline notice). Asked only when a fee applies.
   */
  cancellationFees: 'appointment-cancellation-fees-v1',
  /**
   * Deposits (issue 13, item 2): a cancel or no-show refunds the deposit paid at booking less what a
   * fee keeps; an invoice the deposit covers is settled without a charge task. Asked only for an
   * appointment with a deposit.
   */
  deposits: 'appointment-deposits-v1',
  /**
   * Follow-ups (issue 16): a delivered, settled visit whose service sets `bookAgainWeeks` sleeps that
   * long, then sends "book again" unless the contact booked meanwhile (workflows/appointment/follow-ups.ts).
   */
  followUps: 'appointment-follow-ups-v1',
  /**
   * A leaner history (issue 19): a new run records this one patch marker instead of one for each patch
   * before it (a run that took it has them all: `AppointmentModel.patched`), upserts only the search
   * attributes that changed, runs its short database steps as local activities, and sends the
   * messages queued together in one activity.
   */
  leanHistory: 'appointment-lean-history-v1',
} as const;

export type PatchId = (typeof PATCHES)[keyof typeof PATCHES];

/** The patches older than appointment-lean-history-v1: a run that took it follows all of them. */
export const PATCHES_BEFORE_LEAN_HISTORY: readonly PatchId[] = [
  PATCHES.billing,
  PATCHES.zeroInvoice,
  PATCHES.rescheduleOptions,
  PATCHES.boundedRetries,
  PATCHES.endOfRun,
  PATCHES.marksFromBooking,
  PATCHES.continueAsNew,
  PATCHES.payLinks,
  PATCHES.cancellationFees,
  PATCHES.deposits,
  PATCHES.followUps,
];

/** Changes (updates and signals) one run takes before it hands over to a new run. */
export const MAX_CHANGES_PER_RUN = 100;

/** Error type of a message that cannot be rendered (a template that does not compile or render): never retried. */
export const MESSAGE_RENDER_FAILED = 'MessageRenderFailed';

/** Error types the workflow raises for refused requests; the API maps them to HTTP statuses. */
export const REFUSALS = {
  slotTaken: 'SlotTaken',
  invalidTransition: 'InvalidTransition',
  invalidRequest: 'InvalidRequest',
  notFound: 'NotFound',
  /** The deliver task completed before the service started or its window opened (src/domain/delivery.ts). */
  deliveryNotYetDue: 'DeliveryNotYetDue',
} as const;
