/**
 * Booking: from a chosen slot and the customer's details to an appointment row and its
 * `appointment:<id>` workflow.
 *
 * The row and the workflow come into being together by a transactional outbox:
 *   1. one transaction inserts the appointment (the exclusion constraint decides whether the slot is
 *      free), recognises or creates the contact, writes the timeline and a manage token;
 *   2. the workflow is started with the id derived from the row (`appointment:<id>`), and the row is
 *      marked `workflow_started_at`;
 *   3. if the process dies between 1 and 2, or Temporal is briefly unreachable, `startPendingWorkflows`
 *      (run at start-up and every few seconds) starts the workflow for every row still unmarked.
 * Starting is idempotent (conflict policy USE_EXISTING on the same id), so a retry or a race between
 * the request and the reconciler yields one workflow. No workflow is ever started without its row.
 */
import { formatWhenShort } from '../messaging/templates';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Kysely, Transaction } from 'kysely';
import { appendTimeline, isDoubleBooking, loadSnapshot } from '../appointments/repository';
import { businessTaxRateBps, termsOf } from '../appointments/terms';
import { availableSlots, upcomingFreeSlots } from '../availability/service';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import type { Slot } from '../domain/availability';
import { resolveLifecyclePolicy } from '../domain/lifecycle-policy';
import { computeMarks, stageAt } from '../domain/marks';
import { createManageToken } from '../manage/tokens';
import { detailsChange, savePendingDetails } from '../identity/pending-details';
import { DateTime } from 'luxon';
import { pickStaff } from './staff-pick';
import { type BookingDeposit, isDepositReused, recordDeposit } from '../billing/deposits';
import { claimDepositIntent, DepositRefusal } from '../payments/deposit-intents';
import { countBooking } from '../metrics';
import { notifyMembershipOfVisit } from '../memberships/repository';
import { reserveVisit, resolveVisitMembership } from '../memberships/service';
import { appointmentSearchAttributes } from '../../temporal/search-attributes';
import {
  type Actor,
  type AppointmentSnapshot,
  type Channel,
  APPOINTMENT_WORKFLOW_TYPE,
  appointmentWorkflowId,
} from '../../workflows/appointment/messages';
import type { appointmentWorkflow } from '../../workflows/appointment/workflow';

export interface BookingDeps {
  db: Kysely<Database>;
  temporal: Client;
  config: Config;
  /**
   * Book inside this open transaction (a recurring series, src/booking/series.ts: all or nothing). The
   * caller commits and then starts the workflow (startAppointmentWorkflow); `db` should be the same handle.
   */
  transaction?: Transaction<Database>;
}

export interface CustomerDetails {
  name: string;
  email: string;
  phone?: string | undefined;
  smsOptIn: boolean;
  address?: string | undefined;
  note?: string | undefined;
  /** The language of the page they booked from ("en", "es"): their messages are written in it. */
  locale?: string | undefined;
}

export interface BookRequest {
  serviceId: string;
  staffId?: string | undefined;
  startsAt: number;
  /** The customer's zone, for messages. */
  timeZone: string;
  customer: CustomerDetails;
  actor: Actor;
  channel: Channel;
  membershipId?: string | undefined;
  /** A membership visit by certificate number (what the customer reads out); alternative to membershipId. */
  certificateNumber?: string | undefined;
  /**
   * A known email's stored details: `apply` the request's (staff, a proven customer; the default) or
   * keep them and leave the request `pending` the customer's confirmation (an unauthenticated booking).
   */
  knownContact?: 'apply' | 'pending';
  /**
   * The request's idempotency key (scope and key, opaque): a booking repeated with it gets the
   * appointment the first one made, never a second one or "slot taken" (src/http/idempotency.ts).
   */
  requestKey?: string | undefined;
  /** A later visit of a recurring series: may lie beyond the booking horizon (src/booking/series.ts). */
  ignoreHorizon?: boolean | undefined;
  /** The deposit paid at booking, verified with the gateway (src/payments/deposit-intents.ts): on the ledger with the row. */
  deposit?: BookingDeposit | undefined;
}

export interface BookResult {
  appointmentId: string;
  workflowId: string;
  manageToken: string;
  workflowStarted: boolean;
  /** The booking's details for a known contact wait for the customer's confirmation. */
  detailsPending: boolean;
}

export class SlotUnavailableError extends Error {
  override name = 'SlotUnavailableError';
  constructor(
    message: string,
    readonly nextSlots: Slot[],
  ) {
    super(message);
  }
}

export class UnknownEntityError extends Error {
  override name = 'UnknownEntityError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Next free slots to offer after a refusal, from the requested time (or now) onwards. */
export async function alternatives(
  db: Kysely<Database>,
  serviceId: string,
  from: number,
  now: number,
  staffId?: string,
): Promise<Slot[]> {
  return upcomingFreeSlots(db, { serviceId, staffId, from: Math.max(from, now), now, count: 3 });
}

/**
 * The booking made earlier under the same request key, answered as the first time (with a new manage
 * link: only the hash of the first one was kept), or undefined.
 */
async function bookedBefore(deps: BookingDeps, request: BookRequest): Promise<BookResult | undefined> {
  if (!request.requestKey) return undefined;
  const row = await deps.db
    .selectFrom('appointments')
    .select(['id', 'workflow_id', 'ends_at', 'workflow_started_at'])
    .where('request_key', '=', request.requestKey)
    .executeTakeFirst();
  if (!row) return undefined;
  // As the first answer's link: it opens the appointment but proves nothing about the contact.
  const manageToken = await createManageToken(deps.db, row.id, row.ends_at, 'manage', { provesContact: false });
  const pending = await deps.db
    .selectFrom('contact_pending_details')
    .select('id')
    .where('appointment_id', '=', row.id)
    .executeTakeFirst();
  const workflowStarted =
    row.workflow_started_at !== null ||
    (await startAppointmentWorkflow(deps, row.id, { actor: request.actor, channel: request.channel }).then(
      () => true,
      () => false, // the reconciler will start it
    ));
  return {
    appointmentId: row.id,
    workflowId: row.workflow_id,
    manageToken,
    workflowStarted,
    detailsPending: pending !== undefined,
  };
}

export async function book(deps: BookingDeps, request: BookRequest, now = Date.now()): Promise<BookResult> {
  const { db } = deps;
  const earlier = await bookedBefore(deps, request);
  if (earlier) return earlier;
  const service = await db
    .selectFrom('services')
    .selectAll()
    .where('id', '=', request.serviceId)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!service)
    throw new UnknownEntityError('serviceId', `Service ${request.serviceId} does not exist or is not bookable.`);
  if (request.staffId) {
    const staff = await db
      .selectFrom('staff')
      .select('id')
      .where('id', '=', request.staffId)
      .where('active', '=', true)
      .executeTakeFirst();
    if (!staff) throw new UnknownEntityError('staffId', `Staff member ${request.staffId} does not exist.`);
  }

  // The slot must be one we offer: working hours, notice, horizon, time off, buffers.
  const offered = (
    await availableSlots(db, {
      serviceId: service.id,
      staffId: request.staffId,
      from: request.startsAt,
      to: request.startsAt + 1,
      now,
      ignoreHorizon: request.ignoreHorizon,
    })
  ).filter((slot) => slot.startsAt === request.startsAt);
  // "Anyone available": several staff free then; the stated rule picks one (src/booking/staff-pick.ts).
  const slot = offered.length > 1 ? await pickAnyoneFree(db, offered) : offered[0];
  if (!slot) {
    throw new SlotUnavailableError(
      'That time is not available. Here are the next free times.',
      await alternatives(db, service.id, request.startsAt, now, request.staffId),
    );
  }

  // A membership visit: the membership must exist, be valid then and cover the service (issue 5).
  const membership =
    request.membershipId || request.certificateNumber
      ? await resolveVisitMembership(
          db,
          {
            membershipId: request.membershipId,
            certificateNumber: request.certificateNumber,
            serviceId: service.id,
            startsAt: slot.startsAt,
          },
          now,
        )
      : null;

  const appointmentId = randomUUID();
  const workflowId = appointmentWorkflowId(appointmentId);
  let manageToken: string;
  let detailsPending = false;
  try {
    const insert = async (trx: Transaction<Database>) => {
      const email = request.customer.email.trim().toLowerCase();
      const existing = await trx
        .selectFrom('contacts')
        .selectAll()
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
        .forUpdate()
        .executeTakeFirst();
      const keep = existing !== undefined && request.knownContact === 'pending';
      const optInNow = !keep && request.customer.smsOptIn && !(existing?.sms_opt_in ?? false);
      let contactId: string;
      const pending = keep ? detailsChange(existing, { ...request.customer, timeZone: request.timeZone }) : undefined;
      if (existing && keep) {
        // Not proven to be this contact: nothing stored changes; the request waits for their confirmation.
        contactId = existing.id;
      } else if (existing) {
        // A returning customer: reuse and keep what we know, fill in what is new.
        await trx
          .updateTable('contacts')
          .set({
            name: request.customer.name,
            phone: request.customer.phone ?? existing.phone,
            address: request.customer.address ?? existing.address,
            time_zone: request.timeZone,
            locale: request.customer.locale ?? existing.locale,
            ...(optInNow
              ? {
                  sms_opt_in: true,
                  sms_opt_in_at: new Date(now),
                  sms_opt_in_source: request.channel,
                  sms_opted_out_at: null,
                }
              : {}),
            updated_at: new Date(now),
          })
          .where('id', '=', existing.id)
          .execute();
        contactId = existing.id;
      } else {
        const created = await trx
          .insertInto('contacts')
          .values({
            name: request.customer.name,
            email,
            phone: request.customer.phone ?? null,
            address: request.customer.address ?? null,
            time_zone: request.timeZone,
            locale: request.customer.locale ?? null,
            sms_opt_in: request.customer.smsOptIn,
            sms_opt_in_at: request.customer.smsOptIn ? new Date(now) : null,
            sms_opt_in_source: request.customer.smsOptIn ? request.channel : null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        contactId = created.id;
      }
      if (membership) await reserveVisit(trx, membership, request.membershipId ? 'membershipId' : 'certificateNumber');
      detailsPending = pending !== undefined;
      await trx
        .insertInto('appointments')
        .values({
          id: appointmentId,
          contact_id: contactId,
          staff_id: slot.staffId,
          service_id: service.id,
          membership_id: membership?.id ?? null,
          starts_at: new Date(slot.startsAt),
          ends_at: new Date(slot.endsAt),
          blocked_from: new Date(slot.blockedFrom),
          blocked_until: new Date(slot.blockedUntil),
          time_zone: request.timeZone,
          // A booking made after a mark starts in the stage that mark implies (Tomorrow, Today).
          stage: stageAt(
            computeMarks({
              startsAt: slot.startsAt,
              endsAt: slot.endsAt,
              timeZone: request.timeZone,
              policy: resolveLifecyclePolicy(service.lifecycle_policy),
            }),
            now,
          ),
          // A membership visit is paid for by the membership: never charged again at close-out.
          price_minor: membership
            ? 0
            : service.pricing === 'fixed'
              ? service.price_minor
              : Math.round((service.hourly_rate_minor * service.duration_minutes) / 60),
          currency: service.currency,
          // The service's terms as they stand now: a later edit of the service changes new bookings only.
          ...termsOf(service, await businessTaxRateBps(trx)),
          client_note: request.customer.note ?? '',
          source: request.channel,
          workflow_id: workflowId,
          request_key: request.requestKey ?? null,
        })
        .execute();
      if (request.deposit && !membership) {
        await recordDeposit(trx, {
          appointmentId,
          contactId,
          deposit: request.deposit,
          actor: request.actor.name,
          channel: request.channel,
          at: new Date(now),
        });
        await claimDepositIntent(trx, { paymentIntentId: request.deposit.paymentIntentId, appointmentId });
      }
      if (pending)
        await savePendingDetails(trx, { contactId, appointmentId, details: pending, channel: request.channel });
      await appendTimeline(trx, {
        appointmentId,
        contactId,
        kind: 'booked',
        actor: request.actor.name,
        channel: request.channel,
        summary: `Booked ${service.name} for ${formatWhenShort(slot.startsAt, request.timeZone)}${existing ? (keep ? ' (known email, not signed in: new details wait for the customer to confirm them)' : ' (returning customer)') : ''}${membership ? ` on membership ${membership.certificateNumber}` : ''}`,
        data: {
          startsAt: new Date(slot.startsAt).toISOString(),
          staffId: slot.staffId,
          returning: Boolean(existing),
          smsOptIn: request.customer.smsOptIn,
          ...(pending ? { pendingDetails: Object.keys(pending) } : {}),
        },
        idempotencyKey: `${workflowId}:booked`,
      });
      if (optInNow) {
        await appendTimeline(trx, {
          contactId,
          appointmentId,
          kind: 'sms_opt_in',
          actor: request.actor.name,
          channel: request.channel,
          summary: `SMS opt-in recorded via ${request.channel}`,
          idempotencyKey: `${workflowId}:sms-opt-in`,
        });
      }
      // The answer's own link: it opens the appointment but proves nothing about the contact.
      return createManageToken(trx, appointmentId, new Date(slot.endsAt), 'manage', { provesContact: false });
    };
    manageToken = await (deps.transaction ? insert(deps.transaction) : db.transaction().execute(insert));
  } catch (error) {
    // The same request, concurrently: the other one made the booking (outside a series' transaction,
    // which the failed insert has aborted).
    const concurrent = deps.transaction ? undefined : await bookedBefore(deps, request).catch(() => undefined);
    if (concurrent) return concurrent;
    if (isDepositReused(error)) {
      throw new DepositRefusal('This deposit has already been used for a booking.', 'paymentIntentId', 409);
    }
    if (isDoubleBooking(error) && !deps.transaction) {
      throw new SlotUnavailableError(
        'That time was just taken. Here are the next free times.',
        await alternatives(db, service.id, request.startsAt, now, request.staffId),
      );
    }
    throw error;
  }
  countBooking(request.channel);

  if (deps.transaction) return { appointmentId, workflowId, manageToken, workflowStarted: false, detailsPending };
  const workflowStarted = await startAppointmentWorkflow(deps, appointmentId, {
    actor: request.actor,
    channel: request.channel,
  }).then(
    () => true,
    () => false, // the reconciler will start it
  );
  return { appointmentId, workflowId, manageToken, workflowStarted, detailsPending };
}

/** Of the staff free at the same time, the one the "anyone available" rule picks. */
async function pickAnyoneFree(db: Kysely<Database>, offered: Slot[]): Promise<Slot | undefined> {
  const business = await db.selectFrom('business').select('time_zone').executeTakeFirst();
  const day = DateTime.fromMillis(offered[0]!.startsAt, { zone: business?.time_zone ?? 'UTC' });
  const staffIds = offered.map((s) => s.staffId);
  const [names, loads] = await Promise.all([
    db.selectFrom('staff').select(['id', 'name']).where('id', 'in', staffIds).execute(),
    db
      .selectFrom('appointments')
      .select(['staff_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('staff_id', 'in', staffIds)
      .where('status', 'in', ['scheduled', 'in_progress'])
      .where('starts_at', '>=', day.startOf('day').toJSDate())
      .where('starts_at', '<', day.endOf('day').toJSDate())
      .groupBy('staff_id')
      .execute(),
  ]);
  const picked = pickStaff(
    offered.map((slot) => ({
      slot,
      staffId: slot.staffId,
      name: names.find((n) => n.id === slot.staffId)?.name ?? '',
      appointmentsThatDay: Number(loads.find((l) => l.staff_id === slot.staffId)?.n ?? 0),
    })),
  );
  return picked?.slot;
}

/** Starts (or finds) the workflow of an existing appointment row and marks the row. Idempotent. */
export async function startAppointmentWorkflow(
  deps: BookingDeps,
  appointmentId: string,
  bookedBy: { actor: Actor; channel: Channel },
): Promise<void> {
  const snapshot: AppointmentSnapshot | undefined = await loadSnapshot(deps.db, appointmentId);
  if (!snapshot) throw new Error(`Appointment ${appointmentId} does not exist`);
  const people = await deps.db
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .innerJoin('staff as s', 's.id', 'a.staff_id')
    .select(['c.name as contact', 's.name as staff', 'a.created_at as createdAt'])
    .where('a.id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  const workflowId = appointmentWorkflowId(appointmentId);
  await deps.temporal.workflow.start<typeof appointmentWorkflow>(APPOINTMENT_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: deps.config.temporal.taskQueue,
    // bookedAt: marks are measured from the booking, not from when the workflow first runs (the reconciler may start it later).
    args: [{ appointment: snapshot, bookedBy, bookedAt: new Date(people.createdAt).getTime() }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: appointmentSearchAttributes(snapshot),
    staticSummary: `${snapshot.serviceName} — ${people.contact} with ${people.staff}`,
    staticDetails: `Booked via ${bookedBy.channel} by ${bookedBy.actor.name}. Appointment ${appointmentId}, starts ${new Date(snapshot.startsAt).toISOString()} (${snapshot.timeZone}).`,
  });
  // A membership visit: its membership hears of it before the row is marked (the reconciler retries).
  await notifyMembershipOfVisit(deps.temporal, deps.db, appointmentId);
  await deps.db
    .updateTable('appointments')
    .set({ workflow_started_at: new Date() })
    .where('id', '=', appointmentId)
    .where('workflow_started_at', 'is', null)
    .execute();
}

/**
 * Starts the workflow of every appointment row left without one (a crash between the booking
 * transaction and the workflow start, or Temporal unreachable for a moment). Returns the ids started.
 */
export async function startPendingWorkflows(
  deps: BookingDeps,
  olderThanMs = 5_000,
  now = Date.now(),
): Promise<string[]> {
  const rows = await deps.db
    .selectFrom('appointments')
    .select(['id', 'source'])
    .where('workflow_started_at', 'is', null)
    .where('created_at', '<=', new Date(now - olderThanMs))
    .orderBy('created_at')
    .limit(100)
    .execute();
  const started: string[] = [];
  for (const row of rows) {
    await startAppointmentWorkflow(deps, row.id, {
      actor: { kind: 'system', name: 'booking reconciler' },
      channel: row.source as Channel,
    });
    started.push(row.id);
  }
  return started;
}
