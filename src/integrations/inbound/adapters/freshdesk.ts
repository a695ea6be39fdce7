/**
 * Freshdesk automation-rule webhooks (ticket reason "canceled appointment"; body as in `custom.ts`).
 * Freshdesk documents no signature: the rule sends a shared secret in the `X-Appointflow-Secret`
 * header (or HTTP Basic auth with any user name and the secret as password), compared in constant time.
 */
import { safeEqual } from '../crypto';
import type { InboundAdapter } from '../types';
import { customBody, customEvent } from './custom';

export const freshdesk: InboundAdapter = {
  platform: 'freshdesk',
  requiredSecrets: ['sharedSecret'],
  verify(req, settings) {
    const secret = settings.secrets.sharedSecret ?? '';
    const header = req.headers['x-appointflow-secret'];
    if (header !== undefined)
      return safeEqual(header, secret) ? { ok: true } : { ok: false, reason: 'secret mismatch' };
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (basic?.[1]) {
      const password = Buffer.from(basic[1], 'base64').toString('utf8').split(':').slice(1).join(':');
      return safeEqual(password, secret) ? { ok: true } : { ok: false, reason: 'secret mismatch' };
    }
    return { ok: false, reason: 'missing X-Appointflow-Secret or Basic auth' };
  },
  parse(req, settings) {
    const raw = JSON.parse(req.rawBody.toString('utf8')) as Record<string, unknown>;
    const body = customBody.parse(raw.freshdesk_webhook ?? raw);
    return [{ event: customEvent('Freshdesk', body, settings) }];
  },
};
