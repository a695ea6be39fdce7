/**
 * Reading and writing appointments in the database: the snapshot the workflow works from, the
 * timeline, and the translation of constraint violations into domain errors.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { cancellationTerms } from '../domain/cancellation-policy';
import { resolveLifecyclePolicy } from '../domain/lifecycle-policy';
import type { AppointmentSnapshot } from '../../workflows/appointment/messages';
import { recordTimelineEvent } from '../outbound/events';

type Db = Kysely<Database> | Transaction<Database>;

export class SlotTakenError extends Error {
  override name = 'SlotTakenError';
  constructor(message = 'That time is no longer available for this staff member.') {
    super(message);
  }
}

/** True when a database error is the double-booking exclusion constraint (PostgreSQL or PGlite). */
export function isDoubleBooking(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string } | null;
  return (
    e?.code === '23P01' ||
    /appointments_no_double_booking/.test(e?.message ?? '') ||
    e?.constraint === 'appointments_no_double_booking'
  );
}

export async function loadSnapshot(db: Db, appointmentId: string): Promise<AppointmentSnapshot | undefined> {
  const row = await db
    .selectFrom('appointments as a')
    .innerJoin('services as s', 's.id', 'a.service_id')
    .select([
      'a.id',
      'a.contact_id',
      'a.staff_id',
      'a.service_id',
      's.name as service_name',
      'a.starts_at',
      'a.ends_at',
      'a.time_zone',
      'a.status',
      'a.stage',
      'a.revision',
      's.lifecycle_policy',
      's.billing_policy',
      's.billing_increment_minutes',
      // The terms frozen at booking (migration 0009); the service's only for a row without them.
      'a.lifecycle_policy as booked_lifecycle_policy',
      'a.billing_policy as booked_billing_policy',
      'a.billing_increment_minutes as booked_billing_increment_minutes',
      'a.cancellation_policy',
      'a.price_minor',
      'a.currency',
    ])
    .where('a.id', '=', appointmentId)
    .executeTakeFirst();
  if (!row) return undefined;
  // The deposit paid at booking (src/billing/deposits.ts), whatever became of it since.
  const deposit = await db
    .selectFrom('invoice_payments as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .select('p.amount_minor')
    .where('i.appointment_id', '=', appointmentId)
    .where('p.method', '=', 'deposit')
    .executeTakeFirst();
  // The policy frozen at booking only (migration 0053): an appointment booked without one has no fee.
  const cancellation = cancellationTerms(row.cancellation_policy, Number(row.price_minor), row.currency.trim());
  return {
    appointmentId: row.id,
    contactId: row.contact_id,
    staffId: row.staff_id,
    serviceId: row.service_id,
    serviceName: row.service_name,
    startsAt: row.starts_at.getTime(),
    endsAt: row.ends_at.getTime(),
    timeZone: row.time_zone,
    status: row.status,
    stage: row.stage,
    revision: row.revision,
    policy: resolveLifecyclePolicy(row.booked_lifecycle_policy ?? row.lifecycle_policy),
    billing: {
      policy: row.booked_billing_policy ?? row.billing_policy,
      incrementMinutes: row.booked_billing_increment_minutes ?? row.billing_increment_minutes,
    },
    ...(cancellation ? { cancellation } : {}),
    ...(deposit ? { deposit: { amountMinor: Number(deposit.amount_minor) } } : {}),
  };
}

export interface TimelineEntry {
  appointmentId?: string | null;
  membershipId?: string | null;
  contactId?: string | null;
  kind: string;
  actor: string;
  channel: string;
  summary: string;
  data?: Record<string, unknown>;
  idempotencyKey?: string | null;
}

/**
 * The audit trail of one record that is not an appointment (a service, a staff member, a membership
 * plan): its `<kind>:*` timeline entries whose `data.<key>` is `id`, newest first, at most 100.
 */
export async function auditTrail(db: Db, kind: string, key: string, id: string) {
  return db
    .selectFrom('timeline_events')
    .select(['occurred_at as occurredAt', 'kind', 'actor', 'channel', 'summary', 'data'])
    .where('kind', 'like', `${kind}:%`)
    .where((eb) => eb(eb.ref('data', '->>').key(key as never), '=', id))
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
}

/** Appends to the timeline; an entry whose idempotency key is already there is not written twice. */
export async function appendTimeline(db: Db, entry: TimelineEntry): Promise<void> {
  const written = await db
    .insertInto('timeline_events')
    .values({
      appointment_id: entry.appointmentId ?? null,
      membership_id: entry.membershipId ?? null,
      contact_id: entry.contactId ?? null,
      kind: entry.kind,
      actor: entry.actor,
      channel: entry.channel,
      summary: entry.summary,
      data: JSON.stringify(entry.data ?? {}),
      idempotency_key: entry.idempotencyKey ?? null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  // A lifecycle entry is also a domain event for webhooks and outbound sync, in the same transaction.
  if (written) await recordTimelineEvent(db, written.id, entry);
}

export async function timelineHasKey(db: Db, idempotencyKey: string): Promise<boolean> {
  const row = await db
    .selectFrom('timeline_events')
    .select('id')
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  return row !== undefined;
}

/** Locks the appointment row for the rest of the transaction. */
export async function lockAppointment(trx: Transaction<Database>, appointmentId: string) {
  return trx.selectFrom('appointments').selectAll().where('id', '=', appointmentId).forUpdate().executeTakeFirst();
}

export const activeStatuses = ['scheduled', 'in_progress'] as const;

/** What the card's extras need of the appointment: whose it is, its billable time, its membership, the files its service asks for. */
export async function appointmentForCard(db: Db, id: string) {
  return db
    .selectFrom('appointments as a')
    .innerJoin('services as sv', 'sv.id', 'a.service_id')
    .select(['a.id', 'a.staff_id', 'a.billable_minutes', 'a.membership_id', 'sv.files_request'])
    .where('a.id', '=', id)
    .executeTakeFirst();
}

/** The appointment's tasks, invoices and payment attempts, oldest first (the card's extras). */
export async function appointmentLedger(db: Db, id: string) {
  const [tasks, invoices, payments] = await Promise.all([
    db
      .selectFrom('tasks')
      .select(['id', 'kind', 'title', 'status', 'due_at as dueAt', 'assignee_staff_id as assigneeStaffId'])
      .where('appointment_id', '=', id)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('invoices')
      .select(['id', 'number', 'status', 'total_minor as totalMinor', 'currency', 'issued_at as issuedAt'])
      .where('appointment_id', '=', id)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('payment_attempts as p')
      .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
      .select([
        'p.id',
        'p.attempt',
        'p.status',
        'p.amount_minor as amountMinor',
        'p.currency',
        'p.gateway',
        'p.decline_code as declineCode',
        'p.created_at as createdAt',
      ])
      .where('i.appointment_id', '=', id)
      .orderBy('p.created_at')
      .execute(),
  ]);
  return { tasks, invoices, payments };
}
