/**
 * HubSpot webhooks (v3 signature): a JSON array of `{eventId, subscriptionId, portalId, occurredAt,
 * subscriptionType, objectId, propertyName, propertyValue, changeSource}`. Signature:
 * `X-HubSpot-Signature-v3` = base64 HMAC-SHA256(client secret, method + URI + body + timestamp) with
 * `X-HubSpot-Request-Timestamp` (ms) no older than 5 minutes. The URI is the full URL HubSpot called.
 * Watched properties of the meeting / appointment object: the outcome (`hs_meeting_outcome`, values
 * CANCELED / NO_SHOW / RESCHEDULED / COMPLETED …) and the start time (`hs_meeting_start_time`, epoch
 * ms or ISO). The property names are configurable (options `statusProperty`, `startProperty`).
 * Dedupe on `eventId`.
 */
import { z } from 'zod';
import { fresh, hmac, safeEqual } from '../crypto';
import type { InboundAdapter, InboundItem } from '../types';

export const HUBSPOT_TOLERANCE_MS = 5 * 60_000;

export const hubspotBody = z
  .array(
    z.object({
      eventId: z.union([z.number(), z.string()]),
      subscriptionId: z.number().optional(),
      portalId: z.number().optional(),
      occurredAt: z.number().optional(),
      subscriptionType: z.string(),
      objectId: z.union([z.number(), z.string()]),
      propertyName: z.string().optional(),
      propertyValue: z.string().optional(),
      changeSource: z.string().optional(),
    }),
  )
  .min(1);

export const hubspot: InboundAdapter = {
  platform: 'hubspot',
  requiredSecrets: ['clientSecret'],
  verify(req, settings, now) {
    const signature = req.headers['x-hubspot-signature-v3'];
    const timestamp = req.headers['x-hubspot-request-timestamp'];
    if (!signature || !timestamp) return { ok: false, reason: 'missing X-HubSpot-Signature-v3 or timestamp' };
    let uri = req.url;
    try {
      uri = decodeURIComponent(req.url);
    } catch {
      return { ok: false, reason: 'malformed URI' };
    }
    const source = `${req.method}${uri}${req.rawBody.toString('utf8')}${timestamp}`;
    const expected = hmac('sha256', settings.secrets.clientSecret ?? '', source, 'base64');
    if (!safeEqual(signature, expected)) return { ok: false, reason: 'signature mismatch' };
    if (!fresh(Number(timestamp), now, HUBSPOT_TOLERANCE_MS)) return { ok: false, reason: 'stale timestamp' };
    return { ok: true };
  },
  parse(req, settings) {
    const statusProperty = String(settings.options.statusProperty ?? 'hs_meeting_outcome');
    const startProperty = String(settings.options.startProperty ?? 'hs_meeting_start_time');
    const body = hubspotBody.parse(JSON.parse(req.rawBody.toString('utf8')));
    return body.map((e): InboundItem => {
      const base = { vendorEventId: String(e.eventId), externalId: String(e.objectId) };
      const value = e.propertyValue ?? '';
      if (e.propertyName === startProperty && value) {
        const startsAt = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
        return { event: { ...base, type: 'rescheduled', startsAt } };
      }
      if (e.propertyName === statusProperty) {
        const v = value.toUpperCase();
        if (v === 'CANCELED' || v === 'CANCELLED')
          return { event: { ...base, type: 'cancelled', reason: 'Cancelled in HubSpot' } };
        if (v === 'NO_SHOW') return { event: { ...base, type: 'no_show', reason: 'No-show in HubSpot' } };
        return {
          event: {
            ...base,
            type: 'status_changed',
            status: value,
            description: `HubSpot ${e.subscriptionType}: ${e.propertyName} = ${value}`,
          },
        };
      }
      return { event: { ...base, type: 'ignored' } };
    });
  },
};
