/**
 * Shared by the public, manage and staff routes: date-range parsing in the customer's zone, the
 * "is this slot offered?" check with alternatives, and the mapping of booking errors to HTTP.
 */
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { availableSlots, UnknownServiceError } from '../../availability/service';
import { alternatives, book, type BookRequest, SlotUnavailableError, UnknownEntityError } from '../../booking/service';
import type { Database } from '../../db/schema';
import { groupSlotsByLocalDate, type Slot } from '../../domain/availability';
import { MembershipError } from '../../memberships/service';
import { loadMembership } from '../../memberships/repository';
import { visitMoveProblem } from '../../memberships/visit-moves';
import { HttpError } from '../errors';
import { DepositRefusal } from '../../payments/deposit-intents';

/** A deposit the booking cannot use: 422 (or 409 when it already booked), naming `paymentIntentId`. */
export function httpErrorForDeposit(error: DepositRefusal): HttpError {
  const code = error.status === 409 ? 'deposit_used' : 'deposit_required';
  return new HttpError(error.status, code, error.message, {}, [{ field: error.field, message: error.message }]);
}
import type { AppDeps } from '../app';
import { appointmentView, slotViews } from '../views';

export const MAX_RANGE_DAYS = 62;

export function rangeInZone(from: string, to: string, timeZone: string): { from: number; to: number } {
  const start = DateTime.fromISO(from, { zone: timeZone }).startOf('day');
  const end = DateTime.fromISO(to, { zone: timeZone }).plus({ days: 1 }).startOf('day');
  if (end.diff(start, 'days').days > MAX_RANGE_DAYS) {
    throw new HttpError(400, 'validation_failed', `Invalid query: to: at most ${MAX_RANGE_DAYS} days after from`, {}, [
      { field: 'to', message: `at most ${MAX_RANGE_DAYS} days after from` },
    ]);
  }
  return { from: start.toMillis(), to: end.toMillis() };
}

export async function slotsResponse(db: Kysely<Database>, slots: Slot[], timeZone: string) {
  // One pass, no per-slot lookups: a month of fifty calendars is tens of thousands of slots.
  const ids = [...new Set(slots.map((s) => s.staffId))];
  const staff = ids.length ? await db.selectFrom('staff').select(['id', 'name']).where('id', 'in', ids).execute() : [];
  const names = new Map(staff.map((s) => [s.id, s.name]));
  return groupSlotsByLocalDate(slots, timeZone).map((day) => ({
    date: day.date,
    slots: day.slots.map((slot) => ({
      startsAt: new Date(slot.startsAt).toISOString(),
      endsAt: new Date(slot.endsAt).toISOString(),
      staffId: slot.staffId,
      staffName: names.get(slot.staffId) ?? '',
      localTime: slot.localTime,
      label: slot.label,
    })),
  }));
}

export async function slotUnavailable(db: Kysely<Database>, message: string, nextSlots: Slot[]): Promise<HttpError> {
  return new HttpError(409, 'slot_unavailable', message, { nextSlots: await slotViews(db, nextSlots) });
}

/** A time that has already begun cannot be booked or moved to: 422 naming `startsAt` (README: errors). */
export function refusePast(startsAt: number, now: number): void {
  if (startsAt > now) return;
  const message = 'That time has already passed; choose a time in the future.';
  throw new HttpError(422, 'in_the_past', message, {}, [{ field: 'startsAt', message }]);
}

/** The offered slot at `startsAt` (preferring `preferStaffId`), or a 409 with the next free slots. */
export async function requireOfferedSlot(
  db: Kysely<Database>,
  query: {
    serviceId: string;
    staffId?: string | undefined;
    preferStaffId?: string;
    startsAt: number;
    excludeAppointmentId?: string;
    now: number;
  },
): Promise<Slot> {
  refusePast(query.startsAt, query.now);
  const offered = (
    await availableSlots(db, {
      serviceId: query.serviceId,
      staffId: query.staffId,
      from: query.startsAt,
      to: query.startsAt + 1,
      now: query.now,
      excludeAppointmentId: query.excludeAppointmentId,
    })
  ).filter((s) => s.startsAt === query.startsAt);
  const slot = offered.find((s) => s.staffId === query.preferStaffId) ?? offered[0];
  if (slot) return slot;
  const next = await alternatives(db, query.serviceId, query.startsAt, query.now, query.staffId);
  throw await slotUnavailable(db, 'That time is not available. Here are the next free times.', next);
}

export async function httpErrorForBooking(db: Kysely<Database>, error: unknown): Promise<HttpError> {
  if (error instanceof SlotUnavailableError) return slotUnavailable(db, error.message, error.nextSlots);
  if (error instanceof MembershipError) {
    return new HttpError(error.status, error.code, error.message, {}, [{ field: error.field, message: error.message }]);
  }
  if (error instanceof DepositRefusal) return httpErrorForDeposit(error);
  if (error instanceof UnknownEntityError) {
    return new HttpError(422, 'unknown_reference', error.message, {}, [{ field: error.field, message: error.message }]);
  }
  if (error instanceof UnknownServiceError) {
    return new HttpError(422, 'unknown_reference', error.message, {}, [{ field: 'serviceId', message: error.message }]);
  }
  throw error;
}

/** Books and builds the 201 body (the appointment and its manage link); booking refusals become HTTP errors. */
export async function bookForResponse(deps: AppDeps, request: BookRequest) {
  const { db } = deps.database;
  refusePast(request.startsAt, Date.now());
  try {
    const result = await book({ db, temporal: deps.temporal, config: deps.config }, request);
    return {
      appointment: await appointmentView(db, deps.config, result.appointmentId),
      manageUrl: `${deps.config.http.publicBaseUrl}/manage/${result.manageToken}`,
      /** The details given for a known contact wait for the customer to confirm them from their email. */
      detailsPending: result.detailsPending,
    };
  } catch (error) {
    throw await httpErrorForBooking(db, error);
  }
}

/**
 * A membership visit may only move within its membership's validity (and to a covered service): the
 * reschedule activity refuses it too, this answers before the update is sent (422 naming the field).
 */
export async function requireVisitMoveAllowed(
  db: Kysely<Database>,
  appointment: { membership_id: string | null; service_id: string },
  move: { startsAt: number; serviceId?: string | undefined },
): Promise<void> {
  if (!appointment.membership_id) return;
  const membership = await loadMembership(db, { id: appointment.membership_id });
  if (!membership) return;
  const serviceId = move.serviceId ?? appointment.service_id;
  const problem = visitMoveProblem(
    {
      certificateNumber: membership.certificateNumber,
      validUntil: membership.validUntil.getTime(),
      timeZone: membership.timeZone,
      expired: membership.expiredAt !== null || membership.stage === 'Membership Expired',
      serviceIds: membership.serviceIds,
    },
    { startsAt: move.startsAt, serviceId, serviceChanged: serviceId !== appointment.service_id },
  );
  if (problem) {
    throw new HttpError(422, problem.code, problem.message, {}, [{ field: problem.field, message: problem.message }]);
  }
}
