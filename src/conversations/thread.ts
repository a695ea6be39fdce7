/**
 * A customer's conversation (issue 16): one thread per contact, each message optionally about one of
 * their appointments, from the customer (portal) or from staff (appointment card). A staff message
 * reaches the customer on their channel: SMS or WhatsApp by their preference and opt-ins, else email,
 * with a link to the portal, where the whole thread is.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import { dispatchStoredMessages } from '../messaging/dispatch';
import { type MessageProviders, providerName } from '../messaging/providers';
import { textChannel } from '../domain/whatsapp';
import { signedAttachmentPath } from './attachments';

export interface ThreadFilter {
  contactId: string;
  appointmentId?: string | undefined;
}

export async function conversationThread(db: Kysely<Database>, linkKey: Buffer, filter: ThreadFilter) {
  let query = db
    .selectFrom('conversation_messages')
    .selectAll()
    .where('contact_id', '=', filter.contactId)
    .orderBy('created_at')
    .orderBy('id');
  if (filter.appointmentId) query = query.where('appointment_id', '=', filter.appointmentId);
  const messages = await query.execute();
  const ids = messages.map((m) => m.id);
  const attachments = ids.length
    ? await db
        .selectFrom('conversation_attachments')
        .select(['id', 'message_id', 'filename', 'content_type', 'size_bytes'])
        .where('message_id', 'in', ids)
        .execute()
    : [];
  return messages.map((m) => ({
    id: m.id,
    appointmentId: m.appointment_id,
    direction: m.direction,
    channel: m.channel,
    author: m.author,
    body: m.body,
    at: m.created_at.toISOString(),
    read: m.read_at !== null,
    attachments: attachments
      .filter((a) => a.message_id === m.id)
      .map((a) => ({
        id: a.id,
        filename: a.filename,
        contentType: a.content_type,
        size: a.size_bytes,
        url: signedAttachmentPath(linkKey, a.id),
      })),
  }));
}

/**
 * What the customer sent about one appointment: the attachments of their own messages about it (portal,
 * SMS / WhatsApp media), oldest first. Read by the appointment card's "Files requested" panel and by the
 * 48-hour reminder, which asks for the files again only while nothing has arrived.
 */
export async function filesFromCustomer(db: Kysely<Database>, appointmentId: string) {
  return (
    db
      .selectFrom('conversation_attachments as f')
      .innerJoin('conversation_messages as m', 'm.id', 'f.message_id')
      // The appointment's own customer only (a message names an appointment of its contact).
      .innerJoin('appointments as a', (join) =>
        join.onRef('a.id', '=', 'm.appointment_id').onRef('a.contact_id', '=', 'm.contact_id'),
      )
      .select(['f.id', 'f.filename', 'f.content_type', 'f.size_bytes', 'm.created_at'])
      .where('m.appointment_id', '=', appointmentId)
      .where('m.direction', '=', 'from_customer')
      .orderBy('m.created_at')
      .orderBy('f.id')
      .execute()
  );
}

/** The card's panel: what the service asks for (null: nothing) and what arrived, with signed download links. */
export async function requestedFiles(
  db: Kysely<Database>,
  linkKey: Buffer,
  appointment: { id: string; filesRequest: string | null },
) {
  const files = await filesFromCustomer(db, appointment.id);
  return {
    request: appointment.filesRequest,
    received: files.map((f) => ({
      id: f.id,
      filename: f.filename,
      contentType: f.content_type,
      size: f.size_bytes,
      at: f.created_at.toISOString(),
      url: signedAttachmentPath(linkKey, f.id),
    })),
  };
}

export type RequestedFiles = Awaited<ReturnType<typeof requestedFiles>>;

export class UnknownAttachment extends Error {
  override name = 'UnknownAttachment';
}

export async function postMessage(
  db: Kysely<Database>,
  input: {
    contactId: string;
    appointmentId: string | null;
    direction: 'from_customer' | 'from_staff';
    channel: string;
    author: string;
    body: string;
    attachmentIds?: string[] | undefined;
  },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const message = await trx
      .insertInto('conversation_messages')
      .values({
        contact_id: input.contactId,
        appointment_id: input.appointmentId,
        direction: input.direction,
        channel: input.channel,
        author: input.author,
        body: input.body,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ids = input.attachmentIds ?? [];
    if (ids.length) {
      // Only the same contact's attachments that are not part of a message yet.
      const attached = await trx
        .updateTable('conversation_attachments')
        .set({ message_id: message.id })
        .where('id', 'in', ids)
        .where('contact_id', '=', input.contactId)
        .where('message_id', 'is', null)
        .executeTakeFirst();
      if (Number(attached.numUpdatedRows) !== new Set(ids).size) {
        throw new UnknownAttachment('An attachment is unknown or already sent.');
      }
    }
    return message.id;
  });
}

/** Marks the other side's messages read: staff reading the customer's, or the customer reading staff's. */
export async function markRead(db: Kysely<Database>, filter: ThreadFilter, reader: 'staff' | 'customer') {
  let query = db
    .updateTable('conversation_messages')
    .set({ read_at: new Date() })
    .where('contact_id', '=', filter.contactId)
    .where('direction', '=', reader === 'staff' ? 'from_customer' : 'from_staff')
    .where('read_at', 'is', null);
  if (filter.appointmentId) query = query.where('appointment_id', '=', filter.appointmentId);
  await query.execute();
}

/** Tells the customer a staff message is waiting, on their channel, with the portal link. */
export async function notifyCustomer(
  deps: { db: Kysely<Database>; config: Config; providers: MessageProviders; now?: () => number },
  input: { messageId: string; contactId: string; appointmentId: string | null; staffName: string; body: string },
): Promise<void> {
  const { db } = deps;
  const contact = await db
    .selectFrom('contacts')
    .selectAll()
    .where('id', '=', input.contactId)
    .executeTakeFirstOrThrow();
  const business = await db.selectFrom('business').select('name').executeTakeFirst();
  // SMS or WhatsApp by the contact's preference and opt-ins (src/domain/whatsapp.ts), else email.
  const channel = textChannel(contact) ?? 'email';
  const bySms = channel !== 'email';
  const link = `${deps.config.http.publicBaseUrl}/account/messages`;
  const name = business?.name ?? 'Us';
  const excerpt = input.body.length > 200 ? `${input.body.slice(0, 200)}…` : input.body;
  const idempotencyKey = `conversation:${input.messageId}:notify`;
  await db
    .insertInto('messages')
    .values({
      contact_id: contact.id,
      appointment_id: input.appointmentId,
      channel,
      template: 'conversation_message',
      recipient: bySms ? contact.phone! : contact.email,
      subject: bySms ? null : `A message from ${name}`,
      body: bySms
        ? `${name}: ${input.staffName} wrote: "${excerpt}" Answer at ${link}`
        : `${input.staffName} at ${name} wrote:\n\n${input.body}\n\nRead and answer in your account: ${link}`,
      html: null,
      provider: providerName(deps.providers, channel),
      idempotency_key: idempotencyKey,
      template_values:
        channel === 'whatsapp'
          ? JSON.stringify({ name: contact.name, business: name, text: `${input.staffName}: ${excerpt}`, link })
          : null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
  await dispatchStoredMessages(deps, [idempotencyKey], {
    contactId: contact.id,
    ...(input.appointmentId ? { appointmentId: input.appointmentId } : {}),
  });
}
