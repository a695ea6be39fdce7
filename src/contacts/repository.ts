/**
 * Contacts as the admin app reads them: everyone by name, one contact with where messages can reach
 * them, and their history (their own timeline entries and those of their appointments).
 */
import { channelsView } from './channels';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

type Db = Kysely<Database>;

/** Everyone, by name (the first 200). */
export async function allContacts(db: Db) {
  return db
    .selectFrom('contacts')
    .select(['id', 'name', 'email', 'phone', 'address', 'sms_opt_in as smsOptIn', 'notes'])
    .orderBy('name')
    .limit(200)
    .execute();
}

/**
 * One contact with `reachability` (same shape as the appointment card's `contact.reachability`):
 * SMS opt-in / opt-out (time and source), a failed number, a bounced email.
 */
export async function contactWithReachability(db: Db, id: string) {
  const contact = await db
    .selectFrom('contacts')
    .select([
      'id',
      'name',
      'email',
      'phone',
      'address',
      'sms_opt_in as smsOptIn',
      'notes',
      'sms_opted_out_at',
      'sms_opt_out_source',
      'sms_failed_at',
      'sms_failed_reason',
      'email_bounced_at',
      'email_bounce_reason',
      'preferred_channel',
      'whatsapp_opt_in',
      'whatsapp_opt_in_at',
      'whatsapp_opt_in_source',
      'whatsapp_opted_out_at',
      'whatsapp_opt_out_source',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!contact) return undefined;
  const {
    preferred_channel,
    whatsapp_opt_in,
    whatsapp_opt_in_at,
    whatsapp_opt_in_source,
    whatsapp_opted_out_at,
    whatsapp_opt_out_source,
    ...rest
  } = contact;
  const channels = channelsView({
    preferred_channel,
    whatsapp_opt_in,
    whatsapp_opt_in_at,
    whatsapp_opt_in_source,
    whatsapp_opted_out_at,
    whatsapp_opt_out_source,
  });
  const {
    sms_opted_out_at: optedOutAt,
    sms_opt_out_source: optOutSource,
    sms_failed_at: failedAt,
    sms_failed_reason: failedReason,
    email_bounced_at: bouncedAt,
    email_bounce_reason: bounceReason,
    ...details
  } = rest;
  const reachability = {
    smsOptIn: details.smsOptIn,
    smsOptedOut: optedOutAt ? { at: optedOutAt.toISOString(), source: optOutSource } : null,
    smsFailed: failedAt ? { at: failedAt.toISOString(), reason: failedReason } : null,
    emailBounced: bouncedAt ? { at: bouncedAt.toISOString(), reason: bounceReason } : null,
  };
  return { ...details, reachability, ...channels };
}

/** The contact's history, newest first: their own entries and their appointments' (the last 200). */
export async function contactTimeline(db: Db, id: string) {
  return db
    .selectFrom('timeline_events')
    .select(['occurred_at as occurredAt', 'kind', 'actor', 'channel', 'summary'])
    .where((eb) =>
      eb.or([
        eb('contact_id', '=', id),
        eb('appointment_id', 'in', eb.selectFrom('appointments as ap').select('ap.id').where('ap.contact_id', '=', id)),
      ]),
    )
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
}

/** The staff's notes on a contact, replaced; undefined when there is no such contact. */
export async function setContactNotes(db: Db, id: string, notes: string) {
  return db
    .updateTable('contacts')
    .set({ notes, updated_at: new Date() })
    .where('id', '=', id)
    .returning(['id', 'notes'])
    .executeTakeFirst();
}
