/**
 * A message sent straight from an API request rather than by a workflow activity (a staff invitation,
 * a technician's "on my way"): stored first under its idempotency key (the outbox row), then handed to
 * the provider once — the same key again finds the stored row and does not send it twice. A provider
 * failure leaves the row queued with the error, and the caller says so.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, MessageChannel } from '../db/schema';
import type { MessageProvider } from './providers';

type Db = Kysely<Database> | Transaction<Database>;

export interface DirectMessage {
  channel: MessageChannel;
  recipient: string;
  subject: string | null;
  body: string;
  template: string;
  idempotencyKey: string;
  staffId?: string | null;
  contactId?: string | null;
  appointmentId?: string | null;
  /** WhatsApp: what an approved template is filled with outside the 24-hour window. */
  templateValues?: Record<string, string>;
}

/** Stores the message (once per key); returns its id. Call inside the transaction of the change it belongs to. */
export async function storeMessage(db: Db, provider: MessageProvider, message: DirectMessage): Promise<string> {
  await db
    .insertInto('messages')
    .values({
      staff_id: message.staffId ?? null,
      contact_id: message.contactId ?? null,
      appointment_id: message.appointmentId ?? null,
      channel: message.channel,
      template: message.template,
      recipient: message.recipient,
      subject: message.subject,
      body: message.body,
      html: null,
      provider: provider.name,
      idempotency_key: message.idempotencyKey,
      template_values: message.templateValues ? JSON.stringify(message.templateValues) : null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('idempotency_key', '=', message.idempotencyKey)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Sends a stored message if it has not gone yet; true when it is sent (now or before). */
export async function sendStored(db: Kysely<Database>, provider: MessageProvider, messageId: string): Promise<boolean> {
  const row = await db.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirstOrThrow();
  if (row.status !== 'queued') return row.status === 'sent' || row.status === 'delivered';
  try {
    const sent = await provider.send({
      id: row.id,
      channel: row.channel,
      to: row.recipient,
      subject: row.subject,
      text: row.body,
      html: null,
      attachments: [],
      idempotencyKey: row.idempotency_key,
      template: row.template,
    });
    const now = new Date();
    await db
      .updateTable('messages')
      .set({ status: 'sent', provider_message_id: sent.providerMessageId, sent_at: now, updated_at: now })
      .where('id', '=', row.id)
      .where('status', '=', 'queued')
      .execute();
    return true;
  } catch (error) {
    await db
      .updateTable('messages')
      .set({ error: error instanceof Error ? error.message : String(error), updated_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    return false;
  }
}
