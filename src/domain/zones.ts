/**
 * IANA time-zone validation through the runtime's own Intl (no luxon, so workflow code can use it
 * without loading luxon into every cached workflow). Answers are remembered per zone name: the check
 * builds an Intl.DateTimeFormat, which costs milliseconds, and the same few zones come up all day.
 */
const known = new Map<string, boolean>();

/** Whether `zone` is an IANA time-zone name the runtime knows (e.g. 'America/New_York', 'UTC'). */
export function isValidTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.trim() === '') return false;
  let valid = known.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone }).format(0);
      valid = true;
    } catch {
      valid = false;
    }
    if (known.size < 1000) known.set(zone, valid);
  }
  return valid;
}

/** Throws a readable Error unless `zone` is a valid IANA time-zone name. */
export function assertTimeZone(zone: unknown, what = 'time zone'): asserts zone is string {
  if (!isValidTimeZone(zone))
    throw new Error(`invalid ${what} ${JSON.stringify(zone)}: expected an IANA name such as "America/New_York"`);
}
