/**
 * Manage links: a random 256-bit token per link, base64url in the URL, only its SHA-256 hash stored.
 * A token is bound to one appointment and is dead once revoked (the appointment was cancelled, completed
 * or marked a no-show), expired, or once the appointment itself is no longer scheduled or is over.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Appointment, Database, ManageTokenPurpose } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

export function hashToken(raw: string): string {
  return createHash('sha256').update(raw, 'utf8').digest('hex');
}

/** A new token for one appointment and one purpose (a feedback token opens only the feedback form). */
export async function createManageToken(
  db: Db,
  appointmentId: string,
  expiresAt: Date,
  purpose: ManageTokenPurpose = 'manage',
  options: { provesContact?: boolean } = {},
): Promise<string> {
  const raw = randomBytes(32).toString('base64url');
  await db
    .insertInto('manage_tokens')
    .values({
      appointment_id: appointmentId,
      token_hash: hashToken(raw),
      expires_at: expiresAt,
      purpose,
      // A link sent in a message reached the contact's own email or phone; the booking answer's did not.
      ...(options.provesContact === false ? { proves_contact: false } : {}),
    })
    .execute();
  return raw;
}

export type TokenLookup =
  | { ok: true; appointment: Appointment; provesContact: boolean }
  | {
      ok: false;
      reason: 'unknown' | 'revoked' | 'expired' | 'cancelled' | 'completed' | 'past';
      appointment?: Appointment;
    };

/** The token row and its appointment, or undefined for a malformed or unknown token (or one minted for another purpose). */
export async function findToken(db: Db, raw: string, purpose: ManageTokenPurpose = 'manage') {
  if (!/^[A-Za-z0-9_-]{43}$/.test(raw)) return undefined;
  const token = await db
    .selectFrom('manage_tokens')
    .selectAll()
    .where('token_hash', '=', hashToken(raw))
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  if (!token) return undefined;
  const appointment = await db
    .selectFrom('appointments')
    .selectAll()
    .where('id', '=', token.appointment_id)
    .executeTakeFirstOrThrow();
  return { token, appointment };
}

/** A manage link used to change the appointment: dead once it is cancelled, over, started or past. */
export async function lookupManageToken(db: Db, raw: string, now: Date): Promise<TokenLookup> {
  const found = await findToken(db, raw);
  if (!found) return { ok: false, reason: 'unknown' };
  const { token, appointment } = found;
  if (appointment.status === 'cancelled') return { ok: false, reason: 'cancelled', appointment };
  if (appointment.status === 'done' || appointment.status === 'no_show')
    return { ok: false, reason: 'completed', appointment };
  if (token.revoked_at) return { ok: false, reason: 'revoked', appointment };
  if (appointment.ends_at <= now || appointment.status === 'in_progress')
    return { ok: false, reason: 'past', appointment };
  if (token.expires_at <= now) return { ok: false, reason: 'expired', appointment };
  return { ok: true, appointment, provesContact: token.proves_contact };
}

/**
 * A manage link used for billing (view or download the invoice, update the card): it keeps working
 * after the service is done, until it expires, unless the appointment was cancelled or the link
 * revoked. Changing the appointment still needs `lookupManageToken`.
 */
export async function lookupBillingToken(db: Db, raw: string, now: Date): Promise<TokenLookup> {
  const found = await findToken(db, raw);
  if (!found) return { ok: false, reason: 'unknown' };
  const { token, appointment } = found;
  if (appointment.status === 'cancelled') return { ok: false, reason: 'cancelled', appointment };
  if (token.revoked_at) return { ok: false, reason: 'revoked', appointment };
  if (token.expires_at <= now) return { ok: false, reason: 'expired', appointment };
  return { ok: true, appointment, provesContact: token.proves_contact };
}
