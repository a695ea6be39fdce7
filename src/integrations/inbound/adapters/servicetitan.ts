/**
 * ServiceTitan V2 webhooks (developer-next.servicetitan.io/docs/webhooks, public-api-developer.st.dev
 * /docs/faqs-v2-webhooks). What the vendor documents: an app subscribes to events with a callback URL
 * per event; deliveries are JSON POSTs; an optional HMAC key of 32–64 characters is shared with the app
 * and "a hash of the payload using the shared secret" is sent "in the request header"; a non-2xx answer
 * is retried after 10, 30, 60 and 300 s, then replayable from the developer portal; the V2 payload
 * models are "closely aligned" with the APIs (JPM v2 appointment: `id`, `jobId`, `start`, `end`,
 * `status`).
 *
 * What the reachable documentation does not state, and is therefore configurable here:
 *   - the header's name — option `signatureHeader`, default `X-ServiceTitan-Signature`;
 *   - the digest's encoding — option `signatureEncoding`: `base64`, `hex`, or `auto` (default: either
 *     encoding of HMAC-SHA256(HMAC key, raw body) is accepted; a `sha256=` prefix is ignored);
 *   - the envelope's field names — `eventId` (or `id`), `eventType` (or `type`), optional `tenantId`,
 *     and the appointment under `data` (JPM field names, `id` or `appointmentId`).
 * The HMAC is optional at ServiceTitan; appointflow requires it (`hmacKey`), so an unsigned delivery is
 * rejected. ServiceTitan signs no timestamp, so there is no staleness check; redeliveries and replays are
 * caught by the event id.
 *
 * Events (the normalised type name, case and punctuation ignored): …rescheduled… → reschedule to
 * `data.start` (or, when the payload carries ids only, the start fetched from
 * `GET /jpm/v2/tenant/{tenant}/appointments/{id}` with an OAuth2 client-credentials bearer token and the
 * `ST-App-Key` header, in the fetch activity); …cancel… → cancel; …no-show… / …dismiss… → no-show;
 * other appointment events (…status…, …updated…) → a status change, where a status of `Canceled` is a
 * cancel and `Dismissed` / `NoShow` a no-show. Events that are not about an appointment (jobs,
 * customers, invoices) are stored and ignored.
 */
import { z } from 'zod';
import { hmac, safeEqual } from '../crypto';
import type { InboundAdapter, InboundItem, NormalisedEvent, PlatformSettings } from '../types';

export const SERVICETITAN_SIGNATURE_HEADER = 'x-servicetitan-signature';
export const SERVICETITAN_API_BASE = 'https://api.servicetitan.io';
export const SERVICETITAN_AUTH_BASE = 'https://auth.servicetitan.io';

const id = z.union([z.number().int().nonnegative(), z.string().min(1)]).transform(String);

/** A JPM v2 appointment (the API's field names; the webhook payload's `data` is aligned with them). */
export const serviceTitanAppointment = z.object({
  id: id.optional(),
  appointmentId: id.optional(),
  jobId: id.optional(),
  start: z.string().nullable().optional(),
  end: z.string().nullable().optional(),
  arrivalWindowStart: z.string().nullable().optional(),
  arrivalWindowEnd: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
});

export const serviceTitanBody = z
  .object({
    eventId: id.optional(),
    id: id.optional(),
    eventType: z.string().min(1).optional(),
    type: z.string().min(1).optional(),
    tenantId: id.optional(),
    data: serviceTitanAppointment.optional(),
  })
  .refine((b) => b.eventId !== undefined || b.id !== undefined, {
    message: 'expected the event id (eventId)',
    path: ['eventId'],
  })
  .refine((b) => b.eventType !== undefined || b.type !== undefined, {
    message: 'expected the event type (eventType)',
    path: ['eventType'],
  });

const squash = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');

type Kind = 'rescheduled' | 'cancelled' | 'no_show' | 'status_changed';

/** The normalised meaning of an appointment status (JPM: Scheduled, Dispatched, Working, Hold, Done, Canceled). */
function statusKind(status: string | null | undefined): Kind | undefined {
  const s = squash(status ?? '');
  if (s.startsWith('cancel')) return 'cancelled';
  if (s === 'dismissed' || s === 'noshow') return 'no_show';
  return undefined;
}

function eventKind(eventType: string): Kind | undefined {
  const t = squash(eventType);
  if (t.includes('noshow') || t.includes('dismiss')) return 'no_show';
  if (t.includes('cancel')) return 'cancelled';
  if (t.includes('resched')) return 'rescheduled';
  if (t.includes('status') || t.includes('updat') || t.includes('chang')) return 'status_changed';
  return undefined;
}

function option(settings: PlatformSettings, name: string): string | undefined {
  const value = settings.options[name];
  return typeof value === 'string' && value ? value : undefined;
}

export const serviceTitan: InboundAdapter = {
  platform: 'servicetitan',
  requiredSecrets: ['hmacKey'],
  defaultApiBase: SERVICETITAN_API_BASE,
  checkSettings({ secrets, options }) {
    const problems: Array<{ field: string; message: string }> = [];
    const key = secrets.hmacKey ?? '';
    if (key.length < 32 || key.length > 64) {
      problems.push({ field: 'secrets.hmacKey', message: 'expected the 32- to 64-character HMAC key of the app' });
    }
    const encoding = options.signatureEncoding;
    if (encoding !== undefined && !['auto', 'base64', 'hex'].includes(encoding as string)) {
      problems.push({ field: 'options.signatureEncoding', message: 'expected auto, base64 or hex' });
    }
    const header = options.signatureHeader;
    if (header !== undefined && (typeof header !== 'string' || !/^[A-Za-z0-9-]+$/.test(header))) {
      problems.push({ field: 'options.signatureHeader', message: 'expected an HTTP header name' });
    }
    const tenant = options.tenantId;
    if (tenant !== undefined && (typeof tenant !== 'string' || !/^\d+$/.test(tenant))) {
      problems.push({ field: 'options.tenantId', message: 'expected the numeric tenant id as a string' });
    }
    return problems;
  },
  verify(req, settings) {
    const header = (option(settings, 'signatureHeader') ?? SERVICETITAN_SIGNATURE_HEADER).toLowerCase();
    const raw = req.headers[header];
    if (!raw) return { ok: false, reason: `missing ${header}` };
    const signature = raw.trim().replace(/^sha256=/i, '');
    const key = settings.secrets.hmacKey ?? '';
    const encoding = option(settings, 'signatureEncoding') ?? 'auto';
    const base64 = encoding !== 'hex' && safeEqual(signature, hmac('sha256', key, req.rawBody, 'base64'));
    const hex = encoding !== 'base64' && safeEqual(signature.toLowerCase(), hmac('sha256', key, req.rawBody, 'hex'));
    return base64 || hex ? { ok: true } : { ok: false, reason: 'signature mismatch' };
  },
  parse(req): InboundItem[] {
    const body = serviceTitanBody.parse(JSON.parse(req.rawBody.toString('utf8')));
    const eventType = (body.eventType ?? body.type)!;
    const vendorEventId = (body.eventId ?? body.id)!;
    const data = body.data;
    const appointmentId = data?.appointmentId ?? data?.id;
    const aboutAppointment = squash(eventType).includes('appointment') || data?.appointmentId !== undefined;
    let kind = aboutAppointment ? eventKind(eventType) : undefined;
    if (!kind || !appointmentId) {
      return [{ event: { type: 'ignored', vendorEventId, externalId: appointmentId ?? '' } }];
    }
    if (kind === 'status_changed') kind = statusKind(data?.status) ?? kind;
    const base = { vendorEventId, externalId: appointmentId };
    const job = data?.jobId ? ` (job ${data.jobId})` : '';
    switch (kind) {
      case 'cancelled':
        return [{ event: { ...base, type: 'cancelled', reason: `Cancelled in ServiceTitan${job}` } }];
      case 'no_show':
        return [{ event: { ...base, type: 'no_show', reason: `Dismissed / no-show in ServiceTitan${job}` } }];
      case 'rescheduled': {
        const startsAt = data?.start ? Date.parse(data.start) : Number.NaN;
        if (!Number.isFinite(startsAt)) {
          return [{ fetch: { ...base, hint: 'rescheduled', ...(body.tenantId ? { resource: body.tenantId } : {}) } }];
        }
        const endsAt = data?.end ? Date.parse(data.end) : Number.NaN;
        return [{ event: { ...base, type: 'rescheduled', startsAt, ...(Number.isFinite(endsAt) ? { endsAt } : {}) } }];
      }
      case 'status_changed':
        if (!data?.status) {
          return [{ fetch: { ...base, hint: 'status', ...(body.tenantId ? { resource: body.tenantId } : {}) } }];
        }
        return [
          {
            event: {
              ...base,
              type: 'status_changed',
              status: data.status,
              description: `ServiceTitan appointment ${appointmentId}${job} is now ${data.status} (${eventType})`,
            },
          },
        ];
    }
  },
  async fetchDetails(refs, settings, fetcher) {
    const base = (settings.apiBase ?? SERVICETITAN_API_BASE).replace(/\/$/, '');
    const authBase = (option(settings, 'authBase') ?? SERVICETITAN_AUTH_BASE).replace(/\/$/, '');
    const token = await fetcher(`${authBase}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: settings.secrets.clientId ?? '',
        client_secret: settings.secrets.clientSecret ?? '',
      }).toString(),
    });
    if (!token.ok) throw new Error(`ServiceTitan token endpoint answered ${token.status}`);
    const { access_token: accessToken } = z.object({ access_token: z.string().min(1) }).parse(await token.json());
    const events: NormalisedEvent[] = [];
    for (const ref of refs) {
      const tenant = ref.resource ?? option(settings, 'tenantId');
      if (!tenant) throw new Error('ServiceTitan: no tenant id (option tenantId) to fetch the appointment');
      const response = await fetcher(
        `${base}/jpm/v2/tenant/${encodeURIComponent(tenant)}/appointments/${encodeURIComponent(ref.externalId)}`,
        {
          method: 'GET',
          headers: {
            authorization: `Bearer ${accessToken}`,
            'st-app-key': settings.secrets.appKey ?? '',
            accept: 'application/json',
          },
        },
      );
      if (!response.ok) throw new Error(`ServiceTitan answered ${response.status} for appointment ${ref.externalId}`);
      const a = serviceTitanAppointment.parse(await response.json());
      const common = { vendorEventId: ref.vendorEventId, externalId: ref.externalId };
      const byStatus = statusKind(a.status);
      const startsAt = a.start ? Date.parse(a.start) : Number.NaN;
      if (byStatus === 'cancelled') {
        events.push({ ...common, type: 'cancelled', reason: 'Cancelled in ServiceTitan' });
      } else if (byStatus === 'no_show') {
        events.push({ ...common, type: 'no_show', reason: 'Dismissed / no-show in ServiceTitan' });
      } else if (ref.hint === 'rescheduled' && Number.isFinite(startsAt)) {
        const endsAt = a.end ? Date.parse(a.end) : Number.NaN;
        events.push({ ...common, type: 'rescheduled', startsAt, ...(Number.isFinite(endsAt) ? { endsAt } : {}) });
      } else {
        events.push({
          ...common,
          type: 'status_changed',
          status: a.status ?? 'unknown',
          description: `ServiceTitan appointment ${ref.externalId} is now ${a.status ?? 'unknown'}${a.start ? ` (starts ${a.start})` : ''}`,
        });
      }
    }
    return { events };
  },
};
