/**
 * Microsoft Graph (Outlook calendar) change notifications. Validation: `POST ?validationToken=…` is
 * answered 200 text/plain with the decoded token (within 10 s). Notifications `{ value: [...] }` are
 * authentic when each `clientState` equals the secret set on the subscription; they are answered 202.
 * `deleted` → cancel; `created` / `updated` are fetched (`GET /v1.0/{resource}`, bearer token):
 * `isCancelled` → cancel, otherwise the start is the (possibly new) time. Lifecycle notifications
 * (`missed`, `subscriptionRemoved`, `reauthorizationRequired`) become staff tasks.
 * Dedupe: subscription + resource id + change type + etag.
 */
import { z } from 'zod';
import { safeEqual } from '../crypto';
import type { InboundAdapter, InboundItem, NormalisedEvent } from '../types';

const notification = z.object({
  subscriptionId: z.string(),
  subscriptionExpirationDateTime: z.string().optional(),
  clientState: z.string().nullish(),
  changeType: z.enum(['created', 'updated', 'deleted']).optional(),
  lifecycleEvent: z.enum(['missed', 'subscriptionRemoved', 'reauthorizationRequired']).optional(),
  resource: z.string().optional(),
  tenantId: z.string().optional(),
  resourceData: z
    .object({ id: z.string(), '@odata.type': z.string().optional(), '@odata.etag': z.string().optional() })
    .optional(),
});

export const graphBody = z.object({ value: z.array(notification).min(1) });

const dateTimeTimeZone = z.object({ dateTime: z.string(), timeZone: z.string() });
export const graphEvent = z.object({
  id: z.string(),
  subject: z.string().optional(),
  isCancelled: z.boolean().optional(),
  /** appointflow's outbound sync creates its events with `transactionId` = the appointment id. */
  transactionId: z.string().nullish(),
  /** Its body names the appointment too ("appointflow appointment <id>"). */
  body: z.object({ content: z.string().nullish() }).loose().nullish(),
  start: dateTimeTimeZone,
  end: dateTimeTimeZone,
});

/** Graph returns `2026-11-23T10:00:00.0000000` with `timeZone: "UTC"` unless asked otherwise. */
function graphTime(value: z.infer<typeof dateTimeTimeZone>): number {
  const iso = /[zZ]|[+-]\d\d:\d\d$/.test(value.dateTime) ? value.dateTime : `${value.dateTime.slice(0, 23)}Z`;
  return Date.parse(iso);
}

export const microsoftGraph: InboundAdapter = {
  platform: 'microsoft_graph',
  requiredSecrets: ['clientState', 'accessToken'],
  defaultApiBase: 'https://graph.microsoft.com',
  handshake(req) {
    const token = req.query.validationToken;
    if (token === undefined) return undefined;
    return { status: 200, contentType: 'text/plain', body: token };
  },
  verify(req, settings) {
    let body: unknown;
    try {
      body = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      return { ok: false, reason: 'body is not JSON' };
    }
    const parsed = graphBody.safeParse(body);
    if (!parsed.success) return { ok: false, reason: 'not a Graph notification' };
    const expected = settings.secrets.clientState ?? '';
    const allMatch = parsed.data.value.every((n) => safeEqual(n.clientState ?? undefined, expected));
    return allMatch ? { ok: true } : { ok: false, reason: 'clientState mismatch', status: 403 };
  },
  parse(req) {
    const body = graphBody.parse(JSON.parse(req.rawBody.toString('utf8')));
    return body.value.map((n): InboundItem => {
      const id = n.resourceData?.id ?? '';
      const key = `${n.subscriptionId}:${id}:${n.changeType ?? n.lifecycleEvent ?? ''}:${n.resourceData?.['@odata.etag'] ?? ''}`;
      if (n.lifecycleEvent) {
        return {
          event: {
            type: 'status_changed',
            vendorEventId: `${key}:${n.subscriptionExpirationDateTime ?? ''}`,
            externalId: n.subscriptionId,
            status: n.lifecycleEvent,
            description: `Microsoft Graph subscription ${n.subscriptionId}: ${n.lifecycleEvent} (renew or resync it)`,
          },
        };
      }
      if (n.changeType === 'deleted') {
        return { event: { type: 'cancelled', vendorEventId: key, externalId: id, reason: 'Deleted in Outlook' } };
      }
      return {
        fetch: {
          vendorEventId: key,
          externalId: id,
          hint: n.changeType ?? 'updated',
          resource: n.resource ?? `me/events/${id}`,
        },
      };
    });
  },
  async fetchDetails(refs, settings, fetcher) {
    const base = (settings.apiBase ?? 'https://graph.microsoft.com').replace(/\/$/, '');
    const events: NormalisedEvent[] = [];
    for (const ref of refs) {
      const response = await fetcher(
        `${base}/v1.0/${(ref.resource ?? `me/events/${ref.externalId}`).replace(/^\//, '')}`,
        {
          method: 'GET',
          headers: { authorization: `Bearer ${settings.secrets.accessToken ?? ''}`, prefer: 'outlook.timezone="UTC"' },
        },
      );
      if (response.status === 404) {
        events.push({
          type: 'cancelled',
          vendorEventId: ref.vendorEventId,
          externalId: ref.externalId,
          reason: 'Deleted in Outlook',
        });
        continue;
      }
      if (!response.ok) throw new Error(`Microsoft Graph answered ${response.status}`);
      const e = graphEvent.parse(await response.json());
      const marked = /appointflow appointment ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i.exec(
        e.body?.content ?? '',
      )?.[1];
      const ownId = e.transactionId ?? marked;
      const ours = ownId ? { appointmentId: ownId } : {};
      if (e.isCancelled) {
        events.push({
          type: 'cancelled',
          vendorEventId: ref.vendorEventId,
          externalId: ref.externalId,
          ...ours,
          reason: 'Cancelled in Outlook',
        });
      } else {
        events.push({
          type: ref.hint === 'created' ? 'booked' : 'rescheduled',
          vendorEventId: ref.vendorEventId,
          externalId: ref.externalId,
          ...ours,
          startsAt: graphTime(e.start),
          endsAt: graphTime(e.end),
          description: `Outlook event "${e.subject ?? e.id}" at ${e.start.dateTime} ${e.start.timeZone}`,
        });
      }
    }
    return { events };
  },
  acknowledge() {
    return { status: 202, body: '' };
  },
};
