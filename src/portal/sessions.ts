/**
 * Customer portal sessions (issue 16), separate from staff sessions: a 256-bit session id sent only as
 * the HttpOnly cookie `af_portal` (path /api/portal/), its SHA-256 stored with the session's CSRF token
 * (sent back in `x-csrf-token` on every change). "Sign out everywhere" revokes every session of the
 * contact.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export const PORTAL_COOKIE = 'af_portal';
export const PORTAL_SESSION_TTL_MS = 30 * 24 * 3_600_000;

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

export interface PortalSession {
  contactId: string;
  csrfToken: string;
}

export async function createPortalSession(
  db: Kysely<Database>,
  contactId: string,
  signedInBy: 'email_link' | 'sms_code' | 'manage_link',
  now = new Date(),
): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date }> {
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + PORTAL_SESSION_TTL_MS);
  await db
    .insertInto('customer_sessions')
    .values({
      id_hash: sha256(sessionId),
      contact_id: contactId,
      csrf_token: csrfToken,
      signed_in_by: signedInBy,
      expires_at: expiresAt,
    })
    .execute();
  return { sessionId, csrfToken, expiresAt };
}

export async function lookupPortalSession(
  db: Kysely<Database>,
  sessionId: string | undefined,
  now = new Date(),
): Promise<PortalSession | undefined> {
  if (!sessionId || !/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return undefined;
  const row = await db
    .selectFrom('customer_sessions')
    .select(['contact_id', 'csrf_token'])
    .where('id_hash', '=', sha256(sessionId))
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? { contactId: row.contact_id, csrfToken: row.csrf_token } : undefined;
}

export function portalCsrfMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function endPortalSession(db: Kysely<Database>, sessionId: string, now = new Date()): Promise<void> {
  await db
    .updateTable('customer_sessions')
    .set({ revoked_at: now })
    .where('id_hash', '=', sha256(sessionId))
    .where('revoked_at', 'is', null)
    .execute();
}

/** Ends every session of the contact (every browser and phone); returns how many ended. */
export async function endAllPortalSessions(db: Kysely<Database>, contactId: string, now = new Date()): Promise<number> {
  const ended = await db
    .updateTable('customer_sessions')
    .set({ revoked_at: now })
    .where('contact_id', '=', contactId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(ended.numUpdatedRows);
}
