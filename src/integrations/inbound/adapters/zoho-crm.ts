/**
 * Zoho CRM workflow-rule webhooks with custom parameters (form-encoded or JSON, fields as in
 * `custom.ts`, e.g. status = `${Appointments.Status}`). Zoho documents no signature: a `secret`
 * parameter (query string or body) carries the shared secret, compared in constant time.
 */
import { safeEqual } from '../crypto';
import type { InboundAdapter, InboundRequest } from '../types';
import { customBody, customEvent } from './custom';

function fields(req: InboundRequest): Record<string, unknown> {
  const text = req.rawBody.toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('json')) return JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(text));
}

export const zohoCrm: InboundAdapter = {
  platform: 'zoho_crm',
  requiredSecrets: ['sharedSecret'],
  verify(req, settings) {
    let given = req.query.secret;
    if (given === undefined) {
      try {
        const value = fields(req).secret;
        given = typeof value === 'string' ? value : undefined;
      } catch {
        given = undefined;
      }
    }
    if (given === undefined) return { ok: false, reason: 'missing secret parameter' };
    return safeEqual(given, settings.secrets.sharedSecret ?? '')
      ? { ok: true }
      : { ok: false, reason: 'secret mismatch' };
  },
  parse(req, settings) {
    return [{ event: customEvent('Zoho CRM', customBody.parse(fields(req)), settings) }];
  },
};
