/**
 * The messaging activity: renders the messages for one lifecycle event, stores each in the outbox with
 * an idempotency key derived from workflow id, step, appointment revision, channel and audience, and
 * delivers it through the configured provider. A retry or a replay finds the stored message and never
 * creates or sends a second copy. Reminders and briefs for an appointment that moved on (cancelled,
 * rescheduled) are dropped here too, as a second guard behind the workflow's own check.
 */
import type { Kysely } from 'kysely';
import { appendTimeline } from '../src/appointments/repository';
import { upcomingFreeSlots } from '../src/availability/service';
import type { Config } from '../src/config';
import type { Database, MessageAttachment, MessageChannel } from '../src/db/schema';
import { isActiveStatus } from '../src/domain/stages';
import { createManageToken } from '../src/manage/tokens';
import { appointmentIcs } from '../src/messaging/ics';
import type { MessageProviders } from '../src/messaging/providers';
import {
  type CustomerEvent,
  type MessageContext,
  type StaffEvent,
  renderCustomerEmail,
  renderCustomerSms,
  renderStaffEmail,
} from '../src/messaging/templates';

export interface NotificationDeps {
  db: Kysely<Database>;
  config: Config;
  providers: MessageProviders;
}

export interface SendAppointmentMessagesInput {
  appointmentId: string;
  workflowId: string;
  audience: 'customer' | 'staff';
  event: CustomerEvent | StaffEvent;
  step: string;
  revision: number;
  onlyIfCurrent: boolean;
  previousStartsAt?: number;
  suggestSlots?: number;
}

export interface SendAppointmentMessagesResult {
  messageIds: string[];
  skipped?: 'stale' | 'no_recipient';
}

const ICS_EVENTS: ReadonlySet<string> = new Set([
  'confirmation',
  'reminder48h',
  'reminder12h',
  'rescheduled',
  'cancelled',
]);

export function notificationActivities({ db, config, providers }: NotificationDeps) {
  const base = config.http.publicBaseUrl;

  async function loadContext(appointmentId: string) {
    const row = await db
      .selectFrom('appointments as a')
      .innerJoin('contacts as c', 'c.id', 'a.contact_id')
      .innerJoin('staff as st', 'st.id', 'a.staff_id')
      .innerJoin('services as sv', 'sv.id', 'a.service_id')
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
        'c.name as contact_name',
        'c.email as contact_email',
        'c.phone as contact_phone',
        'c.address as contact_address',
        'c.notes as contact_notes',
        'c.sms_opt_in',
        'c.sms_opted_out_at',
        'c.email_bounced_at',
        'st.name as staff_name',
        'st.email as staff_email',
        'st.phone as staff_phone',
        'st.time_zone as staff_time_zone',
        'sv.name as service_name',
        'sv.slug as service_slug',
        'sv.duration_minutes',
      ])
      .where('a.id', '=', appointmentId)
      .executeTakeFirst();
    if (!row) throw new Error(`Appointment ${appointmentId} does not exist`);
    const business = await db.selectFrom('business').selectAll().executeTakeFirst();
    if (!business) throw new Error('The business profile is missing; create it before sending messages');
    return { row, business };
  }

  return {
    async sendAppointmentMessages(input: SendAppointmentMessagesInput): Promise<SendAppointmentMessagesResult> {
      const { row, business } = await loadContext(input.appointmentId);
      if (input.onlyIfCurrent && (row.revision !== input.revision || !isActiveStatus(row.status))) {
        return { messageIds: [], skipped: 'stale' };
      }

      const recipients: Array<{ channel: MessageChannel; to: string }> = [];
      if (input.audience === 'customer') {
        if (!row.email_bounced_at) recipients.push({ channel: 'email', to: row.contact_email });
        if (row.sms_opt_in && !row.sms_opted_out_at && row.contact_phone)
          recipients.push({ channel: 'sms', to: row.contact_phone });
      } else {
        recipients.push({ channel: 'email', to: row.staff_email });
      }
      if (recipients.length === 0) return { messageIds: [], skipped: 'no_recipient' };

      const keyOf = (channel: MessageChannel) =>
        `${input.workflowId}:${input.step}:r${input.revision}:${channel}:${input.audience}`;
      const keys = recipients.map((r) => keyOf(r.channel));
      const existing = await db
        .selectFrom('messages')
        .select(['idempotency_key'])
        .where('idempotency_key', 'in', keys)
        .execute();
      const missing = recipients.filter((r) => !existing.some((e) => e.idempotency_key === keyOf(r.channel)));

      if (missing.length > 0) {
        const suggestedSlots =
          input.suggestSlots && input.audience === 'customer'
            ? (
                await upcomingFreeSlots(db, {
                  serviceId: row.service_id,
                  from: Date.now(),
                  now: Date.now(),
                  count: input.suggestSlots,
                })
              ).map((slot) => ({
                startsAt: slot.startsAt,
                url: `${base}/book/${row.service_slug}?start=${encodeURIComponent(new Date(slot.startsAt).toISOString())}&staff=${slot.staffId}`,
              }))
            : undefined;

        await db.transaction().execute(async (trx) => {
          const bookingUrl = `${base}/book/${row.service_slug}`;
          const linkAlive = input.audience === 'customer' && isActiveStatus(row.status);
          const manageUrl = linkAlive
            ? `${base}/manage/${await createManageToken(trx, row.id, new Date(row.ends_at.getTime()))}`
            : bookingUrl;
          const context: MessageContext = {
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
              publicNotes: row.public_notes,
              address: row.contact_address,
            },
            manageUrl,
            bookingUrl,
            ...(suggestedSlots ? { suggestedSlots } : {}),
          };
          for (const recipient of missing) {
            let subject: string | null = null;
            let text: string;
            let html: string | null = null;
            const attachments: MessageAttachment[] = [];
            if (input.audience === 'customer') {
              const event = input.event as CustomerEvent;
              if (recipient.channel === 'email') {
                const email = renderCustomerEmail(event, context);
                ({ subject, text, html } = email);
                if (ICS_EVENTS.has(event)) {
                  const ics = appointmentIcs(context, {
                    method: event === 'cancelled' ? 'CANCEL' : 'REQUEST',
                    sequence: row.revision,
                  });
                  attachments.push({
                    filename: 'appointment.ics',
                    contentType: 'text/calendar; charset=utf-8',
                    content: Buffer.from(ics).toString('base64'),
                  });
                }
              } else {
                text = renderCustomerSms(event, context);
              }
            } else {
              const email = renderStaffEmail(input.event as StaffEvent, context);
              ({ subject, text, html } = email);
            }
            await trx
              .insertInto('messages')
              .values({
                appointment_id: row.id,
                contact_id: input.audience === 'customer' ? row.contact_id : null,
                staff_id: input.audience === 'staff' ? row.staff_id : null,
                channel: recipient.channel,
                template: input.event,
                recipient: recipient.to,
                subject,
                body: text,
                html,
                attachments: JSON.stringify(attachments),
                provider: recipient.channel === 'sms' ? providers.sms.name : providers.email.name,
                idempotency_key: keyOf(recipient.channel),
              })
              .onConflict((oc) => oc.column('idempotency_key').doNothing())
              .execute();
          }
        });
      }

      const messages = await db.selectFrom('messages').selectAll().where('idempotency_key', 'in', keys).execute();
      for (const message of messages) {
        if (message.status !== 'queued') continue;
        const provider = message.channel === 'sms' ? providers.sms : providers.email;
        const { providerMessageId } = await provider.send({
          id: message.id,
          channel: message.channel,
          to: message.recipient,
          subject: message.subject,
          text: message.body,
          html: message.html,
          attachments: message.attachments,
          idempotencyKey: message.idempotency_key,
        });
        await db
          .updateTable('messages')
          .set({
            status: 'sent',
            provider: provider.name,
            provider_message_id: providerMessageId,
            sent_at: new Date(),
            updated_at: new Date(),
          })
          .where('id', '=', message.id)
          .where('status', '=', 'queued')
          .execute();
        await appendTimeline(db, {
          appointmentId: row.id,
          contactId: row.contact_id,
          kind: 'message:sent',
          actor: 'appointflow',
          channel: message.channel,
          summary: `${message.channel === 'sms' ? 'SMS' : 'Email'} "${message.template}" sent to ${message.recipient} via ${provider.name}`,
          data: { messageId: message.id, template: message.template },
          idempotencyKey: `${message.idempotency_key}:sent`,
        });
      }
      return { messageIds: messages.map((m) => m.id) };
    },
  };
}
