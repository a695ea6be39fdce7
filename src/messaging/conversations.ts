/**
 * Reply conversations over SMS and WhatsApp (and email replies): C → "reply YES to confirm" → cancel; R → three
 * numbered free slots → 1-3 reschedules to that slot; W / WAIT → on the waitlist for the service and
 * staff member of the appointment just cancelled or missed (src/waitlist/reply.ts); carrier opt-out / opt-in keywords; HELP; anything
 * else goes to staff. The conversation is tied to the contact's next active appointment; its pending
 * state (awaiting YES, the slots offered) lives in `conversations` with an expiry, so any API replica
 * can answer the next message. Every inbound message and every answer is recorded on the appointment's
 * timeline with the channel it came through. Appointment changes go through the appointment
 * workflow's own updates (cancel, reschedule), exactly as the staff API does.
 */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { cancelUpdate, rescheduleUpdate } from '../../workflows/appointment/messages';
import { appendTimeline } from '../appointments/repository';
import { cancellationQuote } from '../billing/cancellation-quote';
import { formatMoney } from '../billing/invoice';
import { upcomingFreeSlots } from '../availability/service';
import { visitValidUntil } from '../memberships/repository';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import { refusalOf } from '../http/workflow-errors';
import { type ReplyIntent } from './replies';
import { recordSmsOptChange } from './events';
import { alertStaff, type StaffAlertDeps } from './staff-alerts';
import { formatDateShort, formatWhenShort } from './templates';
import { textFor } from './customer-text';
import { resolveLocale } from '../i18n/locales';
import { fitSms, smsText } from './sms';
import { joinWaitlistByReply } from '../waitlist/reply';

/** How long a pending question (YES to confirm, which slot) stays open. */
export const CONVERSATION_TTL_MS = 60 * 60 * 1000;

export interface ConversationDeps extends StaffAlertDeps {
  temporal: Client;
  /** The public base URL: the booking link of an answer. */
  config: Pick<Config, 'messaging' | 'http'>;
}

export interface InboundReply {
  channel: 'sms' | 'email' | 'whatsapp';
  /** Phone number (E.164) or email address of the sender. */
  address: string;
  text: string;
  intent: ReplyIntent;
  /** Provider id of the inbound message, for idempotency keys. */
  inboundId: string;
  now?: number;
  /**
   * The sender could not be verified (an email whose SPF and DKIM do not pass for the sender's domain):
   * nothing is acted on and nothing is answered; staff get it as unverified, with the checks in words.
   */
  unverified?: string;
}

export interface ReplyOutcome {
  /** What to answer the customer (TwiML / reply email); null: nothing. */
  reply: string | null;
  outcome: string;
  appointmentId: string | null;
}

interface ContactRow {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  /** Replies are in it (migration 0026). */
  locale: string | null;
}

async function findContacts(
  db: Kysely<Database>,
  channel: InboundReply['channel'],
  address: string,
): Promise<ContactRow[]> {
  const q = db.selectFrom('contacts').select(['id', 'name', 'email', 'phone', 'locale']);
  return channel !== 'email'
    ? q.where('phone', '=', address).execute()
    : q.where((eb) => eb(eb.fn('lower', ['email']), '=', address.toLowerCase())).execute();
}

/** The soonest active appointment (not yet ended) of any of these contacts. */
async function nextActiveAppointment(db: Kysely<Database>, contactIds: string[], now: number) {
  if (contactIds.length === 0) return undefined;
  return db
    .selectFrom('appointments as a')
    .innerJoin('services as s', 's.id', 'a.service_id')
    .select([
      'a.id',
      'a.contact_id',
      'a.workflow_id',
      'a.service_id',
      'a.membership_id',
      'a.starts_at',
      'a.time_zone',
      's.name as service_name',
    ])
    .where('a.contact_id', 'in', contactIds)
    .where('a.status', 'in', ['scheduled', 'in_progress'])
    .where('a.ends_at', '>', new Date(now))
    .orderBy('a.starts_at')
    .executeTakeFirst();
}

export async function handleReply(deps: ConversationDeps, input: InboundReply): Promise<ReplyOutcome> {
  const { db } = deps;
  const now = input.now ?? Date.now();
  const contacts = await findContacts(db, input.channel, input.address);
  const appointment = await nextActiveAppointment(
    db,
    contacts.map((c) => c.id),
    now,
  );
  const contact = contacts.find((c) => c.id === appointment?.contact_id) ?? contacts[0];
  const business = await db
    .selectFrom('business')
    .select(['name', 'phone', 'email', 'default_locale'])
    .executeTakeFirst();
  // Replies go in the contact's language (the business's when unknown).
  const locale = resolveLocale(contact?.locale, resolveLocale(business?.default_locale));
  const tr = textFor(locale);
  const prompt = tr('sms.replyPrompt');
  const channelName = { sms: 'SMS', email: 'Email', whatsapp: 'WhatsApp' }[input.channel];
  const quoted = input.text.trim().slice(0, 300);

  const record = async (kind: string, summary: string, data: Record<string, unknown> = {}) => {
    if (!appointment) return;
    await appendTimeline(db, {
      appointmentId: appointment.id,
      contactId: contact?.id ?? null,
      kind,
      actor: contact?.name ?? input.address,
      channel: input.channel,
      summary,
      data: { inboundId: input.inboundId, ...data },
      idempotencyKey: `${input.channel}:${input.inboundId}:${kind}`,
    });
  };
  const clearConversation = () =>
    db.deleteFrom('conversations').where('channel', '=', input.channel).where('address', '=', input.address).execute();
  const forwardToStaff = async (why: string): Promise<ReplyOutcome> => {
    await alertStaff(deps, {
      key: `${input.channel}:${input.inboundId}`,
      text: `${channelName} from ${contact ? `${contact.name} (${input.address})` : `unknown sender ${input.address}`}${appointment ? `, about ${appointment.service_name} ${formatWhenShort(appointment.starts_at.getTime(), appointment.time_zone)}` : ''}: "${quoted}" (${why})`,
      appointmentId: appointment?.id ?? null,
      contactId: contact?.id ?? null,
      task: true,
    });
    await record(`${input.channel}:forwarded`, `${channelName} reply "${quoted}" forwarded to staff (${why})`);
    return {
      reply: contact
        ? smsText(
            tr('reply.forwarded', { business: business?.name ?? tr('reply.theBusiness') }) +
              (appointment ? ` ${prompt}` : ''),
          )
        : null,
      outcome: `forwarded to staff: ${why}`,
      appointmentId: appointment?.id ?? null,
    };
  };

  // W: the waitlist for the appointment just cancelled or missed (not the next active one).
  const waitlistReply = async (): Promise<ReplyOutcome> => {
    const joined = await joinWaitlistByReply(db, {
      contactIds: contacts.map((c) => c.id),
      channel: input.channel,
      actor: contact?.name ?? input.address,
      now,
    });
    if (joined.kind === 'nothing') {
      return {
        reply: smsText(tr('reply.waitlistNothing', { url: `${deps.config.http.publicBaseUrl}/book` })),
        outcome: 'no cancelled appointment to wait for',
        appointmentId: appointment?.id ?? null,
      };
    }
    const until = formatDateShort(joined.toDate, locale);
    await appendTimeline(db, {
      appointmentId: joined.appointmentId,
      contactId: contact?.id ?? null,
      kind: `${input.channel}:waitlist`,
      actor: contact?.name ?? input.address,
      channel: input.channel,
      summary:
        joined.kind === 'joined'
          ? `${channelName} "${quoted}": joined the waitlist for ${joined.serviceName} with ${joined.staffName} until ${joined.toDate}`
          : `${channelName} "${quoted}": already on the waitlist for ${joined.serviceName}`,
      data: { inboundId: input.inboundId, entryId: joined.entryId },
      idempotencyKey: `${input.channel}:${input.inboundId}:waitlist`,
    });
    const parts = { svc: { text: joined.serviceName, min: 12 }, staff: { text: joined.staffName, min: 0 } };
    return {
      reply: fitSms(parts, (t) =>
        tr(joined.kind === 'joined' ? 'reply.waitlistJoined' : 'reply.waitlistAlready', {
          svc: t.svc,
          withStaff: t.staff ? tr('withStaff', { staff: t.staff }) : '',
          until,
        }),
      ).text,
      outcome: joined.kind === 'joined' ? 'joined the waitlist' : 'already on the waitlist',
      appointmentId: joined.appointmentId,
    };
  };

  // STOP / START on WhatsApp: WhatsApp only (SMS keeps its own opt-in), with time and source.
  const whatsappOptChange = async (optOut: boolean, keyword: string, at: Date): Promise<ReplyOutcome> => {
    const source = `whatsapp:${keyword}`;
    await db
      .updateTable('contacts')
      .set(
        optOut
          ? { whatsapp_opted_out_at: at, whatsapp_opt_out_source: source, updated_at: at }
          : {
              whatsapp_opt_in: true,
              whatsapp_opt_in_at: at,
              whatsapp_opt_in_source: source,
              whatsapp_opted_out_at: null,
              whatsapp_opt_out_source: null,
              updated_at: at,
            },
      )
      .where(
        'id',
        'in',
        contacts.map((c) => c.id),
      )
      .execute();
    if (optOut) await clearConversation();
    const summary = optOut
      ? `Opted out of WhatsApp by replying "${keyword}"; no more WhatsApp messages will be sent`
      : `Opted in to WhatsApp by replying "${keyword}"`;
    await record(optOut ? 'whatsapp:opted_out' : 'whatsapp:opted_in', summary, { keyword });
    return { reply: null, outcome: optOut ? 'opted out' : 'opted in', appointmentId: appointment?.id ?? null };
  };

  if (input.unverified !== undefined) {
    const forwarded = await forwardToStaff(`unverified sender: ${input.unverified}`);
    return { ...forwarded, reply: null, outcome: `forwarded to staff as unverified (${input.unverified})` };
  }
  const intent = input.intent;
  if (intent.kind === 'opt_out' || intent.kind === 'opt_in') {
    if (contacts.length === 0) return { reply: null, outcome: 'unknown sender', appointmentId: null };
    const at = new Date(now);
    if (input.channel === 'whatsapp') return whatsappOptChange(intent.kind === 'opt_out', intent.keyword, at);
    const source = `sms:${intent.keyword}`;
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('contacts')
        .set(
          intent.kind === 'opt_out'
            ? { sms_opted_out_at: at, sms_opt_out_source: source, updated_at: at }
            : {
                sms_opt_in: true,
                sms_opt_in_at: at,
                sms_opt_in_source: source,
                sms_opted_out_at: null,
                sms_opt_out_source: null,
                updated_at: at,
              },
        )
        .where(
          'id',
          'in',
          contacts.map((c) => c.id),
        )
        .execute();
      // Integrators see SMS reachability change (webhook events contact.sms_opted_out / _in).
      for (const c of contacts) {
        await recordSmsOptChange(trx, {
          contactId: c.id,
          optedOut: intent.kind === 'opt_out',
          source,
          appointmentId: appointment?.id ?? null,
          key: `${input.channel}:${input.inboundId}:${intent.kind}`,
        });
      }
    });
    if (intent.kind === 'opt_out') await clearConversation();
    const summary =
      intent.kind === 'opt_out'
        ? `Opted out of SMS by replying "${intent.keyword}"; no more SMS will be sent (email continues)`
        : `Opted back in to SMS by replying "${intent.keyword}"`;
    await record(intent.kind === 'opt_out' ? 'sms:opted_out' : 'sms:opted_in', summary, { keyword: intent.keyword });
    await alertStaff(deps, {
      key: `${input.channel}:${input.inboundId}`,
      text: `${contact?.name ?? input.address} (${input.address}): ${summary}.`,
      appointmentId: appointment?.id ?? null,
      contactId: contact?.id ?? null,
    });
    // Twilio answers the standard opt-out / opt-in keywords itself; a second reply would be noise.
    return {
      reply: null,
      outcome: intent.kind === 'opt_out' ? 'opted out' : 'opted in',
      appointmentId: appointment?.id ?? null,
    };
  }
  if (intent.kind === 'help') {
    await record(`${input.channel}:help`, `${channelName} "${quoted}": sent the business's contact details`);
    const reach = [business?.phone, business?.email].filter(Boolean).join(tr('reply.or'));
    return {
      reply: smsText(
        tr('reply.help', {
          business: business?.name ?? tr('reply.appointments'),
          reach: reach || tr('reply.us'),
          prompt,
        }),
      ),
      outcome: 'help sent',
      appointmentId: appointment?.id ?? null,
    };
  }
  if (!contact) return forwardToStaff('no contact with this address');
  if (intent.kind === 'waitlist') return waitlistReply();
  if (!appointment) {
    if (intent.kind === 'other') return forwardToStaff('no upcoming appointment');
    return {
      reply: smsText(
        tr(business?.phone ? 'reply.noneCall' : 'reply.none', {
          business: business?.name ?? tr('reply.us'),
          phone: business?.phone,
        }),
      ),
      outcome: 'no upcoming appointment',
      appointmentId: null,
    };
  }

  const when = formatWhenShort(appointment.starts_at.getTime(), appointment.time_zone, locale);
  const pending = await db
    .selectFrom('conversations')
    .selectAll()
    .where('channel', '=', input.channel)
    .where('address', '=', input.address)
    .where('expires_at', '>', new Date(now))
    .executeTakeFirst();
  const actor = { kind: 'customer' as const, id: contact.id, name: contact.name };
  const handle = deps.temporal.workflow.getHandle(appointment.workflow_id);

  switch (intent.kind) {
    case 'cancel': {
      await saveConversation(db, input, contact.id, appointment.id, 'awaiting_cancel_confirmation', [], now);
      await record(`${input.channel}:cancel_requested`, `${channelName} "${quoted}": asked to cancel; waiting for YES`);
      // Inside the late-cancel window the question names the fee, as the manage page and portal do.
      const quote = await cancellationQuote(db, appointment.id, now);
      const fee = quote?.feeIfCancelledNow ? formatMoney(quote.feeIfCancelledNow, quote.currency, locale) : null;
      return {
        reply: fitSms({ svc: { text: appointment.service_name, min: 12 } }, (t) =>
          fee ? tr('reply.cancelAskFee', { svc: t.svc, when, fee }) : tr('reply.cancelAsk', { svc: t.svc, when }),
        ).text,
        outcome: 'awaiting confirmation',
        appointmentId: appointment.id,
      };
    }
    case 'confirm': {
      if (pending?.state !== 'awaiting_cancel_confirmation' || pending.appointment_id !== appointment.id) {
        await record(`${input.channel}:unexpected`, `${channelName} "${quoted}": nothing was waiting for a YES`);
        return {
          reply: smsText(tr('reply.nothingToConfirm', { prompt })),
          outcome: 'nothing to confirm',
          appointmentId: appointment.id,
        };
      }
      await record(`${input.channel}:cancel_confirmed`, `${channelName} "${quoted}": cancellation confirmed`);
      try {
        await handle.executeUpdate(cancelUpdate, {
          args: [{ reason: `Cancelled by the customer by ${channelName} reply`, actor, channel: input.channel }],
        });
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) throw error;
        await clearConversation();
        return {
          reply: smsText(tr('reply.cannotCancel', { reason: refusal.message })),
          outcome: `refused: ${refusal.type}`,
          appointmentId: appointment.id,
        };
      }
      await clearConversation();
      // The workflow sends the cancellation confirmation (email, and SMS to opted-in contacts).
      return { reply: null, outcome: 'cancelled', appointmentId: appointment.id };
    }
    case 'reschedule': {
      // A membership visit is only offered times within its membership's validity.
      const validUntil = await visitValidUntil(db, appointment.membership_id);
      const slots = (
        await upcomingFreeSlots(db, { serviceId: appointment.service_id, from: now, now, count: 3 })
      ).filter((s) => validUntil === undefined || s.startsAt < validUntil);
      if (slots.length === 0) return forwardToStaff('asked to reschedule; no free slots to offer');
      const offered = slots.map((s) => ({ startsAt: s.startsAt, staffId: s.staffId }));
      await saveConversation(db, input, contact.id, appointment.id, 'choosing_slot', offered, now);
      const list = offered
        .map((s, i) => `${i + 1}) ${formatWhenShort(s.startsAt, appointment.time_zone, locale)}`)
        .join(' ');
      await record(`${input.channel}:slots_offered`, `${channelName} "${quoted}": offered ${list}`, { offered });
      return {
        reply: fitSms({ svc: { text: appointment.service_name, min: 12 } }, (t) =>
          tr('reply.moveAsk', { svc: t.svc, when, numbers: offered.map((_, i) => i + 1).join(', '), list }),
        ).text,
        outcome: 'slots offered',
        appointmentId: appointment.id,
      };
    }
    case 'choice': {
      const slot =
        pending?.state === 'choosing_slot' && pending.appointment_id === appointment.id
          ? pending.offered_slots[intent.index - 1]
          : undefined;
      if (!slot) {
        await record(`${input.channel}:unexpected`, `${channelName} "${quoted}": no slot with that number was offered`);
        return {
          reply: smsText(tr('reply.noChoice', { prompt })),
          outcome: 'no open choice',
          appointmentId: appointment.id,
        };
      }
      await record(
        `${input.channel}:slot_chosen`,
        `${channelName} "${quoted}": chose ${formatWhenShort(slot.startsAt, appointment.time_zone)}`,
      );
      try {
        await handle.executeUpdate(rescheduleUpdate, {
          args: [
            {
              startsAt: slot.startsAt,
              staffId: slot.staffId,
              note: `Chosen by ${channelName} reply`,
              actor,
              channel: input.channel,
            },
          ],
        });
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) throw error;
        await clearConversation();
        return {
          reply: smsText(tr('reply.taken')),
          outcome: `refused: ${refusal.type}`,
          appointmentId: appointment.id,
        };
      }
      await clearConversation();
      return { reply: null, outcome: 'rescheduled', appointmentId: appointment.id };
    }
    default:
      return forwardToStaff('not a recognised reply');
  }
}

async function saveConversation(
  db: Kysely<Database>,
  input: InboundReply,
  contactId: string,
  appointmentId: string,
  state: 'awaiting_cancel_confirmation' | 'choosing_slot',
  offered: Array<{ startsAt: number; staffId: string }>,
  now: number,
) {
  const values = {
    channel: input.channel,
    address: input.address,
    contact_id: contactId,
    appointment_id: appointmentId,
    state,
    offered_slots: JSON.stringify(offered),
    expires_at: new Date(now + CONVERSATION_TTL_MS),
    updated_at: new Date(now),
  };
  await db
    .insertInto('conversations')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['channel', 'address']).doUpdateSet({
        contact_id: values.contact_id,
        appointment_id: values.appointment_id,
        state: values.state,
        offered_slots: values.offered_slots,
        expires_at: values.expires_at,
        updated_at: values.updated_at,
      }),
    )
    .execute();
}
