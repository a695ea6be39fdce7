/**
 * Domain events: the outbox that outbound integrations and appointflow's own webhooks are fed from.
 * An event is written in the SAME transaction as the change it describes (so there is never a change
 * without its event, nor an event for a change that rolled back), once per source change (`key`,
 * unique), and fanned out later by the dispatcher (src/outbound/dispatcher.ts).
 *
 * Appointment events come from the timeline: every timeline entry of a lifecycle kind (booked,
 * rescheduled, status changes, stage, payment) becomes an event keyed by the entry's id, so the
 * activities and the booking service need no change of their own. Other modules (memberships) call
 * `recordEvent(trx, { type, subject, payload, key })` directly.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { appointmentsWithParties } from '../appointments/read-model';

type Db = Kysely<Database> | Transaction<Database>;

export const APPOINTMENT_EVENT_TYPES = [
  'appointment.booked',
  'appointment.rescheduled',
  'appointment.cancelled',
  'appointment.no_show',
  'appointment.stage_changed',
  'appointment.completed',
  'appointment.feedback_received',
] as const;
export const PAYMENT_EVENT_TYPES = ['payment.succeeded', 'payment.failed'] as const;
/** What a membership emits (src/memberships/events.ts); any `membership.<name>` is accepted as a filter. */
export const MEMBERSHIP_EVENT_TYPES = [
  'membership.purchased',
  'membership.visit_booked',
  'membership.visit_rescheduled',
  'membership.visit_used',
  'membership.visit_returned',
  'membership.visit_forfeited',
  'membership.stage_changed',
  'membership.validity_changed',
  'membership.expiry_reminder_sent',
  'membership.expired',
] as const;
/** Messaging (src/messaging/events.ts): a message that can never be delivered, and SMS reachability. */
export const MESSAGE_EVENT_TYPES = ['message.failed'] as const;
export const CONTACT_EVENT_TYPES = ['contact.sms_opted_out', 'contact.sms_opted_in'] as const;
export const EVENT_TYPES = [
  ...APPOINTMENT_EVENT_TYPES,
  ...PAYMENT_EVENT_TYPES,
  ...MEMBERSHIP_EVENT_TYPES,
  ...MESSAGE_EVENT_TYPES,
  ...CONTACT_EVENT_TYPES,
] as const;
export type EventType =
  | (typeof APPOINTMENT_EVENT_TYPES)[number]
  | (typeof PAYMENT_EVENT_TYPES)[number]
  | `membership.${string}`
  | (typeof MESSAGE_EVENT_TYPES)[number]
  | (typeof CONTACT_EVENT_TYPES)[number];

/** An event type, `*`, or a family wildcard such as `appointment.*` / `membership.*`. */
export function isValidEventFilter(filter: string): boolean {
  if (filter === '*') return true;
  if (/^(appointment|payment|membership|message|contact)\.\*$/.test(filter)) return true;
  if (/^membership\.[a-z_]+$/.test(filter)) return true;
  return (EVENT_TYPES as readonly string[]).includes(filter);
}

export function eventMatches(filters: readonly string[], type: string): boolean {
  return filters.some((f) => f === '*' || f === type || (f.endsWith('.*') && type.startsWith(f.slice(0, -1))));
}

/** Which event (if any) a timeline entry of this kind is. Pure; the single mapping of lifecycle → event. */
export function eventTypeForTimeline(kind: string, data: Record<string, unknown> = {}): EventType | undefined {
  switch (kind) {
    case 'task:completed':
      // The deliver-service task (with its billable minutes) completes the appointment; a charge task does not.
      return typeof data.minutes === 'number' ? 'appointment.completed' : undefined;
    case 'booked':
      return 'appointment.booked';
    case 'rescheduled':
      return 'appointment.rescheduled';
    case 'status:cancelled':
      return 'appointment.cancelled';
    case 'status:no_show':
      return 'appointment.no_show';
    case 'status:done':
      return 'appointment.completed';
    case 'stage':
      return 'appointment.stage_changed';
    case 'payment:succeeded':
      return 'payment.succeeded';
    case 'payment:declined':
    case 'payment:requires_action':
    case 'payment:failed':
      return 'payment.failed';
    default:
      return undefined;
  }
}

export interface NewEvent {
  type: EventType;
  subject: { type: string; id: string };
  payload: Record<string, unknown>;
  /** Unique per source change: the same key twice records one event. Random when omitted (not idempotent). */
  key?: string;
}

const listeners = new Set<() => void>();
/** The dispatcher in this process listens, so an event is fanned out without waiting for the next poll. */
export function onEventRecorded(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Wakes the dispatcher in this process shortly, after the caller's commit (a nudge that comes too early
 * finds nothing; the poll catches it). For what it dispatches: events and freed time.
 */
export function nudgeEventDispatcher(): void {
  for (const listener of listeners) setTimeout(listener, 50).unref();
}

/**
 * Records a domain event; call it with the transaction that makes the change. Returns the event id,
 * or undefined when an event with the same key was already recorded.
 */
export async function recordEvent(trx: Db, event: NewEvent): Promise<string | undefined> {
  const inserted = await trx
    .insertInto('events')
    .values({
      type: event.type,
      subject_type: event.subject.type,
      subject_id: event.subject.id,
      payload: JSON.stringify(event.payload),
      source_key: event.key ?? `random:${globalThis.crypto.randomUUID()}`,
    })
    .onConflict((oc) => oc.column('source_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) nudgeEventDispatcher();
  return inserted?.id;
}

/** The appointment as every appointment event carries it. */
export interface AppointmentEventView {
  id: string;
  status: string;
  stage: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  service: { id: string; name: string };
  staff: { id: string; name: string; email: string };
  contact: { id: string; name: string; email: string; phone: string | null };
  cancelReason: string | null;
}

export async function appointmentEventView(db: Db, appointmentId: string): Promise<AppointmentEventView | undefined> {
  const row = await appointmentsWithParties(db)
    .select([
      'a.id',
      'a.status',
      'a.stage',
      'a.starts_at',
      'a.ends_at',
      'a.time_zone',
      'a.cancel_reason',
      'sv.id as service_id',
      'sv.name as service_name',
      'st.id as staff_id',
      'st.name as staff_name',
      'st.email as staff_email',
      'c.id as contact_id',
      'c.name as contact_name',
      'c.email as contact_email',
      'c.phone as contact_phone',
    ])
    .where('a.id', '=', appointmentId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    status: row.status,
    stage: row.stage,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    timeZone: row.time_zone,
    service: { id: row.service_id, name: row.service_name },
    staff: { id: row.staff_id, name: row.staff_name, email: row.staff_email },
    contact: { id: row.contact_id, name: row.contact_name, email: row.contact_email, phone: row.contact_phone },
    cancelReason: row.cancel_reason,
  };
}

/**
 * Called by `appendTimeline` for every entry it actually wrote (same transaction): a lifecycle entry
 * becomes an event with the appointment as it is now and the change the entry describes.
 */
export async function recordTimelineEvent(
  db: Db,
  timelineId: number,
  entry: {
    appointmentId?: string | null;
    kind: string;
    actor: string;
    channel: string;
    summary: string;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  const type = eventTypeForTimeline(entry.kind, entry.data);
  if (!type || !entry.appointmentId) return;
  const appointment = await appointmentEventView(db, entry.appointmentId);
  if (!appointment) return;
  await recordEvent(db, {
    type,
    subject: { type: 'appointment', id: entry.appointmentId },
    payload: {
      appointment,
      change: { kind: entry.kind, actor: entry.actor, channel: entry.channel, summary: entry.summary, ...entry.data },
    },
    key: `timeline:${timelineId}`,
  });
}

/** A payment the customer completed on-session (Stripe webhook): the invoice became paid in `trx`. */
export async function recordPaymentSucceededFromStripe(
  trx: Db,
  input: { appointmentId: string; invoiceId: string; paymentId: string; stripeEventId: string },
): Promise<void> {
  const appointment = await appointmentEventView(trx, input.appointmentId);
  if (!appointment) return;
  await recordEvent(trx, {
    type: 'payment.succeeded',
    subject: { type: 'appointment', id: input.appointmentId },
    payload: {
      appointment,
      change: {
        kind: 'stripe:payment_intent.succeeded',
        actor: 'Stripe',
        channel: 'stripe_webhook',
        invoiceId: input.invoiceId,
        paymentId: input.paymentId,
      },
    },
    key: `stripe:${input.stripeEventId}:payment.succeeded`,
  });
}
