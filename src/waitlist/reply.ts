/**
 * The W (WAIT) reply: a customer answers a cancellation or no-show message — the cancellation
 * follow-up and the no-show prompt say "Reply W to join the waitlist" — and is put on the waitlist
 * for that appointment's service and staff member, from today for WAITLIST_REPLY_DAYS, any time of
 * day (availability still only offers working hours). The appointment is the contact's most recently
 * cancelled or missed one of the last REPLY_LOOKBACK_DAYS. Replying again while still waiting adds
 * nothing (the answer says so); a redelivered SMS is already stopped by the inbound events store.
 */
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../db/schema';
import { joinWaitlistAsContact, waitingEntryOf } from './service';

type Db = Kysely<Database>;

/** How long an entry made by reply waits (the booking page's default window too). */
export const WAITLIST_REPLY_DAYS = 14;
/** How old a cancel or no-show may be for a W reply to refer to it. */
export const REPLY_LOOKBACK_DAYS = 30;

export type ReplyJoin =
  | { kind: 'nothing' }
  | {
      kind: 'joined' | 'already';
      entryId: string;
      appointmentId: string;
      serviceName: string;
      serviceSlug: string;
      staffName: string;
      timeZone: string;
      toDate: string;
    };

export async function joinWaitlistByReply(
  db: Db,
  input: { contactIds: string[]; channel: 'sms' | 'email' | 'whatsapp'; actor: string; now: number },
): Promise<ReplyJoin> {
  if (input.contactIds.length === 0) return { kind: 'nothing' };
  const appointment = await db
    .selectFrom('appointments as a')
    .innerJoin('services as s', 's.id', 'a.service_id')
    .innerJoin('staff as st', 'st.id', 'a.staff_id')
    .select([
      'a.id',
      'a.contact_id',
      'a.service_id',
      'a.staff_id',
      'a.time_zone',
      's.name as service_name',
      's.slug as service_slug',
      'st.name as staff_name',
    ])
    .where('a.contact_id', 'in', input.contactIds)
    .where('a.status', 'in', ['cancelled', 'no_show'])
    .where('a.updated_at', '>', new Date(input.now - REPLY_LOOKBACK_DAYS * 86_400_000))
    .orderBy('a.updated_at', 'desc')
    .executeTakeFirst();
  if (!appointment) return { kind: 'nothing' };
  const about = {
    appointmentId: appointment.id,
    serviceName: appointment.service_name,
    serviceSlug: appointment.service_slug,
    staffName: appointment.staff_name,
    timeZone: appointment.time_zone,
  };
  const waiting = await waitingEntryOf(db, appointment.contact_id, appointment.service_id, appointment.staff_id);
  if (waiting) return { kind: 'already', entryId: waiting.id, toDate: waiting.to_date, ...about };
  const today = DateTime.fromMillis(input.now, { zone: appointment.time_zone });
  const toDate = today.plus({ days: WAITLIST_REPLY_DAYS }).toISODate() ?? '';
  const entryId = await joinWaitlistAsContact(db, appointment.contact_id, {
    serviceId: appointment.service_id,
    staffId: appointment.staff_id,
    fromDate: today.toISODate() ?? '',
    toDate,
    weekdays: [],
    timeFrom: '00:00',
    timeTo: '24:00',
    timeZone: appointment.time_zone,
    source: input.channel,
    createdBy: input.actor,
  });
  return { kind: 'joined', entryId, toDate, ...about };
}
