/**
 * A technician's "on my way" (issue 15): the customer is told who is coming and when to expect them —
 * by SMS when they opted in (and have not opted out or failed), else by email — with the arrival time
 * in the customer's zone. Stored and sent once per appointment revision and ETA (pressing it twice
 * sends one message), and on the appointment's timeline.
 */
import { appendTimeline } from '../appointments/repository';
import { sendStored, storeMessage } from './direct-send';
import { type DispatchDeps, dispatchStoredMessages } from './dispatch';
import { OutboxProvider } from './providers';
import { type CustomerChannel, customerTextRecipient } from './recipients';
import { formatWhenShort } from './templates';
import { fitSms } from './sms';

export interface OnMyWay {
  appointmentId: string;
  etaMinutes: number;
  actor: string;
  now?: number;
}

export function arrivalText(input: {
  contactName: string;
  staffName: string;
  businessName: string;
  arrivesAt: number;
  timeZone: string;
}): string {
  const at = new Intl.DateTimeFormat('en-US', {
    timeZone: input.timeZone,
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  })
    .format(new Date(input.arrivesAt))
    .replace(/\u202f/g, ' ');
  const first = input.contactName.split(/\s+/)[0] ?? input.contactName;
  return `Hi ${first}, ${input.staffName} from ${input.businessName} is on the way and should arrive at about ${at}.`;
}

export async function sendOnMyWay(
  deps: DispatchDeps,
  request: OnMyWay,
): Promise<{ messageId: string; channel: CustomerChannel; sent: boolean; text: string } | undefined> {
  const { db, providers } = deps;
  const now = request.now ?? Date.now();
  const row = await db
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .innerJoin('staff as s', 's.id', 'a.staff_id')
    .innerJoin('services as sv', 'sv.id', 'a.service_id')
    .select([
      'a.id',
      'a.revision',
      'a.time_zone',
      'c.id as contact_id',
      'c.name as contact_name',
      'c.email',
      'c.phone',
      'c.sms_opt_in',
      'c.sms_opted_out_at',
      'c.sms_failed_at',
      'c.preferred_channel',
      'c.whatsapp_opt_in',
      'c.whatsapp_opted_out_at',
      's.name as staff_name',
      'sv.name as service_name',
    ])
    .where('a.id', '=', request.appointmentId)
    .executeTakeFirst();
  if (!row) return undefined;
  const business = await db.selectFrom('business').select('name').executeTakeFirst();
  const text = arrivalText({
    contactName: row.contact_name,
    staffName: row.staff_name,
    businessName: business?.name ?? 'us',
    arrivesAt: now + request.etaMinutes * 60_000,
    timeZone: row.time_zone,
  });
  // SMS or WhatsApp by the customer's preference and opt-ins, else email (src/messaging/recipients.ts).
  const byText = customerTextRecipient(row);
  const channel: CustomerChannel = byText?.channel ?? 'email';
  const provider =
    channel === 'sms'
      ? providers.sms
      : channel === 'whatsapp'
        ? (providers.whatsapp ?? new OutboxProvider())
        : providers.email;
  const body = byText ? fitSms({ text: { text, min: 20 } }, (p) => p.text).text : text;
  const key = `on-my-way:${row.id}:r${row.revision}:${request.etaMinutes}`;
  const messageId = await db.transaction().execute(async (trx) => {
    const id = await storeMessage(trx, provider, {
      channel,
      recipient: byText?.to ?? row.email,
      subject: byText ? null : `${row.staff_name} is on the way`,
      body,
      template: 'onMyWay',
      contactId: row.contact_id,
      appointmentId: row.id,
      idempotencyKey: key,
      // What an approved WhatsApp template is filled with outside the 24-hour window.
      ...(channel === 'whatsapp'
        ? {
            templateValues: {
              name: row.contact_name,
              business: business?.name ?? '',
              service: row.service_name,
              when: formatWhenShort(now + request.etaMinutes * 60_000, row.time_zone),
              link: '',
              text: body,
            },
          }
        : {}),
    });
    await appendTimeline(trx, {
      appointmentId: row.id,
      kind: 'technician:on_my_way',
      actor: request.actor,
      channel,
      summary: `${row.staff_name} is on the way (about ${request.etaMinutes} min)`,
      data: { messageId: id, etaMinutes: request.etaMinutes },
      idempotencyKey: `on-my-way:${row.id}:r${row.revision}:${request.etaMinutes}`,
    });
    return id;
  });
  const sent =
    channel === 'whatsapp'
      ? await sendWhatsapp(deps, key, { appointmentId: row.id, contactId: row.contact_id })
      : await sendStored(db, provider, messageId);
  return { messageId, channel, sent, text };
}

/**
 * WhatsApp goes through the dispatcher (free text inside the 24-hour window, else the approved
 * template, else suppressed). A transient provider error leaves the message queued with the error,
 * as `sendStored` does; true when it is sent.
 */
async function sendWhatsapp(
  deps: DispatchDeps,
  key: string,
  subject: { appointmentId: string; contactId: string },
): Promise<boolean> {
  try {
    await dispatchStoredMessages(deps, [key], subject);
  } catch (error) {
    await deps.db
      .updateTable('messages')
      .set({ error: error instanceof Error ? error.message : String(error), updated_at: new Date() })
      .where('idempotency_key', '=', key)
      .execute();
  }
  const message = await deps.db
    .selectFrom('messages')
    .select('status')
    .where('idempotency_key', '=', key)
    .executeTakeFirstOrThrow();
  return message.status === 'sent' || message.status === 'delivered';
}
