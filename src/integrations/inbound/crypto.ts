/** Signature helpers shared by the adapters: HMAC digests and constant-time comparison. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmac(
  algorithm: 'sha256' | 'sha1',
  key: string,
  data: string | Buffer,
  encoding: 'hex' | 'base64',
): string {
  return createHmac(algorithm, key).update(data).digest(encoding);
}

/** Constant-time equality of two strings (false for different lengths, without early exit on content). */
export function safeEqual(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(right, right);
    return false;
  }
  return timingSafeEqual(left, right);
}

/** True when a signed timestamp (seconds or ms) is within `toleranceMs` of now. */
export function fresh(timestampMs: number, now: number, toleranceMs: number): boolean {
  return Number.isFinite(timestampMs) && Math.abs(now - timestampMs) <= toleranceMs;
}

/** Checks `Authorization: Basic` against configured credentials, constant-time. */
export function basicAuthMatches(header: string | undefined, user: string, password: string): boolean {
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return safeEqual(header, expected);
}
