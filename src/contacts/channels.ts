/**
 * A contact's channels (issue 16): the preferred text channel besides email (`email` for email only,
 * `sms`, `whatsapp`) and the WhatsApp opt-in or opt-out, each recorded with its time and source
 * (`portal`, `staff:<name>`; a WHATSAPP STOP / START reply records `whatsapp:<keyword>`). Every change is
 * on the contact's timeline. Only what actually changes is written.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { appendTimeline } from '../appointments/repository';
import type { ContactsTable, Database, PreferredChannel } from '../db/schema';
import type { Selectable, Updateable } from 'kysely';

/** The request field, named in plain words when wrong. */
export const preferredChannel = z.enum(['email', 'sms', 'whatsapp'], { error: 'expected email, sms or whatsapp' });

export interface ChannelChange {
  preferredChannel?: PreferredChannel | undefined;
  whatsappOptIn?: boolean | undefined;
}

export class NoPhoneError extends Error {
  override name = 'NoPhoneError';
}

export async function updateChannels(
  db: Kysely<Database>,
  contactId: string,
  change: ChannelChange,
  by: { source: string; actor: string },
  now = new Date(),
): Promise<string[] | undefined> {
  return db.transaction().execute(async (trx) => {
    const contact = await trx
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', contactId)
      .forUpdate()
      .executeTakeFirst();
    if (!contact) return undefined;
    const whatsappNow = contact.whatsapp_opt_in && contact.whatsapp_opted_out_at === null;
    const optChange =
      change.whatsappOptIn === undefined || change.whatsappOptIn === whatsappNow ? undefined : change.whatsappOptIn;
    if (optChange === true && !contact.phone) {
      throw new NoPhoneError('Add a mobile number before turning on WhatsApp messages.');
    }
    const fields: string[] = [];
    const set: Updateable<ContactsTable> = {};
    if (change.preferredChannel !== undefined && change.preferredChannel !== contact.preferred_channel) {
      set.preferred_channel = change.preferredChannel;
      fields.push(`preferred channel ${contact.preferred_channel ?? 'not set'} → ${change.preferredChannel}`);
    }
    if (optChange === true) {
      Object.assign(set, {
        whatsapp_opt_in: true,
        whatsapp_opt_in_at: now,
        whatsapp_opt_in_source: by.source,
        whatsapp_opted_out_at: null,
        whatsapp_opt_out_source: null,
      });
      fields.push('WhatsApp opt-in');
    } else if (optChange === false) {
      Object.assign(set, { whatsapp_opted_out_at: now, whatsapp_opt_out_source: by.source });
      fields.push('WhatsApp opt-out');
    }
    if (fields.length === 0) return [];
    await trx
      .updateTable('contacts')
      .set({ ...set, updated_at: now })
      .where('id', '=', contactId)
      .execute();
    await appendTimeline(trx, {
      contactId,
      kind: 'contact:channels',
      actor: by.actor,
      channel: by.source === 'portal' ? 'portal' : 'admin',
      summary: `Message channels changed: ${fields.join(', ')}`,
      data: { fields, source: by.source },
      idempotencyKey: `contact-channels:${contactId}:${now.getTime()}`,
    });
    return fields;
  });
}

/** The channel part of a contact, as the portal and the staff contact page show it. */
export function channelsView(
  c: Pick<
    Selectable<ContactsTable>,
    | 'preferred_channel'
    | 'whatsapp_opt_in'
    | 'whatsapp_opt_in_at'
    | 'whatsapp_opt_in_source'
    | 'whatsapp_opted_out_at'
    | 'whatsapp_opt_out_source'
  >,
) {
  return {
    preferredChannel: c.preferred_channel,
    whatsapp: {
      optIn: c.whatsapp_opt_in && c.whatsapp_opted_out_at === null,
      optedInAt: c.whatsapp_opt_in_at?.toISOString() ?? null,
      optInSource: c.whatsapp_opt_in_source,
      optedOutAt: c.whatsapp_opted_out_at?.toISOString() ?? null,
      optOutSource: c.whatsapp_opt_out_source,
    },
  };
}
