/**
 * Calendar days of an IANA zone over a range of instants, computed once so that turning many wall
 * times into instants (and back) needs no time-zone lookup per slot. A zone lookup (`Intl`, through
 * luxon) costs tens of microseconds, so the zone's offset over the range is found with a few of them:
 * sampled every `SAMPLE_MS` (a week) and, where two samples differ, the change located by bisection
 * to the second. Real zones change offset months (at least weeks) apart, so a week's step finds every
 * change. Wall times resolve with the same "compatible" rule as `localToInstant` (a skipped wall time
 * moves forward by the gap; a repeated one is its first occurrence). Pure and deterministic.
 */
import { IANAZone } from 'luxon';
import { DAY_MS, MINUTE_MS } from './time';

const SAMPLE_MS = 7 * DAY_MS;

/** The UTC offset of a zone over a span of instants, as constant pieces. */
export class ZoneOffsets {
  /** Ascending `from`; each piece holds until the next one's `from`. */
  private readonly pieces: Array<{ from: number; offsetMs: number }> = [];

  constructor(
    zone: string,
    readonly spanStart: number,
    readonly spanEnd: number,
  ) {
    const iana = IANAZone.create(zone);
    if (!iana.isValid) throw new Error(`invalid time zone ${JSON.stringify(zone)}`);
    const offset = (t: number) => iana.offset(t) * MINUTE_MS;
    let t = spanStart;
    let current = offset(t);
    this.pieces.push({ from: Number.NEGATIVE_INFINITY, offsetMs: current });
    while (t < spanEnd) {
      const next = Math.min(t + SAMPLE_MS, spanEnd);
      const after = offset(next);
      if (after !== current) {
        let lo = t; // offset(lo) === current
        let hi = next; // offset(hi) === after
        while (hi - lo > 1000) {
          const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
          if (offset(mid) === current) lo = mid;
          else hi = mid;
        }
        this.pieces.push({ from: hi, offsetMs: after });
        current = after;
      }
      t = next;
    }
  }

  /** Offset (milliseconds east of UTC) in force at `at`. */
  offsetAt(at: number): number {
    let found = this.pieces[0]!.offsetMs;
    for (const piece of this.pieces) {
      if (piece.from > at) break;
      found = piece.offsetMs;
    }
    return found;
  }

  /** The instant clocks show `wall` (a wall time read as if UTC), by `localToInstant`'s rule. */
  wallToInstant(wall: number): number {
    const before = this.offsetAt(wall - DAY_MS);
    const after = this.offsetAt(wall + DAY_MS);
    const first = wall - before;
    const second = wall - after;
    const firstOk = first + this.offsetAt(first) === wall;
    const secondOk = second + this.offsetAt(second) === wall;
    if (firstOk && secondOk) return Math.min(first, second);
    if (firstOk) return first;
    if (secondOk) return second;
    return wall - before; // in a gap: forward by its length
  }
}

export interface ZoneDay {
  year: number;
  month: number;
  day: number;
  /** ISO weekday 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Instant of the day's local midnight. */
  start: number;
  /** Instant of the next day's local midnight. */
  end: number;
  /** Local midnight read as if UTC (`Date.UTC(year, month - 1, day)`). */
  wallMidnight: number;
  /** True when the offset is the same all day (no DST change on it). */
  stable: boolean;
  offsets: ZoneOffsets;
}

/** The zone's calendar days that overlap [from, to), in order (at least the day of `from`). */
export function zoneDays(zone: string, from: number, to: number): ZoneDay[] {
  const offsets = new ZoneOffsets(zone, from - 2 * DAY_MS, Math.max(from, to) + 2 * DAY_MS);
  const firstWall = from + offsets.offsetAt(from);
  let wall = firstWall - (((firstWall % DAY_MS) + DAY_MS) % DAY_MS);
  let start = offsets.wallToInstant(wall);
  const days: ZoneDay[] = [];
  do {
    const nextWall = wall + DAY_MS;
    const end = offsets.wallToInstant(nextWall);
    const d = new Date(wall);
    days.push({
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      weekday: ((d.getUTCDay() + 6) % 7) + 1,
      start,
      end,
      wallMidnight: wall,
      stable: end - start === DAY_MS && offsets.offsetAt(start) === offsets.offsetAt(end - 1),
      offsets,
    });
    wall = nextWall;
    start = end;
  } while (start < to);
  return days;
}

/** The instant clocks in the zone show `secondsOfDay` (0 … 86 400) on `day`. */
export function wallTimeOn(day: ZoneDay, secondsOfDay: number): number {
  if (day.stable) return day.start + secondsOfDay * 1000;
  return day.offsets.wallToInstant(day.wallMidnight + secondsOfDay * 1000);
}

export interface LocalReading {
  /** 'YYYY-MM-DD' */
  date: string;
  hour: number;
  minute: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Reads instants in one zone; offsets are looked up for a month at a time around what is read. */
export class ZoneReader {
  private offsets: ZoneOffsets | undefined;
  private dayWall = Number.NaN;
  private dayText = '';

  constructor(private readonly zone: string) {}

  read(at: number): LocalReading {
    if (!this.offsets || at < this.offsets.spanStart || at >= this.offsets.spanEnd) {
      this.offsets = new ZoneOffsets(this.zone, at - DAY_MS, at + 31 * DAY_MS);
    }
    const wall = at + this.offsets.offsetAt(at);
    const msOfDay = ((wall % DAY_MS) + DAY_MS) % DAY_MS;
    const midnight = wall - msOfDay;
    if (midnight !== this.dayWall) {
      const d = new Date(midnight);
      this.dayWall = midnight;
      this.dayText = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    }
    const minutes = Math.floor(msOfDay / 60_000);
    return { date: this.dayText, hour: Math.floor(minutes / 60), minute: minutes % 60 };
  }
}
