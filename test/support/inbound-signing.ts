/**
 * Vendors' published signing algorithms, re-implemented from their documentation for the tests (not
 * shared with the adapters), plus the fixtures under test/fixtures/integrations.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '..', 'fixtures', 'integrations');

export function fixture(platform: string, name: string): string {
  return readFileSync(join(FIXTURES, platform, name), 'utf8');
}

export function fixtureJson<T = Record<string, unknown>>(platform: string, name: string): T {
  return JSON.parse(fixture(platform, name)) as T;
}

const b64 = (key: string, data: string) => createHmac('sha256', key).update(data).digest('base64');
const hex = (key: string, data: string) => createHmac('sha256', key).update(data).digest('hex');

/** Calendly: `Calendly-Webhook-Signature: t=<unix>,v1=hex HMAC-SHA256(key, t + "." + body)`. */
export const signCalendly = (key: string, body: string, nowMs = Date.now()) => {
  const t = Math.floor(nowMs / 1000);
  return { 'calendly-webhook-signature': `t=${t},v1=${hex(key, `${t}.${body}`)}` };
};

/** Acuity: `X-Acuity-Signature` = base64 HMAC-SHA256(API key, body). */
export const signAcuity = (apiKey: string, body: string) => ({ 'x-acuity-signature': b64(apiKey, body) });

/** Square: base64 HMAC-SHA256(signature key, notification URL + body). */
export const signSquare = (key: string, url: string, body: string) => ({
  'x-square-hmacsha256-signature': b64(key, url + body),
});

/** HubSpot v3: base64 HMAC-SHA256(client secret, method + uri + body + timestamp). */
export const signHubSpot = (secret: string, method: string, uri: string, body: string, nowMs = Date.now()) => ({
  'x-hubspot-signature-v3': b64(secret, `${method}${uri}${body}${nowMs}`),
  'x-hubspot-request-timestamp': String(nowMs),
});

/** Zendesk: base64 HMAC-SHA256(signing secret, timestamp + body). */
export const signZendesk = (secret: string, body: string, nowMs = Date.now()) => {
  const timestamp = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    'x-zendesk-webhook-signature': b64(secret, timestamp + body),
    'x-zendesk-webhook-signature-timestamp': timestamp,
  };
};

/** Jobber: `X-Jobber-Hmac-SHA256` = base64 HMAC-SHA256(OAuth client secret, body). */
export const signJobber = (secret: string, body: string) => ({ 'x-jobber-hmac-sha256': b64(secret, body) });

/** QuickBooks: `intuit-signature` = base64 HMAC-SHA256(verifier token, body). */
export const signQuickBooks = (token: string, body: string) => ({ 'intuit-signature': b64(token, body) });

/** appointflow's Google Sheets script: `X-Appointflow-Signature: t=<unix>,v1=hex HMAC(secret, t.body)`. */
export const signSheets = (secret: string, body: string, nowMs = Date.now()) => {
  const t = Math.floor(nowMs / 1000);
  return { 'x-appointflow-signature': `t=${t},v1=${hex(secret, `${t}.${body}`)}` };
};

export const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

/**
 * ServiceTitan V2: an HMAC-SHA256 of the raw body with the app's HMAC key, in a request header. The
 * vendor's reachable text names neither the header nor the encoding: appointflow's defaults
 * (`X-ServiceTitan-Signature`, base64 or hex) are used here, as documented in docs/integrations-inbound.md.
 */
export const signServiceTitan = (
  key: string,
  body: string,
  options: { encoding?: 'base64' | 'hex'; header?: string } = {},
) => ({
  [options.header ?? 'x-servicetitan-signature']: options.encoding === 'hex' ? hex(key, body) : b64(key, body),
});
