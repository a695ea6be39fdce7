/**
 * Billable time as staff type it (issue 15): "1:30" (h:mm), "1.5" or "1,5" hours, "2" hours, "90 min",
 * "1 h 30" — read into minutes and rounded up to the service's billing increment, so the form can show
 * what will be billed before saving. Pure and dependency-free: the admin app imports it.
 */

export type BillableTime =
  | { ok: true; enteredMinutes: number; minutes: number; text: string; rounded: boolean }
  | { ok: false; message: string };

const MAX_MINUTES = 24 * 60;

/** 90 → "1:30", 45 → "0:45". */
export function hoursAndMinutes(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Minutes typed as h:mm, decimal hours, or with units; undefined when it cannot be read. */
export function parseDuration(input: string): number | undefined {
  const text = input.trim().toLowerCase().replace(',', '.');
  if (!text) return undefined;
  let m = /^(\d{1,2}):([0-5]\d)$/.exec(text);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  m = /^(\d+(?:\.\d+)?|\.\d+)\s*(h|hr|hrs|hours?)?$/.exec(text);
  if (m) return Math.round(Number(m[1]) * 60);
  m = /^(\d+)\s*(m|min|mins|minutes?)$/.exec(text);
  if (m) return Number(m[1]);
  m = /^(\d+)\s*(?:h|hr|hrs|hours?)\s*(\d+)\s*(?:m|min|mins|minutes?)?$/.exec(text);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  return undefined;
}

/** What `input` bills as with steps of `incrementMinutes` (rounded up), or why it cannot be used. */
export function billableTime(input: string, incrementMinutes: number): BillableTime {
  const entered = parseDuration(input);
  if (entered === undefined)
    return { ok: false, message: 'Enter the time as hours and minutes (1:30) or hours (1.5).' };
  if (entered <= 0) return { ok: false, message: 'Enter a time of more than zero.' };
  const step = Math.max(1, Math.floor(incrementMinutes));
  const minutes = Math.ceil(entered / step) * step;
  if (minutes > MAX_MINUTES) return { ok: false, message: 'Enter at most 24 hours.' };
  return { ok: true, enteredMinutes: entered, minutes, text: hoursAndMinutes(minutes), rounded: minutes !== entered };
}
