/**
 * The messaging activity: renders the messages for one lifecycle event, stores each in the outbox with
 * an idempotency key derived from workflow id, step, appointment revision, channel and audience, and
 * delivers it through the configured provider. A retry or a replay finds the stored message and never
 * creates or sends a second copy. Reminders and briefs for an appointment that moved on (cancelled,
 * rescheduled) are dropped here too, as a second guard behind the workflow's own check.
 */
import { depositOf } from '../src/billing/deposits';
import type { DepositOutcome } from '../workflows/appointment/messages';
import { serviceReportFor } from '../src/appointments/service-report';
import { filesFromCustomer } from '../src/conversations/thread';
import type { Kysely } from 'kysely';
import { upcomingFreeSlots } from '../src/availability/service';
import type { Config } from '../src/config';
import type { Database, MessageAttachment, MessageChannel } from '../src/db/schema';
import { isActiveStatus } from '../src/domain/stages';
import { createManageToken } from '../src/manage/tokens';
import { FEEDBACK_LINK_DAYS } from '../src/feedback/service';
import { appointmentIcs } from '../src/messaging/ics';
import { dispatchStoredMessages } from '../src/messaging/dispatch';
import { providerName } from '../src/messaging/providers';
import { customerRecipients } from '../src/messaging/recipients';
import type { MessageProviders } from '../src/messaging/providers';
import { alertStaff } from '../src/messaging/staff-alerts';
import type { PaymentGateway } from '../src/payments/gateway';
import {
  BILLING_CUSTOMER_EVENTS,
  BILLING_STAFF_EVENTS,
  type CustomerEvent,
  type MessageBilling,
  type MessageContext,
  type StaffEvent,
  formatWhenShort,
} from '../src/messaging/templates';
import { TEMPLATE_REGISTRY, renderTemplate } from '../src/messaging/template-registry';
import { appointmentMessageContext, loadMessageRow } from '../src/messaging/appointment-context';
import { resolveLocale } from '../src/i18n/locales';
import { type EditedMessage, editedEmail, editedSms, fitsTwoSegments } from '../src/messaging/edited-message';
import { gsm7Length } from '../src/messaging/sms';
import { appendTimeline } from '../src/appointments/repository';
import { advanceStatus } from '../src/messaging/delivery-status';
import { MESSAGE_RENDER_FAILED } from '../workflows/appointment/messages';
import { rendering } from './errors';
import { ApplicationFailure } from '@temporalio/activity';

export interface NotificationDeps {
  db: Kysely<Database>;
  config: Config;
  providers: MessageProviders;
  payments: Pick<PaymentGateway, 'simulated'>;
}

const BILLING_EVENTS: ReadonlySet<string> = new Set([...BILLING_CUSTOMER_EVENTS, ...BILLING_STAFF_EVENTS]);

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
  /** Dunning: when the next charge attempt is due (epoch ms). */
  nextAttemptAt?: number;
  /** Staff messages: send to the business's billing owner when one is configured. */
  toBillingOwner?: boolean;
  /** Customer messages: the text as staff edited it (reschedule), sent instead of the template per channel. */
  edited?: EditedMessage;
  /** A public note staff gave with the change, shown with the appointment's public notes. */
  publicNote?: string;
  /** A cancel or no-show: what becomes of the deposit (refunded, kept against the fee). */
  deposit?: DepositOutcome;
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

/** Lifecycle events that also go to the staff Slack channel when Slack is configured. */
const SLACK_ALERT_EVENTS: ReadonlySet<string> = new Set(['cancelled', 'staffNoShow', 'staffPaymentFailed']);

function slackAlertText(
  event: string,
  row: {
    contact_name: string;
    service_name: string;
    starts_at: Date;
    staff_time_zone: string;
    cancel_reason: string | null;
  },
): string {
  const when = formatWhenShort(row.starts_at.getTime(), row.staff_time_zone);
  switch (event) {
    case 'cancelled':
      return `Cancelled: ${row.contact_name}, ${row.service_name} ${when}${row.cancel_reason ? ` (reason: ${row.cancel_reason})` : ''}.`;
    case 'staffNoShow':
      return `No-show: ${row.contact_name} missed ${row.service_name} ${when}.`;
    default:
      return `Payment failed: ${row.contact_name}, ${row.service_name} ${when}. See the charge task.`;
  }
}

export function notificationActivities({ db, config, providers, payments }: NotificationDeps) {
  const base = config.http.publicBaseUrl;

  const loadContext = (appointmentId: string) => loadMessageRow(db, appointmentId);

  /** Invoice, card and latest payment attempt, for billing messages. */
  async function billingContext(
    appointmentId: string,
    contactId: string,
    input: SendAppointmentMessagesInput,
  ): Promise<MessageBilling | undefined> {
    const invoice = await db
      .selectFrom('invoices')
      .selectAll()
      .where('appointment_id', '=', appointmentId)
      .executeTakeFirst();
    if (!invoice) return undefined;
    const [contact, appointment, lastAttempt] = await Promise.all([
      db
        .selectFrom('contacts')
        .select(['card_brand', 'card_last4'])
        .where('id', '=', contactId)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('appointments')
        .select(['billable_minutes'])
        .where('id', '=', appointmentId)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('payment_attempts')
        .selectAll()
        .where('invoice_id', '=', invoice.id)
        .orderBy('attempt', 'desc')
        .executeTakeFirst(),
    ]);
    return {
      invoiceNumber: invoice.number,
      currency: invoice.currency.trim(),
      lines: invoice.lines,
      subtotalMinor: invoice.subtotal_minor,
      taxRateBps: invoice.tax_rate_bps,
      taxMinor: invoice.tax_minor,
      totalMinor: invoice.total_minor,
      billableMinutes: appointment.billable_minutes,
      card: contact.card_last4 ? { brand: contact.card_brand, last4: contact.card_last4 } : null,
      simulated: lastAttempt ? lastAttempt.gateway === 'simulated' : payments.simulated,
      ...(lastAttempt?.error ? { declineMessage: lastAttempt.error } : {}),
      ...(lastAttempt ? { attempt: lastAttempt.attempt } : {}),
      ...(input.nextAttemptAt !== undefined ? { nextAttemptAt: input.nextAttemptAt } : {}),
    };
  }

  return {
    async sendAppointmentMessages(input: SendAppointmentMessagesInput): Promise<SendAppointmentMessagesResult> {
      const { row, business } = await loadContext(input.appointmentId);
      if (input.onlyIfCurrent && (row.revision !== input.revision || !isActiveStatus(row.status))) {
        return { messageIds: [], skipped: 'stale' };
      }
      if (input.event === 'receipt') {
        // An invoice staff voided ends the collection without a payment: no receipt for it.
        const invoice = await db
          .selectFrom('invoices')
          .select('status')
          .where('appointment_id', '=', input.appointmentId)
          .executeTakeFirst();
        if (invoice?.status === 'void') return { messageIds: [], skipped: 'stale' };
      }

      const recipients: Array<{ channel: MessageChannel; to: string }> = [];
      // A staff email for someone other than the appointment's staff member (the billing owner).
      let staffRecipient: { id: string; name: string; timeZone: string } | undefined;
      if (input.audience === 'customer') {
        // Email, and SMS or WhatsApp by the contact's preference and opt-ins (one rule for every customer message).
        recipients.push(...customerRecipients({ ...row, email: row.contact_email, phone: row.contact_phone }));
      } else {
        let to = row.staff_email;
        if (input.toBillingOwner && business.billing_owner_staff_id) {
          const owner = await db
            .selectFrom('staff')
            .select(['id', 'name', 'email', 'time_zone'])
            .where('id', '=', business.billing_owner_staff_id)
            .executeTakeFirst();
          if (owner) {
            to = owner.email;
            staffRecipient = { id: owner.id, name: owner.name, timeZone: owner.time_zone };
          }
        }
        recipients.push({ channel: 'email', to });
      }
      const keyOf = (channel: MessageChannel) =>
        `${input.workflowId}:${input.step}:r${input.revision}:${channel}:${input.audience}`;
      if (recipients.length === 0) {
        const queued = await db
          .selectFrom('messages')
          .select('id')
          .where('idempotency_key', 'in', [keyOf('email'), keyOf('sms'), keyOf('whatsapp')])
          .where('status', '=', 'queued')
          .executeTakeFirst();
        // Nothing to send, unless a message stored on an earlier attempt must still be suppressed.
        if (!queued) return { messageIds: [], skipped: 'no_recipient' };
      }
      const keys = recipients.map((r) => keyOf(r.channel));
      const existing =
        keys.length === 0
          ? []
          : await db.selectFrom('messages').select(['idempotency_key']).where('idempotency_key', 'in', keys).execute();
      const missing = recipients.filter((r) => !existing.some((e) => e.idempotency_key === keyOf(r.channel)));

      if (missing.length > 0) {
        const suggestedSlots =
          input.suggestSlots && input.audience === 'customer'
            ? (
                await upcomingFreeSlots(db, {
                  serviceId: row.service_id,
                  // "Book again" offers the same staff member's times.
                  ...(input.event === 'bookAgain' ? { staffId: row.staff_id } : {}),
                  from: Date.now(),
                  now: Date.now(),
                  count: input.suggestSlots,
                })
              ).map((slot) => ({
                startsAt: slot.startsAt,
                url: `${base}/book/${row.service_slug}?start=${encodeURIComponent(new Date(slot.startsAt).toISOString())}&staff=${slot.staffId}`,
              }))
            : undefined;

        const entry = TEMPLATE_REGISTRY.get(input.event);
        if (!entry) {
          throw ApplicationFailure.create({
            type: MESSAGE_RENDER_FAILED,
            message: `No template for the event ${input.event}`,
            nonRetryable: true,
          });
        }
        const overrides = await db
          .selectFrom('message_templates')
          .select(['channel', 'subject', 'body'])
          .where('event', '=', input.event)
          .execute();
        // Read before the transaction: embedded PGlite has one session, so `db` inside it would wait forever.
        const billing = BILLING_EVENTS.has(input.event)
          ? await billingContext(row.id, row.contact_id, input)
          : undefined;
        const paidDeposit = input.audience === 'customer' ? await depositOf(db, row.id) : undefined;
        const deposit = paidDeposit && {
          // What is left of it (a part refunded on a cancel is no longer on the invoice).
          amountMinor: paidDeposit.amountMinor - paidDeposit.refundedMinor,
          currency: paidDeposit.currency,
          priceMinor: Number(row.price_minor),
          ...(input.deposit ? { outcome: input.deposit } : {}),
        };
        // The receipt carries the service report staff wrote at delivery (issue 16).
        const report =
          input.event === 'receipt' && input.audience === 'customer'
            ? await serviceReportFor(db, row.id, row.contact_id)
            : undefined;
        // What the customer already sent, when the service asks for files (the reminder asks only while none arrived).
        const filesReceived =
          input.audience === 'customer' && row.files_request ? (await filesFromCustomer(db, row.id)).length : undefined;
        await db.transaction().execute(async (trx) => {
          // "Book again" opens the booking page on the same service and staff member: one tap.
          const bookingUrl =
            input.event === 'bookAgain'
              ? `${base}/book/${row.service_slug}?staff=${row.staff_id}`
              : `${base}/book/${row.service_slug}`;
          const isBilling = BILLING_EVENTS.has(input.event);
          const linkAlive = input.audience === 'customer' && (isActiveStatus(row.status) || isBilling);
          // Billing links (invoice, card update, payment) outlive the appointment: 30 days from now.
          const tokenExpiry = isBilling ? new Date(Date.now() + 30 * 24 * 3_600_000) : new Date(row.ends_at.getTime());
          const manageToken = linkAlive ? await createManageToken(trx, row.id, tokenExpiry) : undefined;
          const manageUrl = manageToken ? `${base}/manage/${manageToken}` : bookingUrl;
          // The service asks for files before the visit: the same token signs in to the portal conversation.
          const files =
            manageToken && filesReceived !== undefined
              ? { url: `${base}/account/from/${manageToken}?next=messages`, received: filesReceived }
              : undefined;
          // The feedback form gets its own token (purpose `feedback`), minted only for the message that links it.
          const feedbackUrl =
            input.event === 'feedbackRequest'
              ? `${base}/feedback/${await createManageToken(trx, row.id, new Date(Date.now() + FEEDBACK_LINK_DAYS * 24 * 3_600_000), 'feedback')}`
              : undefined;

          const context: MessageContext = rendering(`The ${input.event} message`, () =>
            appointmentMessageContext({
              row,
              business,
              base,
              manageUrl,
              ...(input.previousStartsAt !== undefined ? { previousStartsAt: input.previousStartsAt } : {}),
              ...(suggestedSlots ? { suggestedSlots } : {}),
              ...(billing ? { billing } : {}),
              ...(feedbackUrl ? { feedbackUrl } : {}),
              ...(input.publicNote ? { publicNote: input.publicNote } : {}),
              ...(deposit ? { deposit } : {}),
              ...(files ? { files } : {}),
            }),
          );
          if (report) context.report = { ...report, accountUrl: `${base}/account` };
          if (staffRecipient) context.recipient = { name: staffRecipient.name, timeZone: staffRecipient.timeZone };
          for (const recipient of missing) {
            let subject: string | null = null;
            let text: string;
            let html: string | null = null;
            const attachments: MessageAttachment[] = [];
            // Staff overrides are written in the business's language; a contact who reads another gets the
            // built-in message in theirs (src/messaging/locales).
            // WhatsApp carries the SMS text (and its overrides).
            const overrideChannel = recipient.channel === 'whatsapp' ? 'sms' : recipient.channel;
            const override =
              input.audience === 'staff' || context.locale === resolveLocale(business.default_locale)
                ? overrides.find((o) => o.channel === overrideChannel)
                : undefined;
            if (input.audience === 'customer') {
              const event = input.event as CustomerEvent;
              if (recipient.channel === 'email') {
                const email = rendering(`The ${input.event} email`, () =>
                  input.edited?.email
                    ? editedEmail(input.edited.email, manageUrl)
                    : renderTemplate(entry, 'email', context, override).email!,
                );
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
                const edited = input.edited?.sms !== undefined ? editedSms(input.edited.sms, manageUrl) : undefined;
                // The HTTP edge refuses an edited SMS over two segments; should one get here, the template goes.
                text =
                  edited !== undefined && fitsTwoSegments(gsm7Length(edited))
                    ? edited
                    : rendering(`The ${input.event} SMS`, () => renderTemplate(entry, 'sms', context, override).sms!);
              }
            } else {
              const email = rendering(
                `The ${input.event} email`,
                () => renderTemplate(entry, 'email', context, override).email!,
              );
              ({ subject, text, html } = email);
            }
            await trx
              .insertInto('messages')
              .values({
                appointment_id: row.id,
                contact_id: input.audience === 'customer' ? row.contact_id : null,
                staff_id: input.audience === 'staff' ? (staffRecipient?.id ?? row.staff_id) : null,
                channel: recipient.channel,
                template: input.event,
                recipient: recipient.to,
                subject,
                body: text,
                html,
                attachments: JSON.stringify(attachments),
                provider: providerName(providers, recipient.channel),
                idempotency_key: keyOf(recipient.channel),
                // What an approved WhatsApp template is filled with outside the 24-hour window.
                template_values:
                  recipient.channel === 'whatsapp'
                    ? JSON.stringify({
                        name: row.contact_name,
                        business: business.name,
                        service: row.service_name,
                        when: formatWhenShort(row.starts_at.getTime(), row.time_zone, context.locale),
                        link: manageUrl,
                        text,
                      })
                    : null,
              })
              .onConflict((oc) => oc.column('idempotency_key').doNothing())
              .execute();
          }
        });
      }

      // Also the channels no longer wanted: an SMS stored before a STOP is still queued and must be
      // suppressed, not left waiting.
      const storedKeys = [...new Set([...keys, keyOf('email'), keyOf('sms'), keyOf('whatsapp')])];
      const messages = await dispatchStoredMessages({ db, config, providers }, storedKeys, {
        appointmentId: row.id,
        contactId: row.contact_id,
      });
      if (providers.slack && SLACK_ALERT_EVENTS.has(input.event)) {
        await alertStaff(
          { db, config, providers },
          {
            key: `${input.workflowId}:${input.step}:r${input.revision}`,
            text: slackAlertText(input.event, row),
            appointmentId: row.id,
            contactId: row.contact_id,
          },
        );
      }
      return { messageIds: messages.map((m) => m.id) };
    },

    /**
     * A message the workflow gave up on (it could not be rendered, or every attempt failed): its stored
     * rows are marked failed — or, when nothing was stored (render error), one failed row records it —
     * the timeline says so and staff are told (Slack when configured, always a task). Idempotent by the
     * message's key.
     */
    async recordMessageFailure(input: MessageFailureInput): Promise<{ messageIds: string[] }> {
      const { row } = await loadContext(input.appointmentId);
      const keyOf = (channel: MessageChannel) =>
        `${input.workflowId}:${input.step}:r${input.revision}:${channel}:${input.audience}`;
      const reason = input.reason.slice(0, 1000);
      await db
        .insertInto('messages')
        .values({
          appointment_id: row.id,
          contact_id: input.audience === 'customer' ? row.contact_id : null,
          staff_id: input.audience === 'staff' ? row.staff_id : null,
          channel: 'email',
          template: input.event,
          recipient: input.audience === 'customer' ? row.contact_email : row.staff_email,
          subject: null,
          body: `(not sent: ${reason})`,
          provider: providers.email.name,
          status: 'failed',
          error: reason,
          idempotency_key: keyOf('email'),
        })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .execute();
      const stored = await db
        .selectFrom('messages')
        .selectAll()
        .where('idempotency_key', 'in', [keyOf('email'), keyOf('sms'), keyOf('whatsapp')])
        .execute();
      for (const message of stored) await advanceStatus(db, message, 'failed', reason);
      const key = `${input.workflowId}:${input.step}:r${input.revision}:${input.audience}:failed`;
      const summary = `The ${input.event} message to the ${input.audience} was not sent: ${reason}`;
      await appendTimeline(db, {
        appointmentId: row.id,
        contactId: row.contact_id,
        kind: 'message:failed',
        actor: 'appointflow',
        channel: 'system',
        summary,
        data: { event: input.event, step: input.step, messageIds: stored.map((m) => m.id) },
        idempotencyKey: key,
      });
      await alertStaff(
        { db, config, providers },
        {
          key,
          text: `${summary} (${row.contact_name}, ${row.service_name}).`,
          appointmentId: row.id,
          contactId: row.contact_id,
          task: true,
        },
      );
      return { messageIds: stored.map((m) => m.id) };
    },

    /** A workflow step stuck past its time limit: staff are told once per key (Slack when configured, and a task). */
    async alertStuckStep(input: { appointmentId: string; key: string; text: string }): Promise<void> {
      const { row } = await loadContext(input.appointmentId);
      await alertStaff(
        { db, config, providers },
        { key: input.key, text: input.text, appointmentId: row.id, contactId: row.contact_id, task: true },
      );
    },
  };
}

export interface MessageFailureInput {
  appointmentId: string;
  workflowId: string;
  audience: 'customer' | 'staff';
  event: CustomerEvent | StaffEvent;
  step: string;
  revision: number;
  /** Why it was not sent, in words (the last failure's message). */
  reason: string;
}
