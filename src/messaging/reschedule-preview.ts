/**
 * What the customer would get if staff moved an appointment to a new time: the reschedule email and SMS
 * rendered through the template registry (with the business's overrides) from the appointment as it
 * would be after the move. Nothing is stored and no manage link is minted: the link shows as
 * `{manage-link}`, which the messaging activity fills in when the (possibly edited) message is sent.
 * The texts are rendered with a link of the real length, so an SMS that fits here still fits when sent.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { MINUTE_MS } from '../domain/time';
import { appointmentMessageContext, loadMessageRow } from './appointment-context';
import { MANAGE_LINK_PLACEHOLDER, editedSmsSeptets } from './edited-message';
import { TEMPLATE_REGISTRY, renderTemplate } from './template-registry';
import { overridesOf } from './template-overrides';

export interface ReschedulePreview {
  email: { subject: string; body: string };
  sms: string;
  /** GSM-7 septets of the SMS once the manage link is filled in, and the segments that makes. */
  smsSeptets: number;
  smsSegments: number;
  /** GSM-7 septets `{manage-link}` counts for once filled in, so an editor can count an edited SMS as sent. */
  manageLinkSeptets: number;
  /** Whether the customer gets the SMS at all (opted in, not opted out, a working number). */
  smsWillSend: boolean;
  /** Placeholders the texts may contain and what they become. */
  placeholders: Record<string, string>;
}

export async function previewRescheduleMessage(
  db: Kysely<Database>,
  publicBaseUrl: string,
  input: { appointmentId: string; startsAt: number; staffId: string; serviceId?: string; note?: string },
): Promise<ReschedulePreview> {
  const { row, business } = await loadMessageRow(db, input.appointmentId);
  const staff = await db
    .selectFrom('staff')
    .select(['name', 'email', 'phone', 'time_zone'])
    .where('id', '=', input.staffId)
    .executeTakeFirstOrThrow();
  const service = await db
    .selectFrom('services')
    .select(['name', 'slug', 'duration_minutes'])
    .where('id', '=', input.serviceId ?? row.service_id)
    .executeTakeFirstOrThrow();
  const moved = {
    ...row,
    starts_at: new Date(input.startsAt),
    ends_at: new Date(input.startsAt + service.duration_minutes * MINUTE_MS),
    staff_name: staff.name,
    staff_email: staff.email,
    staff_phone: staff.phone,
    staff_time_zone: staff.time_zone,
    service_name: service.name,
    service_slug: service.slug,
    duration_minutes: service.duration_minutes,
  };
  // A stand-in link as long as a real one (32 random bytes in base64url), swapped for the placeholder.
  const standIn = `${publicBaseUrl}/manage/${'x'.repeat(43)}`;
  const context = appointmentMessageContext({
    row: moved,
    business,
    base: publicBaseUrl,
    manageUrl: standIn,
    previousStartsAt: row.starts_at.getTime(),
    ...(input.note ? { publicNote: input.note } : {}),
  });
  const entry = TEMPLATE_REGISTRY.get('rescheduled');
  if (!entry) throw new Error('No template for the event rescheduled');
  const overrides = await overridesOf(db, 'rescheduled');
  const placeholder = (s: string) => s.split(standIn).join(MANAGE_LINK_PLACEHOLDER);
  const email = renderTemplate(
    entry,
    'email',
    context,
    overrides.find((o) => o.channel === 'email'),
  ).email!;
  const sms = placeholder(
    renderTemplate(
      entry,
      'sms',
      context,
      overrides.find((o) => o.channel === 'sms'),
    ).sms!,
  );
  const septets = editedSmsSeptets(sms, publicBaseUrl);
  return {
    email: { subject: placeholder(email.subject), body: placeholder(email.text) },
    sms,
    smsSeptets: septets,
    smsSegments: septets <= 160 ? 1 : Math.ceil(septets / 153),
    manageLinkSeptets: editedSmsSeptets(MANAGE_LINK_PLACEHOLDER, publicBaseUrl),
    smsWillSend: Boolean(row.sms_opt_in && !row.sms_opted_out_at && !row.sms_failed_at && row.contact_phone),
    placeholders: { [MANAGE_LINK_PLACEHOLDER]: "the customer's own manage link, filled in when the message is sent" },
  };
}
