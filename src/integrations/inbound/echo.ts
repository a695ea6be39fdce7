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
 *     has since moved to another event (Graph) or another calendar (Google): we removed it ourselves
 *     when the appointment moved to another staff member.
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
    const watched = typeof settings.options.calendarId === 'string' ? settings.options.calendarId : undefined;
    const current = typeof link.data.calendarId === 'string' ? link.data.calendarId : undefined;
    if (settings.platform === 'google_calendar' && watched && watched !== 'primary' && current && watched !== current) {
      return `echo of appointflow moving this event from ${watched} to ${current}`;
    }
  }
  return undefined;
}
