import { DateTime } from 'luxon';
import { DAY_MS, localToInstant } from '../../../src/domain/time';
import { ZoneReader, wallTimeOn, zoneDays } from '../../../src/domain/zone-days';

const ZONES = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Africa/Casablanca', 'UTC'];
// A fixed anchor; the year 2026 crosses every zone's changes (Casablanca's Ramadan suspension too).
const ANCHOR = Date.UTC(2026, 0, 1);

describe('zoneDays and wallTimeOn agree with localToInstant', () => {
  it.each(ZONES)('%s: every day of 2026 at 00:00, 01:30, 02:30, 09:00 and 24:00', (zone) => {
    const days = zoneDays(zone, ANCHOR, ANCHOR + 366 * DAY_MS);
    expect(days.length).toBeGreaterThanOrEqual(366);
    for (const day of days) {
      for (const seconds of [0, 5400, 9000, 32_400, 86_400]) {
        const hour = Math.floor(seconds / 3600);
        const minute = (seconds % 3600) / 60;
        const expected = localToInstant({ year: day.year, month: day.month, day: day.day, hour, minute }, zone);
        expect(wallTimeOn(day, seconds)).toBe(expected);
      }
      const luxonDay = DateTime.fromObject({ year: day.year, month: day.month, day: day.day }, { zone: 'UTC' });
      expect(day.weekday).toBe(luxonDay.weekday);
    }
  });

  it('marks the days with a DST change as unstable and no others (New York 2026)', () => {
    const unstable = zoneDays('America/New_York', ANCHOR, ANCHOR + 365 * DAY_MS)
      .filter((d) => !d.stable)
      .map((d) => `${d.month}-${d.day}`);
    expect(unstable).toEqual(['3-8', '11-1']);
  });

  it('starts at the local day of `from`, not the UTC one', () => {
    // 2026-03-10T02:00Z is still 9 March in New York.
    const [first] = zoneDays('America/New_York', Date.UTC(2026, 2, 10, 2), Date.UTC(2026, 2, 10, 3));
    expect([first?.month, first?.day]).toEqual([3, 9]);
  });
});

describe('ZoneReader', () => {
  it.each(ZONES)('%s: reads like luxon every 97 minutes through 2026, in any order', (zone) => {
    const reader = new ZoneReader(zone);
    const instants = Array.from({ length: (365 * 24 * 60) / 97 }, (_, i) => ANCHOR + i * 97 * 60_000);
    for (const at of [...instants, ...instants.slice(0, 500).reverse()]) {
      const local = DateTime.fromMillis(at, { zone });
      expect(reader.read(at)).toEqual({ date: local.toFormat('yyyy-MM-dd'), hour: local.hour, minute: local.minute });
    }
  });
});
