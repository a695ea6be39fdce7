/**
 * What the API returns for an appointment, built from the database (the workflow keeps it current).
 * Staff views include the Temporal Web UI link; customer views leave internal fields out.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import type { Slot } from '../domain/availability';
import { appointmentsWithParties } from '../appointments/read-model';

export async function appointmentView(db: Kysely<Database>, config: Config, appointmentId: string) {
  const row = await appointmentsWithParties(db)
    .select([
      'a.id',
      'a.workflow_id',
      'a.status',
      'a.stage',
      'a.revision',
      'a.starts_at',
      'a.ends_at',
      'a.time_zone',
      'a.source',
      'a.price_minor',
      'a.currency',
      'a.client_note',
      'a.public_notes',
      'a.cancel_reason',
      'a.workflow_started_at',
      // Billing terms (frozen at booking, else the service's): the card's billable-time form.
      (eb) => eb.fn.coalesce('a.pricing', 'sv.pricing').as('pricing'),
      (eb) => eb.fn.coalesce('a.hourly_rate_minor', 'sv.hourly_rate_minor').as('hourly_rate_minor'),
      (eb) => eb.fn.coalesce('a.billing_increment_minutes', 'sv.billing_increment_minutes').as('increment_minutes'),
      'sv.id as service_id',
      'sv.name as service_name',
      'sv.slug as service_slug',
      'st.id as staff_id',
      'st.name as staff_name',
      'c.id as contact_id',
      'c.name as contact_name',
      'c.email as contact_email',
      'c.phone as contact_phone',
      'c.notes as contact_notes',
      'c.address as contact_address',
      'c.sms_opt_in',
      'c.sms_opted_out_at',
      'c.sms_opt_out_source',
      'c.sms_failed_at',
      'c.sms_failed_reason',
      'c.email_bounced_at',
      'c.email_bounce_reason',
    ])
    .where('a.id', '=', appointmentId)
    .executeTakeFirst();
  if (!row) return undefined;
  // Once invoiced, the price is the invoice's total (lines, adjustments, tax), not the booked price.
  const invoice = await db
    .selectFrom('invoices')
    .select(['id', 'number', 'status', 'total_minor', 'currency'])
    .where('appointment_id', '=', appointmentId)
    .where('status', '!=', 'draft')
    .executeTakeFirst();
  const paid = invoice
    ? await db
        .selectFrom('invoice_payments')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_minor'), eb.lit(0)).as('n'))
        .where('invoice_id', '=', invoice.id)
        .executeTakeFirstOrThrow()
    : undefined;
  const booked = { amountMinor: row.price_minor, currency: row.currency.trim() };
  return {
    id: row.id,
    workflowId: row.workflow_id,
    temporalUrl: `${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(row.workflow_id)}`,
    workflowStarted: row.workflow_started_at !== null,
    status: row.status,
    stage: row.stage,
    revision: row.revision,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    timeZone: row.time_zone,
    source: row.source,
    price: invoice ? { amountMinor: Number(invoice.total_minor), currency: invoice.currency.trim() } : booked,
    bookedPrice: booked,
    invoice: invoice
      ? {
          id: invoice.id,
          number: Number(invoice.number),
          status: invoice.status,
          totalMinor: Number(invoice.total_minor),
          paidMinor: Number(paid?.n ?? 0),
          balanceMinor: invoice.status === 'void' ? 0 : Math.max(0, Number(invoice.total_minor) - Number(paid?.n ?? 0)),
          currency: invoice.currency.trim(),
        }
      : null,
    clientNote: row.client_note,
    publicNotes: row.public_notes,
    cancelReason: row.cancel_reason,
    service: { id: row.service_id, name: row.service_name, slug: row.service_slug },
    /** How the visit is billed: fixed price, or hourly at the rate in steps of `incrementMinutes`. */
    billing: { pricing: row.pricing, hourlyRateMinor: row.hourly_rate_minor, incrementMinutes: row.increment_minutes },
    staff: { id: row.staff_id, name: row.staff_name },
    contact: {
      id: row.contact_id,
      name: row.contact_name,
      email: row.contact_email,
      phone: row.contact_phone,
      address: row.contact_address,
      /** Staff notes on the contact (e.g. an allergy), shown on the card. */
      notes: row.contact_notes,
      /** Where messages can go: SMS opt-in / opt-out (with time and source), failed number, bounced email. */
      reachability: {
        smsOptIn: row.sms_opt_in,
        smsOptedOut: row.sms_opted_out_at
          ? { at: row.sms_opted_out_at.toISOString(), source: row.sms_opt_out_source }
          : null,
        smsFailed: row.sms_failed_at ? { at: row.sms_failed_at.toISOString(), reason: row.sms_failed_reason } : null,
        emailBounced: row.email_bounced_at
          ? { at: row.email_bounced_at.toISOString(), reason: row.email_bounce_reason }
          : null,
      },
    },
  };
}

export type AppointmentView = NonNullable<Awaited<ReturnType<typeof appointmentView>>>;

/** The customer's view: no internal links or ids beyond what the manage page needs. */
export function customerView(view: AppointmentView) {
  const { workflowId: _w, temporalUrl: _t, workflowStarted: _s, source: _src, billing: _b, contact, ...rest } = view;
  return { ...rest, contact: { name: contact.name } };
}

export async function slotViews(db: Kysely<Database>, slots: readonly Slot[]) {
  const ids = [...new Set(slots.map((s) => s.staffId))];
  const staff = ids.length ? await db.selectFrom('staff').select(['id', 'name']).where('id', 'in', ids).execute() : [];
  const names = new Map(staff.map((s) => [s.id, s.name]));
  return slots.map((s) => ({
    startsAt: new Date(s.startsAt).toISOString(),
    endsAt: new Date(s.endsAt).toISOString(),
    staffId: s.staffId,
    staffName: names.get(s.staffId) ?? '',
  }));
}
