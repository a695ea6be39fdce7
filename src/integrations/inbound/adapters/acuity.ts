/**
 * Acuity Scheduling webhooks: a form-encoded POST with `action` (scheduled, rescheduled, canceled,
 * changed), `id`, `calendarID`, `appointmentTypeID` — ids only. Signature: `X-Acuity-Signature` =
 * base64 HMAC-SHA256(API key, raw body); Acuity signs no timestamp. Details come from
 * `GET /api/v1/appointments/{id}` (HTTP Basic: user id and API key). The dedupe key includes the
 * appointment's fetched time, so a second reschedule of the same appointment is not mistaken for a
 * redelivery of the first.
 */
import { z } from 'zod';
import { hmac, safeEqual } from '../crypto';
import type { InboundAdapter, NormalisedEvent } from '../types';

export const acuityForm = z.object({
  action: z.enum([
    'scheduled',
    'rescheduled',
    'canceled',
    'changed',
    'appointment.scheduled',
    'appointment.rescheduled',
    'appointment.canceled',
    'appointment.changed',
  ]),
  id: z.string().regex(/^\d+$/, 'expected a numeric appointment id'),
  calendarID: z.string().optional(),
  appointmentTypeID: z.string().optional(),
});

export const acuityAppointment = z.object({
  id: z.number(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  phone: z.string().optional(),
  datetime: z.string(),
  endTime: z.string().optional(),
  duration: z.union([z.string(), z.number()]).optional(),
  timezone: z.string().optional(),
  type: z.string().optional(),
  canceled: z.boolean().optional(),
  noShow: z.boolean().optional(),
});

export const acuity: InboundAdapter = {
  platform: 'acuity',
  requiredSecrets: ['apiKey', 'userId'],
  defaultApiBase: 'https://acuityscheduling.com',
  verify(req, settings) {
    const signature = req.headers['x-acuity-signature'];
    if (!signature) return { ok: false, reason: 'missing X-Acuity-Signature' };
    const expected = hmac('sha256', settings.secrets.apiKey ?? '', req.rawBody, 'base64');
    return safeEqual(signature, expected) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
  },
  parse(req) {
    const form = acuityForm.parse(Object.fromEntries(new URLSearchParams(req.rawBody.toString('utf8'))));
    const action = form.action.replace(/^appointment\./, '');
    return [
      { fetch: { vendorEventId: `${action}:${form.id}`, externalId: form.id, hint: action, dedupeAfterFetch: true } },
    ];
  },
  async fetchDetails(refs, settings, fetcher) {
    const base = (settings.apiBase ?? 'https://acuityscheduling.com').replace(/\/$/, '');
    const auth = `Basic ${Buffer.from(`${settings.secrets.userId ?? ''}:${settings.secrets.apiKey ?? ''}`).toString('base64')}`;
    const events: NormalisedEvent[] = [];
    for (const ref of refs) {
      const response = await fetcher(`${base}/api/v1/appointments/${encodeURIComponent(ref.externalId)}`, {
        method: 'GET',
        headers: { authorization: auth, accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`Acuity answered ${response.status} for appointment ${ref.externalId}`);
      const a = acuityAppointment.parse(await response.json());
      const startsAt = Date.parse(a.datetime);
      const common = {
        vendorEventId: `${ref.vendorEventId}@${a.datetime}${a.canceled ? ':canceled' : ''}${a.noShow ? ':noshow' : ''}`,
        externalId: ref.externalId,
        description: `${a.firstName} ${a.lastName} <${a.email}> ${ref.hint} ${a.type ?? 'appointment'} at ${a.datetime}`,
      };
      if (ref.hint === 'canceled' || a.canceled) {
        events.push({ ...common, type: 'cancelled', reason: 'Cancelled in Acuity' });
      } else if (a.noShow) {
        events.push({ ...common, type: 'no_show', reason: 'Marked as no-show in Acuity' });
      } else if (ref.hint === 'scheduled') {
        events.push({
          ...common,
          type: 'booked',
          startsAt,
          customer: {
            name: `${a.firstName} ${a.lastName}`.trim(),
            email: a.email,
            ...(a.phone ? { phone: a.phone } : {}),
            ...(a.timezone ? { timeZone: a.timezone } : {}),
          },
        });
      } else {
        events.push({ ...common, type: 'rescheduled', startsAt });
      }
    }
    return { events };
  },
};
