/**
 * Bookable slots: from staff weekly working hours (wall-clock times in each staff member's zone), their
 * time off and existing appointments, and a service's slot policy, to the list of start times that can
 * be offered in a range. Also grouping of slots by calendar day in the customer's zone for display.
 * Deterministic: `now` is a parameter; instants are epoch milliseconds; intervals are half-open [start, end).
 */
import { DateTime } from 'luxon';
import { DAY_MS, MINUTE_MS, assertInstant, assertTimeZone, inZone, localToInstant } from './time';

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
  const groups: LocalDateSlots[] = [];
  for (const slot of [...slots].sort(compareSlots)) {
    const local = inZone(slot.startsAt, timeZone).setLocale('en-US');
    const date = local.toFormat('yyyy-MM-dd');
    let group = groups[groups.length - 1];
    if (group === undefined || group.date !== date) {
      group = { date, slots: [] };
      groups.push(group);
    }
    group.slots.push({ ...slot, localTime: local.toFormat('HH:mm'), label: local.toFormat('h:mm a') });
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
  const { policy, staff, now } = args;
  const range = searchRange(args);
  if (range.end <= range.start) return [];
  const durationMs = policy.durationMinutes * MINUTE_MS;
  const stepMs = policy.slotIntervalMinutes * MINUTE_MS;
  const earliest = now + policy.minNoticeMinutes * MINUTE_MS;
  const latest = now + policy.bookingHorizonDays * DAY_MS;
  const seen = new Set<string>();
  const slots: Slot[] = [];

  for (const member of staff) {
    const blockers = mergeIntervals([...member.busy, ...member.timeOff]);
    const rules = member.rules.map((rule) => ({
      weekday: rule.weekday,
      start: parseTimeOfDay(rule.start),
      end: parseTimeOfDay(rule.end),
    }));
    const lastDay = localDate(range.end - 1, member.timeZone);
    for (let day = localDate(range.start, member.timeZone); day <= lastDay; day = day.plus({ days: 1 })) {
      for (const rule of rules) {
        if (rule.weekday !== day.weekday) continue;
        const date = { year: day.year, month: day.month, day: day.day };
        const windowStart = localToInstant({ ...date, ...rule.start }, member.timeZone);
        const windowEnd = localToInstant({ ...date, ...rule.end }, member.timeZone);
        const firstK = Math.max(0, Math.ceil((range.start - windowStart) / stepMs));
        for (let startsAt = windowStart + firstK * stepMs; startsAt + durationMs <= windowEnd; startsAt += stepMs) {
          if (startsAt >= range.end) break;
          if (startsAt < args.from || startsAt >= args.to || startsAt < earliest || startsAt > latest) continue;
          const slot = slotFor(member.staffId, startsAt, policy);
          if (overlapsAny(blockers, { start: slot.blockedFrom, end: slot.blockedUntil })) continue;
          const key = `${slot.staffId}\u0000${slot.startsAt}`;
          if (seen.has(key)) continue;
          seen.add(key);
          slots.push(slot);
        }
      }
    }
  }
  return slots.sort(compareSlots);
}

/** The calendar date (as a UTC midnight DateTime, for day arithmetic free of DST) of `at` in `zone`. */
function localDate(at: number, zone: string): DateTime {
  const local = inZone(at, zone);
  return DateTime.utc(local.year, local.month, local.day);
}

/** Sorted, non-overlapping union of the non-empty intervals. */
function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.start < i.end).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ start: interval.start, end: interval.end });
  }
  return merged;
}

/** Whether `interval` overlaps any of `merged` (sorted, disjoint): binary search on the ends. */
function overlapsAny(merged: readonly Interval[], interval: Interval): boolean {
  let lo = 0;
  let hi = merged.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const probe = merged[mid];
    if (probe !== undefined && probe.end <= interval.start) lo = mid + 1;
    else hi = mid;
  }
  const candidate = merged[lo];
  return candidate !== undefined && intervalsOverlap(candidate, interval);
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
      list.forEach((interval, index) => {
        assertInstant(interval.start, `${who} ${name} ${index + 1} start`);
        assertInstant(interval.end, `${who} ${name} ${index + 1} end`);
        if (interval.end < interval.start) throw new Error(`${who} ${name} ${index + 1} ends before it starts`);
      });
    }
  }
}
