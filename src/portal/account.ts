/**
 * What a signed-in customer can read in the portal (issue 16), always scoped to their own contact:
 * every lookup by id takes the contact id too, so another customer's appointment, invoice or
 * membership is simply not found (404, the same as an id that does not exist).
 */
import { channelsView } from '../contacts/channels';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { describeRule } from '../domain/recurrence';

/** Whether the customer may still move or cancel it online (the manage link's rule). */
export function changeable(a: { status: string; ends_at: Date }, now: Date): boolean {
  return a.status === 'scheduled' && a.ends_at > now;
}

export async function portalAppointments(db: Kysely<Database>, contactId: string, now = new Date()) {
  const rows = await db
    .selectFrom('appointments as a')
    .innerJoin('services as sv', 'sv.id', 'a.service_id')
    .innerJoin('staff as st', 'st.id', 'a.staff_id')
    .leftJoin('invoices as i', 'i.appointment_id', 'a.id')
    .leftJoin('appointment_series as se', 'se.id', 'a.series_id')
    .select([
      'a.id',
      'a.status',
      'a.stage',
      'a.starts_at',
      'a.ends_at',
      'a.time_zone',
      'a.price_minor',
      'a.currency',
      'a.public_notes',
      'a.membership_id',
      'sv.id as service_id',
      'sv.name as service_name',
      'sv.slug as service_slug',
      'sv.files_request',
      'st.id as staff_id',
      'st.name as staff_name',
      'a.series_id',
      'a.series_index',
      'se.every as series_every',
      'se.unit as series_unit',
      'se.occurrences as series_count',
      'i.id as invoice_id',
      'i.status as invoice_status',
    ])
    .where('a.contact_id', '=', contactId)
    .orderBy('a.starts_at', 'desc')
    .execute();
  const views = rows.map((r) => ({
    id: r.id,
    status: r.status,
    stage: r.stage,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    timeZone: r.time_zone,
    price: { amountMinor: r.price_minor, currency: r.currency.trim() },
    publicNotes: r.public_notes,
    service: { id: r.service_id, name: r.service_name, slug: r.service_slug },
    staff: { id: r.staff_id, name: r.staff_name },
    // What the business asks the customer to send before the visit (the conversation shows it); null: nothing.
    filesRequest: r.files_request,
    // A visit of a recurring series: which one of how many, and how often ("every week").
    series:
      r.series_id && r.series_index !== null && r.series_every !== null && r.series_unit && r.series_count !== null
        ? {
            id: r.series_id,
            index: r.series_index,
            count: r.series_count,
            rule: describeRule({ every: r.series_every, unit: r.series_unit }),
          }
        : null,
    membershipVisit: r.membership_id !== null,
    invoice: r.invoice_id ? { id: r.invoice_id, status: r.invoice_status } : null,
    actions: { reschedule: changeable(r, now), cancel: changeable(r, now) },
  }));
  return {
    upcoming: views.filter((v) => Date.parse(v.endsAt) > now.getTime() && v.status !== 'cancelled').reverse(),
    past: views.filter((v) => Date.parse(v.endsAt) <= now.getTime() || v.status === 'cancelled'),
  };
}

/** The contact's own appointment, or undefined (another customer's is not theirs to see). */
export async function ownAppointment(db: Kysely<Database>, contactId: string, id: string) {
  return db
    .selectFrom('appointments')
    .selectAll()
    .where('id', '=', id)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
}

export async function portalInvoices(db: Kysely<Database>, contactId: string) {
  const rows = await db
    .selectFrom('invoices as i')
    .leftJoin('appointments as a', 'a.id', 'i.appointment_id')
    .leftJoin('services as sv', 'sv.id', 'a.service_id')
    .leftJoin('memberships as m', 'm.id', 'i.membership_id')
    .select([
      'i.id',
      'i.number',
      'i.status',
      'i.currency',
      'i.total_minor',
      'i.issued_at',
      'i.paid_at',
      'i.appointment_id',
      'a.starts_at',
      'sv.name as service_name',
      'm.plan_name',
    ])
    .where('i.contact_id', '=', contactId)
    .where('i.status', '!=', 'draft')
    .orderBy('i.number', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    status: r.status,
    total: { amountMinor: r.total_minor, currency: r.currency.trim() },
    issuedAt: r.issued_at?.toISOString() ?? null,
    paidAt: r.paid_at?.toISOString() ?? null,
    appointmentId: r.appointment_id,
    description: r.service_name ?? r.plan_name ?? 'Invoice',
    visitAt: r.starts_at?.toISOString() ?? null,
  }));
}

export async function ownInvoice(db: Kysely<Database>, contactId: string, id: string) {
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('id', '=', id)
    .where('contact_id', '=', contactId)
    .where('status', '!=', 'draft')
    .executeTakeFirst();
}

export async function portalMembershipIds(db: Kysely<Database>, contactId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('memberships')
    .select('id')
    .where('contact_id', '=', contactId)
    .orderBy('valid_until', 'desc')
    .execute();
  return rows.map((r) => r.id);
}

export async function portalProfile(db: Kysely<Database>, contactId: string) {
  const c = await db.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirstOrThrow();
  return {
    name: c.name,
    email: c.email,
    phone: c.phone,
    address: c.address,
    timeZone: c.time_zone,
    clientNotes: c.client_notes,
    sms: {
      optIn: c.sms_opt_in && c.sms_opted_out_at === null,
      optedInAt: c.sms_opt_in_at?.toISOString() ?? null,
      optedOutAt: c.sms_opted_out_at?.toISOString() ?? null,
    },
    card: c.card_last4 ? { brand: c.card_brand, last4: c.card_last4 } : null,
    ...channelsView(c),
  };
}
