import { assertTimeZone, isValidTimeZone, localToInstant } from '../../../src/domain/time';

describe('localToInstant', () => {
  it('converts an ordinary wall time', () => {
    expect(localToInstant({ year: 2026, month: 6, day: 15, hour: 9, minute: 30 }, 'America/New_York')).toBe(
      Date.UTC(2026, 5, 15, 13, 30),
    );
    expect(localToInstant({ year: 2026, month: 1, day: 15, hour: 9, minute: 0 }, 'Asia/Kolkata')).toBe(
      Date.UTC(2026, 0, 15, 3, 30),
    );
  });

  it('moves a wall time in a spring-forward gap forward by the gap', () => {
    // 2026-03-08 02:30 does not exist in New York; 03:30 EDT = 07:30 UTC.
    expect(localToInstant({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York')).toBe(
      Date.UTC(2026, 2, 8, 7, 30),
    );
    // 2026-03-29 01:30 does not exist in London; 02:30 BST = 01:30 UTC.
    expect(localToInstant({ year: 2026, month: 3, day: 29, hour: 1, minute: 30 }, 'Europe/London')).toBe(
      Date.UTC(2026, 2, 29, 1, 30),
    );
  });

  it('resolves a wall time that occurs twice to the first occurrence', () => {
    // 2026-11-01 01:30 happens at 05:30 UTC (EDT) and 06:30 UTC (EST).
    expect(localToInstant({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York')).toBe(
      Date.UTC(2026, 10, 1, 5, 30),
    );
    // 2026-10-25 01:00 happens at 00:00 UTC (BST) and 01:00 UTC (GMT).
    expect(localToInstant({ year: 2026, month: 10, day: 25, hour: 1, minute: 0 }, 'Europe/London')).toBe(
      Date.UTC(2026, 9, 25, 0, 0),
    );
  });

  it('reads 24:00 as midnight at the end of the day', () => {
    expect(localToInstant({ year: 2026, month: 3, day: 7, hour: 24, minute: 0 }, 'America/New_York')).toBe(
      Date.UTC(2026, 2, 8, 5, 0),
    );
  });
});

describe('time zone validation', () => {
  it('accepts IANA names and rejects anything else', () => {
    expect(isValidTimeZone('Europe/London')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Europe/Londn')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone(undefined)).toBe(false);
    expect(() => assertTimeZone('Europe/Londn')).toThrow('invalid time zone "Europe/Londn"');
  });
});
