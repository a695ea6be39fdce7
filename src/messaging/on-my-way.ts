/**
 * A technician's "on my way" (issue 15): the customer is told who is coming and when to expect them —
 * by SMS when they opted in (and have not opted out or failed), else by email — with the arrival time
 * in the customer's zone. Stored and sent once per appointment revision and ETA (pressing it twice
 * sends one message), and on the appointment's timeline.
 */
import type { Kysely } from 'kysely';
import { appendTimeline } from '../appointments/repository';
import type { Database } from '../db/schema';
import { sendStored, storeMessage } from './direct-send';
import type { MessageProviders } from './providers';
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
  db: Kysely<Database>,
  providers: MessageProviders,
  request: OnMyWay,
): Promise<{ messageId: string; channel: 'sms' | 'email'; sent: boolean; text: string } | undefined> {
  const now = request.now ?? Date.now();
  const row = await db
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .innerJoin('staff as s', 's.id', 'a.staff_id')
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
      's.name as staff_name',
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
  const bySms = Boolean(row.phone && row.sms_opt_in && !row.sms_opted_out_at && !row.sms_failed_at);
  const provider = bySms ? providers.sms : providers.email;
  const messageId = await db.transaction().execute(async (trx) => {
    const id = await storeMessage(trx, provider, {
      channel: bySms ? 'sms' : 'email',
      recipient: bySms ? row.phone! : row.email,
      subject: bySms ? null : `${row.staff_name} is on the way`,
      body: bySms ? fitSms({ text: { text, min: 20 } }, (p) => p.text).text : text,
      template: 'onMyWay',
      contactId: row.contact_id,
      appointmentId: row.id,
      idempotencyKey: `on-my-way:${row.id}:r${row.revision}:${request.etaMinutes}`,
    });
    await appendTimeline(trx, {
      appointmentId: row.id,
      kind: 'technician:on_my_way',
      actor: request.actor,
      channel: bySms ? 'sms' : 'email',
      summary: `${row.staff_name} is on the way (about ${request.etaMinutes} min)`,
      data: { messageId: id, etaMinutes: request.etaMinutes },
      idempotencyKey: `on-my-way:${row.id}:r${row.revision}:${request.etaMinutes}`,
    });
    return id;
  });
  const sent = await sendStored(db, provider, messageId);
  return { messageId, channel: bySms ? 'sms' : 'email', sent, text };
}
