import { workingIntervals } from '../../../src/domain/working-hours';

const NY = 'America/New_York';
const rules = [
  { weekday: 2, start: '09:00', end: '12:00' },
  { weekday: 2, start: '13:00:00', end: '17:00:00' },
  { weekday: 3, start: '10:00', end: '18:00' },
];

describe('workingIntervals', () => {
  it("lays a staff member's weekly hours over a day, in their own zone", () => {
    // Tuesday 2026-11-24 in New York (UTC−5).
    const from = Date.parse('2026-11-24T05:00:00Z');
    const to = Date.parse('2026-11-25T05:00:00Z');
    expect(workingIntervals(rules, NY, from, to).map(iso)).toEqual([
      ['2026-11-24T14:00:00.000Z', '2026-11-24T17:00:00.000Z'],
      ['2026-11-24T18:00:00.000Z', '2026-11-24T22:00:00.000Z'],
    ]);
  });

  it('clips to the range, merges touching windows and crosses days seen from another zone', () => {
    // Tuesday 2026-11-24 in Tokyo (UTC+9) is Monday 10:00 → Tuesday 10:00 in New York.
    const from = Date.parse('2026-11-23T15:00:00Z');
    const to = Date.parse('2026-11-24T15:00:00Z');
    expect(workingIntervals(rules, NY, from, to).map(iso)).toEqual([
      ['2026-11-24T14:00:00.000Z', '2026-11-24T15:00:00.000Z'],
    ]);
    // Wednesday in Tokyo: the rest of Tuesday in New York; Wednesday's hours start as the range ends.
    const later = workingIntervals(rules, NY, Date.parse('2026-11-24T15:00:00Z'), Date.parse('2026-11-25T15:00:00Z'));
    expect(later.map(iso)).toEqual([
      ['2026-11-24T15:00:00.000Z', '2026-11-24T17:00:00.000Z'],
      ['2026-11-24T18:00:00.000Z', '2026-11-24T22:00:00.000Z'],
    ]);
    const touching = workingIntervals(
      [
        { weekday: 2, start: '09:00', end: '12:00' },
        { weekday: 2, start: '12:00', end: '24:00' },
        { weekday: 3, start: '00:00', end: '02:00' },
      ],
      NY,
      Date.parse('2026-11-24T05:00:00Z'),
      Date.parse('2026-11-26T05:00:00Z'),
    );
    expect(touching.map(iso)).toEqual([['2026-11-24T14:00:00.000Z', '2026-11-25T07:00:00.000Z']]);
  });

  it('keeps wall-clock hours across a DST change (Sunday 2026-11-01, clocks back at 2:00)', () => {
    const sunday = [{ weekday: 7, start: '09:00', end: '17:00' }];
    const from = Date.parse('2026-11-01T04:00:00Z'); // midnight EDT
    const to = Date.parse('2026-11-02T05:00:00Z'); // midnight EST, 25 hours later
    expect(workingIntervals(sunday, NY, from, to).map(iso)).toEqual([
      ['2026-11-01T14:00:00.000Z', '2026-11-01T22:00:00.000Z'],
    ]);
  });

  it('refuses a bad zone or time, and an empty range is empty', () => {
    expect(() => workingIntervals(rules, 'Mars/Olympus', 0, 1)).toThrow(/time zone/);
    expect(() => workingIntervals([{ weekday: 1, start: '9am', end: '17:00' }], NY, 0, 1)).toThrow(/start/);
    expect(workingIntervals(rules, NY, 10, 10)).toEqual([]);
  });
});

function iso(i: { start: number; end: number }): [string, string] {
  return [new Date(i.start).toISOString(), new Date(i.end).toISOString()];
}
