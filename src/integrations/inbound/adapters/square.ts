/**
 * Square Appointments: `booking.created` and `booking.updated` event notifications. Signature:
 * `x-square-hmacsha256-signature` = base64 HMAC-SHA256(signature key, notification URL + raw body); the
 * notification URL is the one registered in Square (option `notificationUrl`, else public base URL +
 * path). Square signs no timestamp. Dedupe on `event_id`. Status CANCELLED_BY_CUSTOMER /
 * CANCELLED_BY_SELLER / DECLINED → cancelled, NO_SHOW → no-show, otherwise an update carries the
 * (possibly new) `start_at`: the appointment is moved when it differs.
 */
import { z } from 'zod';
import { hmac, safeEqual } from '../crypto';
import type { InboundAdapter, NormalisedEvent } from '../types';

const booking = z.object({
  id: z.string().min(1),
  version: z.number().optional(),
  status: z.string(),
  start_at: z.iso.datetime({ offset: true }),
  customer_id: z.string().optional(),
  customer_note: z.string().optional(),
  appointment_segments: z
    .array(z.object({ duration_minutes: z.number(), team_member_id: z.string().optional() }))
    .optional(),
});

export const squareBody = z.object({
  merchant_id: z.string(),
  type: z.string(),
  event_id: z.string().min(1),
  created_at: z.string(),
  data: z.object({
    type: z.string(),
    id: z.string(),
    object: z.object({ booking }).optional(),
  }),
});

const CANCELLED = new Set(['CANCELLED_BY_CUSTOMER', 'CANCELLED_BY_SELLER', 'DECLINED']);

export const square: InboundAdapter = {
  platform: 'square',
  requiredSecrets: ['signatureKey'],
  verify(req, settings) {
    const signature = req.headers['x-square-hmacsha256-signature'];
    if (!signature) return { ok: false, reason: 'missing x-square-hmacsha256-signature' };
    const url = typeof settings.options.notificationUrl === 'string' ? settings.options.notificationUrl : req.url;
    const expected = hmac('sha256', settings.secrets.signatureKey ?? '', url + req.rawBody.toString('utf8'), 'base64');
    return safeEqual(signature, expected) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
  },
  parse(req) {
    const body = squareBody.parse(JSON.parse(req.rawBody.toString('utf8')));
    const b = body.data.object?.booking;
    if (!b || !body.type.startsWith('booking.')) {
      return [{ event: { type: 'ignored', vendorEventId: body.event_id, externalId: body.data.id } }];
    }
    const minutes = b.appointment_segments?.reduce((sum, s) => sum + s.duration_minutes, 0) ?? 0;
    const startsAt = Date.parse(b.start_at);
    const base = {
      vendorEventId: body.event_id,
      externalId: b.id,
      description: `Square booking ${b.id} (${b.status}) at ${b.start_at}${b.customer_id ? ` for customer ${b.customer_id}` : ''}`,
    };
    let event: NormalisedEvent;
    if (CANCELLED.has(b.status)) event = { ...base, type: 'cancelled', reason: `Square: ${b.status}` };
    else if (b.status === 'NO_SHOW') event = { ...base, type: 'no_show', reason: 'Square: NO_SHOW' };
    else if (body.type === 'booking.created') {
      event = { ...base, type: 'booked', startsAt, ...(minutes ? { endsAt: startsAt + minutes * 60_000 } : {}) };
    } else event = { ...base, type: 'rescheduled', startsAt };
    return [{ event }];
  },
};
