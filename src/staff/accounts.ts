/**
 * Staff accounts and server-side sessions for the admin web app.
 *
 * - Sign-in checks the scrypt hash; failures are counted per (email, IP) in `login_attempts`: after
 *   MAX_FAILURES within WINDOW_MS the pair is locked for LOCK_MS (the answer is 429 with Retry-After).
 * - A session id is 32 random bytes sent only as an HttpOnly cookie; the database keeps its SHA-256.
 *   Each session has its own CSRF token, which the app sends back in the `x-csrf-token` header on every
 *   state-changing request (synchronizer token).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, StaffRole } from '../db/schema';
import { dummyHash, hashPassword, verifyPassword } from './passwords';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;
export const LOCK_MS = 15 * 60 * 1000;
export const MIN_PASSWORD_LENGTH = 10;

export interface StaffIdentity {
  accountId: string;
  email: string;
  name: string;
  role: StaffRole;
  staffId: string | null;
}

export interface StaffSession {
  staff: StaffIdentity;
  csrfToken: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export async function createStaffAccount(
  db: Kysely<Database>,
  input: { email: string; name: string; role: StaffRole; password: string; staffId?: string | null },
): Promise<StaffIdentity> {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  const row = await db
    .insertInto('staff_accounts')
    .values({
      email: input.email.trim().toLowerCase(),
      name: input.name.trim(),
      role: input.role,
      staff_id: input.staffId ?? null,
      password_hash: await hashPassword(input.password),
    })
    .returning(['id', 'email', 'name', 'role', 'staff_id'])
    .executeTakeFirstOrThrow();
  return { accountId: row.id, email: row.email, name: row.name, role: row.role, staffId: row.staff_id };
}

export type SignInResult =
  | { ok: true; staff: StaffIdentity; sessionId: string; csrfToken: string; expiresAt: Date }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

export async function signIn(
  db: Kysely<Database>,
  input: { email: string; password: string; ip: string },
  now = new Date(),
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const key = `${email}|${input.ip}`;
  const attempts = await db.selectFrom('login_attempts').selectAll().where('key', '=', key).executeTakeFirst();
  if (attempts?.locked_until && attempts.locked_until > now) {
    return {
      ok: false,
      reason: 'locked',
      retryAfterSeconds: Math.ceil((attempts.locked_until.getTime() - now.getTime()) / 1000),
    };
  }
  const account = await db
    .selectFrom('staff_accounts')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .where('active', '=', true)
    .executeTakeFirst();
  const valid = await verifyPassword(input.password, account?.password_hash ?? (await dummyHash()));
  if (!account || !valid) {
    const fresh = !attempts || now.getTime() - attempts.window_started_at.getTime() > WINDOW_MS;
    const failures = fresh ? 1 : attempts.failures + 1;
    const lockedUntil = failures >= MAX_FAILURES ? new Date(now.getTime() + LOCK_MS) : null;
    await db
      .insertInto('login_attempts')
      .values({ key, failures, window_started_at: now, locked_until: lockedUntil })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures,
          locked_until: lockedUntil,
          ...(fresh ? { window_started_at: now } : {}),
        }),
      )
      .execute();
    if (lockedUntil) return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil(LOCK_MS / 1000) };
    return { ok: false, reason: 'invalid' };
  }
  await db.deleteFrom('login_attempts').where('key', '=', key).execute();
  // Housekeeping on each sign-in: sessions ended more than a day ago, stale failure counters.
  const dayAgo = new Date(now.getTime() - 86400_000);
  await db.deleteFrom('staff_sessions').where('expires_at', '<', dayAgo).execute();
  await db
    .deleteFrom('login_attempts')
    .where('window_started_at', '<', new Date(now.getTime() - WINDOW_MS - LOCK_MS))
    .execute();
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db
    .insertInto('staff_sessions')
    .values({ id_hash: sha256(sessionId), account_id: account.id, csrf_token: csrfToken, expires_at: expiresAt })
    .execute();
  return {
    ok: true,
    sessionId,
    csrfToken,
    expiresAt,
    staff: {
      accountId: account.id,
      email: account.email,
      name: account.name,
      role: account.role,
      staffId: account.staff_id,
    },
  };
}

export async function lookupSession(
  db: Kysely<Database>,
  sessionId: string,
  now = new Date(),
): Promise<StaffSession | undefined> {
  const row = await db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff_accounts as a', 'a.id', 's.account_id')
    .select(['s.csrf_token', 'a.id', 'a.email', 'a.name', 'a.role', 'a.staff_id'])
    .where('s.id_hash', '=', sha256(sessionId))
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .where('a.active', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    csrfToken: row.csrf_token,
    staff: { accountId: row.id, email: row.email, name: row.name, role: row.role, staffId: row.staff_id },
  };
}

export async function signOut(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db
    .updateTable('staff_sessions')
    .set({ revoked_at: new Date() })
    .where('id_hash', '=', sha256(sessionId))
    .execute();
}

export function csrfMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
