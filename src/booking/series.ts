/**
 * Recurring series: every N days / weeks / months, for K visits or until a date, booked in one go.
 *
 * Booking: every occurrence is checked against availability first (the same staff member for all, the
 * one asked for or the one the first visit gets); any conflict refuses the whole series with each
 * conflicting visit and free alternatives near it. Then ONE transaction books every occurrence through
 * the ordinary `book()` (contact, appointment row, terms, timeline, manage link — the exclusion
 * constraint is still the last word, and a conflict there rolls everything back) and links it to the
 * series row; after the commit each occurrence's own `appointment:<id>` workflow is started (the
 * booking reconciler starts any a crash leaves unstarted). Nothing is ever booked half.
 *
 * Changes: "this one" is the ordinary per-appointment action; "this and following" sends the same
 * workflow update to each later occurrence, one by one, each with an update id derived from the
 * occurrence and the target, and skips occurrences already cancelled / already at their target — so a
 * retried request changes nothing twice. A move of "this and following" shifts each later visit by the
 * same wall-clock change and is checked for all of them before any is moved.
 */
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { availableSlots, upcomingFreeSlots } from '../availability/service';
import type { Database } from '../db/schema';
import type { Slot } from '../domain/availability';
import { describeRule, occurrences, type RepeatRule } from '../domain/recurrence';
import { type Actor, type Channel, cancelUpdate, rescheduleUpdate } from '../../workflows/appointment/messages';
import { book, type BookRequest, type BookResult, type BookingDeps, startAppointmentWorkflow } from './service';

export interface SeriesRequest extends BookRequest {
  repeat: RepeatRule;
}

export interface SeriesConflict {
  /** 1-based visit number. */
  index: number;
  startsAt: number;
  alternatives: Slot[];
}

export class SeriesConflictError extends Error {
  override name = 'SeriesConflictError';
  constructor(
    message: string,
    readonly conflicts: SeriesConflict[],
  ) {
    super(message);
  }
}

/** The visit is no longer scheduled (cancelled, done, started): it cannot be moved. */
export class SeriesChangeRefused extends Error {
  override name = 'SeriesChangeRefused';
}

export interface BookedSeries {
  seriesId: string;
  staffId: string;
  occurrences: Array<BookResult & { index: number; startsAt: number }>;
}

/** Free slots with the same staff member on the visit's local day (and after), to offer instead. */
async function alternativesNear(
  db: Kysely<Database>,
  args: { serviceId: string; staffId: string; startsAt: number; timeZone: string; now: number },
): Promise<Slot[]> {
  const dayStart = DateTime.fromMillis(args.startsAt, { zone: args.timeZone }).startOf('day').toMillis();
  return upcomingFreeSlots(db, {
    serviceId: args.serviceId,
    staffId: args.staffId,
    from: Math.max(dayStart, args.now),
    now: args.now,
    count: 3,
  });
}

async function offered(
  db: Kysely<Database>,
  query: {
    serviceId: string;
    staffId?: string | undefined;
    startsAt: number;
    now: number;
    exclude?: string;
    ignoreHorizon?: boolean;
  },
): Promise<Slot | undefined> {
  const slots = await availableSlots(db, {
    ignoreHorizon: query.ignoreHorizon,
    serviceId: query.serviceId,
    staffId: query.staffId,
    from: query.startsAt,
    to: query.startsAt + 1,
    now: query.now,
    excludeAppointmentId: query.exclude,
  });
  return slots.find((s) => s.startsAt === query.startsAt);
}

/** Checks every occurrence; throws SeriesConflictError listing the ones that cannot be booked. */
export async function planSeries(
  db: Kysely<Database>,
  request: SeriesRequest,
  now: number,
): Promise<{ staffId: string; starts: number[] }> {
  const starts = occurrences(request.startsAt, request.timeZone, request.repeat);
  const first = await offered(db, {
    serviceId: request.serviceId,
    staffId: request.staffId,
    startsAt: starts[0]!,
    now,
  });
  const staffId = request.staffId ?? first?.staffId;
  const conflicts: SeriesConflict[] = [];
  for (const [i, startsAt] of starts.entries()) {
    const slot =
      i === 0
        ? first
        : staffId
          ? await offered(db, { serviceId: request.serviceId, staffId, startsAt, now, ignoreHorizon: true })
          : undefined;
    if (slot) continue;
    conflicts.push({
      index: i + 1,
      startsAt,
      alternatives: staffId
        ? await alternativesNear(db, {
            serviceId: request.serviceId,
            staffId,
            startsAt,
            timeZone: request.timeZone,
            now,
          })
        : [],
    });
  }
  if (conflicts.length > 0 || !staffId) {
    throw new SeriesConflictError(
      `${conflicts.length} of the ${starts.length} visits cannot be booked at that time. Nothing was booked; pick other times for them or change the series.`,
      conflicts,
    );
  }
  return { staffId, starts };
}

export async function bookSeries(deps: BookingDeps, request: SeriesRequest, now = Date.now()): Promise<BookedSeries> {
  const { staffId, starts } = await planSeries(deps.db, request, now);
  const booked = await deps.db.transaction().execute(async (trx) => {
    const inner = { ...deps, db: trx, transaction: trx };
    const results: BookedSeries['occurrences'] = [];
    let seriesId: string | undefined;
    for (const [i, startsAt] of starts.entries()) {
      const result = await book(inner, { ...request, staffId, startsAt, ignoreHorizon: i > 0 }, now);
      if (!seriesId) {
        const contact = await trx
          .selectFrom('appointments')
          .select('contact_id')
          .where('id', '=', result.appointmentId)
          .executeTakeFirstOrThrow();
        const series = await trx
          .insertInto('appointment_series')
          .values({
            contact_id: contact.contact_id,
            service_id: request.serviceId,
            staff_id: staffId,
            every: request.repeat.every,
            unit: request.repeat.unit,
            occurrences: starts.length,
            until_date: request.repeat.until ?? null,
            time_zone: request.timeZone,
            source: request.channel,
            created_by: request.actor.name,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        seriesId = series.id;
      }
      await trx
        .updateTable('appointments')
        .set({ series_id: seriesId, series_index: i + 1 })
        .where('id', '=', result.appointmentId)
        .execute();
      results.push({ ...result, index: i + 1, startsAt });
    }
    return { seriesId: seriesId!, results };
  });
  // After the commit: each occurrence's workflow (the reconciler retries any that fails to start here).
  for (const occurrence of booked.results) {
    occurrence.workflowStarted = await startAppointmentWorkflow(deps, occurrence.appointmentId, {
      actor: request.actor,
      channel: request.channel,
    }).then(
      () => true,
      () => false,
    );
  }
  return { seriesId: booked.seriesId, staffId, occurrences: booked.results };
}

export interface SeriesView {
  id: string;
  rule: string;
  every: number;
  unit: 'day' | 'week' | 'month';
  count: number;
  timeZone: string;
  occurrences: Array<{ id: string; index: number; startsAt: string; endsAt: string; status: string }>;
}

export async function seriesView(db: Kysely<Database>, seriesId: string): Promise<SeriesView | undefined> {
  const series = await db.selectFrom('appointment_series').selectAll().where('id', '=', seriesId).executeTakeFirst();
  if (!series) return undefined;
  const rows = await db
    .selectFrom('appointments')
    .select(['id', 'series_index', 'starts_at', 'ends_at', 'status'])
    .where('series_id', '=', seriesId)
    .orderBy('series_index')
    .execute();
  return {
    id: series.id,
    rule: describeRule(series),
    every: series.every,
    unit: series.unit,
    count: series.occurrences,
    timeZone: series.time_zone,
    occurrences: rows.map((r) => ({
      id: r.id,
      index: r.series_index ?? 0,
      startsAt: r.starts_at.toISOString(),
      endsAt: r.ends_at.toISOString(),
      status: r.status,
    })),
  };
}

export type SeriesScope = 'this' | 'following';

interface Occurrence {
  id: string;
  workflow_id: string;
  series_index: number | null;
  starts_at: Date;
  status: string;
  service_id: string;
  staff_id: string;
  time_zone: string;
}

/** The appointment and, for "following", the later occurrences of its series (in order). */
async function targets(db: Kysely<Database>, appointmentId: string, scope: SeriesScope): Promise<Occurrence[]> {
  const columns = [
    'id',
    'workflow_id',
    'series_id',
    'series_index',
    'starts_at',
    'status',
    'service_id',
    'staff_id',
    'time_zone',
  ] as const;
  const row = await db.selectFrom('appointments').select(columns).where('id', '=', appointmentId).executeTakeFirst();
  if (!row) return [];
  if (scope === 'this' || !row.series_id || row.series_index === null) return [row];
  return db
    .selectFrom('appointments')
    .select(columns)
    .where('series_id', '=', row.series_id)
    .where('series_index', '>=', row.series_index)
    .orderBy('series_index')
    .execute();
}

interface ChangeDeps {
  db: Kysely<Database>;
  temporal: BookingDeps['temporal'];
}

/** Cancels this occurrence, or it and every later one still scheduled. Returns the ids cancelled now. */
export async function cancelInSeries(
  deps: ChangeDeps,
  args: { appointmentId: string; scope: SeriesScope; reason: string; actor: Actor; channel: Channel },
): Promise<string[]> {
  const done: string[] = [];
  for (const occurrence of await targets(deps.db, args.appointmentId, args.scope)) {
    if (occurrence.status !== 'scheduled') continue; // already cancelled (a retry), or past
    await deps.temporal.workflow.getHandle(occurrence.workflow_id).executeUpdate(cancelUpdate, {
      args: [{ reason: args.reason, actor: args.actor, channel: args.channel }],
      updateId: `series-cancel:${occurrence.id}`,
    });
    done.push(occurrence.id);
  }
  return done;
}

/**
 * Moves this occurrence to `startsAt`, or it and every later scheduled one by the same wall-clock
 * change in the series' zone. All targets are checked first; any conflict refuses the whole move.
 */
export async function rescheduleInSeries(
  deps: ChangeDeps,
  args: { appointmentId: string; scope: SeriesScope; startsAt: number; actor: Actor; channel: Channel },
  now = Date.now(),
): Promise<Array<{ id: string; startsAt: number }>> {
  const all = (await targets(deps.db, args.appointmentId, args.scope)).filter((o) => o.status === 'scheduled');
  const anchor = all[0];
  if (!anchor || anchor.id !== args.appointmentId) throw new SeriesChangeRefused('This visit can no longer be moved.');
  const zone = anchor.time_zone;
  const from = DateTime.fromMillis(anchor.starts_at.getTime(), { zone });
  const to = DateTime.fromMillis(args.startsAt, { zone });
  const shift = {
    days: Math.round(to.startOf('day').diff(from.startOf('day'), 'days').days),
    minutes: to.hour * 60 + to.minute - (from.hour * 60 + from.minute),
  };
  const moves = all.map((o) => ({
    occurrence: o,
    startsAt:
      o.id === anchor.id
        ? args.startsAt
        : DateTime.fromMillis(o.starts_at.getTime(), { zone })
            .plus({ days: shift.days })
            .plus({ minutes: shift.minutes })
            .toMillis(),
  }));
  const conflicts: SeriesConflict[] = [];
  for (const move of moves) {
    if (move.startsAt === move.occurrence.starts_at.getTime()) continue;
    const free = await offered(deps.db, {
      serviceId: move.occurrence.service_id,
      staffId: move.occurrence.staff_id,
      startsAt: move.startsAt,
      now,
      exclude: move.occurrence.id,
      ignoreHorizon: true,
    });
    if (!free) {
      conflicts.push({
        index: move.occurrence.series_index ?? 1,
        startsAt: move.startsAt,
        alternatives: await alternativesNear(deps.db, {
          serviceId: move.occurrence.service_id,
          staffId: move.occurrence.staff_id,
          startsAt: move.startsAt,
          timeZone: zone,
          now,
        }),
      });
    }
  }
  if (conflicts.length > 0) {
    throw new SeriesConflictError(
      `${conflicts.length} of the ${moves.length} visits cannot move to that time. Nothing was moved.`,
      conflicts,
    );
  }
  const moved: Array<{ id: string; startsAt: number }> = [];
  for (const move of moves) {
    if (move.startsAt === move.occurrence.starts_at.getTime()) continue; // already there (a retry)
    await deps.temporal.workflow.getHandle(move.occurrence.workflow_id).executeUpdate(rescheduleUpdate, {
      args: [
        {
          startsAt: move.startsAt,
          staffId: move.occurrence.staff_id,
          note: args.scope === 'following' ? 'Moved with the rest of the series' : 'Moved on its own',
          actor: args.actor,
          channel: args.channel,
        },
      ],
      updateId: `series-move:${move.occurrence.id}:${move.startsAt}`,
    });
    moved.push({ id: move.occurrence.id, startsAt: move.startsAt });
  }
  return moved;
}
