/**
 * Remembered devices (issue 12): a customer who proved control of their contact (by a link only their
 * own email or phone received) gets a random 256-bit token in an HttpOnly cookie; only its SHA-256 is
 * stored, bound to the contact, for DEVICE_TTL_MS. A booking from that device for the same email is a
 * returning customer: its details apply at once. Any other booking with a known email leaves the contact
 * as it is (src/identity/pending-details.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export const DEVICE_COOKIE = 'af_customer';
export const DEVICE_TTL_MS = 180 * 24 * 3_600_000;

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

export async function rememberDevice(
  db: Kysely<Database>,
  contactId: string,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + DEVICE_TTL_MS);
  await db
    .insertInto('customer_devices')
    .values({ token_hash: sha256(token), contact_id: contactId, expires_at: expiresAt })
    .execute();
  return { token, expiresAt };
}

/** The contact a remembered device belongs to, or undefined (unknown, malformed or expired). */
export async function deviceContact(
  db: Kysely<Database>,
  token: string | undefined,
  now = new Date(),
): Promise<string | undefined> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const row = await db
    .selectFrom('customer_devices')
    .select('contact_id')
    .where('token_hash', '=', sha256(token))
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.contact_id;
}
