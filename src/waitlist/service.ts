/**
 * The waitlist: joining (customer on the booking page, staff for a caller), the next person a freed
 * slot suits, offers (holds) with a one-tap claim link, and claiming — which books through the
 * ordinary `book()` and tells the slot's workflow. An open, unexpired offer is a hold: availability
 * counts it as busy (src/availability/service.ts), so nobody else can book the slot meanwhile.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { type Kysely, sql } from 'kysely';
import { availableSlots } from '../availability/service';
import { book, type BookingDeps, SlotUnavailableError } from '../booking/service';
import type { Database } from '../db/schema';
import { offerClaimedSignal } from '../../workflows/waitlist/messages';
import { type FreedSlot, slotSuits, type WaitlistWish } from './matching';

type Db = Kysely<Database>;

export interface JoinRequest {
  serviceId: string;
  staffId?: string | undefined;
  fromDate: string;
  toDate: string;
  weekdays: number[];
  timeFrom: string;
  timeTo: string;
  timeZone: string;
  customer: { name: string; email: string; phone?: string | undefined; smsOptIn: boolean };
  source: string;
  createdBy: string;
}

/** What an entry (`waitlist_entries as w`) waits for: dates as ISO dates, weekdays, times of day, zone. */
const WISH_COLUMNS = [
  sql<string>`to_char(w.from_date, 'YYYY-MM-DD')`.as('from_date'),
  sql<string>`to_char(w.to_date, 'YYYY-MM-DD')`.as('to_date'),
  'w.weekdays',
  'w.time_from',
  'w.time_to',
  'w.time_zone',
] as const;

export class WaitlistError extends Error {
  override name = 'WaitlistError';
  constructor(
    readonly status: 404 | 409 | 410 | 422,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const hashOfferToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** What someone waits for: a service, optionally a staff member, between dates and times of day. */
export type Wish = Omit<JoinRequest, 'customer'>;

async function assertServiceOffered(db: Db, serviceId: string): Promise<void> {
  const service = await db
    .selectFrom('services')
    .select('id')
    .where('id', '=', serviceId)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!service) throw new WaitlistError(422, 'unknown_reference', 'That service is not offered.', 'serviceId');
}

async function insertEntry(db: Db, contactId: string, wish: Wish): Promise<string> {
  const entry = await db
    .insertInto('waitlist_entries')
    .values({
      contact_id: contactId,
      service_id: wish.serviceId,
      staff_id: wish.staffId ?? null,
      from_date: wish.fromDate,
      to_date: wish.toDate,
      weekdays: wish.weekdays,
      time_from: wish.timeFrom,
      time_to: wish.timeTo,
      time_zone: wish.timeZone,
      source: wish.source,
      created_by: wish.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return entry.id;
}

/** A known contact joins (the portal, an SMS reply): the entry at the end of the line. */
export async function joinWaitlistAsContact(db: Db, contactId: string, wish: Wish): Promise<string> {
  await assertServiceOffered(db, wish.serviceId);
  return insertEntry(db, contactId, wish);
}

/** The contact's entry still waiting for this service (and staff member: null is anyone), if any. */
export async function waitingEntryOf(db: Db, contactId: string, serviceId: string, staffId: string | null) {
  return db
    .selectFrom('waitlist_entries')
    .select(['id', sql<string>`to_char(to_date, 'YYYY-MM-DD')`.as('to_date')])
    .where('contact_id', '=', contactId)
    .where('service_id', '=', serviceId)
    .where('status', '=', 'waiting')
    .where((eb) => (staffId === null ? eb('staff_id', 'is', null) : eb('staff_id', '=', staffId)))
    .executeTakeFirst();
}

/** Recognises the contact by email (or creates it) and adds the entry at the end of the line. */
export async function joinWaitlist(db: Db, request: JoinRequest, now = Date.now()): Promise<string> {
  await assertServiceOffered(db, request.serviceId);
  return db.transaction().execute(async (trx) => {
    const email = request.customer.email.trim().toLowerCase();
    const existing = await trx
      .selectFrom('contacts')
      .select(['id', 'sms_opt_in'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
      .executeTakeFirst();
    let contactId = existing?.id;
    if (!contactId) {
      contactId = (
        await trx
          .insertInto('contacts')
          .values({
            name: request.customer.name,
            email,
            phone: request.customer.phone ?? null,
            time_zone: request.timeZone,
            sms_opt_in: request.customer.smsOptIn,
            sms_opt_in_at: request.customer.smsOptIn ? new Date(now) : null,
            sms_opt_in_source: request.customer.smsOptIn ? request.source : null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    } else if (request.customer.smsOptIn && !existing?.sms_opt_in && request.customer.phone) {
      await trx
        .updateTable('contacts')
        .set({
          phone: request.customer.phone,
          sms_opt_in: true,
          sms_opt_in_at: new Date(now),
          sms_opt_in_source: request.source,
          sms_opted_out_at: null,
        })
        .where('id', '=', contactId)
        .execute();
    }
    return insertEntry(trx, contactId, request);
  });
}

/** Whether anyone waits for a service this staff member offers (so a freed slot is worth a workflow). */
export async function anyoneWaitsFor(db: Db, staffId: string): Promise<boolean> {
  const row = await db
    .selectFrom('waitlist_entries as w')
    .innerJoin('staff_services as ss', 'ss.service_id', 'w.service_id')
    .select('w.id')
    .where('ss.staff_id', '=', staffId)
    .where('w.status', '=', 'waiting')
    .where((eb) => eb.or([eb('w.staff_id', 'is', null), eb('w.staff_id', '=', staffId)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export interface Candidate {
  entryId: string;
  contactId: string;
  contactName: string;
  serviceId: string;
  timeZone: string;
  slot: { staffId: string; startsAt: number; endsAt: number; blockedFrom: number; blockedUntil: number };
}

/**
 * The first person in line (oldest entry) the freed slot suits, who was not offered it already, for
 * whose service the slot's start is bookable now (working hours, notice, buffers, other holds).
 */
export async function nextCandidate(
  db: Db,
  slot: FreedSlot,
  alreadyOffered: readonly string[],
  now: number,
): Promise<Candidate | undefined> {
  for (const entry of await waitingFor(db, slot.staffId)) {
    if (alreadyOffered.includes(entry.id)) continue;
    const offered = (
      await availableSlots(db, {
        serviceId: entry.serviceId,
        staffId: slot.staffId,
        from: slot.startsAt,
        to: slot.startsAt + 1,
        now,
      })
    ).find((s) => s.startsAt === slot.startsAt);
    if (
      !offered ||
      !slotSuits(entry.wish, { staffId: slot.staffId, startsAt: offered.startsAt, endsAt: offered.endsAt })
    )
      continue;
    return {
      entryId: entry.id,
      contactId: entry.contactId,
      contactName: entry.contactName,
      serviceId: entry.serviceId,
      timeZone: entry.wish.timeZone,
      slot: offered,
    };
  }
  return undefined;
}

/** Who waits, oldest first, for a service this staff member offers (with them, or with anyone). */
export async function waitingFor(db: Db, staffId: string) {
  const entries = await db
    .selectFrom('waitlist_entries as w')
    .innerJoin('contacts as c', 'c.id', 'w.contact_id')
    .innerJoin('staff_services as ss', (join) =>
      join.onRef('ss.service_id', '=', 'w.service_id').on('ss.staff_id', '=', staffId),
    )
    .select(['w.id', 'w.contact_id', 'c.name as contact_name', 'w.service_id', 'w.staff_id', ...WISH_COLUMNS])
    .where('w.status', '=', 'waiting')
    .where((eb) => eb.or([eb('w.staff_id', 'is', null), eb('w.staff_id', '=', staffId)]))
    .orderBy('w.created_at')
    .orderBy('w.id')
    .execute();
  return entries.map((e) => ({
    id: e.id,
    contactId: e.contact_id,
    contactName: e.contact_name,
    serviceId: e.service_id,
    wish: {
      staffId: e.staff_id,
      fromDate: e.from_date,
      toDate: e.to_date,
      weekdays: e.weekdays,
      timeFrom: e.time_from,
      timeTo: e.time_to,
      timeZone: e.time_zone,
    } satisfies WaitlistWish,
  }));
}

/**
 * Records the offer (the hold). Idempotent per workflow and entry: a retry finds the first one.
 * Answers null when the person already holds another slot (an open offer of another freed slot,
 * which a concurrent workflow may just have made: the entry row is locked while this is decided), so
 * one person never holds two slots at once and the next in line gets this one.
 */
export async function createOffer(
  db: Db,
  args: { workflowId: string; candidate: Candidate; expiresAt: number },
  now = Date.now(),
): Promise<{ offerId: string; token: string | undefined; expiresAt: number } | null> {
  return db.transaction().execute(async (trx) => {
    await trx
      .selectFrom('waitlist_entries')
      .select('id')
      .where('id', '=', args.candidate.entryId)
      .forUpdate()
      .executeTakeFirst();
    const offers = await trx
      .selectFrom('waitlist_offers')
      .select(['id', 'workflow_id', 'expires_at', 'status'])
      .where('entry_id', '=', args.candidate.entryId)
      .where((eb) => eb.or([eb('workflow_id', '=', args.workflowId), eb('status', '=', 'open')]))
      .execute();
    const first = offers.find((o) => o.workflow_id === args.workflowId);
    if (first) return { offerId: first.id, token: undefined, expiresAt: first.expires_at.getTime() };
    if (offers.some((o) => o.status === 'open' && o.expires_at.getTime() > now)) return null;
    const token = randomBytes(32).toString('base64url');
    const inserted = await trx
      .insertInto('waitlist_offers')
      .values({
        entry_id: args.candidate.entryId,
        workflow_id: args.workflowId,
        staff_id: args.candidate.slot.staffId,
        starts_at: new Date(args.candidate.slot.startsAt),
        ends_at: new Date(args.candidate.slot.endsAt),
        blocked_from: new Date(args.candidate.slot.blockedFrom),
        blocked_until: new Date(args.candidate.slot.blockedUntil),
        token_hash: hashOfferToken(token),
        expires_at: new Date(args.expiresAt),
      })
      .returning(['id', 'expires_at'])
      .executeTakeFirstOrThrow();
    return { offerId: inserted.id, token, expiresAt: inserted.expires_at.getTime() };
  });
}

/** Ends an open offer's hold. Answers what the offer is now ('expired', or 'claimed' if that won). */
export async function expireOffer(db: Db, offerId: string): Promise<'expired' | 'claimed'> {
  await db
    .updateTable('waitlist_offers')
    .set({ status: 'expired', updated_at: new Date() })
    .where('id', '=', offerId)
    .where('status', '=', 'open')
    .execute();
  const row = await db
    .selectFrom('waitlist_offers')
    .select('status')
    .where('id', '=', offerId)
    .executeTakeFirstOrThrow();
  return row.status === 'claimed' ? 'claimed' : 'expired';
}

export async function offerByToken(db: Db, token: string) {
  return db
    .selectFrom('waitlist_offers as o')
    .innerJoin('waitlist_entries as w', 'w.id', 'o.entry_id')
    .innerJoin('contacts as c', 'c.id', 'w.contact_id')
    .innerJoin('services as s', 's.id', 'w.service_id')
    .innerJoin('staff as st', 'st.id', 'o.staff_id')
    .select([
      'o.id',
      'o.status',
      'o.starts_at',
      'o.ends_at',
      'o.expires_at',
      'o.staff_id',
      'o.workflow_id',
      'o.appointment_id',
      'w.id as entry_id',
      'w.service_id',
      'w.time_zone',
      'c.name',
      'c.email',
      'c.phone',
      'c.sms_opt_in',
      's.name as service_name',
      'st.name as staff_name',
    ])
    .where('o.token_hash', '=', hashOfferToken(token))
    .executeTakeFirst();
}

/**
 * Claims an offer: books the held slot through `book()` (the hold is lifted for this booking only by
 * marking the offer claimed first; a refused booking reopens it), marks the entry booked and tells the
 * slot's workflow. Claiming twice answers the same appointment.
 */
export async function claimOffer(
  deps: BookingDeps & { temporal: Client },
  token: string,
  now = Date.now(),
): Promise<{ appointmentId: string; manageToken: string | undefined }> {
  const { db } = deps;
  const offer = await offerByToken(db, token);
  if (!offer) throw new WaitlistError(404, 'not_found', 'This offer link is not valid.');
  if (offer.status === 'claimed' && offer.appointment_id) {
    return { appointmentId: offer.appointment_id, manageToken: undefined };
  }
  if (offer.status !== 'open' || offer.expires_at.getTime() <= now) {
    throw new WaitlistError(410, 'offer_expired', 'Sorry, this time was offered to the next person on the waitlist.');
  }
  const taken = await db
    .updateTable('waitlist_offers')
    .set({ status: 'claimed', updated_at: new Date(now) })
    .where('id', '=', offer.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 0) return claimOffer(deps, token, now);
  try {
    const booked = await book(
      deps,
      {
        serviceId: offer.service_id,
        staffId: offer.staff_id,
        startsAt: offer.starts_at.getTime(),
        timeZone: offer.time_zone,
        customer: { name: offer.name, email: offer.email, phone: offer.phone ?? undefined, smsOptIn: offer.sms_opt_in },
        actor: { kind: 'customer', name: offer.name },
        channel: 'web',
      },
      now,
    );
    await db
      .updateTable('waitlist_offers')
      .set({ appointment_id: booked.appointmentId })
      .where('id', '=', offer.id)
      .execute();
    await db
      .updateTable('waitlist_entries')
      .set({ status: 'booked', appointment_id: booked.appointmentId, updated_at: new Date(now) })
      .where('id', '=', offer.entry_id)
      .execute();
    await deps.temporal.workflow
      .getHandle(offer.workflow_id)
      .signal(offerClaimedSignal, { offerId: offer.id })
      .catch(() => undefined); // the workflow may have ended; the offer row says claimed either way
    return { appointmentId: booked.appointmentId, manageToken: booked.manageToken };
  } catch (error) {
    await db
      .updateTable('waitlist_offers')
      .set({ status: 'open' })
      .where('id', '=', offer.id)
      .where('status', '=', 'claimed')
      .where('appointment_id', 'is', null)
      .execute();
    if (error instanceof SlotUnavailableError) {
      throw new WaitlistError(409, 'slot_unavailable', 'Sorry, this time is no longer available.');
    }
    throw error;
  }
}

/**
 * Takes an entry off the waitlist: the customer (portal, or the offer link — `contactId` then limits it
 * to their own entries) or staff. An open offer of the entry is released at once, so the held slot is
 * bookable again; the slot's workflow offers it to the next in line when the hold would have ended.
 * Leaving twice is leaving once; a wait that ended in a booking cannot be left (409).
 */
export async function leaveWaitlist(
  db: Kysely<Database>,
  entryId: string,
  scope: { contactId?: string } = {},
  now = Date.now(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    let query = trx.selectFrom('waitlist_entries').select(['id', 'status']).where('id', '=', entryId);
    if (scope.contactId) query = query.where('contact_id', '=', scope.contactId);
    const entry = await query.forUpdate().executeTakeFirst();
    if (!entry) throw new WaitlistError(404, 'not_found', 'There is no such place on the waitlist.');
    if (entry.status === 'booked') {
      throw new WaitlistError(409, 'already_booked', 'This wait ended in a booking: cancel the appointment instead.');
    }
    if (entry.status === 'waiting') {
      await trx
        .updateTable('waitlist_entries')
        .set({ status: 'left', updated_at: new Date(now) })
        .where('id', '=', entryId)
        .execute();
    }
    await trx
      .updateTable('waitlist_offers')
      .set({ status: 'expired', updated_at: new Date(now) })
      .where('entry_id', '=', entryId)
      .where('status', '=', 'open')
      .execute();
  });
}

/** A customer's own places on the waitlist that still wait (the portal), oldest first. */
export async function customerWaitlist(db: Db, contactId: string) {
  return db
    .selectFrom('waitlist_entries as w')
    .innerJoin('services as s', 's.id', 'w.service_id')
    .leftJoin('staff as st', 'st.id', 'w.staff_id')
    .select(['w.id', ...WISH_COLUMNS, 'w.created_at', 's.name as service_name', 'st.name as staff_name'])
    .where('w.contact_id', '=', contactId)
    .where('w.status', '=', 'waiting')
    .orderBy('w.created_at')
    .execute();
}

/** Staff view: who waits (in order) and the offers made. */
export async function waitlistView(db: Db) {
  const entries = await db
    .selectFrom('waitlist_entries as w')
    .innerJoin('contacts as c', 'c.id', 'w.contact_id')
    .innerJoin('services as s', 's.id', 'w.service_id')
    .leftJoin('staff as st', 'st.id', 'w.staff_id')
    .select([
      'w.id',
      'w.status',
      ...WISH_COLUMNS,
      'w.source',
      'w.created_at',
      'w.appointment_id',
      'c.name as contact_name',
      's.name as service_name',
      'st.name as staff_name',
    ])
    .orderBy('w.created_at')
    .execute();
  const offers = await db
    .selectFrom('waitlist_offers as o')
    .innerJoin('waitlist_entries as w', 'w.id', 'o.entry_id')
    .innerJoin('contacts as c', 'c.id', 'w.contact_id')
    .innerJoin('staff as st', 'st.id', 'o.staff_id')
    .select([
      'o.id',
      'o.entry_id',
      'o.status',
      'o.starts_at',
      'o.expires_at',
      'o.created_at',
      'o.appointment_id',
      'c.name as contact_name',
      'st.name as staff_name',
    ])
    .orderBy('o.created_at', 'desc')
    .limit(200)
    .execute();
  return { entries, offers };
}
