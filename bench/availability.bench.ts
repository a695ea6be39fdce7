/**
 * Slot computation (pure `computeSlots`, no database, no network) for a booking page view of 30 days:
 * 1 staff member and 50 staff members in three zones, each with a busy calendar — one hour booked in
 * every three, a weekly recurring series, external calendar busy blocks (Google / Outlook, two a day)
 * and a time off — plus the one-week, one-person case. The end-to-end request with 10,000 booked
 * appointments in the database is measured in availability-request.bench.ts.
 */
import { performance } from 'node:perf_hooks';
import { computeSlots, type Interval, type StaffSchedule } from '../src/domain/availability';
import type { BenchResult } from './run';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Busy intervals of one staff member over the next 60 days (as availability loads them). */
function busyCalendar(now: number, i: number): { busy: Interval[]; external: Interval[] } {
  const booked = Array.from({ length: 60 * 8 }, (_, k) => ({
    start: now + (k * 3 + (i % 3)) * HOUR,
    end: now + (k * 3 + (i % 3)) * HOUR + HOUR,
  }));
  // A weekly series: ten visits, every Wednesday-ish at the same hour.
  const series = Array.from({ length: 10 }, (_, k) => ({
    start: now + k * 7 * DAY + 26 * HOUR,
    end: now + k * 7 * DAY + 27 * HOUR,
  }));
  // External calendar: two blocks a day (a 30-minute meeting and a 90-minute one).
  const external = Array.from({ length: 60 }, (_, d) => [
    { start: now + d * DAY + 2 * HOUR, end: now + d * DAY + 2.5 * HOUR },
    { start: now + d * DAY + 5 * HOUR, end: now + d * DAY + 6.5 * HOUR },
  ]).flat();
  return { busy: [...booked, ...series, ...external], external };
}

function staff(n: number, now: number): StaffSchedule[] {
  return Array.from({ length: n }, (_, i) => ({
    staffId: `staff-${String(i).padStart(2, '0')}`,
    timeZone: ['America/New_York', 'Europe/London', 'Asia/Kolkata'][i % 3]!,
    rules: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
    timeOff: [{ start: now + 10 * DAY, end: now + 12 * DAY }],
    busy: busyCalendar(now, i).busy,
  }));
}

function measure(label: string, iterations: number, fn: () => number): Record<string, number | string> {
  let slots = 0;
  for (let i = 0; i < 5; i += 1) fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const started = performance.now();
    slots = fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    [`${label}: median ms`]: times[Math.floor(times.length / 2)]!.toFixed(2),
    [`${label}: p95 ms`]: times[Math.floor(times.length * 0.95)]!.toFixed(2),
    [`${label}: slots`]: slots,
  };
}

export async function run(): Promise<BenchResult> {
  // Fixed instants: 2026-10-20 (a month that crosses the European and US DST changes).
  const now = Date.UTC(2026, 9, 20, 12);
  const policy = {
    durationMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 15,
    slotIntervalMinutes: 15,
    minNoticeMinutes: 120,
    bookingHorizonDays: 90,
  };
  const fifty = staff(50, now);
  const one = staff(1, now);
  return Promise.resolve({
    name: 'availability (computeSlots, 30 days, with bookings, a weekly series and external busy blocks)',
    figures: {
      ...measure(
        '1 staff x 30 days',
        200,
        () => computeSlots({ policy, staff: one, from: now, to: now + 30 * DAY, now }).length,
      ),
      ...measure(
        '50 staff x 30 days',
        40,
        () => computeSlots({ policy, staff: fifty, from: now, to: now + 30 * DAY, now }).length,
      ),
      ...measure(
        '1 staff x 7 days',
        200,
        () => computeSlots({ policy, staff: one, from: now, to: now + 7 * DAY, now }).length,
      ),
    },
  });
}
