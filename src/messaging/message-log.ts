/**
 * The Messages screen's read model (issue 15): every message sent (its text, not the template key)
 * and every reply received (SMS and WhatsApp through Twilio or the local try-out, email through SendGrid
 * Inbound Parse, from `inbound_events`), each with its customer, newest first; filtered by channel, status
 * and customer (any part of a name, email or phone number), so one customer's thread reads in order.
 */
import { type Kysely, sql } from 'kysely';
import type { Database, MessageStatus } from '../db/schema';
import { contactMatches } from '../contacts/search';

export const LOG_STATUSES = ['queued', 'sent', 'delivered', 'bounced', 'failed', 'suppressed', 'received'] as const;
export type LogStatus = (typeof LOG_STATUSES)[number];

export interface MessageLogQuery {
  channel?: 'email' | 'sms' | 'whatsapp' | undefined;
  status?: LogStatus | undefined;
  /** Part of the customer's name, email or phone number. */
  customer?: string | undefined;
  limit?: number | undefined;
}

export interface LogEntry {
  id: string;
  direction: 'out' | 'in';
  channel: string;
  at: string;
  contactId: string | null;
  contactName: string | null;
  appointmentId: string | null;
  /** The recipient (out) or the sender (in). */
  address: string;
  subject: string | null;
  text: string;
  status: string;
  /** out: the template (event) it was rendered from; in: what the reply did. */
  template: string | null;
  outcome: string | null;
}

const SMS_REPLIES = ['twilio_sms', 'local_sms'];
const WHATSAPP_REPLIES = ['twilio_whatsapp'];
const EMAIL_REPLIES = ['sendgrid_inbound'];
const TEXT_REPLIES = [...SMS_REPLIES, ...WHATSAPP_REPLIES];
const REPLIES_BY_CHANNEL = { sms: SMS_REPLIES, whatsapp: WHATSAPP_REPLIES, email: EMAIL_REPLIES } as const;

function replyChannel(provider: string): 'sms' | 'whatsapp' | 'email' {
  if (SMS_REPLIES.includes(provider)) return 'sms';
  return WHATSAPP_REPLIES.includes(provider) ? 'whatsapp' : 'email';
}

/** Contacts the customer filter means (the contact search's own, indexed condition). */
async function customerContacts(db: Kysely<Database>, customer: string) {
  return db
    .selectFrom('contacts as c')
    .select(['c.id', 'c.email', 'c.phone'])
    .where(contactMatches(customer))
    .limit(50)
    .execute();
}

export async function messageLog(db: Kysely<Database>, query: MessageLogQuery): Promise<LogEntry[]> {
  const limit = query.limit ?? 200;
  const who = query.customer?.trim() ? await customerContacts(db, query.customer) : null;
  if (who && who.length === 0) return [];
  const ids = who?.map((c) => c.id) ?? [];
  const addresses = who
    ? [...who.map((c) => c.email.toLowerCase()), ...who.flatMap((c) => (c.phone ? [c.phone] : []))]
    : [];

  const wantOut = query.status !== 'received';
  const wantIn = query.status === undefined || query.status === 'received';

  const out = wantOut
    ? await (() => {
        let q = db
          .selectFrom('messages as m')
          .leftJoin('appointments as a', 'a.id', 'm.appointment_id')
          .leftJoin('contacts as c', (join) =>
            join.on((eb) =>
              eb(
                'c.id',
                '=',
                eb.fn.coalesce('m.contact_id', sql<string>`case when m.staff_id is null then a.contact_id end`),
              ),
            ),
          )
          .select([
            'm.id',
            'm.channel',
            'm.created_at',
            'm.appointment_id',
            'm.recipient',
            'm.subject',
            'm.body',
            'm.status',
            'm.template',
            'm.error',
            'c.id as contact_id',
            'c.name as contact_name',
          ])
          .orderBy('m.created_at', 'desc')
          .limit(limit);
        if (query.channel) q = q.where('m.channel', '=', query.channel);
        if (query.status) q = q.where('m.status', '=', query.status as MessageStatus);
        if (who)
          q = q.where((eb) => eb.or([eb('c.id', 'in', ids), eb(sql<string>`lower(m.recipient)`, 'in', addresses)]));
        return q.execute();
      })()
    : [];

  const providers = query.channel ? REPLIES_BY_CHANNEL[query.channel] : [...TEXT_REPLIES, ...EMAIL_REPLIES];
  // Twilio's WhatsApp sender is `whatsapp:+1…`; the contact's phone is the bare number.
  const sender = sql<string>`replace(coalesce(e.payload->>'From', e.payload->>'from', ''), 'whatsapp:', '')`;
  const inbound = wantIn
    ? await (() => {
        let q = db
          .selectFrom('inbound_events as e')
          .leftJoin('contacts as c', (join) =>
            join.on((eb) =>
              eb.or([
                eb.and([eb('e.provider', 'in', TEXT_REPLIES), eb('c.phone', '=', sender)]),
                eb.and([
                  eb('e.provider', 'in', EMAIL_REPLIES),
                  eb(sql<string>`lower(c.email)`, '=', sql<string>`lower(${sender})`),
                ]),
              ]),
            ),
          )
          .select([
            'e.id',
            'e.provider',
            'e.received_at',
            'e.outcome',
            sender.as('sender'),
            sql<string | null>`e.payload->>'subject'`.as('subject'),
            sql<string>`coalesce(e.payload->>'Body', e.payload->>'text', '')`.as('text'),
            'c.id as contact_id',
            'c.name as contact_name',
          ])
          .where('e.provider', 'in', providers)
          .orderBy('e.received_at', 'desc')
          .limit(limit);
        if (who)
          q = q.where((eb) => eb.or([eb('c.id', 'in', ids), eb(sql<string>`lower(${sender})`, 'in', addresses)]));
        return q.execute();
      })()
    : [];

  const entries: LogEntry[] = [
    ...out.map((m) => ({
      id: m.id,
      direction: 'out' as const,
      channel: m.channel,
      at: m.created_at.toISOString(),
      contactId: m.contact_id,
      contactName: m.contact_name,
      appointmentId: m.appointment_id,
      address: m.recipient,
      subject: m.subject,
      text: m.body,
      status: m.status,
      template: m.template,
      outcome: m.error,
    })),
    ...inbound.map((e) => ({
      id: e.id,
      direction: 'in' as const,
      channel: replyChannel(e.provider),
      at: e.received_at.toISOString(),
      contactId: e.contact_id,
      contactName: e.contact_name,
      appointmentId: null,
      address: e.sender,
      subject: e.subject,
      text: e.text,
      status: 'received',
      template: null,
      outcome: e.outcome,
    })),
  ];
  return entries.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
}
