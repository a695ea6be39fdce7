/**
 * When a membership sold now stops being valid (issue 15): at the end of the last day of its validity
 * period in the membership's own zone (23:59:59.999 there), not at the time of day it was bought — a
 * 90-day membership bought at 11:07 on 1 March is valid through 30 May, all day. Calendar days, so a
 * DST change in between moves nothing. Pure.
 */
import { DateTime } from 'luxon';

export function validityEnd(purchasedAt: number, validityDays: number, timeZone: string): number {
  return DateTime.fromMillis(purchasedAt, { zone: timeZone }).plus({ days: validityDays }).endOf('day').toMillis();
}
