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
import {
  type MessageProvider,
  type MessageProviders,
  OutboxProvider,
  type OutgoingMessage,
  PermanentSendError,
} from './providers';
import { whatsappSendFor } from '../domain/whatsapp';
import { lastWhatsappInbound } from './whatsapp-windows';

export interface DispatchDeps {
  db: Kysely<Database>;
  config: Config;
  providers: MessageProviders;
  /** The clock deciding WhatsApp's 24-hour window (tests inject one); default Date.now. */
  now?: () => number;
}

const CHANNEL_NAMES: Readonly<Record<string, string>> = { sms: 'SMS', email: 'Email', whatsapp: 'WhatsApp' };

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
    if (message.channel === 'whatsapp' && (await suppressedWhatsapp(db, message, subject.contactId))) continue;
    const provider: MessageProvider =
      message.channel === 'sms'
        ? providers.sms
        : message.channel === 'whatsapp'
          ? (providers.whatsapp ?? new OutboxProvider())
          : providers.email;
    const outgoing: OutgoingMessage = {
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
    if (message.channel === 'whatsapp') {
      // Free text inside the 24-hour window, else the approved template, else not at all.
      const mode = whatsappSendFor({
        lastInboundAt: await lastWhatsappInbound(db, message.recipient),
        now: (deps.now ?? Date.now)(),
        templateKey: message.template,
        template: deps.config.messaging.whatsapp?.templates[message.template],
        values: message.template_values,
      });
      if (mode.kind === 'no_template') {
        await suppress(db, message, mode.reason);
        continue;
      }
      if (mode.kind === 'template') {
        outgoing.whatsappTemplate = { contentSid: mode.contentSid, contentVariables: mode.contentVariables };
      }
    }
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
      summary: `${CHANNEL_NAMES[message.channel] ?? message.channel} "${message.template}" sent to ${message.recipient} via ${provider.name}${outgoing.whatsappTemplate ? ' (approved template: outside the 24-hour window)' : ''}`,
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
  await suppress(
    db,
    message,
    contact.sms_opted_out_at ? 'contact opted out of SMS' : 'contact number failed permanently',
  );
  return true;
}

/** The contact may have opted out of WhatsApp since the message was stored. */
async function suppressedWhatsapp(db: Kysely<Database>, message: Message, fallbackContactId: string) {
  const contact = await db
    .selectFrom('contacts')
    .select(['whatsapp_opted_out_at'])
    .where('id', '=', message.contact_id ?? fallbackContactId)
    .executeTakeFirst();
  if (!contact?.whatsapp_opted_out_at) return false;
  await suppress(db, message, 'contact opted out of WhatsApp');
  return true;
}

async function suppress(db: Kysely<Database>, message: Message, reason: string): Promise<void> {
  await db
    .updateTable('messages')
    .set({ status: 'suppressed', error: reason, updated_at: new Date() })
    .where('id', '=', message.id)
    .where('status', '=', 'queued')
    .execute();
  countMessage(message.channel, 'suppressed');
}
