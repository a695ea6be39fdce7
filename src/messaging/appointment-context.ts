/**
 * What a message about an appointment is rendered from: the appointment row with its contact, staff
 * member and service, the business profile, and the `MessageContext` the templates take. Shared by the
 * messaging activity (which sends) and the reschedule preview (which only shows what would be sent).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { MessageBilling, MessageContext, MessageDeposit } from './templates';
import { withPublicNote } from './edited-message';
import { resolveLocale } from '../i18n/locales';
import { appointmentsWithParties } from '../appointments/read-model';
import { describeRule } from '../domain/recurrence';
import { cancellationTerms } from '../domain/cancellation-policy';

/** The appointment joined with its contact, staff member and service, and the business profile. */
export async function loadMessageRow(db: Kysely<Database>, appointmentId: string) {
  const row = await appointmentsWithParties(db)
    .select([
      'a.id',
      'a.status',
      'a.revision',
      'a.starts_at',
      'a.ends_at',
      'a.time_zone',
      'a.cancel_reason',
      'a.client_note',
      'a.public_notes',
      'a.contact_id',
      'a.staff_id',
      'a.service_id',
      'a.series_id',
      'a.series_index',
      'a.cancellation_policy',
      'a.price_minor',
      'a.currency',
      'c.name as contact_name',
      'c.email as contact_email',
      'c.phone as contact_phone',
      'c.address as contact_address',
      'c.notes as contact_notes',
      'c.sms_opt_in',
      'c.locale as contact_locale',
      'c.sms_opted_out_at',
      'c.email_bounced_at',
      'c.sms_failed_at',
      'c.preferred_channel',
      'c.whatsapp_opt_in',
      'c.whatsapp_opted_out_at',
      'st.name as staff_name',
      'st.email as staff_email',
      'st.phone as staff_phone',
      'st.time_zone as staff_time_zone',
      'sv.name as service_name',
      'sv.slug as service_slug',
      'sv.duration_minutes',
      'sv.files_request',
    ])
    .where('a.id', '=', appointmentId)
    .executeTakeFirst();
  if (!row) throw new Error(`Appointment ${appointmentId} does not exist`);
  // A visit of a recurring series (src/booking/series.ts): its messages say which visit of how many.
  const series = row.series_id
    ? await db
        .selectFrom('appointment_series')
        .select(['every', 'unit', 'occurrences'])
        .where('id', '=', row.series_id)
        .executeTakeFirst()
    : undefined;
  const business = await db.selectFrom('business').selectAll().executeTakeFirst();
  if (!business) throw new Error('The business profile is missing; create it before sending messages');
  return { row: { ...row, series }, business };
}

export type MessageRow = Awaited<ReturnType<typeof loadMessageRow>>['row'];
export type BusinessRow = Awaited<ReturnType<typeof loadMessageRow>>['business'];

export function appointmentMessageContext(input: {
  row: MessageRow;
  business: BusinessRow;
  /** The public base URL (links). */
  base: string;
  manageUrl: string;
  previousStartsAt?: number;
  suggestedSlots?: Array<{ startsAt: number; url: string }>;
  billing?: MessageBilling;
  /** A note staff gave with the change, shown with the public notes. */
  publicNote?: string;
  /** The feedback form's own token link (only the feedback request carries one). */
  feedbackUrl?: string;
  /** The deposit paid at booking, with what a cancel did to it (src/billing/deposits.ts). */
  deposit?: MessageDeposit;
  /** The portal link of this message's manage token and the files already sent, when the service asks for files. */
  files?: { url: string; received: number };
}): MessageContext {
  const { row, business, base, manageUrl } = input;
  const cancellation = cancellationTerms(row.cancellation_policy, Number(row.price_minor), row.currency.trim());
  // An invoice on an appointment that did not take place is a late-cancel or no-show fee (src/domain/cancellation-policy.ts).
  const fee = row.status === 'cancelled' ? 'late_cancel' : row.status === 'no_show' ? 'no_show' : undefined;
  return {
    locale: resolveLocale(row.contact_locale, resolveLocale(business.default_locale)),
    business: {
      name: business.name,
      email: business.email,
      phone: business.phone,
      address: business.address,
      timeZone: business.time_zone,
    },
    contact: {
      name: row.contact_name,
      email: row.contact_email,
      phone: row.contact_phone,
      address: row.contact_address,
      notes: row.contact_notes,
    },
    staff: {
      name: row.staff_name,
      email: row.staff_email,
      phone: row.staff_phone,
      timeZone: row.staff_time_zone,
    },
    service: { name: row.service_name, durationMinutes: row.duration_minutes },
    appointment: {
      id: row.id,
      startsAt: row.starts_at.getTime(),
      endsAt: row.ends_at.getTime(),
      timeZone: row.time_zone,
      ...(input.previousStartsAt !== undefined ? { previousStartsAt: input.previousStartsAt } : {}),
      cancelReason: row.cancel_reason,
      clientNote: row.client_note,
      publicNotes: withPublicNote(row.public_notes, input.publicNote),
      address: row.contact_address,
      ...(cancellation ? { cancellation } : {}),
      ...(input.deposit ? { deposit: input.deposit } : {}),
      ...(row.series && row.series_index !== null
        ? {
            series: {
              index: row.series_index,
              count: row.series.occurrences,
              rule: describeRule(row.series),
            },
          }
        : {}),
    },
    manageUrl,
    bookingUrl: `${base}/book/${row.service_slug}`,
    waitlistUrl: `${base}/book/${row.service_slug}?${new URLSearchParams({ staff: row.staff_id, waitlist: '1' })}`,
    ...(input.suggestedSlots ? { suggestedSlots: input.suggestedSlots } : {}),
    ...(input.files && row.files_request ? { files: { request: row.files_request, ...input.files } } : {}),
    ...(input.billing ? { billing: { ...input.billing, ...(fee ? { fee } : {}) } } : {}),
    links: {
      invoiceUrl: `${manageUrl}/invoice`,
      updateCardUrl: `${manageUrl}/card`,
      payUrl: `${manageUrl}/pay`,
      ...(input.feedbackUrl ? { feedbackUrl: input.feedbackUrl } : {}),
      taskUrl: `${base}/admin/appointments/${row.id}`,
    },
  };
}
