/**
 * Invitations to set a password (issue 15): an admin invites a staff member; they get an email with a
 * one-use link (`/admin/invite/<token>`, 32 random bytes; only the SHA-256 is stored; 7 days) and set
 * their password there, which creates their sign-in account (or replaces the password of the one they
 * have). The email is stored in `messages` (the outbox without provider keys) under the key
 * `staff-invitation:<invitation id>`, so it is sent once (src/messaging/direct-send.ts). Audited as `staff:invited` / `staff:joined`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendTimeline } from '../appointments/repository';
import type { Database } from '../db/schema';
import type { MessageProvider } from '../messaging/providers';
import { sendStored, storeMessage } from '../messaging/direct-send';
import { MIN_PASSWORD_LENGTH } from './accounts';
import { StaffChangeRefused } from './management';
import { hashPassword } from './passwords';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export function invitationPath(token: string): string {
  return `/admin/invite/${token}`;
}

/** Creates the invitation and sends its email; returns when it expires (the link is only in the email). */
export async function inviteStaff(
  db: Kysely<Database>,
  email: MessageProvider,
  input: { staffId: string; actor: string; publicBaseUrl: string; now?: Date },
): Promise<{ invitationId: string; expiresAt: Date; messageId: string; sent: boolean }> {
  const now = input.now ?? new Date();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const stored = await db.transaction().execute(async (trx) => {
    const staff = await trx
      .selectFrom('staff')
      .select(['id', 'name', 'email', 'active'])
      .where('id', '=', input.staffId)
      .executeTakeFirst();
    if (!staff) throw new StaffChangeRefused('not_found', `Staff member ${input.staffId} does not exist.`);
    if (!staff.active)
      throw new StaffChangeRefused('own_account', `${staff.name} is deactivated; reactivate them first.`, [
        { field: 'active', message: 'the staff member is deactivated' },
      ]);
    // Another person's sign-in already uses this email: the new account could not be created.
    const other = await trx
      .selectFrom('staff_accounts')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', staff.email.toLowerCase()))
      .where((eb) => eb.or([eb('staff_id', 'is', null), eb('staff_id', '!=', staff.id)]))
      .executeTakeFirst();
    if (other)
      throw new StaffChangeRefused('email_taken', `Another sign-in already uses ${staff.email}.`, [
        { field: 'email', message: 'another sign-in already uses this email' },
      ]);
    const business = await trx.selectFrom('business').select('name').executeTakeFirst();
    const invitation = await trx
      .insertInto('staff_invitations')
      .values({
        staff_id: staff.id,
        token_hash: sha256(token),
        email: staff.email,
        created_by: input.actor,
        expires_at: expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const link = `${input.publicBaseUrl.replace(/\/$/, '')}${invitationPath(token)}`;
    const place = business?.name ?? 'appointflow';
    const messageId = await storeMessage(trx, email, {
      staffId: staff.id,
      channel: 'email',
      template: 'staffInvitation',
      recipient: staff.email,
      subject: `Set your password for ${place}`,
      body: [
        `Hello ${staff.name},`,
        '',
        `${input.actor} invited you to the ${place} staff app. Set your password here (the link works once, for 7 days):`,
        link,
      ].join('\n'),
      idempotencyKey: `staff-invitation:${invitation.id}`,
    });
    await appendTimeline(trx, {
      kind: 'staff:invited',
      actor: input.actor,
      channel: 'admin',
      summary: `${staff.name} invited to set a password (${staff.email})`,
      data: { staffId: staff.id, invitationId: invitation.id, messageId },
    });
    return { invitationId: invitation.id, messageId };
  });
  const sent = await sendStored(db, email, stored.messageId);
  return { invitationId: stored.invitationId, expiresAt, messageId: stored.messageId, sent };
}

export interface InvitationView {
  name: string;
  email: string;
}

async function openInvitation(db: Kysely<Database>, token: string, now: Date) {
  const row = await db
    .selectFrom('staff_invitations as i')
    .innerJoin('staff as s', 's.id', 'i.staff_id')
    .select(['i.id', 'i.staff_id', 'i.email', 'i.expires_at', 'i.accepted_at', 's.name', 's.role', 's.active'])
    .where('i.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.accepted_at || row.expires_at <= now || !row.active) return undefined;
  // Only the latest invitation of a staff member works.
  const latest = await db
    .selectFrom('staff_invitations')
    .select('id')
    .where('staff_id', '=', row.staff_id)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  return latest.id === row.id ? row : undefined;
}

export async function lookupInvitation(
  db: Kysely<Database>,
  token: string,
  now = new Date(),
): Promise<InvitationView | undefined> {
  const row = await openInvitation(db, token, now);
  return row ? { name: row.name, email: row.email } : undefined;
}

/** Sets the password: creates the sign-in account, or replaces the password of the existing one. */
export async function acceptInvitation(
  db: Kysely<Database>,
  token: string,
  password: string,
  now = new Date(),
): Promise<InvitationView | undefined> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new Error('password too short');
  const row = await openInvitation(db, token, now);
  if (!row) return undefined;
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('staff_invitations')
      .set({ accepted_at: now })
      .where('id', '=', row.id)
      .where('accepted_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!claimed) return;
    const account = await trx
      .selectFrom('staff_accounts')
      .select('id')
      .where('staff_id', '=', row.staff_id)
      .executeTakeFirst();
    if (account) {
      await trx
        .updateTable('staff_accounts')
        .set({ password_hash: hash, active: true, updated_at: now })
        .where('id', '=', account.id)
        .execute();
    } else {
      await trx
        .insertInto('staff_accounts')
        .values({ email: row.email, name: row.name, role: row.role, staff_id: row.staff_id, password_hash: hash })
        .execute();
    }
    await appendTimeline(trx, {
      kind: 'staff:joined',
      actor: row.name,
      channel: 'admin',
      summary: `${row.name} set their password`,
      data: { staffId: row.staff_id, invitationId: row.id },
    });
  });
  return { name: row.name, email: row.email };
}
