/**
 * Sends stored messages (the outbox rows in `messages`) through the configured providers. Every
 * message is stored first by the activity that composed it; this is the one place that hands the
 * queued ones to a provider, so appointment and membership messages follow the same rules:
 * - an SMS to a contact who opted out (or whose number failed) since it was stored is `suppressed`;
 * - a transient provider error is thrown, for the activity to retry (the provider idempotency key and
 *   the `queued` guard keep a retry from sending twice what was recorded as sent);
 * - a message handed to its provider by an attempt that never recorded the outcome (`send_started_at`
 *   set, still `queued`) is first looked up at the provider (Twilio's message list; SendGrid's Email
 *   Activity API or Event Webhook when configured, waiting while their records may lag — otherwise
 *   SendGrid cannot tell and the email is sent again: at least once);
 * - a permanent refusal marks the message failed / bounced, flags the contact and alerts staff;
 * - a sent message records the provider's id and a `message:sent` timeline entry.
 */
import type { Kysely } from 'kysely';
import { appendTimeline } from '../appointments/repository';
import type { Config } from '../config';
import type { Database, Message } from '../db/schema';
import { recordPermanentFailure } from './delivery-status';
import { countMessage } from '../metrics';
import { type MessageProviders, PermanentSendError } from './providers';

export interface DispatchDeps {
  db: Kysely<Database>;
  config: Config;
  providers: MessageProviders;
}

/** Where the `message:sent` entry goes: the appointment's or the membership's timeline. */
export interface TimelineSubject {
  appointmentId?: string;
  membershipId?: string;
  contactId: string;
}

/** Sends the queued messages among those stored under `idempotencyKeys`; returns every one found. */
export async function dispatchStoredMessages(
  deps: DispatchDeps,
  idempotencyKeys: string[],
  subject: TimelineSubject,
): Promise<Message[]> {
  const { db, providers } = deps;
  const messages = await db
    .selectFrom('messages')
    .selectAll()
    .where('idempotency_key', 'in', idempotencyKeys)
    .execute();
  for (const message of messages) {
    if (message.status !== 'queued') continue;
    if (message.channel === 'sms' && (await suppressedSms(db, message, subject.contactId))) continue;
    const provider = message.channel === 'sms' ? providers.sms : providers.email;
    const outgoing = {
      id: message.id,
      channel: message.channel,
      to: message.recipient,
      subject: message.subject,
      text: message.body,
      html: message.html,
      attachments: message.attachments,
      idempotencyKey: message.idempotency_key,
      template: message.template,
    };
    let providerMessageId: string;
    try {
      // Handed over before without a recorded outcome (a crash or timeout after the call): if the
      // provider can tell, adopt the message that went out instead of sending it twice.
      const earlier =
        message.send_started_at && provider.findSent
          ? await provider.findSent(outgoing, message.send_started_at)
          : null;
      if (earlier) {
        providerMessageId = earlier.providerMessageId;
      } else {
        await db
          .updateTable('messages')
          .set({ send_started_at: new Date() })
          .where('id', '=', message.id)
          .where('status', '=', 'queued')
          .execute();
        ({ providerMessageId } = await provider.send(outgoing));
      }
    } catch (error) {
      if (!(error instanceof PermanentSendError)) throw error; // transient: the activity retries
      await db
        .updateTable('messages')
        .set({ provider: provider.name, updated_at: new Date() })
        .where('id', '=', message.id)
        .execute();
      await recordPermanentFailure(deps, message, {
        status: message.channel === 'email' ? 'bounced' : 'failed',
        reason: error.message,
        optedOut: error.optedOut,
        source: provider.name,
      });
      continue;
    }
    const now = new Date();
    await db
      .updateTable('messages')
      .set({
        status: 'sent',
        provider: provider.name,
        provider_message_id: providerMessageId,
        sent_at: now,
        updated_at: now,
      })
      .where('id', '=', message.id)
      .where('status', '=', 'queued')
      .execute();
    countMessage(message.channel, 'sent');
    await appendTimeline(db, {
      ...(subject.appointmentId ? { appointmentId: subject.appointmentId } : {}),
      ...(subject.membershipId ? { membershipId: subject.membershipId } : {}),
      contactId: subject.contactId,
      kind: 'message:sent',
      actor: 'appointflow',
      channel: message.channel,
      summary: `${message.channel === 'sms' ? 'SMS' : 'Email'} "${message.template}" sent to ${message.recipient} via ${provider.name}`,
      data: { messageId: message.id, template: message.template },
      idempotencyKey: `${message.idempotency_key}:sent`,
    });
  }
  return messages;
}

/** The contact may have replied STOP (or the number failed) since the SMS was stored: suppress it. */
async function suppressedSms(db: Kysely<Database>, message: Message, fallbackContactId: string): Promise<boolean> {
  const contact = await db
    .selectFrom('contacts')
    .select(['sms_opted_out_at', 'sms_failed_at'])
    .where('id', '=', message.contact_id ?? fallbackContactId)
    .executeTakeFirst();
  if (!contact?.sms_opted_out_at && !contact?.sms_failed_at) return false;
  await db
    .updateTable('messages')
    .set({
      status: 'suppressed',
      error: contact.sms_opted_out_at ? 'contact opted out of SMS' : 'contact number failed permanently',
      updated_at: new Date(),
    })
    .where('id', '=', message.id)
    .where('status', '=', 'queued')
    .execute();
  countMessage(message.channel, 'suppressed');
  return true;
}
