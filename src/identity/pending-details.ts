/**
 * Pending contact details (issue 12): what an unauthenticated booking asked to change on a contact it
 * does not control (name, phone, SMS opt-in, address, time zone). The contact keeps its stored details;
 * the request waits here, tied to the appointment, until the customer confirms it from a link that only
 * the contact's own email or phone received (`POST /api/manage/{token}/details`), or staff change the
 * contact. Confirming applies it (opt-in with time and source, on the timeline); declining discards it.
 */
import type { Kysely, Transaction } from 'kysely';
import { appendTimeline } from '../appointments/repository';
import type { Contact, Database, PendingContactDetails } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

export interface RequestedDetails {
  name: string;
  phone?: string | undefined;
  smsOptIn: boolean;
  address?: string | undefined;
  timeZone: string;
}

/** What the request would change on the stored contact; undefined when nothing. */
export function detailsChange(stored: Contact, requested: RequestedDetails): PendingContactDetails | undefined {
  const change: PendingContactDetails = {};
  if (requested.name !== stored.name) change.name = requested.name;
  if (requested.phone !== undefined && requested.phone !== stored.phone) change.phone = requested.phone;
  if (requested.smsOptIn && !stored.sms_opt_in) change.smsOptIn = true;
  if (requested.address !== undefined && requested.address !== stored.address) change.address = requested.address;
  if (requested.timeZone !== stored.time_zone) change.timeZone = requested.timeZone;
  return Object.keys(change).length ? change : undefined;
}

export async function savePendingDetails(
  trx: Db,
  input: { contactId: string; appointmentId: string; details: PendingContactDetails; channel: string },
): Promise<void> {
  await trx
    .insertInto('contact_pending_details')
    .values({
      contact_id: input.contactId,
      appointment_id: input.appointmentId,
      details: JSON.stringify(input.details),
      channel: input.channel,
    })
    .execute();
}

/** The open request of an appointment (the latest), if any. */
export async function pendingDetailsOf(db: Db, appointmentId: string) {
  return db
    .selectFrom('contact_pending_details')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .where('applied_at', 'is', null)
    .where('discarded_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** A contact's open requests, newest first (the portal's profile and the staff contact page show them). */
export async function openPendingDetails(db: Db, contactId: string) {
  const rows = await db
    .selectFrom('contact_pending_details')
    .select(['id', 'appointment_id', 'details', 'channel', 'created_at'])
    .where('contact_id', '=', contactId)
    .where('applied_at', 'is', null)
    .where('discarded_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((p) => ({
    id: p.id,
    appointmentId: p.appointment_id,
    details: p.details,
    channel: p.channel,
    givenAt: p.created_at.toISOString(),
  }));
}

/**
 * The customer, proven by their link, confirms (`apply`) or declines the open request of this
 * appointment. Applies to the stored contact in one transaction and records it on the timeline.
 */
export async function settlePendingDetails(
  db: Kysely<Database>,
  input: { appointmentId: string; apply: boolean; channel: string; now?: Date },
): Promise<{ outcome: 'applied' | 'discarded' | 'none'; details?: PendingContactDetails }> {
  const now = input.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const pending = await pendingDetailsOf(trx, input.appointmentId);
    if (!pending) return { outcome: 'none' as const };
    const contact = await trx
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', pending.contact_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const d = pending.details;
    if (input.apply) {
      const optIn = d.smsOptIn === true && !contact.sms_opt_in;
      await trx
        .updateTable('contacts')
        .set({
          ...(d.name !== undefined ? { name: d.name } : {}),
          ...(d.phone !== undefined ? { phone: d.phone } : {}),
          ...(d.address !== undefined ? { address: d.address } : {}),
          ...(d.timeZone !== undefined ? { time_zone: d.timeZone } : {}),
          ...(optIn
            ? { sms_opt_in: true, sms_opt_in_at: now, sms_opt_in_source: pending.channel, sms_opted_out_at: null }
            : {}),
          updated_at: now,
        })
        .where('id', '=', contact.id)
        .execute();
    }
    await trx
      .updateTable('contact_pending_details')
      .set(input.apply ? { applied_at: now } : { discarded_at: now })
      .where('id', '=', pending.id)
      .execute();
    const fields = Object.keys(d).join(', ');
    await appendTimeline(trx, {
      appointmentId: input.appointmentId,
      contactId: contact.id,
      kind: input.apply ? 'contact:details_confirmed' : 'contact:details_declined',
      actor: contact.name,
      channel: input.channel,
      summary: input.apply
        ? `The customer confirmed the new details from their link (${fields})`
        : `The customer declined the details given with the booking (${fields}); nothing changed`,
      data: { fields: Object.keys(d) },
      idempotencyKey: `contact-pending:${pending.id}`,
    });
    return { outcome: input.apply ? ('applied' as const) : ('discarded' as const), details: d };
  });
}
