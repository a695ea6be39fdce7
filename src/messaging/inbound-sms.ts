/**
 * One SMS or WhatsApp message from a customer, whoever delivered it: Twilio's webhook, or — when SMS
 * goes to the local outbox (no Twilio number configured) — staff trying a customer's reply from the
 * admin app. Stored once per message id (a redelivery changes nothing), handled as a reply (cancel,
 * reschedule, a slot choice, STOP/START, or forwarded to staff), and the answer recorded as a message
 * to the sender. Free text (a reply that is no keyword) from a known customer also lands in their
 * conversation thread, so staff answer it from the appointment card, with any photo or PDF sent with
 * it (fetched from Twilio, checked and stored like a portal upload). A WhatsApp message opens or
 * extends the 24-hour window in which free text may be sent back.
 */
import { claimInboundEvent, finishInboundEvent, releaseInboundEvent } from '../inbound-events/store';
import { postMessage } from '../conversations/thread';
import { AttachmentRefused, storeAttachment } from '../conversations/attachments';
import type { AttachmentStorage } from '../conversations/storage';
import { ForeignMediaUrl, type InboundMedia } from './twilio-media';
import { type ConversationDeps, handleReply, type ReplyOutcome } from './conversations';
import { parseSmsReply } from './replies';
import { recordWhatsappInbound } from './whatsapp-windows';

export interface InboundSms {
  /** The sender's number, E.164 (without WhatsApp's `whatsapp:` prefix). */
  from: string;
  body: string;
  /** Unique per message: Twilio's MessageSid, or a generated id for a local reply. */
  messageId: string;
  /** Twilio answers in its webhook response (TwiML); a local reply lands in the outbox. */
  via: 'twilio' | 'local';
  /** Default `sms`. */
  channel?: 'sms' | 'whatsapp';
  /** When it arrived (epoch ms); default now. */
  receivedAt?: number;
  /** Photos / PDFs sent with it: stored as attachments of the conversation message. */
  media?: InboundMedia[];
  /** How media bytes are fetched (Twilio, authenticated) and where they are stored. */
  attachments?: { load: (url: string) => Promise<Buffer>; storage: AttachmentStorage };
}

export type InboundSmsResult = { duplicate: true } | ({ duplicate: false } & ReplyOutcome);

export async function receiveSms(deps: ConversationDeps, sms: InboundSms): Promise<InboundSmsResult> {
  const { db } = deps;
  const channel = sms.channel ?? 'sms';
  const now = sms.receivedAt ?? Date.now();
  const provider = sms.via === 'local' ? 'local_sms' : channel === 'whatsapp' ? 'twilio_whatsapp' : 'twilio_sms';
  const stored = await claimInboundEvent(db, {
    provider,
    eventId: sms.messageId,
    payload: { From: sms.from, Body: sms.body },
  });
  if (!stored) return { duplicate: true };
  let result: ReplyOutcome;
  try {
    if (channel === 'whatsapp') await recordWhatsappInbound(db, sms.from, new Date(now));
    const intent = parseSmsReply(sms.body);
    result = await handleReply(deps, {
      channel,
      address: sms.from,
      text: sms.body,
      intent,
      inboundId: sms.messageId,
      now,
    });
    if ((intent.kind === 'other' && sms.body.trim() !== '') || (sms.media?.length ?? 0) > 0) {
      await intoThread(deps, sms, channel, result.appointmentId);
    }
  } catch (error) {
    // Let a redelivery (Twilio's retry, or the same reply sent again) process it.
    await releaseInboundEvent(db, stored);
    throw error;
  }
  if (result.reply) {
    const contact = await db.selectFrom('contacts').select('id').where('phone', '=', sms.from).executeTakeFirst();
    await db
      .insertInto('messages')
      .values({
        appointment_id: result.appointmentId,
        contact_id: contact?.id ?? null,
        channel,
        template: 'smsReply',
        recipient: sms.from,
        body: result.reply,
        provider: sms.via === 'twilio' ? 'twilio_twiml' : 'outbox',
        status: 'sent',
        sent_at: new Date(),
        idempotency_key: `${provider}:${sms.messageId}:reply`,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
  }
  await finishInboundEvent(db, stored, result.outcome);
  return { duplicate: false, ...result };
}

/** Free text from a known customer joins their conversation (about the appointment it concerns). */
async function intoThread(
  deps: ConversationDeps,
  sms: InboundSms,
  channel: 'sms' | 'whatsapp',
  appointmentId: string | null,
): Promise<void> {
  const contact = await deps.db
    .selectFrom('contacts')
    .select(['id', 'name'])
    .where('phone', '=', sms.from)
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
  if (!contact) return;
  const owned = appointmentId
    ? await deps.db.selectFrom('appointments').select('contact_id').where('id', '=', appointmentId).executeTakeFirst()
    : undefined;
  const attachmentIds: string[] = [];
  const refused: string[] = [];
  if (sms.attachments) {
    for (const [i, item] of (sms.media ?? []).entries()) {
      try {
        const bytes = await sms.attachments.load(item.url);
        const stored = await storeAttachment(deps.db, sms.attachments.storage, {
          contactId: contact.id,
          filename: `${channel}-${sms.messageId}-${i + 1}`,
          contentType: item.contentType,
          bytes,
        });
        attachmentIds.push(stored.id);
      } catch (error) {
        if (!(error instanceof AttachmentRefused || error instanceof ForeignMediaUrl)) throw error;
        refused.push(`(a file was not accepted: ${error.message})`);
      }
    }
  }
  const body = [sms.body.trim(), ...refused].filter(Boolean).join('\n') || '(sent a file)';
  await postMessage(deps.db, {
    contactId: contact.id,
    appointmentId: owned?.contact_id === contact.id ? appointmentId : null,
    direction: 'from_customer',
    channel,
    author: contact.name,
    body: body.slice(0, 4000),
    attachmentIds,
  });
}
