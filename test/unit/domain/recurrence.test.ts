import { DateTime } from 'luxon';
import { describeRule, occurrences, RecurrenceError } from '../../../src/domain/recurrence';

const NY = 'America/New_York';
const at = (iso: string) => DateTime.fromISO(iso, { zone: NY }).toMillis();
const local = (ms: number) => DateTime.fromMillis(ms, { zone: NY }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('occurrences', () => {
  it('weekly keeps the wall-clock time across the November DST change', () => {
    const starts = occurrences(at('2026-10-20T09:00'), NY, { every: 1, unit: 'week', count: 4 });
    expect(starts.map(local)).toEqual(['2026-10-20T09:00', '2026-10-27T09:00', '2026-11-03T09:00', '2026-11-10T09:00']);
    expect(starts[2]! - starts[1]!).toBe(7 * 86_400_000 + 3_600_000); // the week with the change is an hour longer
  });

  it('monthly from the 31st clamps to short months without drifting', () => {
    const starts = occurrences(at('2027-01-31T10:00'), NY, { every: 1, unit: 'month', count: 4 });
    expect(starts.map(local)).toEqual(['2027-01-31T10:00', '2027-02-28T10:00', '2027-03-31T10:00', '2027-04-30T10:00']);
  });

  it('every 3 days until a date, inclusive', () => {
    const starts = occurrences(at('2026-12-01T14:30'), NY, { every: 3, unit: 'day', until: '2026-12-10' });
    expect(starts.map(local)).toEqual(['2026-12-01T14:30', '2026-12-04T14:30', '2026-12-07T14:30', '2026-12-10T14:30']);
    expect(describeRule({ every: 3, unit: 'day' })).toBe('every 3 days');
    expect(describeRule({ every: 1, unit: 'week' })).toBe('every week');
  });

  it('refuses bad rules naming the field', () => {
    const fieldOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof RecurrenceError ? error.field : 'other';
      }
      return 'none';
    };
    const start = at('2026-12-01T09:00');
    expect(fieldOf(() => occurrences(start, NY, { every: 0, unit: 'week', count: 3 }))).toBe('repeat.every');
    expect(fieldOf(() => occurrences(start, NY, { every: 1, unit: 'week' }))).toBe('repeat');
    expect(fieldOf(() => occurrences(start, NY, { every: 1, unit: 'week', count: 53 }))).toBe('repeat.count');
    expect(fieldOf(() => occurrences(start, NY, { every: 1, unit: 'day', until: '2028-01-01' }))).toBe('repeat.until');
    expect(fieldOf(() => occurrences(start, NY, { every: 1, unit: 'week', until: '2026-12-02' }))).toBe('repeat.until');
  });
});
