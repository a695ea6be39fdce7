/**
 * One SMS from a customer, whoever delivered it: Twilio's webhook, or — when SMS goes to the local
 * outbox (no Twilio number configured) — staff trying a customer's reply from the admin app. Stored
 * once per message id (a redelivery changes nothing), handled as a reply (cancel, reschedule, a slot
 * choice, STOP/START, or forwarded to staff), and the answer recorded as a message to the sender.
 */
import { claimInboundEvent, finishInboundEvent, releaseInboundEvent } from '../inbound-events/store';
import { type ConversationDeps, handleReply, type ReplyOutcome } from './conversations';
import { parseSmsReply } from './replies';

export interface InboundSms {
  from: string;
  body: string;
  /** Unique per message: Twilio's MessageSid, or a generated id for a local reply. */
  messageId: string;
  /** Twilio answers in its webhook response (TwiML); a local reply lands in the outbox. */
  via: 'twilio' | 'local';
}

export type InboundSmsResult = { duplicate: true } | ({ duplicate: false } & ReplyOutcome);

export async function receiveSms(deps: ConversationDeps, sms: InboundSms): Promise<InboundSmsResult> {
  const { db } = deps;
  const provider = sms.via === 'twilio' ? 'twilio_sms' : 'local_sms';
  const stored = await claimInboundEvent(db, {
    provider,
    eventId: sms.messageId,
    payload: { From: sms.from, Body: sms.body },
  });
  if (!stored) return { duplicate: true };
  let result: ReplyOutcome;
  try {
    result = await handleReply(deps, {
      channel: 'sms',
      address: sms.from,
      text: sms.body,
      intent: parseSmsReply(sms.body),
      inboundId: sms.messageId,
    });
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
        channel: 'sms',
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
