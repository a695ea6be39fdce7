/**
 * Google Calendar push notifications: an empty body and `X-Goog-*` headers. Authenticity: the channel
 * id and token must equal what was registered with `events.watch` (secrets `channelId`,
 * `channelToken`). The first message of a channel has `X-Goog-Resource-State: sync` and is answered
 * 200. `exists` / `not_exists` carry no details: the fetch step lists the calendar's changes with the
 * stored sync token (`GET /calendar/v3/calendars/{calendarId}/events?syncToken=…`, bearer token) —
 * `status: "cancelled"` is a cancel, a changed start a reschedule. Dedupe: channel id + message number.
 */
import { z } from 'zod';
import { safeEqual } from '../crypto';
import type { InboundAdapter, NormalisedEvent } from '../types';

const eventTime = z.object({
  dateTime: z.string().optional(),
  date: z.string().optional(),
  timeZone: z.string().optional(),
});

export const googleEventsList = z.object({
  kind: z.literal('calendar#events'),
  items: z.array(
    z.object({
      id: z.string(),
      status: z.enum(['confirmed', 'tentative', 'cancelled']),
      updated: z.string().optional(),
      summary: z.string().optional(),
      start: eventTime.optional(),
      end: eventTime.optional(),
      /** Set by appointflow's outbound sync on the events it writes. */
      extendedProperties: z
        .object({ private: z.record(z.string(), z.string()).optional() })
        .loose()
        .optional(),
    }),
  ),
  nextPageToken: z.string().optional(),
  nextSyncToken: z.string().optional(),
});

export const googleCalendar: InboundAdapter = {
  platform: 'google_calendar',
  requiredSecrets: ['channelId', 'channelToken', 'accessToken'],
  defaultApiBase: 'https://www.googleapis.com',
  verify(req, settings) {
    const channel = req.headers['x-goog-channel-id'];
    const token = req.headers['x-goog-channel-token'];
    if (!channel || !token) return { ok: false, reason: 'missing X-Goog-Channel-ID or X-Goog-Channel-Token' };
    const channelOk = safeEqual(channel, settings.secrets.channelId ?? '');
    const tokenOk = safeEqual(token, settings.secrets.channelToken ?? '');
    return channelOk && tokenOk ? { ok: true } : { ok: false, reason: 'channel id or token mismatch' };
  },
  parse(req) {
    const headers = z
      .object({
        'x-goog-channel-id': z.string(),
        'x-goog-resource-id': z.string(),
        'x-goog-resource-state': z.enum(['sync', 'exists', 'not_exists']),
        'x-goog-message-number': z.string().regex(/^\d+$/),
      })
      .parse(req.headers);
    const vendorEventId = `${headers['x-goog-channel-id']}:${headers['x-goog-message-number']}`;
    if (headers['x-goog-resource-state'] === 'sync') {
      return [{ event: { type: 'ignored', vendorEventId, externalId: headers['x-goog-resource-id'], status: 'sync' } }];
    }
    return [
      { fetch: { vendorEventId, externalId: headers['x-goog-resource-id'], hint: headers['x-goog-resource-state'] } },
    ];
  },
  async fetchDetails(refs, settings, fetcher) {
    const base = (settings.apiBase ?? 'https://www.googleapis.com').replace(/\/$/, '');
    const calendarId = String(settings.options.calendarId ?? 'primary');
    let syncToken = typeof settings.state.syncToken === 'string' ? settings.state.syncToken : undefined;
    const events: NormalisedEvent[] = [];
    const ref = refs[0];
    if (!ref) return { events };
    let pageToken: string | undefined;
    for (;;) {
      const params = new URLSearchParams({ showDeleted: 'true', singleEvents: 'true' });
      if (syncToken) params.set('syncToken', syncToken);
      else params.set('updatedMin', new Date(Date.now() - 24 * 3600_000).toISOString());
      if (pageToken) params.set('pageToken', pageToken);
      const response = await fetcher(
        `${base}/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events?${params.toString()}`,
        { method: 'GET', headers: { authorization: `Bearer ${settings.secrets.accessToken ?? ''}` } },
      );
      if (response.status === 410) {
        syncToken = undefined; // token expired: full window again
        continue;
      }
      if (!response.ok) throw new Error(`Google Calendar answered ${response.status}`);
      const page = googleEventsList.parse(await response.json());
      for (const item of page.items) {
        const stamp = `${item.id}@${item.updated ?? ref.vendorEventId}`;
        const ours = item.extendedProperties?.private?.appointflowAppointmentId;
        const appointmentId = ours ? { appointmentId: ours } : {};
        if (item.status === 'cancelled') {
          events.push({
            type: 'cancelled',
            vendorEventId: `${stamp}:cancelled`,
            externalId: item.id,
            ...appointmentId,
            reason: 'Cancelled in Google Calendar',
          });
        } else if (item.start?.dateTime) {
          events.push({
            type: 'rescheduled',
            vendorEventId: `${stamp}:${item.start.dateTime}`,
            externalId: item.id,
            ...appointmentId,
            startsAt: Date.parse(item.start.dateTime),
            ...(item.end?.dateTime ? { endsAt: Date.parse(item.end.dateTime) } : {}),
            description: `Google Calendar event "${item.summary ?? item.id}" at ${item.start.dateTime}`,
          });
        }
      }
      if (page.nextPageToken) {
        pageToken = page.nextPageToken;
        continue;
      }
      return { events, state: page.nextSyncToken ? { syncToken: page.nextSyncToken } : {} };
    }
  },
};
