/**
 * Bookable slots: from staff weekly working hours (wall-clock times in each staff member's zone), their
 * time off and existing appointments, and a service's slot policy, to the list of start times that can
 * be offered in a range. Also grouping of slots by calendar day in the customer's zone for display.
 * Deterministic: `now` is a parameter; instants are epoch milliseconds; intervals are half-open [start, end).
 */
import { DAY_MS, MINUTE_MS, assertInstant, assertTimeZone } from './time';
import { type ZoneDay, ZoneReader, wallTimeOn, zoneDays } from './zone-days';

export interface WeeklyRule {
  /** ISO weekday in the staff member's zone: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Wall-clock 'HH:MM' or 'HH:MM:SS'. */
  start: string;
  /** Wall-clock 'HH:MM' or 'HH:MM:SS', after start; '24:00' means the end of the day. */
  end: string;
}

/** Half-open [start, end) in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

export interface StaffSchedule {
  staffId: string;
  /** IANA zone the rules' wall-clock times are in. */
  timeZone: string;
  rules: WeeklyRule[];
  timeOff: Interval[];
  /** Blocked intervals of existing active appointments, buffers included. */
  busy: Interval[];
}

export interface SlotPolicy {
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  slotIntervalMinutes: number;
  minNoticeMinutes: number;
  bookingHorizonDays: number;
}

export interface Slot {
  staffId: string;
  startsAt: number;
  endsAt: number;
  /** startsAt − bufferBefore: with blockedUntil, what the appointment holds on the calendar. */
  blockedFrom: number;
  /** endsAt + bufferAfter. */
  blockedUntil: number;
}

export interface ComputeSlotsArgs {
  policy: SlotPolicy;
  staff: readonly StaffSchedule[];
  /** Only starts in [from, to) are returned. */
  from: number;
  to: number;
  now: number;
}

export type LocalSlot = Slot & {
  /** 'HH:mm' in the display zone. */
  localTime: string;
  /** e.g. '9:30 AM' in the display zone. */
  label: string;
};

export interface LocalDateSlots {
  /** 'YYYY-MM-DD' in the display zone. */
  date: string;
  slots: LocalSlot[];
}

/** Whether two half-open intervals share at least one instant (touching ends do not overlap). */
export function intervalsOverlap(a: Interval, b: Interval): boolean {
  return a.start < a.end && b.start < b.end && a.start < b.end && b.start < a.end;
}

export interface TimeOfDay {
  hour: number;
  minute: number;
  second: number;
}

const TIME_OF_DAY = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Parses 'HH:MM' or 'HH:MM:SS' (00:00 to 24:00); throws a readable Error otherwise. */
export function parseTimeOfDay(value: string, what = 'time'): TimeOfDay {
  const match = typeof value === 'string' ? TIME_OF_DAY.exec(value) : null;
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  const second = Number(match?.[3] ?? 0);
  const valid =
    match !== null && minute <= 59 && second <= 59 && (hour <= 23 || (hour === 24 && minute === 0 && second === 0));
  if (!valid) throw new Error(`invalid ${what} ${JSON.stringify(value)}: expected 'HH:MM' or 'HH:MM:SS'`);
  return { hour, minute, second };
}

/** The slot a booking at `startsAt` would take, with its blocked interval. */
export function slotFor(staffId: string, startsAt: number, policy: SlotPolicy): Slot {
  const endsAt = startsAt + policy.durationMinutes * MINUTE_MS;
  return {
    staffId,
    startsAt,
    endsAt,
    blockedFrom: startsAt - policy.bufferBeforeMinutes * MINUTE_MS,
    blockedUntil: endsAt + policy.bufferAfterMinutes * MINUTE_MS,
  };
}

/**
 * Every slot that can be offered, sorted by startsAt then staffId, without duplicates. For each staff
 * member, each calendar day in the staff member's zone and each rule for that weekday, the window
 * [start, end] is turned into instants (a wall time skipped by spring-forward moves forward; one that
 * occurs twice on a fall-back night is the first occurrence), and candidates are window start + k ×
 * slotInterval in absolute minutes. A candidate is offered when it fits in the window, starts in
 * [from, to), starts at or after now + minNotice and at or before now + horizonDays × 24 h, and its
 * blocked interval [start − bufferBefore, end + bufferAfter) overlaps no busy and no time-off interval.
 * Throws a readable Error on invalid input.
 */
export function computeSlots(args: ComputeSlotsArgs): Slot[] {
  validateArgs(args);
  return slotsInRange(args);
}

/** The first `count` slots by time (same rules as computeSlots), searched a week at a time. */
export function nextFreeSlots(args: ComputeSlotsArgs, count: number): Slot[] {
  validateArgs(args);
  if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a whole number ≥ 0, got ${count}`);
  const range = searchRange(args);
  const found: Slot[] = [];
  for (let cursor = range.start; cursor < range.end && found.length < count;) {
    const chunkEnd = Math.min(range.end, cursor + 7 * DAY_MS);
    found.push(...slotsInRange({ ...args, from: cursor, to: chunkEnd }));
    cursor = chunkEnd;
  }
  return found.slice(0, count);
}

/** Whether `slot` (a staff member and start time, e.g. from a booking request) is among `computed`. */
export function slotIsOffered(slot: Pick<Slot, 'staffId' | 'startsAt'>, computed: readonly Slot[]): boolean {
  return computed.some((s) => s.staffId === slot.staffId && s.startsAt === slot.startsAt);
}

/**
 * Slots grouped by calendar date in `timeZone` (normally the customer's), dates ascending and slots by
 * time, each with its local 'HH:mm' time and an English 12-hour label such as '9:30 AM'.
 */
export function groupSlotsByLocalDate(slots: readonly Slot[], timeZone: string): LocalDateSlots[] {
  assertTimeZone(timeZone);
  const reader = new ZoneReader(timeZone);
  const groups: LocalDateSlots[] = [];
  for (const slot of [...slots].sort(compareSlots)) {
    const { date, hour, minute } = reader.read(slot.startsAt);
    let group = groups[groups.length - 1];
    if (group === undefined || group.date !== date) {
      group = { date, slots: [] };
      groups.push(group);
    }
    const mm = String(minute).padStart(2, '0');
    const label = `${hour % 12 === 0 ? 12 : hour % 12}:${mm} ${hour < 12 ? 'AM' : 'PM'}`;
    // Built field by field: an object spread per slot costs more than everything else here together.
    group.slots.push({
      staffId: slot.staffId,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      blockedFrom: slot.blockedFrom,
      blockedUntil: slot.blockedUntil,
      localTime: `${String(hour).padStart(2, '0')}:${mm}`,
      label,
    });
  }
  return groups;
}

function compareSlots(a: Slot, b: Slot): number {
  if (a.startsAt !== b.startsAt) return a.startsAt - b.startsAt;
  return a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0;
}

/** [from, to) narrowed to the starts the notice and horizon allow (to is exclusive). */
function searchRange({ policy, from, to, now }: ComputeSlotsArgs): Interval {
  const earliest = now + policy.minNoticeMinutes * MINUTE_MS;
  const latest = now + policy.bookingHorizonDays * DAY_MS;
  // Slot starts are whole milliseconds, so "≤ latest" is "< floor(latest) + 1".
  return { start: Math.max(from, earliest), end: Math.min(to, Math.floor(latest) + 1) };
}

function slotsInRange(args: ComputeSlotsArgs): Slot[] {
  const { policy, staff } = args;
  // The range already folds in [from, to), the notice (earliest start) and the horizon (latest start).
  const range = searchRange(args);
  if (range.end <= range.start) return [];
  const durationMs = policy.durationMinutes * MINUTE_MS;
  const stepMs = policy.slotIntervalMinutes * MINUTE_MS;
  const beforeMs = policy.bufferBeforeMinutes * MINUTE_MS;
  const afterMs = policy.bufferAfterMinutes * MINUTE_MS;
  const daysByZone = new Map<string, ZoneDay[]>();
  const members = [...staff].sort((a, b) => (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0));
  const slots: Slot[] = [];

  for (const member of members) {
    const blockers = mergeIntervals(member.busy, member.timeOff);
    const byWeekday = rulesByWeekday(member.rules);
    let days = daysByZone.get(member.timeZone);
    if (!days) {
      days = zoneDays(member.timeZone, range.start, range.end);
      daysByZone.set(member.timeZone, days);
    }
    const mine: Slot[] = [];
    let ordered = true;
    for (const day of days) {
      const rules = byWeekday[day.weekday];
      if (!rules) continue;
      if (rules.overlapping) ordered = false;
      for (const rule of rules.windows) {
        const windowStart = wallTimeOn(day, rule.start);
        const windowEnd = wallTimeOn(day, rule.end);
        let startsAt = windowStart + Math.max(0, Math.ceil((range.start - windowStart) / stepMs)) * stepMs;
        let b = firstEndingAfter(blockers, startsAt - beforeMs);
        for (; startsAt + durationMs <= windowEnd && startsAt < range.end; startsAt += stepMs) {
          const blockedFrom = startsAt - beforeMs;
          const blockedUntil = startsAt + durationMs + afterMs;
          while (b < blockers.length && blockers[b]!.end <= blockedFrom) b += 1;
          const blocker = blockers[b];
          if (blocker !== undefined && blocker.start < blockedUntil) continue;
          mine.push({ staffId: member.staffId, startsAt, endsAt: startsAt + durationMs, blockedFrom, blockedUntil });
        }
      }
    }
    if (!ordered) mine.sort((a, b) => a.startsAt - b.startsAt);
    for (let i = 0; i < mine.length; i += 1) {
      // Overlapping rules of one day offer the same start twice: keep one.
      if (ordered || i === 0 || mine[i]!.startsAt !== mine[i - 1]!.startsAt) slots.push(mine[i]!);
    }
  }
  // A stable sort: equal starts keep the order they were added in, which is by staffId.
  return slots.sort((a, b) => a.startsAt - b.startsAt);
}

interface DayRules {
  /** Seconds of the day, sorted by start. */
  windows: Array<{ start: number; end: number }>;
  /** Two windows of the day overlap (their slots may repeat and come out of order). */
  overlapping: boolean;
}

function rulesByWeekday(rules: readonly WeeklyRule[]): Array<DayRules | undefined> {
  const byDay: Array<DayRules | undefined> = [];
  const seconds = (t: TimeOfDay) => t.hour * 3600 + t.minute * 60 + t.second;
  for (const rule of rules) {
    const window = { start: seconds(parseTimeOfDay(rule.start)), end: seconds(parseTimeOfDay(rule.end)) };
    (byDay[rule.weekday] ??= { windows: [], overlapping: false }).windows.push(window);
  }
  for (const day of byDay) {
    if (!day) continue;
    day.windows.sort((a, b) => a.start - b.start);
    day.overlapping = day.windows.some((w, i) => i > 0 && w.start < day.windows[i - 1]!.end);
  }
  return byDay;
}

/** Index of the first of `merged` (sorted, disjoint) that ends after `at` (binary search). */
function firstEndingAfter(merged: readonly Interval[], at: number): number {
  let lo = 0;
  let hi = merged.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (merged[mid]!.end <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sorted, non-overlapping union of the non-empty intervals of both lists (each sorted here if it is not). */
function mergeIntervals(first: readonly Interval[], second: readonly Interval[]): Interval[] {
  const a = sortedByStart(first);
  const b = sortedByStart(second);
  const merged: Interval[] = [];
  let last: Interval | undefined;
  for (let i = 0, j = 0; i < a.length || j < b.length;) {
    const interval = j >= b.length || (i < a.length && a[i]!.start <= b[j]!.start) ? a[i++]! : b[j++]!;
    if (interval.start >= interval.end) continue;
    if (last !== undefined && interval.start <= last.end) {
      if (interval.end > last.end) last.end = interval.end;
    } else {
      last = { start: interval.start, end: interval.end };
      merged.push(last);
    }
  }
  return merged;
}

function sortedByStart(intervals: readonly Interval[]): readonly Interval[] {
  for (let i = 1; i < intervals.length; i += 1) {
    if (intervals[i]!.start < intervals[i - 1]!.start) return [...intervals].sort((x, y) => x.start - y.start);
  }
  return intervals;
}

function validateArgs({ policy, staff, from, to, now }: ComputeSlotsArgs): void {
  assertInstant(from, 'from');
  assertInstant(to, 'to');
  assertInstant(now, 'now');
  const whole = (field: keyof SlotPolicy, min: number) => {
    const value = policy[field];
    if (!Number.isInteger(value) || value < min) {
      throw new Error(`slot policy ${field} must be a whole number ≥ ${min}, got ${String(value)}`);
    }
  };
  whole('durationMinutes', 1);
  whole('slotIntervalMinutes', 1);
  whole('bufferBeforeMinutes', 0);
  whole('bufferAfterMinutes', 0);
  whole('minNoticeMinutes', 0);
  if (!Number.isFinite(policy.bookingHorizonDays) || policy.bookingHorizonDays < 0) {
    throw new Error(`slot policy bookingHorizonDays must be a number ≥ 0, got ${String(policy.bookingHorizonDays)}`);
  }
  for (const member of staff) {
    if (typeof member.staffId !== 'string' || member.staffId === '')
      throw new Error('staffId must be a non-empty string');
    const who = `staff ${member.staffId}`;
    assertTimeZone(member.timeZone, `time zone for ${who}`);
    member.rules.forEach((rule, index) => {
      const what = `${who} rule ${index + 1}`;
      if (!Number.isInteger(rule.weekday) || rule.weekday < 1 || rule.weekday > 7) {
        throw new Error(`${what}: weekday must be 1 (Monday) to 7 (Sunday), got ${String(rule.weekday)}`);
      }
      const start = parseTimeOfDay(rule.start, `${what} start`);
      const end = parseTimeOfDay(rule.end, `${what} end`);
      const seconds = (t: TimeOfDay) => t.hour * 3600 + t.minute * 60 + t.second;
      if (start.hour === 24) throw new Error(`${what}: start cannot be 24:00`);
      if (seconds(end) <= seconds(start)) throw new Error(`${what}: end ${rule.end} must be after start ${rule.start}`);
    });
    for (const [list, name] of [
      [member.timeOff, 'time off'],
      [member.busy, 'busy interval'],
    ] as const) {
      // Checked inline (no message built unless one is wrong): a month of 50 calendars is 30,000 intervals.
      for (let index = 0; index < list.length; index += 1) {
        const interval = list[index]!;
        if (!Number.isFinite(interval.start)) assertInstant(interval.start, `${who} ${name} ${index + 1} start`);
        if (!Number.isFinite(interval.end)) assertInstant(interval.end, `${who} ${name} ${index + 1} end`);
        if (interval.end < interval.start) throw new Error(`${who} ${name} ${index + 1} ends before it starts`);
      }
    }
  }
}
