/**
 * A staff member's working hours as instants: their weekly rules (wall-clock times in their own zone)
 * laid out over a range, for the admin calendar's day grid (shading the hours outside them). Same rules
 * for DST gaps and overlaps as the slot computation (src/domain/time.ts `localToInstant`). Deterministic;
 * instants are epoch milliseconds; intervals are half-open [start, end), sorted and merged.
 */
import { DateTime } from 'luxon';
import { parseTimeOfDay, type Interval, type WeeklyRule } from './availability';
import { assertInstant, assertTimeZone, inZone, localToInstant } from './time';

/** The parts of [from, to) that `rules` make working time in `timeZone`, sorted and merged. */
export function workingIntervals(rules: readonly WeeklyRule[], timeZone: string, from: number, to: number): Interval[] {
  assertTimeZone(timeZone);
  assertInstant(from, 'from');
  assertInstant(to, 'to');
  if (to <= from) return [];
  const parsed = rules.map((rule) => ({
    weekday: rule.weekday,
    start: parseTimeOfDay(rule.start, 'start'),
    end: parseTimeOfDay(rule.end, 'end'),
  }));
  const dayOf = (at: number) => {
    const local = inZone(at, timeZone);
    return DateTime.utc(local.year, local.month, local.day);
  };
  const windows: Interval[] = [];
  // A rule's window starts on its own local day: begin a day early for a range that starts after midnight.
  const last = dayOf(to - 1);
  for (let day = dayOf(from).minus({ days: 1 }); day <= last; day = day.plus({ days: 1 })) {
    for (const rule of parsed) {
      if (rule.weekday !== day.weekday) continue;
      const date = { year: day.year, month: day.month, day: day.day };
      const start = Math.max(from, localToInstant({ ...date, ...rule.start }, timeZone));
      const end = Math.min(to, localToInstant({ ...date, ...rule.end }, timeZone));
      if (start < end) windows.push({ start, end });
    }
  }
  windows.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const window of windows) {
    const previous = merged[merged.length - 1];
    if (previous !== undefined && window.start <= previous.end) previous.end = Math.max(previous.end, window.end);
    else merged.push({ ...window });
  }
  return merged;
}
