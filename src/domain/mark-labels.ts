/**
 * Marks described for people (logs, summaries). Apart from src/domain/marks.ts because it formats with
 * luxon, which workflow code must not load (see src/domain/durations.ts).
 */
import type { Mark, MarkKind } from './marks';
import { inZone } from './time';
import { assertTimeZone } from './zones';

const KIND_LABEL: Readonly<Record<MarkKind, string>> = {
  tomorrow: 'Appointment Tomorrow',
  today: 'Appointment Today',
  closeOut: 'Close out',
};

/**
 * A human label for logs and Temporal UI summaries, e.g.
 * "Appointment Tomorrow at Sat 7 Mar 2026, 09:00 EST" (English, 24-hour clock, zone abbreviation).
 */
export function describeMark(mark: Mark, timeZone: string): string {
  assertTimeZone(timeZone);
  const when = inZone(mark.at, timeZone).setLocale('en-US').toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
  return `${mark.stage ?? KIND_LABEL[mark.kind]} at ${when}`;
}
