/**
 * Availability from the database: loads a service's slot policy, the schedules of the staff who offer
 * it (weekly hours, time off, blocked intervals of active appointments) and hands them to the pure
 * slot computation in src/domain/availability.ts.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';
import {
  type ComputeSlotsArgs,
  computeSlots,
  type Interval,
  nextFreeSlots,
  type Slot,
  type SlotPolicy,
  type StaffSchedule,
} from '../domain/availability';
import { DAY_MS } from '../domain/time';

export interface AvailabilityQuery {
  serviceId: string;
  staffId?: string | undefined;
  from: number;
  to: number;
  now: number;
  /** Leave this appointment's own interval out (when rescheduling it). */
  excludeAppointmentId?: string | undefined;
  /** Later visits of a recurring series may lie beyond the service's booking horizon (the first may not). */
  ignoreHorizon?: boolean | undefined;
}

/**
 * More busy time from outside the appointments table, per staff member (connected Google / Outlook
 * calendars, src/calendars/busy.ts). Registered per database handle by the process that has the
 * configuration (createApp), so the many callers of availability need no new parameter; a handle
 * without one (a transaction, a unit test) counts appointments, time off and holds only.
 */
export type BusySource = (
  staffIds: readonly string[],
  window: Interval,
  now: number,
) => Promise<Map<string, Interval[]>>;
const busySources = new WeakMap<object, BusySource>();

export function registerBusySource(db: Kysely<Database>, source: BusySource): void {
  busySources.set(db, source);
}

export class UnknownServiceError extends Error {
  override name = 'UnknownServiceError';
}

export async function loadSlotArgs(db: Kysely<Database>, query: AvailabilityQuery): Promise<ComputeSlotsArgs> {
  const service = await db
    .selectFrom('services')
    .selectAll()
    .where('id', '=', query.serviceId)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!service) throw new UnknownServiceError(`Service ${query.serviceId} does not exist or is not bookable.`);
  const policy: SlotPolicy = {
    durationMinutes: service.duration_minutes,
    bufferBeforeMinutes: service.buffer_before_minutes,
    bufferAfterMinutes: service.buffer_after_minutes,
    slotIntervalMinutes: service.slot_interval_minutes,
    minNoticeMinutes: service.min_notice_minutes,
    bookingHorizonDays: query.ignoreHorizon ? 3660 : service.booking_horizon_days,
  };
  let staffQuery = db
    .selectFrom('staff')
    .innerJoin('staff_services', 'staff_services.staff_id', 'staff.id')
    .select(['staff.id', 'staff.time_zone'])
    .where('staff_services.service_id', '=', service.id)
    .where('staff.active', '=', true);
  if (query.staffId) staffQuery = staffQuery.where('staff.id', '=', query.staffId);
  const staffRows = await staffQuery.orderBy('staff.id').execute();
  const staffIds = staffRows.map((s) => s.id);
  if (staffIds.length === 0) return { policy, staff: [], from: query.from, to: query.to, now: query.now };

  // Widen by a day on each side: blocked intervals and time off may straddle the window's edges.
  const windowFrom = new Date(query.from - DAY_MS);
  const windowTo = new Date(query.to + DAY_MS);
  const source = busySources.get(db);
  const [rules, timeOff, busy, external, holds] = await Promise.all([
    db
      .selectFrom('availability_rules')
      .select(['staff_id', 'weekday', 'start_time', 'end_time'])
      .where('staff_id', 'in', staffIds)
      .execute(),
    db
      .selectFrom('time_off')
      .select(['staff_id', 'starts_at', 'ends_at'])
      .where('staff_id', 'in', staffIds)
      .where('ends_at', '>', windowFrom)
      .where('starts_at', '<', windowTo)
      .execute(),
    (() => {
      let q = db
        .selectFrom('appointments')
        .select(['staff_id', 'blocked_from', 'blocked_until'])
        .where('staff_id', 'in', staffIds)
        // A done appointment keeps its time (migration 0040): completing it early frees nothing.
        .where('status', 'in', ['scheduled', 'in_progress', 'done'])
        // The same overlap as blocked_until > from and blocked_from < to, on the generated `during`
        // range, so the double-booking constraint's gist index answers it instead of a table scan.
        .where(sql<boolean>`during && tstzrange(${windowFrom}, ${windowTo}, '[)')`)
        .orderBy('blocked_from');
      if (query.excludeAppointmentId) q = q.where('id', '!=', query.excludeAppointmentId);
      return q.execute();
    })(),
    source ? source(staffIds, { start: windowFrom.getTime(), end: windowTo.getTime() }, query.now) : undefined,
    // Waitlist offers still open hold their slot for the person they were offered to (src/waitlist/).
    db
      .selectFrom('waitlist_offers')
      .select(['staff_id', 'blocked_from', 'blocked_until'])
      .where('staff_id', 'in', staffIds)
      .where('status', '=', 'open')
      .where('expires_at', '>', new Date(query.now))
      .where('blocked_until', '>', windowFrom)
      .where('blocked_from', '<', windowTo)
      .execute(),
  ]);
  const heldOf = groupBy(holds, (h) => h.staff_id);
  const rulesOf = groupBy(rules, (r) => r.staff_id);
  const timeOffOf = groupBy(timeOff, (t) => t.staff_id);
  const busyOf = groupBy(busy, (b) => b.staff_id);
  const staff: StaffSchedule[] = staffRows.map((s) => ({
    staffId: s.id,
    timeZone: s.time_zone,
    rules: (rulesOf.get(s.id) ?? []).map((r) => ({ weekday: r.weekday, start: r.start_time, end: r.end_time })),
    timeOff: (timeOffOf.get(s.id) ?? []).map((t) => ({ start: t.starts_at.getTime(), end: t.ends_at.getTime() })),
    busy: withExternal(
      (busyOf.get(s.id) ?? []).map((b) => ({ start: b.blocked_from.getTime(), end: b.blocked_until.getTime() })),
      [
        ...(external?.get(s.id) ?? []),
        ...(heldOf.get(s.id) ?? []).map((h) => ({ start: h.blocked_from.getTime(), end: h.blocked_until.getTime() })),
      ],
    ),
  }));
  return { policy, staff, from: query.from, to: query.to, now: query.now };
}

/** Appointments (sorted) plus outside busy blocks, sorted again only when there are any. */
function withExternal(busy: Interval[], external: readonly Interval[] | undefined): Interval[] {
  if (!external || external.length === 0) return busy;
  return [...busy, ...external].sort((a, b) => a.start - b.start);
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

export async function availableSlots(db: Kysely<Database>, query: AvailabilityQuery): Promise<Slot[]> {
  return computeSlots(await loadSlotArgs(db, query));
}

/** The next `count` free slots from `from` onwards (within the service's booking horizon). */
export async function upcomingFreeSlots(
  db: Kysely<Database>,
  query: Omit<AvailabilityQuery, 'to'> & { count: number },
): Promise<Slot[]> {
  const service = await db
    .selectFrom('services')
    .select('booking_horizon_days')
    .where('id', '=', query.serviceId)
    .executeTakeFirst();
  const to = query.now + (service?.booking_horizon_days ?? 60) * DAY_MS;
  return nextFreeSlots(await loadSlotArgs(db, { ...query, to }), query.count);
}
