/**
 * Layout of the admin calendar's day grid, pure and dependency-free (the web bundle imports it):
 * which hours the grid shows, where a time span sits in it, which parts of it are outside working
 * hours, and how overlapping appointments in one staff column share its width (side by side, in lanes).
 * Instants are epoch milliseconds; spans are half-open [start, end).
 */

export interface Span {
  start: number;
  end: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** A zone's offset from UTC at an instant, in milliseconds (whole seconds), through Intl only. */
export function zoneOffsetAt(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return wall - Math.floor(at / 1000) * 1000;
}

/**
 * The first instant of a local date ('YYYY-MM-DD') in a zone: midnight read with the offset at noon,
 * then corrected with the offset at that guess — on a DST-change day the offset at midnight is not the
 * one at noon, and where midnight is skipped the day starts at the first instant after the gap.
 */
export function startOfLocalDay(date: string, timeZone: string): number {
  const midnight = Date.parse(`${date}T00:00:00Z`);
  const guess = midnight - zoneOffsetAt(midnight + 12 * HOUR_MS, timeZone);
  return midnight - zoneOffsetAt(guess, timeZone);
}

export interface VisibleRangeArgs {
  /** The displayed day: [start of the day, start of the next day) in the display zone. */
  day: Span;
  /** Working hours of the staff shown, for that day. */
  working: readonly Span[];
  /** Appointments shown that day. */
  appointments: readonly Span[];
  /** Context shown around the working hours (default one hour each side). */
  padMinutes?: number;
  /** Hours (from the start of the day) when there are no working hours and no appointments. */
  fallbackHours?: { from: number; to: number };
}

/**
 * The span the grid shows: the working hours widened by `padMinutes` on each side, widened again to
 * fit every appointment, snapped outwards to whole hours from the start of the day and clipped to the
 * day. With nothing to show, 8:00–18:00.
 */
export function visibleRange(args: VisibleRangeArgs): Span {
  const { day } = args;
  const pad = (args.padMinutes ?? 60) * MINUTE_MS;
  const fallback = args.fallbackHours ?? { from: 8, to: 18 };
  const clip = (s: Span): Span | null => {
    const start = Math.max(day.start, s.start);
    const end = Math.min(day.end, s.end);
    return start < end ? { start, end } : null;
  };
  const working = args.working.map(clip).filter((s): s is Span => s !== null);
  const appointments = args.appointments.map(clip).filter((s): s is Span => s !== null);
  let start = Infinity;
  let end = -Infinity;
  for (const s of working) {
    start = Math.min(start, s.start - pad);
    end = Math.max(end, s.end + pad);
  }
  if (working.length === 0) {
    start = day.start + fallback.from * HOUR_MS;
    end = day.start + fallback.to * HOUR_MS;
  }
  for (const s of appointments) {
    start = Math.min(start, s.start);
    end = Math.max(end, s.end);
  }
  const snappedStart = day.start + Math.floor((start - day.start) / HOUR_MS) * HOUR_MS;
  const snappedEnd = day.start + Math.ceil((end - day.start) / HOUR_MS) * HOUR_MS;
  const result = { start: Math.max(day.start, snappedStart), end: Math.min(day.end, snappedEnd) };
  // A day shorter than an hour cannot happen in real zones; keep the range non-empty anyway.
  return result.start < result.end ? result : { start: day.start, end: day.end };
}

/** The whole hours (instants, counted from the start of the range) at which the grid draws a line. */
export function hourMarks(range: Span): number[] {
  const marks: number[] = [];
  for (let at = range.start; at < range.end; at += HOUR_MS) marks.push(at);
  return marks;
}

/** Where `span` sits in `range`, as percentages of its height (clipped to the range), or null if outside. */
export function placement(span: Span, range: Span): { top: number; height: number } | null {
  const start = Math.max(span.start, range.start);
  const end = Math.min(span.end, range.end);
  if (end <= start) return null;
  const length = range.end - range.start;
  return { top: ((start - range.start) / length) * 100, height: ((end - start) / length) * 100 };
}

/** The parts of `within` that none of `covered` covers, in order. */
export function uncovered(within: Span, covered: readonly Span[]): Span[] {
  const sorted = covered
    .map((s) => ({ start: Math.max(s.start, within.start), end: Math.min(s.end, within.end) }))
    .filter((s) => s.start < s.end)
    .sort((a, b) => a.start - b.start);
  const gaps: Span[] = [];
  let cursor = within.start;
  for (const s of sorted) {
    if (s.start > cursor) gaps.push({ start: cursor, end: s.start });
    cursor = Math.max(cursor, s.end);
  }
  if (cursor < within.end) gaps.push({ start: cursor, end: within.end });
  return gaps;
}

export interface Laned<T> {
  item: T;
  /** 0-based lane, from the left. */
  lane: number;
  /** Lanes in this item's group of (transitively) overlapping items: its width is 1/lanes. */
  lanes: number;
}

/**
 * Side-by-side placement of overlapping items in one column. Items are taken by start (then the
 * longer first); each goes into the leftmost lane whose last item has ended (touching ends do not
 * overlap). Items that overlap, directly or through others, form a group sharing one lane count, so
 * every item in a group has the same width and no two overlapping items share a lane. Output is in
 * the order taken (by start).
 */
export function assignLanes<T extends Span>(items: readonly T[]): Array<Laned<T>> {
  const sorted = [...items].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Array<Laned<T>> = [];
  let group: Array<Laned<T>> = [];
  let laneEnds: number[] = [];
  let groupEnd = -Infinity;
  const closeGroup = () => {
    for (const placed of group) placed.lanes = laneEnds.length;
    group = [];
    laneEnds = [];
  };
  for (const item of sorted) {
    if (item.start >= groupEnd) closeGroup();
    let lane = laneEnds.findIndex((end) => end <= item.start);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(item.end);
    } else {
      laneEnds[lane] = item.end;
    }
    const placed = { item, lane, lanes: 0 };
    group.push(placed);
    out.push(placed);
    groupEnd = group.length === 1 ? item.end : Math.max(groupEnd, item.end);
  }
  closeGroup();
  return out;
}
