import { DateTime } from 'luxon';
import { validityEnd } from '../../../src/memberships/validity';

describe('validityEnd', () => {
  it('runs to the end of the last day in the membership zone, not the time of day of the purchase', () => {
    const bought = DateTime.fromISO('2030-03-01T11:07:00', { zone: 'America/New_York' }).toMillis();
    expect(DateTime.fromMillis(validityEnd(bought, 90, 'America/New_York'), { zone: 'America/New_York' }).toISO()).toBe(
      '2030-05-30T23:59:59.999-04:00',
    );
  });
  it('counts calendar days across a DST change', () => {
    const bought = DateTime.fromISO('2030-03-09T23:30:00', { zone: 'America/New_York' }).toMillis();
    expect(DateTime.fromMillis(validityEnd(bought, 1, 'America/New_York'), { zone: 'America/New_York' }).toISO()).toBe(
      '2030-03-10T23:59:59.999-04:00',
    );
  });
  it('uses the membership zone for the day, whatever the server zone', () => {
    // 03:00 UTC on 2 June is still 1 June in Los Angeles.
    const bought = Date.parse('2030-06-02T03:00:00Z');
    expect(new Date(validityEnd(bought, 30, 'America/Los_Angeles')).toISOString()).toBe('2030-07-02T06:59:59.999Z');
  });
});
