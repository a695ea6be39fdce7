/**
 * Calendly webhooks (v2): `invitee.created`, `invitee.canceled` (with `rescheduled: true` and
 * `new_invitee` when it is the first half of a reschedule), `invitee_no_show.created`.
 * Signature: `Calendly-Webhook-Signature: t=<unix>,v1=<hex>`, v1 = HMAC-SHA256(signing key,
 * `t + "." + rawBody`); timestamps older than 3 minutes are rejected. The external id is the invitee
 * URI. Calendly sends no event id, so the dedupe key is the event name and the invitee (or no-show) URI.
 */
import { z } from 'zod';
import { fresh, hmac, safeEqual } from '../crypto';
import type { InboundAdapter, NormalisedEvent } from '../types';

export const CALENDLY_TOLERANCE_MS = 3 * 60_000;

const scheduledEvent = z.object({
  uri: z.string(),
  name: z.string().optional(),
  status: z.string().optional(),
  start_time: z.iso.datetime({ offset: true }),
  end_time: z.iso.datetime({ offset: true }),
});

const invitee = z.object({
  uri: z.string().min(1),
  email: z.string(),
  name: z.string(),
  status: z.string().optional(),
  timezone: z.string().nullish(),
  text_reminder_number: z.string().nullish(),
  rescheduled: z.boolean().optional(),
  old_invitee: z.string().nullish(),
  new_invitee: z.string().nullish(),
  scheduled_event: scheduledEvent,
  cancellation: z.object({ reason: z.string().nullish(), canceler_type: z.string().nullish() }).nullish(),
});

const noShowPayload = z.object({
  uri: z.string().min(1),
  invitee: z.string().min(1),
  created_at: z.string().optional(),
});

export const calendlyBody = z.discriminatedUnion('event', [
  z.object({ event: z.literal('invitee.created'), created_at: z.string(), payload: invitee }),
  z.object({ event: z.literal('invitee.canceled'), created_at: z.string(), payload: invitee }),
  z.object({ event: z.literal('invitee_no_show.created'), created_at: z.string(), payload: noShowPayload }),
  z.object({ event: z.literal('invitee_no_show.deleted'), created_at: z.string(), payload: noShowPayload }),
  z.object({ event: z.literal('routing_form_submission.created'), created_at: z.string(), payload: z.unknown() }),
]);

export const calendly: InboundAdapter = {
  platform: 'calendly',
  requiredSecrets: ['signingKey'],
  verify(req, settings, now) {
    const header = req.headers['calendly-webhook-signature'];
    if (!header) return { ok: false, reason: 'missing Calendly-Webhook-Signature' };
    const parts = Object.fromEntries(
      header.split(',').map((part) => {
        const [k, ...v] = part.trim().split('=');
        return [k, v.join('=')];
      }),
    ) as Record<string, string | undefined>;
    const t = Number(parts.t);
    if (!parts.t || !parts.v1) return { ok: false, reason: 'malformed Calendly-Webhook-Signature' };
    const expected = hmac(
      'sha256',
      settings.secrets.signingKey ?? '',
      `${parts.t}.${req.rawBody.toString('utf8')}`,
      'hex',
    );
    if (!safeEqual(parts.v1, expected)) return { ok: false, reason: 'signature mismatch' };
    if (!fresh(t * 1000, now, CALENDLY_TOLERANCE_MS)) return { ok: false, reason: 'stale timestamp' };
    return { ok: true };
  },
  parse(req) {
    const body = calendlyBody.parse(JSON.parse(req.rawBody.toString('utf8')));
    const id = `${body.event}:`;
    switch (body.event) {
      case 'invitee.created': {
        const p = body.payload;
        const event: NormalisedEvent = {
          type: p.old_invitee ? 'rescheduled' : 'booked',
          vendorEventId: id + p.uri,
          externalId: p.uri,
          startsAt: Date.parse(p.scheduled_event.start_time),
          endsAt: Date.parse(p.scheduled_event.end_time),
          customer: {
            name: p.name,
            email: p.email,
            ...(p.text_reminder_number ? { phone: p.text_reminder_number } : {}),
            ...(p.timezone ? { timeZone: p.timezone } : {}),
          },
          ...(p.old_invitee ? { replaces: p.old_invitee } : {}),
          description: `${p.name} <${p.email}> booked ${p.scheduled_event.name ?? 'an event'} at ${p.scheduled_event.start_time}`,
        };
        return [{ event }];
      }
      case 'invitee.canceled': {
        const p = body.payload;
        const reason = p.cancellation?.reason ?? 'Cancelled in Calendly';
        const event: NormalisedEvent = {
          type: 'cancelled',
          vendorEventId: id + p.uri,
          externalId: p.uri,
          reason,
          ...(p.rescheduled && p.new_invitee ? { replacedBy: p.new_invitee } : {}),
          description: `${p.name} <${p.email}> cancelled ${p.scheduled_event.name ?? 'an event'} at ${p.scheduled_event.start_time}`,
        };
        return [{ event }];
      }
      case 'invitee_no_show.created':
        return [
          {
            event: {
              type: 'no_show',
              vendorEventId: id + body.payload.uri,
              externalId: body.payload.invitee,
              reason: 'Marked as no-show in Calendly',
            },
          },
        ];
      default:
        return [
          {
            event: {
              type: 'ignored',
              vendorEventId: `${body.event}:${body.created_at}`,
              externalId: '',
            },
          },
        ];
    }
  },
};
