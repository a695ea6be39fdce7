/**
 * The Appointflow-Signature scheme (docs/webhooks.md): a known vector computed independently, the
 * round trip, and every way verification must fail (tampered body, wrong secret, stale or future
 * timestamp, malformed header); a rotated secret (two v1 values) verifies.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  computeSignature,
  generateWebhookSecret,
  signatureHeader,
  verifyAppointflowSignature,
} from '../../../src/outbound/signature';

const secret = 'whsec_test_secret_for_vectors';
const body = '{"id":"evt_1","type":"appointment.booked"}';
const nowMs = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const t = nowMs / 1000;

it('signs t + "." + raw body with HMAC-SHA256, hex, as the docs say', () => {
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  expect(computeSignature(secret, t, body)).toBe(expected);
  expect(signatureHeader(secret, body, nowMs)).toBe(`t=${t},v1=${expected}`);
});

it('verifies its own header within the tolerance window', () => {
  const header = signatureHeader(secret, body, nowMs);
  expect(verifyAppointflowSignature({ header, rawBody: body, secret, nowMs: nowMs + 299_000 })).toEqual({
    ok: true,
    timestamp: t,
  });
  expect(verifyAppointflowSignature({ header, rawBody: Buffer.from(body), secret, nowMs })).toMatchObject({ ok: true });
});

it('rejects a tampered body, a wrong secret, a stale or future timestamp and a malformed header', () => {
  const header = signatureHeader(secret, body, nowMs);
  const check = (over: Partial<Parameters<typeof verifyAppointflowSignature>[0]>) =>
    verifyAppointflowSignature({ header, rawBody: body, secret, nowMs, ...over });
  expect(check({ rawBody: body.replace('booked', 'cancelled') })).toEqual({ ok: false, reason: 'mismatch' });
  expect(check({ secret: 'whsec_someone_else_entirely' })).toEqual({ ok: false, reason: 'mismatch' });
  expect(check({ nowMs: nowMs + 301_000 })).toEqual({ ok: false, reason: 'stale' });
  expect(check({ nowMs: nowMs - 301_000 })).toEqual({ ok: false, reason: 'stale' });
  expect(check({ nowMs: nowMs + 60_000, toleranceSeconds: 30 })).toEqual({ ok: false, reason: 'stale' });
  for (const bad of [undefined, '', 'v1=abc', `t=${t}`, `t=abc,v1=${'0'.repeat(64)}`, `t=${t},v1=nothex`]) {
    expect(check({ header: bad }).ok).toBe(false);
  }
  // A re-signed body with a forged timestamp does not verify against the original signature.
  const v1 = header.split('v1=')[1]!;
  expect(check({ header: `t=${t + 1},v1=${v1}` })).toEqual({ ok: false, reason: 'mismatch' });
});

it('accepts any of several v1 values (secret rotation)', () => {
  const header = `${signatureHeader(secret, body, nowMs)},v1=${computeSignature('whsec_old_secret_value_x', t, body)}`;
  expect(verifyAppointflowSignature({ header, rawBody: body, secret: 'whsec_old_secret_value_x', nowMs }).ok).toBe(
    true,
  );
  expect(verifyAppointflowSignature({ header, rawBody: body, secret, nowMs }).ok).toBe(true);
});

it('generates distinct secrets with 256 bits of randomness', () => {
  const a = generateWebhookSecret();
  expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  expect(generateWebhookSecret()).not.toBe(a);
});

it('the Node.js verification snippet in docs/webhooks.md accepts our signatures and refuses forgeries', () => {
  const doc = readFileSync(join(__dirname, '../../../docs/webhooks.md'), 'utf8');
  const block = /```js\n([\s\S]*?)\n\/\/ Express/.exec(doc)?.[1];
  expect(block).toContain('function verifyAppointflowSignature');
  const documented = new Function('require', `${block}\nreturn verifyAppointflowSignature;`)(require) as (input: {
    header: string;
    rawBody: string | Buffer;
    secret: string;
    nowMs?: number;
  }) => boolean;
  const header = signatureHeader(secret, body, nowMs);
  expect(documented({ header, rawBody: Buffer.from(body), secret, nowMs })).toBe(true);
  expect(documented({ header, rawBody: body.replace('booked', 'cancelled'), secret, nowMs })).toBe(false);
  expect(documented({ header, rawBody: body, secret: 'whsec_other_secret_value', nowMs })).toBe(false);
  expect(documented({ header, rawBody: body, secret, nowMs: nowMs + 301_000 })).toBe(false);
});
