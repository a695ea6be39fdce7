/**
 * Passwordless sign-in to the customer portal (issue 16): a one-time link by email or a six-digit code
 * by SMS. Only a SHA-256 of each secret is stored (a code is salted with its challenge id, so equal
 * codes never share a hash); a link lives LINK_TTL_MS and a code CODE_TTL_MS; each works once (an
 * atomic `used_at` update), and a code dies after CODE_MAX_FAILURES wrong guesses. The HTTP edge adds
 * the DB-backed rate limits (`portal.ip`, `portal.contact`) and answers the same whether or not the
 * contact exists.
 */
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export const LINK_TTL_MS = 15 * 60_000;
export const CODE_TTL_MS = 10 * 60_000;
export const CODE_MAX_FAILURES = 5;

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');
const linkHash = (token: string) => sha256(`link:${token}`);
const codeHash = (challengeId: string, code: string) => sha256(`code:${challengeId}:${code}`);

export interface SignInContact {
  id: string;
  name: string;
  email: string;
  phone: string | null;
}

/** The contact with this email (case-insensitive), if any. */
export async function contactByEmail(db: Kysely<Database>, email: string): Promise<SignInContact | undefined> {
  return db
    .selectFrom('contacts')
    .select(['id', 'name', 'email', 'phone'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst();
}

/** The contact with this phone (E.164); several share it: the one changed last. */
export async function contactByPhone(db: Kysely<Database>, phone: string): Promise<SignInContact | undefined> {
  return db
    .selectFrom('contacts')
    .select(['id', 'name', 'email', 'phone'])
    .where('phone', '=', phone)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A new one-time link token for the contact (the raw token goes into the email only). */
export async function createLinkChallenge(
  db: Kysely<Database>,
  contact: SignInContact,
  now = new Date(),
): Promise<{ challengeId: string; token: string }> {
  const token = randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('customer_sign_in_challenges')
    .values({
      contact_id: contact.id,
      kind: 'link',
      secret_hash: linkHash(token),
      sent_to: contact.email,
      expires_at: new Date(now.getTime() + LINK_TTL_MS),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { challengeId: row.id, token };
}

/** A new six-digit code for the contact's phone; earlier unused codes of the contact stop working. */
export async function createCodeChallenge(
  db: Kysely<Database>,
  contact: SignInContact & { phone: string },
  now = new Date(),
): Promise<{ challengeId: string; code: string }> {
  const id = randomUUID();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('customer_sign_in_challenges')
      .set({ expires_at: now })
      .where('contact_id', '=', contact.id)
      .where('kind', '=', 'code')
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .execute();
    await trx
      .insertInto('customer_sign_in_challenges')
      .values({
        id,
        contact_id: contact.id,
        kind: 'code',
        secret_hash: codeHash(id, code),
        sent_to: contact.phone,
        expires_at: new Date(now.getTime() + CODE_TTL_MS),
      })
      .execute();
  });
  return { challengeId: id, code };
}

/** The contact a link signs in, using it up; undefined when unknown, used or expired. */
export async function redeemLink(db: Kysely<Database>, token: string, now = new Date()): Promise<string | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const row = await db
    .updateTable('customer_sign_in_challenges')
    .set({ used_at: now })
    .where('secret_hash', '=', linkHash(token))
    .where('kind', '=', 'link')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('contact_id')
    .executeTakeFirst();
  return row?.contact_id;
}

/**
 * The contact a code sent to `phone` signs in, using it up. A wrong code counts against the live
 * challenge (dead after CODE_MAX_FAILURES); undefined for a wrong, used, expired or unknown code.
 */
export async function redeemCode(
  db: Kysely<Database>,
  phone: string,
  code: string,
  now = new Date(),
): Promise<string | undefined> {
  const challenge = await db
    .selectFrom('customer_sign_in_challenges')
    .select(['id', 'contact_id', 'secret_hash'])
    .where('sent_to', '=', phone)
    .where('kind', '=', 'code')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('failed_attempts', '<', CODE_MAX_FAILURES)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!challenge) return undefined;
  const expected = Buffer.from(challenge.secret_hash, 'hex');
  const given = Buffer.from(codeHash(challenge.id, code), 'hex');
  if (!timingSafeEqual(expected, given)) {
    await db
      .updateTable('customer_sign_in_challenges')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
      .where('id', '=', challenge.id)
      .execute();
    return undefined;
  }
  const used = await db
    .updateTable('customer_sign_in_challenges')
    .set({ used_at: now })
    .where('id', '=', challenge.id)
    .where('used_at', 'is', null)
    .returning('contact_id')
    .executeTakeFirst();
  return used?.contact_id;
}
