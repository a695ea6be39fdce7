/**
 * Delivery status of stored messages, from the providers' answers and callbacks: statuses only move
 * forward (queued → sent → delivered; bounced / failed are final), so callbacks arriving out of order
 * or twice change nothing. A permanent failure is never silent: the message is marked, the contact is
 * flagged (SMS: failed number or opt-out; email: bounced) so nothing more is sent there, the
 * appointment's timeline records it and staff are alerted.
 */
import type { Kysely, Transaction } from 'kysely';
import { appendTimeline } from '../appointments/repository';
import type { Database, Message, MessageStatus } from '../db/schema';
import { recordMessageFailed, recordSmsOptChange } from './events';
import { alertStaff, type StaffAlertDeps } from './staff-alerts';
import { countMessage } from '../metrics';

const RANK: Readonly<Record<MessageStatus, number>> = {
  queued: 0,
  sent: 1,
  delivered: 2,
  suppressed: 3,
  bounced: 3,
  failed: 3,
};

/** Moves the message to `status` if that is a step forward; returns whether it changed. */
export async function advanceStatus(
  db: Kysely<Database> | Transaction<Database>,
  message: Pick<Message, 'id' | 'status' | 'channel'>,
  status: MessageStatus,
  error?: string,
): Promise<boolean> {
  if (RANK[status] <= RANK[message.status]) return false;
  const lower = (Object.keys(RANK) as MessageStatus[]).filter((s) => RANK[s] < RANK[status]);
  const result = await db
    .updateTable('messages')
    .set({
      status,
      updated_at: new Date(),
      ...(error !== undefined ? { error: error.slice(0, 1000) } : {}),
      ...(status === 'sent' ? { sent_at: new Date() } : {}),
    })
    .where('id', '=', message.id)
    .where('status', 'in', lower)
    .executeTakeFirst();
  const changed = Number(result.numUpdatedRows) > 0;
  if (changed) countMessage(message.channel, status);
  return changed;
}

export interface PermanentFailure {
  status: 'failed' | 'bounced';
  reason: string;
  /** The recipient unsubscribed at the carrier (Twilio 21610): recorded as an SMS opt-out. */
  optedOut?: boolean;
  /** Who reported it, e.g. `twilio`, `sendgrid_event`. */
  source: string;
  /** Flag the contact's number / address (default true); false for failures that say nothing about it. */
  flagContact?: boolean;
}

export async function recordPermanentFailure(
  deps: StaffAlertDeps,
  message: Message,
  failure: PermanentFailure,
): Promise<void> {
  const { db } = deps;
  let contactName: string | null = null;
  // The status claim, the contact's flag and the integrators' events commit together (once).
  const changed = await db.transaction().execute(async (trx) => {
    if (!(await advanceStatus(trx, message, failure.status, failure.reason))) return false;
    const now = new Date();
    if (!message.contact_id) return true;
    const contact = await trx
      .selectFrom('contacts')
      .select(['name'])
      .where('id', '=', message.contact_id)
      .executeTakeFirst();
    contactName = contact?.name ?? null;
    if (failure.flagContact === false) {
      // nothing to flag
    } else if (message.channel === 'whatsapp') {
      // Only an unsubscribe says something lasting about WhatsApp (SMS may still reach the number).
      if (failure.optedOut) {
        await trx
          .updateTable('contacts')
          .set({
            whatsapp_opted_out_at: now,
            whatsapp_opt_out_source: `${failure.source}:unsubscribed`,
            updated_at: now,
          })
          .where('id', '=', message.contact_id)
          .execute();
      }
    } else if (message.channel === 'sms') {
      await trx
        .updateTable('contacts')
        .set(
          failure.optedOut
            ? { sms_opted_out_at: now, sms_opt_out_source: `${failure.source}:unsubscribed`, updated_at: now }
            : { sms_failed_at: now, sms_failed_reason: failure.reason.slice(0, 500), updated_at: now },
        )
        .where('id', '=', message.contact_id)
        .execute();
      if (failure.optedOut) {
        await recordSmsOptChange(trx, {
          contactId: message.contact_id,
          optedOut: true,
          source: `${failure.source}:unsubscribed`,
          appointmentId: message.appointment_id,
          key: `message:${message.id}:opted_out`,
        });
      }
    } else if (message.channel === 'email') {
      await trx
        .updateTable('contacts')
        .set({ email_bounced_at: now, email_bounce_reason: failure.reason.slice(0, 500), updated_at: now })
        .where('id', '=', message.contact_id)
        .execute();
    }
    if (message.channel !== 'slack') await recordMessageFailed(trx, message, failure);
    return true;
  });
  if (!changed) return;
  const what =
    message.channel === 'sms'
      ? 'SMS'
      : message.channel === 'email'
        ? 'Email'
        : message.channel === 'whatsapp'
          ? 'WhatsApp message'
          : 'Slack alert';
  const summary = `${what} "${message.template}" to ${message.recipient} ${failure.status === 'bounced' ? 'bounced' : 'failed'}: ${failure.reason}`;
  if (message.appointment_id) {
    await appendTimeline(db, {
      appointmentId: message.appointment_id,
      contactId: message.contact_id,
      kind: `message:${failure.status}`,
      actor: failure.source,
      channel: message.channel,
      summary,
      data: { messageId: message.id, template: message.template },
      idempotencyKey: `message:${message.id}:${failure.status}`,
    });
  }
  if (message.channel !== 'slack' && message.contact_id) {
    await alertStaff(deps, {
      key: `message:${message.id}:${failure.status}`,
      text:
        `${summary}. ` +
        (failure.flagContact === false
          ? 'Check it and resend if needed.'
          : message.channel === 'whatsapp'
            ? failure.optedOut
              ? `${contactName ?? 'The contact'} is opted out of WhatsApp.`
              : 'Check the number; other channels continue.'
            : message.channel === 'sms'
              ? failure.optedOut
                ? `${contactName ?? 'The contact'} is opted out of SMS.`
                : `No more SMS go to ${contactName ?? 'this contact'} until the number is corrected.`
              : `No more email goes to ${contactName ?? 'this contact'} until the address is corrected.`),
      appointmentId: message.appointment_id,
      contactId: message.contact_id,
      task: true,
    });
  }
}
