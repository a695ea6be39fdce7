/**
 * Messaging facts integrators need, as domain events for appointflow's webhooks (docs/webhooks.md):
 *   - `message.failed` — a message can never be delivered: a permanent send failure (invalid number,
 *     carrier block, rejected address) or a bounce, reported at send time or later by a status
 *     callback / the SendGrid event webhook;
 *   - `contact.sms_opted_out` / `contact.sms_opted_in` — the contact's SMS reachability changed (STOP /
 *     START replies, or Twilio 21610 "unsubscribed" at send time).
 * Each is recorded with the transaction that makes the change, once per change (the key).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, Message } from '../db/schema';
import { recordEvent } from '../outbound/events';

type Db = Kysely<Database> | Transaction<Database>;

async function contactView(db: Db, contactId: string) {
  const c = await db
    .selectFrom('contacts')
    .select(['id', 'name', 'email', 'phone', 'sms_opt_in', 'sms_opted_out_at', 'sms_opt_out_source'])
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!c) return undefined;
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    phone: c.phone,
    smsOptIn: c.sms_opt_in,
    smsOptedOut: c.sms_opted_out_at ? { at: c.sms_opted_out_at.toISOString(), source: c.sms_opt_out_source } : null,
  };
}

export async function recordMessageFailed(
  trx: Db,
  message: Message,
  failure: { status: 'failed' | 'bounced'; reason: string; source: string },
): Promise<void> {
  await recordEvent(trx, {
    type: 'message.failed',
    subject: { type: 'message', id: message.id },
    payload: {
      message: {
        id: message.id,
        channel: message.channel,
        template: message.template,
        recipient: message.recipient,
        status: failure.status,
        reason: failure.reason,
        source: failure.source,
        appointmentId: message.appointment_id,
      },
      contact: message.contact_id ? ((await contactView(trx, message.contact_id)) ?? null) : null,
    },
    key: `message:${message.id}:${failure.status}`,
  });
}

export async function recordSmsOptChange(
  trx: Db,
  input: { contactId: string; optedOut: boolean; source: string; appointmentId: string | null; key: string },
): Promise<void> {
  await recordEvent(trx, {
    type: input.optedOut ? 'contact.sms_opted_out' : 'contact.sms_opted_in',
    subject: { type: 'contact', id: input.contactId },
    payload: {
      contact: (await contactView(trx, input.contactId)) ?? { id: input.contactId },
      change: { source: input.source, appointmentId: input.appointmentId },
    },
    key: `${input.key}:${input.contactId}`,
  });
}
