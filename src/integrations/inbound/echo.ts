/**
 * Echo suppression between outbound calendar sync and inbound calendar notifications.
 *
 * appointflow writes the staff member's Google Calendar / Outlook event (src/outbound/platforms.ts) and
 * also listens to that calendar's change notifications. Every write we make comes back as a
 * notification about "our" event. Such an echo must change nothing — otherwise a notification about an
 * older write (fetched after the appointment moved again in appointflow) would move the appointment
 * back, the move would be synced out again, and the two would play ping-pong.
 *
 * The outbound sync keeps, per platform and appointment, the event it wrote and the times it wrote
 * (`outbound_links.data.syncedStartsAt`). A notification is our echo when:
 *   - it reports for that same event the start we last wrote (whatever the appointment's start is now), or
 *   - it reports an event of ours cancelled/deleted while the appointment is not cancelled and our link
 *     has since moved to another event (Graph), or the appointment's staff member now has another
 *     calendar than the one the event is in (the sync is moving it; its link may not be updated yet),
 *     or the watched Google calendar is not the one we now write to: we removed it ourselves when the
 *     appointment moved to another staff member.
 * Anything else (a different start, a delete of the event we still hold) is a real change made in the
 * calendar and is applied as usual, once; the outbound sync then writes the same time back at most once,
 * and that write's echo is recognised by the first rule.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { NormalisedEvent, PlatformSettings } from './types';

export const CALENDAR_PLATFORMS: readonly string[] = ['google_calendar', 'microsoft_graph'];

/** Why `event` is the echo of appointflow's own calendar write, or undefined when it is a real change. */
export async function calendarEcho(
  db: Kysely<Database>,
  settings: PlatformSettings,
  event: NormalisedEvent,
  appointment: { id: string; status: string },
): Promise<string | undefined> {
  if (!CALENDAR_PLATFORMS.includes(settings.platform)) return undefined;
  const link = await db
    .selectFrom('outbound_links')
    .select(['external_id', 'data'])
    .where('platform', '=', settings.platform)
    .where('appointment_id', '=', appointment.id)
    .executeTakeFirst();
  if (!link) return undefined;
  if (event.type === 'rescheduled' || event.type === 'booked') {
    const written = typeof link.data.syncedStartsAt === 'string' ? Date.parse(link.data.syncedStartsAt) : NaN;
    if (link.external_id === event.externalId && event.startsAt === written) {
      return `echo of appointflow's own calendar write (${new Date(written).toISOString()})`;
    }
    return undefined;
  }
  if (event.type === 'cancelled' && appointment.status !== 'cancelled') {
    if (link.external_id !== event.externalId) return 'echo of appointflow replacing this calendar event';
    // The appointment moved to another staff member: the outbound sync is deleting the event from the
    // old calendar (its link may not point at the new event yet).
    const held = typeof link.data.userId === 'string' ? link.data.userId : link.data.calendarId;
    const expected = await currentCalendar(db, settings.platform, appointment.id);
    if (typeof held === 'string' && expected && held !== expected) {
      return `echo of appointflow moving this event from ${held} to ${expected}`;
    }
    const watched = typeof settings.options.calendarId === 'string' ? settings.options.calendarId : undefined;
    const current = typeof link.data.calendarId === 'string' ? link.data.calendarId : undefined;
    if (settings.platform === 'google_calendar' && watched && watched !== 'primary' && current && watched !== current) {
      return `echo of appointflow moving this event from ${watched} to ${current}`;
    }
  }
  return undefined;
}

/** The calendar (Google calendar id / Graph user) outbound sync writes the appointment to now. */
async function currentCalendar(db: Kysely<Database>, platform: string, appointmentId: string) {
  const row = await db
    .selectFrom('appointments as a')
    .innerJoin('staff as s', 's.id', 'a.staff_id')
    .select(['a.staff_id', 's.email'])
    .where('a.id', '=', appointmentId)
    .executeTakeFirst();
  if (!row) return undefined;
  const config = await db
    .selectFrom('outbound_integrations')
    .select('settings')
    .where('platform', '=', platform as 'google_calendar' | 'microsoft_graph')
    .executeTakeFirst();
  const map = (config?.settings ?? {})[platform === 'google_calendar' ? 'calendars' : 'users'];
  const mapped = map && typeof map === 'object' ? (map as Record<string, unknown>)[row.staff_id] : undefined;
  return typeof mapped === 'string' ? mapped : row.email;
}
