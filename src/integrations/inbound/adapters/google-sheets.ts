/**
 * Google Sheets: the Apps Script in docs/google-sheets-apps-script.gs posts a changed row as JSON
 * (fields as in `custom.ts`) with `X-Appointflow-Signature: t=<unix>,v1=<hex HMAC-SHA256(shared secret,
 * t + "." + body)>`; timestamps older than 5 minutes are rejected.
 */
import { fresh, hmac, safeEqual } from '../crypto';
import type { InboundAdapter } from '../types';
import { customBody, customEvent } from './custom';

export const googleSheets: InboundAdapter = {
  platform: 'google_sheets',
  requiredSecrets: ['sharedSecret'],
  verify(req, settings, now) {
    const header = req.headers['x-appointflow-signature'] ?? '';
    const t = /(?:^|,)t=(\d+)/.exec(header)?.[1];
    const v1 = /(?:^|,)v1=([0-9a-f]+)/.exec(header)?.[1];
    if (!t || !v1) return { ok: false, reason: 'missing or malformed X-Appointflow-Signature' };
    const expected = hmac('sha256', settings.secrets.sharedSecret ?? '', `${t}.${req.rawBody.toString('utf8')}`, 'hex');
    if (!safeEqual(v1, expected)) return { ok: false, reason: 'signature mismatch' };
    if (!fresh(Number(t) * 1000, now, 5 * 60_000)) return { ok: false, reason: 'stale timestamp' };
    return { ok: true };
  },
  parse(req, settings) {
    return [
      { event: customEvent('Google Sheets', customBody.parse(JSON.parse(req.rawBody.toString('utf8'))), settings) },
    ];
  },
};
