/**
 * Occurrences of a recurring series: every N days, weeks or months from a first start, at the same
 * wall-clock time in the series' zone (so a weekly 10:00 visit stays at 10:00 across a DST change),
 * for K visits or until a local date (inclusive). Monthly keeps the day of the month, or the month's
 * last day when it has fewer (31 Jan → 28 Feb → 31 Mar … measured from the first start each time, so
 * the day never drifts). Pure.
 */
import { DateTime } from 'luxon';
import { assertTimeZone } from './time';

export type RepeatUnit = 'day' | 'week' | 'month';
export const MAX_OCCURRENCES = 52;

export interface RepeatRule {
  every: number;
  unit: RepeatUnit;
  /** Number of visits including the first; or */
  count?: number | undefined;
  /** the last local date ('YYYY-MM-DD') a visit may fall on. */
  until?: string | undefined;
}

export class RecurrenceError extends Error {
  override name = 'RecurrenceError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The start instants of the series, first one included. Throws RecurrenceError naming the field. */
export function occurrences(firstStart: number, timeZone: string, rule: RepeatRule): number[] {
  assertTimeZone(timeZone);
  if (!Number.isInteger(rule.every) || rule.every < 1 || rule.every > 52) {
    throw new RecurrenceError('repeat.every', 'must be a whole number from 1 to 52');
  }
  if ((rule.count === undefined) === (rule.until === undefined)) {
    throw new RecurrenceError('repeat', 'give either count (number of visits) or until (last date)');
  }
  const first = DateTime.fromMillis(firstStart, { zone: timeZone });
  const last = rule.until !== undefined ? DateTime.fromISO(rule.until, { zone: timeZone }).endOf('day') : undefined;
  if (last !== undefined && !last.isValid) throw new RecurrenceError('repeat.until', 'expected a date as YYYY-MM-DD');
  const wanted = rule.count ?? MAX_OCCURRENCES + 1;
  if (rule.count !== undefined && (!Number.isInteger(rule.count) || rule.count < 2 || rule.count > MAX_OCCURRENCES)) {
    throw new RecurrenceError('repeat.count', `must be a whole number from 2 to ${MAX_OCCURRENCES}`);
  }
  const starts: number[] = [];
  for (let k = 0; k < wanted; k += 1) {
    const step = rule.every * k;
    const local =
      rule.unit === 'day'
        ? first.plus({ days: step })
        : rule.unit === 'week'
          ? first.plus({ weeks: step })
          : first.plus({ months: step });
    if (last !== undefined && local > last) break;
    starts.push(local.toMillis());
  }
  if (starts.length > MAX_OCCURRENCES) {
    throw new RecurrenceError('repeat.until', `a series has at most ${MAX_OCCURRENCES} visits`);
  }
  if (starts.length < 2)
    throw new RecurrenceError('repeat.until', 'a series needs at least two visits before that date');
  return starts;
}

/** "every week", "every 2 weeks", "every month" … */
export function describeRule(rule: Pick<RepeatRule, 'every' | 'unit'>): string {
  return rule.every === 1 ? `every ${rule.unit}` : `every ${rule.every} ${rule.unit}s`;
}
