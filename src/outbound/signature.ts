/**
 * The signature on appointflow's own webhooks (documented for receivers in docs/webhooks.md):
 *
 *   Appointflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${rawBody}`)>
 *
 * Receivers recompute v1 over the exact raw body, compare in constant time and reject a timestamp
 * outside their tolerance (5 minutes by default), which stops replays of an old delivery.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Appointflow-Signature';
export const EVENT_ID_HEADER = 'Appointflow-Event-Id';
export const EVENT_TYPE_HEADER = 'Appointflow-Event-Type';
export const DELIVERY_ID_HEADER = 'Appointflow-Delivery-Id';
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A new subscription secret: `whsec_` and 32 random bytes, base64url. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function computeSignature(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The header value for a body sent at `nowMs`. */
export function signatureHeader(secret: string, rawBody: string | Buffer, nowMs: number = Date.now()): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${computeSignature(secret, t, rawBody)}`;
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/**
 * Verifies an `Appointflow-Signature` header against the raw body. Accepts several `v1=` values (a
 * rotated secret) and rejects a timestamp more than `toleranceSeconds` away from `nowMs`.
 */
export function verifyAppointflowSignature(input: {
  header: string | undefined | null;
  rawBody: string | Buffer;
  secret: string;
  toleranceSeconds?: number;
  nowMs?: number;
}): VerifyResult {
  const parts = (input.header ?? '').split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const signatures = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => v!);
  if (!t || !/^\d+$/.test(t) || signatures.length === 0) return { ok: false, reason: 'malformed' };
  const timestamp = Number(t);
  const now = Math.floor((input.nowMs ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return { ok: false, reason: 'stale' };
  }
  const expected = Buffer.from(computeSignature(input.secret, timestamp, input.rawBody), 'hex');
  const matches = signatures.some((s) => {
    if (!/^[0-9a-f]{64}$/i.test(s)) return false;
    return timingSafeEqual(Buffer.from(s, 'hex'), expected);
  });
  return matches ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
