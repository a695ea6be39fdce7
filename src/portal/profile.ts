/**
 * The customer's own profile changes from the portal (issue 16): name, phone, email, address, time
 * zone, their own notes, SMS opt-in and opt-out. A session proves the customer controls the contact,
 * so changes apply at once; each is on the contact's timeline, and an SMS opt-in or opt-out is a
 * webhook event like a STOP / START reply. An email another contact has is refused (409).
 */
import type { Kysely } from 'kysely';
import { appendTimeline } from '../appointments/repository';
import type { Database } from '../db/schema';
import { recordSmsOptChange } from '../messaging/events';

export interface ProfileChange {
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | null | undefined;
  address?: string | null | undefined;
  timeZone?: string | undefined;
  clientNotes?: string | undefined;
  smsOptIn?: boolean | undefined;
}

export class EmailTakenError extends Error {
  override name = 'EmailTakenError';
}

export async function updateProfile(
  db: Kysely<Database>,
  contactId: string,
  change: ProfileChange,
  now = new Date(),
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const contact = await trx
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', contactId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const email = change.email?.trim().toLowerCase();
    if (email !== undefined && email !== contact.email.toLowerCase()) {
      const other = await trx
        .selectFrom('contacts')
        .select('id')
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
        .where('id', '!=', contactId)
        .executeTakeFirst();
      if (other) throw new EmailTakenError('Another customer uses that email address. Please call us to change it.');
    }
    const smsNow = contact.sms_opt_in && contact.sms_opted_out_at === null;
    const optChange = change.smsOptIn === undefined || change.smsOptIn === smsNow ? undefined : change.smsOptIn;
    const set = {
      ...(change.name !== undefined && change.name !== contact.name ? { name: change.name } : {}),
      ...(email !== undefined && email !== contact.email.toLowerCase() ? { email } : {}),
      ...(change.phone !== undefined && change.phone !== contact.phone ? { phone: change.phone } : {}),
      ...(change.address !== undefined && change.address !== contact.address ? { address: change.address } : {}),
      ...(change.timeZone !== undefined && change.timeZone !== contact.time_zone ? { time_zone: change.timeZone } : {}),
      ...(change.clientNotes !== undefined && change.clientNotes !== contact.client_notes
        ? { client_notes: change.clientNotes }
        : {}),
    };
    const fields = Object.keys(set);
    const opt =
      optChange === true
        ? {
            sms_opt_in: true,
            sms_opt_in_at: now,
            sms_opt_in_source: 'portal',
            sms_opted_out_at: null,
            sms_opt_out_source: null,
          }
        : optChange === false
          ? { sms_opted_out_at: now, sms_opt_out_source: 'portal' }
          : {};
    if (optChange !== undefined) fields.push(optChange ? 'smsOptIn' : 'smsOptOut');
    if (fields.length === 0) return [];
    await trx
      .updateTable('contacts')
      .set({ ...set, ...opt, updated_at: now })
      .where('id', '=', contactId)
      .execute();
    const key = `portal-profile:${contactId}:${now.getTime()}`;
    if (optChange !== undefined) {
      await recordSmsOptChange(trx, { contactId, optedOut: !optChange, source: 'portal', appointmentId: null, key });
    }
    await appendTimeline(trx, {
      contactId,
      kind: 'contact:updated_by_customer',
      actor: (set as { name?: string }).name ?? contact.name,
      channel: 'portal',
      summary: `The customer changed their details in the portal (${fields.join(', ')})`,
      data: { fields },
      idempotencyKey: key,
    });
    return fields;
  });
}
