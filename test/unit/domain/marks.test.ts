import { resolveLifecyclePolicy } from '../../../src/domain/lifecycle-policy';
import { describeMark } from '../../../src/domain/mark-labels';
import {
  computeMarks,
  nextMark,
  reminderLateLimitMs,
  stageAt,
  upcomingMarks,
  type Mark,
} from '../../../src/domain/marks';

const HOUR = 3_600_000;

describe('computeMarks', () => {
  // Sat 2026-06-13 14:00–15:00 UTC (15:00–16:00 BST in London).
  const startsAt = Date.UTC(2026, 5, 13, 14, 0);
  const endsAt = Date.UTC(2026, 5, 13, 15, 0);

  it('places the default marks at exact instants, sorted by time', () => {
    const marks = computeMarks({ startsAt, endsAt, timeZone: 'Europe/London', policy: resolveLifecyclePolicy({}) });
    expect(marks).toEqual<Mark[]>([
      { kind: 'tomorrow', at: Date.UTC(2026, 5, 11, 14, 0), stage: 'Appointment Tomorrow', actions: ['reminder48h'] },
      {
        kind: 'today',
        at: Date.UTC(2026, 5, 13, 2, 0),
        stage: 'Appointment Today',
        actions: ['reminder12h', 'staffBrief'],
      },
      { kind: 'closeOut', at: Date.UTC(2026, 5, 13, 17, 0), stage: null, actions: ['closeOut'] },
    ]);
  });

  it('uses the default policy when none is given', () => {
    expect(computeMarks({ startsAt, endsAt, timeZone: 'UTC' })).toEqual(
      computeMarks({ startsAt, endsAt, timeZone: 'UTC', policy: resolveLifecyclePolicy(undefined) }),
    );
  });

  it('follows a custom policy', () => {
    const policy = resolveLifecyclePolicy({ tomorrowHoursBefore: 24, todayHoursBefore: 1.5, closeOutHoursAfterEnd: 0 });
    const marks = computeMarks({ startsAt, endsAt, timeZone: 'UTC', policy });
    expect(marks.map((m) => [m.kind, m.at])).toEqual([
      ['tomorrow', Date.UTC(2026, 5, 12, 14, 0)],
      ['today', Date.UTC(2026, 5, 13, 12, 30)],
      ['closeOut', endsAt],
    ]);
  });

  it('keeps offsets absolute across a DST change (US spring forward on 2026-03-08)', () => {
    // Mon 2026-03-09 09:00 EDT = 13:00 UTC.
    const start = Date.UTC(2026, 2, 9, 13, 0);
    const marks = computeMarks({ startsAt: start, endsAt: start + HOUR, timeZone: 'America/New_York' });
    const [tomorrow, today, closeOut] = marks;
    // Exactly 48 h earlier: Sat 2026-03-07 13:00 UTC = 08:00 EST (not 09:00 local).
    expect(tomorrow?.at).toBe(Date.UTC(2026, 2, 7, 13, 0));
    expect(start - (tomorrow?.at ?? 0)).toBe(48 * HOUR);
    expect(today?.at).toBe(Date.UTC(2026, 2, 9, 1, 0));
    expect(closeOut?.at).toBe(Date.UTC(2026, 2, 9, 16, 0));
    expect(marks.map((m) => describeMark(m, 'America/New_York'))).toEqual([
      'Appointment Tomorrow at Sat 7 Mar 2026, 08:00 EST',
      'Appointment Today at Sun 8 Mar 2026, 21:00 EDT',
      'Close out at Mon 9 Mar 2026, 12:00 EDT',
    ]);
  });

  it('describes a mark in the zone asked for', () => {
    // Mon 2026-03-09 10:00 EDT: the 48 h mark is Sat 09:00 EST.
    const start = Date.UTC(2026, 2, 9, 14, 0);
    const [tomorrow] = computeMarks({ startsAt: start, endsAt: start + HOUR, timeZone: 'America/New_York' });
    expect(tomorrow && describeMark(tomorrow, 'America/New_York')).toBe(
      'Appointment Tomorrow at Sat 7 Mar 2026, 09:00 EST',
    );
    expect(tomorrow && describeMark(tomorrow, 'UTC')).toBe('Appointment Tomorrow at Sat 7 Mar 2026, 14:00 UTC');
    expect(() => tomorrow && describeMark(tomorrow, 'Nowhere/Special')).toThrow(/invalid time zone/);
  });

  it('throws when endsAt is not after startsAt', () => {
    expect(() => computeMarks({ startsAt, endsAt: startsAt, timeZone: 'UTC' })).toThrow(/must be after startsAt/);
    expect(() => computeMarks({ startsAt, endsAt: startsAt - HOUR, timeZone: 'UTC' })).toThrow(
      /must be after startsAt/,
    );
    expect(() => computeMarks({ startsAt: Number.NaN, endsAt, timeZone: 'UTC' })).toThrow(/startsAt/);
  });

  it('throws on an invalid time zone', () => {
    expect(() => computeMarks({ startsAt, endsAt, timeZone: 'Mars/Olympus_Mons' })).toThrow(
      'invalid time zone "Mars/Olympus_Mons"',
    );
    expect(() => computeMarks({ startsAt, endsAt, timeZone: '' })).toThrow(/invalid time zone/);
  });
});

describe('upcomingMarks, nextMark and stageAt', () => {
  // Wed 2026-09-16 15:00–16:00 UTC.
  const startsAt = Date.UTC(2026, 8, 16, 15, 0);
  const endsAt = startsAt + HOUR;
  const marks = computeMarks({ startsAt, endsAt, timeZone: 'UTC' });

  it('booked 30 h before the start: skips the 48 h mark but is already "Appointment Tomorrow"', () => {
    const bookedAt = startsAt - 30 * HOUR;
    expect(upcomingMarks(marks, bookedAt).map((m) => m.kind)).toEqual(['today', 'closeOut']);
    expect(nextMark(marks, bookedAt)?.kind).toBe('today');
    expect(stageAt(marks, bookedAt)).toBe('Appointment Tomorrow');
  });

  it('booked 5 h before the start: only close-out is left and the stage is "Appointment Today"', () => {
    const bookedAt = startsAt - 5 * HOUR;
    expect(upcomingMarks(marks, bookedAt).map((m) => m.kind)).toEqual(['closeOut']);
    expect(stageAt(marks, bookedAt)).toBe('Appointment Today');
  });

  it('booked well ahead: every mark is upcoming and the stage is the fallback', () => {
    const bookedAt = startsAt - 72 * HOUR;
    expect(upcomingMarks(marks, bookedAt)).toEqual(marks);
    expect(stageAt(marks, bookedAt)).toBe('Appointment Scheduled');
    expect(stageAt([], bookedAt, 'Appointment Today')).toBe('Appointment Today');
  });

  it('a mark exactly at now is due, not upcoming', () => {
    const todayAt = startsAt - 12 * HOUR;
    expect(upcomingMarks(marks, todayAt).map((m) => m.kind)).toEqual(['closeOut']);
    expect(stageAt(marks, todayAt)).toBe('Appointment Today');
    expect(stageAt(marks, todayAt - 1)).toBe('Appointment Tomorrow');
  });

  it('after close-out nothing is upcoming and the stage stays that of the last staged mark', () => {
    const after = endsAt + 3 * HOUR;
    expect(upcomingMarks(marks, after)).toEqual([]);
    expect(nextMark(marks, after)).toBeUndefined();
    expect(stageAt(marks, after)).toBe('Appointment Today');
  });
});

describe('reminderLateLimitMs', () => {
  const start = Date.UTC(2026, 5, 10, 14);
  const marks = computeMarks({ startsAt: start, endsAt: start + HOUR, timeZone: 'America/New_York' });
  const [tomorrow, today] = marks as [Mark, Mark];

  it('with the defaults: a 48 h reminder may be 12 h late, a 12 h reminder 6 h (half its lead time)', () => {
    expect(reminderLateLimitMs(tomorrow, start, {})).toBe(12 * HOUR);
    expect(reminderLateLimitMs(today, start, {})).toBe(6 * HOUR);
  });

  it('follows the policy, capped at half the lead time', () => {
    expect(reminderLateLimitMs(tomorrow, start, { lateReminderHours: 2 })).toBe(2 * HOUR);
    expect(reminderLateLimitMs(tomorrow, start, { lateReminderHours: 40 })).toBe(24 * HOUR);
    expect(reminderLateLimitMs(today, start, { lateReminderHours: 0 })).toBe(0);
  });
});
