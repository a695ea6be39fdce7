/**
 * Slot computation: how long `computeSlots` takes for a realistic request (availability page for a
 * month, several staff, a busy calendar), and the booking-page case (one week, one staff member).
 */
import { performance } from 'node:perf_hooks';
import { computeSlots, type StaffSchedule } from '../src/domain/availability';
import type { BenchResult } from './run';

const DAY = 86_400_000;

function staff(n: number, now: number): StaffSchedule[] {
  return Array.from({ length: n }, (_, i) => ({
    staffId: `staff-${i}`,
    timeZone: ['America/New_York', 'Europe/London', 'Asia/Kolkata'][i % 3]!,
    rules: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
    timeOff: [{ start: now + 10 * DAY, end: now + 12 * DAY }],
    // One hour booked in every three, for the next 60 days.
    busy: Array.from({ length: 60 * 8 }, (_, k) => ({
      start: now + k * 3 * 3_600_000,
      end: now + k * 3 * 3_600_000 + 3_600_000,
    })),
  }));
}

function measure(label: string, iterations: number, fn: () => number): Record<string, number | string> {
  let slots = 0;
  for (let i = 0; i < 3; i += 1) fn(); // warm-up
  const started = performance.now();
  for (let i = 0; i < iterations; i += 1) slots = fn();
  const perCall = (performance.now() - started) / iterations;
  return { [`${label}: ms per call`]: perCall.toFixed(2), [`${label}: slots`]: slots };
}

export async function run(): Promise<BenchResult> {
  const now = Date.UTC(2026, 10, 23, 12);
  const policy = {
    durationMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 15,
    slotIntervalMinutes: 15,
    minNoticeMinutes: 120,
    bookingHorizonDays: 90,
  };
  const five = staff(5, now);
  const one = staff(1, now);
  return {
    name: 'availability (computeSlots)',
    figures: {
      ...measure(
        '5 staff x 31 days',
        20,
        () => computeSlots({ policy, staff: five, from: now, to: now + 31 * DAY, now }).length,
      ),
      ...measure(
        '1 staff x 7 days',
        200,
        () => computeSlots({ policy, staff: one, from: now, to: now + 7 * DAY, now }).length,
      ),
    },
  };
}
