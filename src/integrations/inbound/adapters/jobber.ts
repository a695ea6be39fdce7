/**
 * Jobber webhooks: `{ data: { webHookEvent: { topic, appId, accountId, itemId, occurredAt } } }`,
 * at-least-once, to be answered within 1 second. Signature: `X-Jobber-Hmac-SHA256` = base64
 * HMAC-SHA256(the app's OAuth client secret, raw body). Jobber signs no timestamp. Dedupe: topic, item
 * and occurredAt.
 *
 * A deleted visit (`VISIT_DESTROY`) cancels the linked appointment. Any other visit topic (an update,
 * a completion) carries no details and Jobber's GraphQL fields for a visit's time could not be
 * confirmed from its documentation, so it becomes a status change: a timeline note and a staff task to
 * check the visit ("trigger a manual override", seed 003) rather than a guessed reschedule.
 */
import { z } from 'zod';
import { hmac, safeEqual } from '../crypto';
import type { InboundAdapter } from '../types';

export const jobberBody = z.object({
  data: z.object({
    webHookEvent: z.object({
      topic: z.string().min(1),
      appId: z.string().optional(),
      accountId: z.string().optional(),
      itemId: z.string().min(1),
      occurredAt: z.string().min(1),
    }),
  }),
});

export const jobber: InboundAdapter = {
  platform: 'jobber',
  requiredSecrets: ['clientSecret'],
  verify(req, settings) {
    const signature = req.headers['x-jobber-hmac-sha256'];
    if (!signature) return { ok: false, reason: 'missing X-Jobber-Hmac-SHA256' };
    const expected = hmac('sha256', settings.secrets.clientSecret ?? '', req.rawBody, 'base64');
    return safeEqual(signature, expected) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
  },
  parse(req) {
    const e = jobberBody.parse(JSON.parse(req.rawBody.toString('utf8'))).data.webHookEvent;
    const base = { vendorEventId: `${e.topic}:${e.itemId}:${e.occurredAt}`, externalId: e.itemId };
    if (e.topic === 'VISIT_DESTROY') {
      return [{ event: { ...base, type: 'cancelled', reason: 'Visit deleted in Jobber' } }];
    }
    if (e.topic.startsWith('VISIT_')) {
      const what = e.topic.slice('VISIT_'.length).toLowerCase();
      return [
        {
          event: {
            ...base,
            type: 'status_changed',
            status: what,
            description: `Jobber visit ${e.itemId} ${what} at ${e.occurredAt}: check its time and status`,
          },
        },
      ];
    }
    return [{ event: { ...base, type: 'ignored' } }];
  },
};
