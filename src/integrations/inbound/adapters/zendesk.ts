/**
 * Zendesk webhooks (invoked by a trigger when the ticket field "appointment status" changes; body as in
 * `custom.ts`). Signature: `X-Zendesk-Webhook-Signature` = base64 HMAC-SHA256(signing secret,
 * `X-Zendesk-Webhook-Signature-Timestamp` + raw body); timestamps older than 5 minutes are rejected.
 */
import { fresh, hmac, safeEqual } from '../crypto';
import type { InboundAdapter } from '../types';
import { customBody, customEvent } from './custom';

export const zendesk: InboundAdapter = {
  platform: 'zendesk',
  requiredSecrets: ['signingSecret'],
  verify(req, settings, now) {
    const signature = req.headers['x-zendesk-webhook-signature'];
    const timestamp = req.headers['x-zendesk-webhook-signature-timestamp'];
    if (!signature || !timestamp) return { ok: false, reason: 'missing X-Zendesk-Webhook-Signature or timestamp' };
    const expected = hmac(
      'sha256',
      settings.secrets.signingSecret ?? '',
      timestamp + req.rawBody.toString('utf8'),
      'base64',
    );
    if (!safeEqual(signature, expected)) return { ok: false, reason: 'signature mismatch' };
    if (!fresh(Date.parse(timestamp), now, 5 * 60_000)) return { ok: false, reason: 'stale timestamp' };
    return { ok: true };
  },
  parse(req, settings) {
    return [{ event: customEvent('Zendesk', customBody.parse(JSON.parse(req.rawBody.toString('utf8'))), settings) }];
  },
};
