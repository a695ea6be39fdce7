/**
 * Small deterministic time helpers shared by the domain modules: duration constants, IANA zone
 * validation, and turning a wall-clock time in a zone into an instant with a fixed rule for DST gaps
 * and overlaps. Instants are epoch milliseconds; nothing here reads the clock.
 */
import { DateTime, IANAZone } from 'luxon';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Whether `zone` is an IANA time-zone name the runtime knows (e.g. 'America/New_York', 'UTC'). */
export function isValidTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.trim() === '') return false;
  if (knownZones.has(zone)) return true;
  // luxon asks Intl every time (tens of microseconds); a name once valid stays valid.
  if (!IANAZone.isValidZone(zone)) return false;
  knownZones.add(zone);
  return true;
}
const knownZones = new Set<string>();

/** Throws a readable Error unless `zone` is a valid IANA time-zone name. */
export function assertTimeZone(zone: unknown, what = 'time zone'): asserts zone is string {
  if (!isValidTimeZone(zone))
    throw new Error(`invalid ${what} ${JSON.stringify(zone)}: expected an IANA name such as "America/New_York"`);
}

/** Throws unless `value` is a finite number (an epoch-millisecond instant). */
export function assertInstant(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${what} must be a finite epoch-millisecond number, got ${String(value)}`);
  }
}

/** The instant `at` seen in `zone` (luxon DateTime; reads no clock). */
export function inZone(at: number, zone: string): DateTime {
  return DateTime.fromMillis(at, { zone });
}

export interface LocalDateTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number; // 0-24; 24:00 is midnight at the end of the day
  minute: number;
  second?: number;
}

/**
 * The instant at which clocks in `zone` show `local`. Rules, fixed so the answer never depends on the
 * current date (luxon's own `fromObject` resolves an ambiguous time with a guess taken from "now"):
 * - a wall time skipped by a spring-forward gap moves forward by the length of the gap
 *   (02:30 on a 02:00→03:00 night is 03:30 after the change);
 * - a wall time that occurs twice on a fall-back night resolves to the earlier instant (first occurrence).
 * This is the "compatible" disambiguation of the TC39 Temporal proposal and java.time.
 */
export function localToInstant(local: LocalDateTime, zone: string): number {
  const iana = IANAZone.create(zone);
  if (!iana.isValid) throw new Error(`invalid time zone ${JSON.stringify(zone)}`);
  // Wall-clock fields read as if they were UTC; Date.UTC also normalises hour 24 to the next day.
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second ?? 0);
  const offsetBefore = iana.offset(wall - DAY_MS); // minutes east of UTC
  const offsetAfter = iana.offset(wall + DAY_MS);
  const candidates = [offsetBefore, offsetAfter]
    .map((offset) => wall - offset * MINUTE_MS)
    .filter((instant) => instant + iana.offset(instant) * MINUTE_MS === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: reading the wall time with the offset in force before the change lands after it.
  return wall - offsetBefore * MINUTE_MS;
}
