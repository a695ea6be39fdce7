/**
 * Time that staff changes free (not an appointment): time off removed, working hours extended. Such a
 * window may hold many slots, so rather than offering every slot to the first person in line, the
 * people waiting (oldest first) are each given the first slot in the window that suits them and does
 * not overlap a slot already picked for someone before them; each picked slot gets its own waitlist
 * workflow (`waitlist:<change key>:<start>` with signal-with-start, REJECT_DUPLICATE), which offers it
 * and moves on to the next person as for a cancel. The change key names the change (the time off's
 * id; a fresh id per hours change), so the same change never offers the same slot twice; a retried
 * request finds nothing freed (the time off is gone, the hours already match). The change writes what it
 * freed to an outbox in its own transaction (freed-time-outbox.ts), from which it is offered.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import type { Interval, WeeklyRule } from '../domain/availability';
import { DAY_MS } from '../domain/time';
import { workingIntervals } from '../domain/working-hours';
import { availableSlots } from '../availability/service';
import { subtractIntervals } from '../calendars/busy';
import { startWaitlistWorkflow } from './hook';
import { type FreedSlot, slotSuits } from './matching';
import { waitingFor } from './service';

export type FreedTimeDeps = { db: Kysely<Database>; temporal: Client; config: Config };
type Deps = FreedTimeDeps;

/** What a staff change freed: its key (one per change) and the windows, for the outbox (freed-time-outbox.ts). */
export interface FreedTime {
  key: string;
  staffId: string;
  windows: Interval[];
}

/** How far ahead extended working hours are offered. */
export const HOURS_HORIZON_DAYS = 30;
/** At most this many slots (one per person waiting) are offered for one change. */
export const MAX_SLOTS_PER_CHANGE = 20;

/** A picked slot with the time it blocks (buffers included): the next pick must not overlap it. */
type Picked = FreedSlot & { blockedFrom: number; blockedUntil: number };
const overlaps = (a: Picked, b: Picked) => a.blockedFrom < b.blockedUntil && b.blockedFrom < a.blockedUntil;

/** Picks and offers the freed slots of `windows`; answers the slots a workflow was started for. */
export async function offerFreedWindows(
  deps: Deps,
  change: { key: string; staffId: string; windows: readonly Interval[] },
  now = Date.now(),
): Promise<FreedSlot[]> {
  const windows = change.windows
    .map((w) => ({ start: Math.max(w.start, now), end: w.end }))
    .filter((w) => w.end > w.start);
  if (windows.length === 0) return [];
  const picked: Picked[] = [];
  for (const entry of await waitingFor(deps.db, change.staffId)) {
    if (picked.length >= MAX_SLOTS_PER_CHANGE) break;
    const slot = await firstSuitingSlot(deps.db, entry, change.staffId, windows, picked, now);
    if (slot) picked.push(slot);
  }
  const started: FreedSlot[] = [];
  for (const { staffId, startsAt, endsAt } of picked) {
    const slot = { staffId, startsAt, endsAt };
    if (await startWaitlistWorkflow(deps, `waitlist:${change.key}:${startsAt}`, slot)) started.push(slot);
  }
  return started;
}

async function firstSuitingSlot(
  db: Kysely<Database>,
  entry: Awaited<ReturnType<typeof waitingFor>>[number],
  staffId: string,
  windows: readonly Interval[],
  picked: readonly Picked[],
  now: number,
): Promise<Picked | undefined> {
  for (const window of windows) {
    const slots = await availableSlots(db, {
      serviceId: entry.serviceId,
      staffId,
      from: window.start,
      to: window.end,
      now,
    });
    for (const s of slots) {
      const slot = {
        staffId,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        blockedFrom: s.blockedFrom,
        blockedUntil: s.blockedUntil,
      };
      if (s.startsAt < window.start || s.endsAt > window.end) continue;
      if (picked.some((p) => overlaps(p, slot)) || !slotSuits(entry.wish, slot)) continue;
      return slot;
    }
  }
  return undefined;
}

/** Time off removed: its interval is free again. */
export function freedByRemovedTimeOff(timeOff: {
  id: string;
  staffId: string;
  startsAt: Date;
  endsAt: Date;
}): FreedTime {
  return {
    key: `time-off:${timeOff.id}`,
    staffId: timeOff.staffId,
    windows: [{ start: timeOff.startsAt.getTime(), end: timeOff.endsAt.getTime() }],
  };
}

/** The staff member's weekly rules as they are now (read before a change to compare with after). */
export async function weeklyRulesOf(db: Kysely<Database>, staffId: string): Promise<WeeklyRule[]> {
  const rows = await db
    .selectFrom('availability_rules')
    .select(['weekday', 'start_time', 'end_time'])
    .where('staff_id', '=', staffId)
    .execute();
  return rows.map((r) => ({ weekday: r.weekday, start: r.start_time, end: r.end_time }));
}

/** Working hours changed: what the new rules add over the old ones (next HOURS_HORIZON_DAYS) is free. */
export async function freedByExtendedHours(
  db: Kysely<Database>,
  change: { staffId: string; before: readonly WeeklyRule[]; after: readonly WeeklyRule[] },
  now = Date.now(),
): Promise<FreedTime> {
  const staff = await db
    .selectFrom('staff')
    .select('time_zone')
    .where('id', '=', change.staffId)
    .executeTakeFirstOrThrow();
  const to = now + HOURS_HORIZON_DAYS * DAY_MS;
  const gained = subtractIntervals(
    workingIntervals(change.after, staff.time_zone, now, to),
    workingIntervals(change.before, staff.time_zone, now, to),
  );
  return { key: `hours:${randomUUID()}`, staffId: change.staffId, windows: gained };
}
