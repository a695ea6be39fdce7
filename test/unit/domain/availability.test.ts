import {
  computeSlots,
  groupSlotsByLocalDate,
  intervalsOverlap,
  nextFreeSlots,
  parseTimeOfDay,
  slotFor,
  slotIsOffered,
  type ComputeSlotsArgs,
  type Slot,
  type SlotPolicy,
  type StaffSchedule,
  type WeeklyRule,
} from '../../../src/domain/availability';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const basePolicy: SlotPolicy = {
  durationMinutes: 60,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  slotIntervalMinutes: 30,
  minNoticeMinutes: 0,
  bookingHorizonDays: 365,
};

const LONG_AGO = Date.UTC(2026, 0, 1);

function staff(overrides: Partial<StaffSchedule> & Pick<StaffSchedule, 'rules'>): StaffSchedule {
  return { staffId: 'staff-a', timeZone: 'UTC', timeOff: [], busy: [], ...overrides };
}

function everyDay(start: string, end: string): WeeklyRule[] {
  return [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));
}

function args(
  overrides: Partial<ComputeSlotsArgs> & Pick<ComputeSlotsArgs, 'staff' | 'from' | 'to'>,
): ComputeSlotsArgs {
  return { policy: basePolicy, now: LONG_AGO, ...overrides };
}

const starts = (slots: readonly Slot[]) => slots.map((s) => s.startsAt);

// Mon 2026-06-15 (UTC calendar).
const MON = Date.UTC(2026, 5, 15);
const at = (day: number, hour: number, minute = 0) => day + hour * HOUR + minute * MIN;

describe('computeSlots: basics', () => {
  it('offers 60-min slots every 30 min inside a Monday 09:00–12:00 window', () => {
    const slots = computeSlots(
      args({ staff: [staff({ rules: [{ weekday: 1, start: '09:00', end: '12:00' }] })], from: MON, to: MON + 7 * DAY }),
    );
    expect(starts(slots)).toEqual([at(MON, 9), at(MON, 9, 30), at(MON, 10), at(MON, 10, 30), at(MON, 11)]);
    expect(slots[0]).toEqual({
      staffId: 'staff-a',
      startsAt: at(MON, 9),
      endsAt: at(MON, 10),
      blockedFrom: at(MON, 9),
      blockedUntil: at(MON, 10),
    });
  });

  it('reads rules in the staff zone and accepts HH:MM:SS', () => {
    // 09:00–11:00 CDT (UTC−5) on Mon 2026-06-15 = 14:00–16:00 UTC.
    const slots = computeSlots(
      args({
        staff: [staff({ timeZone: 'America/Chicago', rules: [{ weekday: 1, start: '09:00:00', end: '11:00:00' }] })],
        from: MON,
        to: MON + DAY,
        policy: { ...basePolicy, slotIntervalMinutes: 60 },
      }),
    );
    expect(starts(slots)).toEqual([at(MON, 14), at(MON, 15)]);
  });

  it('reads 24:00 as the end of the day', () => {
    const slots = computeSlots(
      args({ staff: [staff({ rules: [{ weekday: 1, start: '22:00', end: '24:00' }] })], from: MON, to: MON + 2 * DAY }),
    );
    expect(starts(slots)).toEqual([at(MON, 22), at(MON, 22, 30), at(MON, 23)]);
  });

  it('returns only starts inside [from, to)', () => {
    const slots = computeSlots(
      args({
        staff: [staff({ rules: [{ weekday: 1, start: '09:00', end: '12:00' }] })],
        from: at(MON, 9, 15),
        to: at(MON, 10, 30),
      }),
    );
    expect(starts(slots)).toEqual([at(MON, 9, 30), at(MON, 10)]);
    expect(computeSlots(args({ staff: [staff({ rules: everyDay('09:00', '12:00') })], from: MON, to: MON }))).toEqual(
      [],
    );
  });

  it('does not duplicate slots from overlapping rules', () => {
    const slots = computeSlots(
      args({
        staff: [
          staff({
            rules: [
              { weekday: 1, start: '09:00', end: '11:00' },
              { weekday: 1, start: '10:00', end: '12:00' },
            ],
          }),
        ],
        from: MON,
        to: MON + DAY,
      }),
    );
    expect(starts(slots)).toEqual([at(MON, 9), at(MON, 9, 30), at(MON, 10), at(MON, 10, 30), at(MON, 11)]);
  });
});

describe('computeSlots: busy time, buffers and time off', () => {
  it('removes slots whose buffered interval overlaps a busy interval; touching is allowed', () => {
    const policy = { ...basePolicy, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 };
    // Existing appointment 11:00–11:30 with 15-min buffers blocks [10:45, 11:45).
    const busy = [{ start: at(MON, 10, 45), end: at(MON, 11, 45) }];
    const slots = computeSlots(
      args({
        policy,
        staff: [staff({ busy, rules: [{ weekday: 1, start: '09:00', end: '13:00' }] })],
        from: MON,
        to: MON + DAY,
      }),
    );
    // 09:30 blocks [09:15, 10:45) and 12:00 blocks [11:45, 13:15): both only touch the busy interval.
    expect(starts(slots)).toEqual([at(MON, 9), at(MON, 9, 30), at(MON, 12)]);
    expect(slots[1]).toEqual({
      staffId: 'staff-a',
      startsAt: at(MON, 9, 30),
      endsAt: at(MON, 10, 30),
      blockedFrom: at(MON, 9, 15),
      blockedUntil: at(MON, 10, 45),
    });
  });

  it('removes slots overlapping time off', () => {
    const timeOff = [{ start: at(MON, 12), end: at(MON, 14) }];
    const slots = computeSlots(
      args({
        policy: { ...basePolicy, slotIntervalMinutes: 60 },
        staff: [staff({ timeOff, rules: [{ weekday: 1, start: '09:00', end: '17:00' }] })],
        from: MON,
        to: MON + DAY,
      }),
    );
    expect(starts(slots)).toEqual([at(MON, 9), at(MON, 10), at(MON, 11), at(MON, 14), at(MON, 15), at(MON, 16)]);
  });

  it('ignores empty intervals and copes with unsorted, overlapping ones', () => {
    const busy = [
      { start: at(MON, 11), end: at(MON, 11) },
      { start: at(MON, 10), end: at(MON, 10, 30) },
      { start: at(MON, 9, 45), end: at(MON, 10, 15) },
    ];
    const slots = computeSlots(
      args({
        staff: [staff({ busy, rules: [{ weekday: 1, start: '09:00', end: '12:00' }] })],
        from: MON,
        to: MON + DAY,
      }),
    );
    expect(starts(slots)).toEqual([at(MON, 10, 30), at(MON, 11)]);
  });
});

describe('computeSlots: notice and horizon', () => {
  it('drops starts before now + minNotice (inclusive bound)', () => {
    const slots = computeSlots(
      args({
        now: at(MON, 9),
        policy: { ...basePolicy, minNoticeMinutes: 90 },
        staff: [staff({ rules: [{ weekday: 1, start: '09:00', end: '12:00' }] })],
        from: MON,
        to: MON + DAY,
      }),
    );
    expect(starts(slots)).toEqual([at(MON, 10, 30), at(MON, 11)]);
  });

  it('drops starts after now + horizon days (inclusive bound)', () => {
    const slots = computeSlots(
      args({
        now: at(MON, 9),
        policy: { ...basePolicy, bookingHorizonDays: 7 },
        staff: [staff({ rules: everyDay('09:00', '12:00') })],
        from: MON,
        to: MON + 30 * DAY,
      }),
    );
    expect(slots).toHaveLength(7 * 5 + 1);
    expect(slots.at(-1)?.startsAt).toBe(at(MON + 7 * DAY, 9));
  });
});

describe('computeSlots: DST', () => {
  const sundayRule = (start: string, end: string): WeeklyRule[] => [{ weekday: 7, start, end }];
  const run = (timeZone: string, day: number, start: string, end: string) =>
    computeSlots(
      args({
        staff: [staff({ timeZone, rules: sundayRule(start, end) })],
        from: day - DAY,
        to: day + 2 * DAY,
      }),
    );

  it('America/New_York spring forward (Sun 2026-03-08): 00:00–04:00 is 3 hours long', () => {
    // 00:00 EST = 05:00 UTC; 04:00 EDT = 08:00 UTC.
    const slots = run('America/New_York', Date.UTC(2026, 2, 8), '00:00', '04:00');
    const d = Date.UTC(2026, 2, 8);
    expect(starts(slots)).toEqual([at(d, 5), at(d, 5, 30), at(d, 6), at(d, 6, 30), at(d, 7)]);
    const [group] = groupSlotsByLocalDate(slots, 'America/New_York');
    expect(group?.slots.map((s) => s.localTime)).toEqual(['00:00', '00:30', '01:00', '01:30', '03:00']);
  });

  it('America/New_York spring forward: a window starting in the gap starts after it', () => {
    // 02:00 does not exist, it becomes 03:00 EDT = 07:00 UTC; 04:00 EDT = 08:00 UTC.
    const d = Date.UTC(2026, 2, 8);
    expect(starts(run('America/New_York', d, '02:00', '04:00'))).toEqual([at(d, 7)]);
    // 01:00 EST = 06:00 UTC; 03:00 EDT = 07:00 UTC: one hour.
    expect(starts(run('America/New_York', d, '01:00', '03:00'))).toEqual([at(d, 6)]);
  });

  it('America/New_York fall back (Sun 2026-11-01): 01:00–03:00 is 3 hours, from the first 01:00', () => {
    // 01:00 EDT = 05:00 UTC; 03:00 EST = 08:00 UTC.
    const d = Date.UTC(2026, 10, 1);
    const slots = run('America/New_York', d, '01:00', '03:00');
    expect(starts(slots)).toEqual([at(d, 5), at(d, 5, 30), at(d, 6), at(d, 6, 30), at(d, 7)]);
    const [group] = groupSlotsByLocalDate(slots, 'America/New_York');
    expect(group?.slots.map((s) => s.localTime)).toEqual(['01:00', '01:30', '01:00', '01:30', '02:00']);
  });

  it('America/New_York fall back: 00:00–04:00 is 5 hours long', () => {
    // 00:00 EDT = 04:00 UTC; 04:00 EST = 09:00 UTC.
    const d = Date.UTC(2026, 10, 1);
    const slots = run('America/New_York', d, '00:00', '04:00');
    expect(slots).toHaveLength(9);
    expect(slots[0]?.startsAt).toBe(at(d, 4));
    expect(slots.at(-1)?.startsAt).toBe(at(d, 8));
  });

  it('Europe/London spring forward (Sun 2026-03-29)', () => {
    const d = Date.UTC(2026, 2, 29);
    // 00:00 GMT = 00:00 UTC; 04:00 BST = 03:00 UTC.
    const slots = run('Europe/London', d, '00:00', '04:00');
    expect(starts(slots)).toEqual([at(d, 0), at(d, 0, 30), at(d, 1), at(d, 1, 30), at(d, 2)]);
    expect(groupSlotsByLocalDate(slots, 'Europe/London')[0]?.slots.map((s) => s.localTime)).toEqual([
      '00:00',
      '00:30',
      '02:00',
      '02:30',
      '03:00',
    ]);
    // 01:00 does not exist, it becomes 02:00 BST = 01:00 UTC; 03:00 BST = 02:00 UTC.
    expect(starts(run('Europe/London', d, '01:00', '03:00'))).toEqual([at(d, 1)]);
  });

  it('Europe/London fall back (Sun 2026-10-25)', () => {
    const d = Date.UTC(2026, 9, 25);
    // 01:00 first occurrence (BST) = 00:00 UTC; 03:00 GMT = 03:00 UTC.
    expect(starts(run('Europe/London', d, '01:00', '03:00'))).toEqual([
      at(d, 0),
      at(d, 0, 30),
      at(d, 1),
      at(d, 1, 30),
      at(d, 2),
    ]);
    // 00:00 BST = 23:00 UTC the day before; 04:00 GMT = 04:00 UTC: 5 hours.
    const slots = run('Europe/London', d, '00:00', '04:00');
    expect(slots).toHaveLength(9);
    expect(slots[0]?.startsAt).toBe(Date.UTC(2026, 9, 24, 23, 0));
    expect(slots.at(-1)?.startsAt).toBe(at(d, 3));
  });
});

describe('groupSlotsByLocalDate', () => {
  it('shows Asia/Kolkata 09:00–17:00 to a customer in New York across the US DST change', () => {
    const kolkata = staff({
      staffId: 'priya',
      timeZone: 'Asia/Kolkata',
      rules: [
        { weekday: 7, start: '09:00', end: '17:00' },
        { weekday: 1, start: '09:00', end: '17:00' },
      ],
    });
    const slots = computeSlots(
      args({
        policy: { ...basePolicy, slotIntervalMinutes: 60 },
        staff: [kolkata],
        // Sun 2026-03-08 00:00 IST to Tue 2026-03-10 00:00 IST.
        from: Date.UTC(2026, 2, 7, 18, 30),
        to: Date.UTC(2026, 2, 9, 18, 30),
      }),
    );
    // 09:00 IST = 03:30 UTC, last start 16:00 IST = 10:30 UTC, on Sunday and Monday.
    const sunday = [3, 4, 5, 6, 7, 8, 9, 10].map((h) => Date.UTC(2026, 2, 8, h, 30));
    const monday = [3, 4, 5, 6, 7, 8, 9, 10].map((h) => Date.UTC(2026, 2, 9, h, 30));
    expect(starts(slots)).toEqual([...sunday, ...monday]);

    const groups = groupSlotsByLocalDate(slots, 'America/New_York');
    const view = groups.map((g) => ({ date: g.date, times: g.slots.map((s) => [s.localTime, s.label]) }));
    expect(view).toEqual([
      {
        date: '2026-03-07',
        times: [
          ['22:30', '10:30 PM'], // 03:30 UTC, EST
          ['23:30', '11:30 PM'],
        ],
      },
      {
        date: '2026-03-08',
        times: [
          ['00:30', '12:30 AM'],
          ['01:30', '1:30 AM'],
          ['03:30', '3:30 AM'], // 07:30 UTC, now EDT: 02:30 never happens
          ['04:30', '4:30 AM'],
          ['05:30', '5:30 AM'],
          ['06:30', '6:30 AM'],
          ['23:30', '11:30 PM'], // Monday 09:00 IST = 03:30 UTC = 23:30 EDT
        ],
      },
      {
        date: '2026-03-09',
        times: [
          ['00:30', '12:30 AM'],
          ['01:30', '1:30 AM'],
          ['02:30', '2:30 AM'],
          ['03:30', '3:30 AM'],
          ['04:30', '4:30 AM'],
          ['05:30', '5:30 AM'],
          ['06:30', '6:30 AM'],
        ],
      },
    ]);
    const first = groups[0]?.slots[0];
    expect(first).toMatchObject({ staffId: 'priya', startsAt: Date.UTC(2026, 2, 8, 3, 30) });
  });

  it('sorts its input and rejects an invalid zone', () => {
    const a = slotFor('a', Date.UTC(2026, 5, 15, 14), basePolicy);
    const b = slotFor('b', Date.UTC(2026, 5, 15, 9), basePolicy);
    expect(groupSlotsByLocalDate([a, b], 'UTC')).toEqual([
      {
        date: '2026-06-15',
        slots: [
          { ...b, localTime: '09:00', label: '9:00 AM' },
          { ...a, localTime: '14:00', label: '2:00 PM' },
        ],
      },
    ]);
    expect(() => groupSlotsByLocalDate([a], 'America/Neww_York')).toThrow(/invalid time zone/);
  });
});

describe('several staff, nextFreeSlots, slotIsOffered', () => {
  it('merges staff in different zones, sorted by start then staffId', () => {
    const slots = computeSlots(
      args({
        staff: [
          // 05:30–07:30 EDT = 09:30–11:30 UTC.
          staff({
            staffId: 'b-staff',
            timeZone: 'America/New_York',
            rules: [{ weekday: 1, start: '05:30', end: '07:30' }],
          }),
          staff({ staffId: 'a-staff', rules: [{ weekday: 1, start: '09:00', end: '11:00' }] }),
        ],
        from: MON,
        to: MON + DAY,
      }),
    );
    expect(slots.map((s) => [s.startsAt, s.staffId])).toEqual([
      [at(MON, 9), 'a-staff'],
      [at(MON, 9, 30), 'a-staff'],
      [at(MON, 9, 30), 'b-staff'],
      [at(MON, 10), 'a-staff'],
      [at(MON, 10), 'b-staff'],
      [at(MON, 10, 30), 'b-staff'],
    ]);
  });

  it('nextFreeSlots returns the first N by time, across weeks', () => {
    const mondaysOnly = args({
      staff: [staff({ rules: [{ weekday: 1, start: '09:00', end: '12:00' }] })],
      from: MON,
      to: MON + 60 * DAY,
    });
    const next = MON + 7 * DAY;
    expect(starts(nextFreeSlots(mondaysOnly, 7))).toEqual([
      at(MON, 9),
      at(MON, 9, 30),
      at(MON, 10),
      at(MON, 10, 30),
      at(MON, 11),
      at(next, 9),
      at(next, 9, 30),
    ]);
    expect(nextFreeSlots(mondaysOnly, 12)).toEqual(computeSlots(mondaysOnly).slice(0, 12));
    expect(nextFreeSlots(mondaysOnly, 0)).toEqual([]);
    expect(nextFreeSlots({ ...mondaysOnly, to: MON + DAY }, 50)).toHaveLength(5);
    expect(() => nextFreeSlots(mondaysOnly, -1)).toThrow(/count/);
  });

  it('nextFreeSlots starts at now + notice', () => {
    const daily = args({
      now: at(MON, 10, 10),
      staff: [staff({ rules: everyDay('09:00', '12:00') })],
      from: MON,
      to: MON + 60 * DAY,
    });
    expect(starts(nextFreeSlots(daily, 3))).toEqual([at(MON, 10, 30), at(MON, 11), at(MON + DAY, 9)]);
  });

  it('slotIsOffered matches on staff and start', () => {
    const computed = computeSlots(
      args({ staff: [staff({ rules: [{ weekday: 1, start: '09:00', end: '12:00' }] })], from: MON, to: MON + DAY }),
    );
    expect(slotIsOffered({ staffId: 'staff-a', startsAt: at(MON, 10, 30) }, computed)).toBe(true);
    expect(slotIsOffered({ staffId: 'staff-a', startsAt: at(MON, 10, 15) }, computed)).toBe(false);
    expect(slotIsOffered({ staffId: 'staff-b', startsAt: at(MON, 10, 30) }, computed)).toBe(false);
  });
});

describe('validation and helpers', () => {
  const ok = args({
    staff: [staff({ rules: [{ weekday: 1, start: '09:00', end: '12:00' }] })],
    from: MON,
    to: MON + DAY,
  });

  it.each([
    ['durationMinutes 0', { ...ok, policy: { ...basePolicy, durationMinutes: 0 } }, /durationMinutes/],
    ['slotIntervalMinutes -15', { ...ok, policy: { ...basePolicy, slotIntervalMinutes: -15 } }, /slotIntervalMinutes/],
    ['fractional buffer', { ...ok, policy: { ...basePolicy, bufferAfterMinutes: 2.5 } }, /bufferAfterMinutes/],
    ['negative horizon', { ...ok, policy: { ...basePolicy, bookingHorizonDays: -1 } }, /bookingHorizonDays/],
    ['invalid zone', { ...ok, staff: [staff({ timeZone: 'Mars/Base', rules: [] })] }, /time zone for staff staff-a/],
    ['H:MM', { ...ok, staff: [staff({ rules: [{ weekday: 1, start: '9:00', end: '12:00' }] })] }, /'HH:MM'/],
    ['25:00', { ...ok, staff: [staff({ rules: [{ weekday: 1, start: '09:00', end: '25:00' }] })] }, /"25:00"/],
    [
      'end before start',
      { ...ok, staff: [staff({ rules: [{ weekday: 1, start: '12:00', end: '09:00' }] })] },
      /after start/,
    ],
    ['weekday 0', { ...ok, staff: [staff({ rules: [{ weekday: 0, start: '09:00', end: '12:00' }] })] }, /weekday/],
    ['NaN now', { ...ok, now: Number.NaN }, /now/],
    [
      'busy ending before it starts',
      { ...ok, staff: [staff({ rules: [], busy: [{ start: MON + HOUR, end: MON }] })] },
      /busy interval 1 ends before it starts/,
    ],
  ])('throws on %s', (_name, bad, message) => {
    expect(() => computeSlots(bad)).toThrow(message);
  });

  it('parseTimeOfDay accepts HH:MM, HH:MM:SS and 24:00', () => {
    expect(parseTimeOfDay('09:30')).toEqual({ hour: 9, minute: 30, second: 0 });
    expect(parseTimeOfDay('17:45:30')).toEqual({ hour: 17, minute: 45, second: 30 });
    expect(parseTimeOfDay('24:00')).toEqual({ hour: 24, minute: 0, second: 0 });
    expect(() => parseTimeOfDay('24:30')).toThrow();
    expect(() => parseTimeOfDay('12:60')).toThrow();
  });

  it('intervalsOverlap treats intervals as half-open', () => {
    expect(intervalsOverlap({ start: 0, end: 10 }, { start: 10, end: 20 })).toBe(false);
    expect(intervalsOverlap({ start: 0, end: 11 }, { start: 10, end: 20 })).toBe(true);
    expect(intervalsOverlap({ start: 5, end: 5 }, { start: 0, end: 20 })).toBe(false);
  });
});
