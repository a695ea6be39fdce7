import {
  assignLanes,
  hourMarks,
  placement,
  startOfLocalDay,
  uncovered,
  visibleRange,
  zoneOffsetAt,
  type Span,
} from '../../../src/calendar/day-layout';

const MIN = 60_000;
const HOUR = 60 * MIN;
// 2026-11-24 00:00 in New York (UTC−5): the grid counts from the start of the displayed day.
const DAY_START = Date.parse('2026-11-24T05:00:00Z');
const day: Span = { start: DAY_START, end: DAY_START + 24 * HOUR };
const at = (h: number, m = 0) => DAY_START + h * HOUR + m * MIN;
const span = (from: [number, number], to: [number, number]): Span => ({ start: at(...from), end: at(...to) });

describe('visibleRange', () => {
  it('is the working hours with an hour either side', () => {
    const range = visibleRange({ day, working: [span([9, 0], [17, 0]), span([10, 0], [18, 0])], appointments: [] });
    expect(range).toEqual({ start: at(8), end: at(19) });
  });

  it('stretches to fit an appointment outside it, snapped outwards to whole hours', () => {
    const range = visibleRange({
      day,
      working: [span([9, 0], [17, 0])],
      appointments: [span([6, 30], [7, 15]), span([19, 45], [20, 10])],
    });
    expect(range).toEqual({ start: at(6), end: at(21) });
  });

  it('snaps working hours that start off the hour', () => {
    expect(visibleRange({ day, working: [span([9, 30], [16, 45])], appointments: [], padMinutes: 0 })).toEqual({
      start: at(9),
      end: at(17),
    });
  });

  it('is 8:00–18:00 with no working hours and no appointments, widened by appointments only', () => {
    expect(visibleRange({ day, working: [], appointments: [] })).toEqual({ start: at(8), end: at(18) });
    expect(visibleRange({ day, working: [], appointments: [span([18, 0], [19, 30])] })).toEqual({
      start: at(8),
      end: at(20),
    });
  });

  it('never leaves the day: an appointment from the evening before, a late shift', () => {
    const range = visibleRange({
      day,
      working: [span([20, 0], [24, 0])],
      appointments: [{ start: at(-2), end: at(1) }],
    });
    expect(range).toEqual({ start: at(0), end: at(24) });
  });

  it('counts hours from the start of a 25-hour day (fall back): grid lines fall on real hours', () => {
    const long: Span = { start: DAY_START, end: DAY_START + 25 * HOUR };
    const range = visibleRange({ day: long, working: [span([21, 0], [24, 30])], appointments: [], padMinutes: 0 });
    expect(range).toEqual({ start: at(21), end: at(25) });
    expect(hourMarks(range)).toEqual([at(21), at(22), at(23), at(24)]);
  });
});

describe('placement', () => {
  const range = { start: at(8), end: at(18) };
  it('puts a span by start and end, in percent of the range', () => {
    expect(placement(span([9, 0], [10, 30]), range)).toEqual({ top: 10, height: 15 });
  });
  it('clips to the range and is null outside it', () => {
    expect(placement(span([17, 0], [19, 0]), range)).toEqual({ top: 90, height: 10 });
    expect(placement(span([6, 0], [8, 0]), range)).toBeNull();
  });
});

describe('uncovered', () => {
  it('is the parts of the range outside working hours and breaks', () => {
    const range = { start: at(8), end: at(19) };
    expect(uncovered(range, [span([13, 0], [17, 0]), span([9, 0], [12, 0]), span([11, 0], [12, 30])])).toEqual([
      span([8, 0], [9, 0]),
      span([12, 30], [13, 0]),
      span([17, 0], [19, 0]),
    ]);
    expect(uncovered(range, [])).toEqual([range]);
    expect(uncovered(range, [{ start: at(0), end: at(24) }])).toEqual([]);
  });
});

describe('assignLanes', () => {
  const item = (id: string, from: [number, number], to: [number, number]) => ({ id, ...span(from, to) });
  const lanesOf = (items: Array<{ id: string } & Span>) =>
    Object.fromEntries(assignLanes(items).map((p) => [p.item.id, [p.lane, p.lanes]]));

  it('gives items that do not overlap the full width, touching ends included', () => {
    expect(lanesOf([item('b', [10, 0], [11, 0]), item('a', [9, 0], [10, 0])])).toEqual({ a: [0, 1], b: [0, 1] });
  });

  it('puts two overlapping items side by side', () => {
    expect(lanesOf([item('a', [10, 0], [12, 0]), item('b', [11, 0], [11, 30])])).toEqual({ a: [0, 2], b: [1, 2] });
  });

  it('reuses a freed lane, and a chain of overlaps shares one lane count', () => {
    // a 9–11, b 9:30–10, c 10:15–10:45 (b's lane is free again), d 10:30–12 (overlaps a and c: third lane).
    const placed = lanesOf([
      item('d', [10, 30], [12, 0]),
      item('c', [10, 15], [10, 45]),
      item('b', [9, 30], [10, 0]),
      item('a', [9, 0], [11, 0]),
      item('e', [13, 0], [14, 0]),
    ]);
    expect(placed).toEqual({ a: [0, 3], b: [1, 3], c: [1, 3], d: [2, 3], e: [0, 1] });
  });

  it('never puts overlapping items in the same lane (random days)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const items = Array.from({ length: 1 + Math.floor(random() * 8) }, (_, i) => {
        const start = at(8) + Math.floor(random() * 40) * 15 * MIN;
        return { id: String(i), start, end: start + (1 + Math.floor(random() * 8)) * 15 * MIN };
      });
      const placed = assignLanes(items);
      expect(placed).toHaveLength(items.length);
      for (const p of placed) {
        expect(p.lane).toBeGreaterThanOrEqual(0);
        expect(p.lane).toBeLessThan(p.lanes);
        for (const q of placed) {
          if (p === q || p.item.start >= q.item.end || q.item.start >= p.item.end) continue;
          expect(p.lane).not.toBe(q.lane);
          expect(p.lanes).toBe(q.lanes);
        }
      }
    }
  });
});

describe('startOfLocalDay', () => {
  const iso = (date: string, zone: string) => new Date(startOfLocalDay(date, zone)).toISOString();
  it('is local midnight as an instant, on ordinary and DST-change days', () => {
    expect(iso('2026-11-24', 'America/New_York')).toBe('2026-11-24T05:00:00.000Z');
    expect(iso('2026-07-01', 'America/New_York')).toBe('2026-07-01T04:00:00.000Z');
    // Clocks back at 2:00 on Nov 1 (midnight is still EDT) and forward on Mar 8 (midnight is still EST).
    expect(iso('2026-11-01', 'America/New_York')).toBe('2026-11-01T04:00:00.000Z');
    expect(iso('2026-11-02', 'America/New_York')).toBe('2026-11-02T05:00:00.000Z');
    expect(iso('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(iso('2026-03-09', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
    expect(iso('2026-11-24', 'Asia/Kolkata')).toBe('2026-11-23T18:30:00.000Z');
    expect(iso('2026-11-24', 'UTC')).toBe('2026-11-24T00:00:00.000Z');
  });
  it('starts a day whose midnight is skipped at the end of the gap (Santiago, clocks forward at 0:00)', () => {
    // 2026-09-06 00:00 −04 becomes 01:00 −03: the day starts at 04:00Z.
    expect(iso('2026-09-06', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
  });
  it('reads zone offsets', () => {
    expect(zoneOffsetAt(Date.parse('2026-11-24T12:00:00.250Z'), 'America/New_York')).toBe(-5 * HOUR);
    expect(zoneOffsetAt(Date.parse('2026-11-24T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR);
  });
});
