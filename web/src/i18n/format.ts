/**
 * Dates, times and money in the reader's language: Intl picks 12- or 24-hour clocks, the order of day
 * and month and the currency style from the locale (en-US "Tue, Dec 8, 9:30 AM"; es "mar, 8 dic,
 * 9:30"). Times are shown in a given IANA zone; calendar dates (YYYY-MM-DD) are formatted at noon UTC
 * so no zone can move them to another day.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, f);
  }
  return f;
}

/** "9:30 AM" / "9:30" */
export function timeOf(iso: string, timeZone: string, locale: string): string {
  return formatter(locale, { timeZone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

/** "Tuesday, December 8, 2026 at 9:30 AM EST" / "martes, 8 de diciembre de 2026, 9:30 (hora de Nueva York)" */
export function dateTimeOf(
  iso: string,
  timeZone: string,
  locale: string,
  zoneName: 'short' | 'none' = 'short',
): string {
  return formatter(locale, {
    timeZone,
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    ...(zoneName === 'short' ? { timeZoneName: 'short' } : {}),
  }).format(new Date(iso));
}

/** "Fri, Dec 4, 10:45 AM" / "vie, 4 dic, 10:45" */
export function shortDateTimeOf(iso: string, timeZone: string, locale: string): string {
  return formatter(locale, {
    timeZone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** A calendar date: "Tuesday, December 8" / "martes, 8 de diciembre" */
export function dayOf(date: string, locale: string, withYear = false): string {
  return formatter(locale, {
    timeZone: 'UTC',
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    ...(withYear ? { year: 'numeric' } : {}),
  }).format(new Date(`${date}T12:00:00Z`));
}

/** "December 2026" / "diciembre de 2026" */
export function monthOf(month: string, locale: string): string {
  return formatter(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(
    new Date(`${month}-15T12:00:00Z`),
  );
}

/** Narrow weekday names from Monday: ["M","T",…] / ["L","M",…], and long ones for screen readers. */
export function weekdayNames(locale: string, style: 'narrow' | 'long'): string[] {
  // 2026-01-05 is a Monday.
  return Array.from({ length: 7 }, (_, i) =>
    formatter(locale, { timeZone: 'UTC', weekday: style }).format(new Date(Date.UTC(2026, 0, 5 + i, 12))),
  );
}

/** 0 = the week starts on Monday, 6 = on Sunday (en-US), from the locale's region where the browser knows it. */
export function firstDayOfWeek(locale: string): number {
  try {
    const info = (
      new Intl.Locale(locale) as Intl.Locale & { getWeekInfo?: () => { firstDay: number } }
    ).getWeekInfo?.();
    const firstDay = info?.firstDay ?? (/^en(-US)?$/i.test(locale) ? 7 : 1);
    return firstDay === 7 ? 6 : firstDay - 1;
  } catch {
    return 0;
  }
}

export function moneyOf(amountMinor: number | null | undefined, currency: string, locale: string): string {
  if (amountMinor === null || amountMinor === undefined) return '—';
  const code = currency.trim() || 'USD';
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(locale, { style: 'currency', currency: code }).format(amountMinor / 10 ** digits);
}

/** The city of a zone for people: "America/New_York" → "New York". */
export function zoneCity(zone: string): string {
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}

/** The zone's name in the locale, e.g. "Eastern Standard Time" / "hora estándar del este", at an instant. */
export function zoneLongName(zone: string, locale: string, at: Date): string {
  const part = formatter(locale, { timeZone: zone, timeZoneName: 'long' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

/** YYYY-MM-DD of an instant in a zone. */
export function localDateOf(date: Date, timeZone: string): string {
  return formatter('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

export function addDaysTo(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
