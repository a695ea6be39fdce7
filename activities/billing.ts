/**
 * Billing activities, on behalf of the appointment workflow (seed 000): completing the deliver task
 * with the billable minutes (which opens the invoice), confirming the charge (with the assignee's
 * adjusted amount), and charging the saved card off-session.
 *
 * Idempotency: task completion and confirmation are keyed by the workflow step and answer a repeat with
 * the first result; each charge attempt has a row in `payment_attempts` keyed by invoice and attempt,
 * and the same key goes to the gateway (Stripe's Idempotency-Key), so an activity retried after Stripe
 * accepted the charge returns the recorded outcome or Stripe's replayed response — never a second charge.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Kysely, Transaction } from 'kysely';
import { appendTimeline, loadSnapshot } from '../src/appointments/repository';
import {
  adjustTotal,
  balanceDue,
  computeInvoice,
  formatMoney,
  type Invoice,
  serviceLines,
} from '../src/billing/invoice';
import { settleDeposit } from '../src/billing/deposits';
import { changeInvoiceStatus, creditPaymentIn, InvoiceRefusal, paidOn } from '../src/billing/ledger';
import type { Database, InvoiceLine } from '../src/db/schema';
import type { FeeKind } from '../src/domain/cancellation-policy';
import { canTransitionStatus } from '../src/domain/stages';
import { cardForCharge } from '../src/payments/card-on-file';
import { type ChargeResult, isRetryablePaymentError, type PaymentGateway } from '../src/payments/gateway';
import {
  type Actor,
  type AppointmentSnapshot,
  type Channel,
  REFUSALS,
  type ServiceReport,
} from '../workflows/appointment/messages';
import { countCharge } from '../src/metrics';

export interface BillingDeps {
  db: Kysely<Database>;
  payments: PaymentGateway;
}

export interface InvoiceSummary {
  invoiceId: string;
  number: number;
  currency: string;
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export interface ChargeOutcome {
  status: ChargeResult['status'];
  paymentId: string | null;
  declineCode: string | null;
  message: string | null;
  gateway: PaymentGateway['name'];
}

function refuse(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

const actorName = (actor: Actor) => `${actor.name}${actor.kind === 'customer' ? '' : ` (${actor.kind})`}`;

async function invoiceSummary(
  db: Kysely<Database> | Transaction<Database>,
  appointmentId: string,
): Promise<InvoiceSummary> {
  const row = await db
    .selectFrom('invoices')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  return {
    invoiceId: row.id,
    number: row.number,
    currency: row.currency.trim(),
    subtotalMinor: row.subtotal_minor,
    taxMinor: row.tax_minor,
    totalMinor: row.total_minor,
  };
}

async function openTask(
  trx: Transaction<Database>,
  appointmentId: string,
  taskId: string,
  kind: 'deliver_service' | 'charge_customer',
) {
  const task = await trx.selectFrom('tasks').selectAll().where('id', '=', taskId).forUpdate().executeTakeFirst();
  if (!task || task.appointment_id !== appointmentId || task.kind !== kind) {
    throw refuse(REFUSALS.notFound, `Task ${taskId} is not this appointment's ${kind.replace('_', ' ')} task.`);
  }
  return task;
}

/** The invoice opens with the deposit paid at booking on it: the timeline says what is left to pay. */
async function creditDepositNote(
  trx: Transaction<Database>,
  invoiceId: string,
  appointment: { id: string; contact_id: string },
  totalMinor: number,
): Promise<void> {
  const deposit = await trx
    .selectFrom('invoice_payments')
    .select(['amount_minor', 'currency', 'provider_payment_id'])
    .where('invoice_id', '=', invoiceId)
    .where('method', '=', 'deposit')
    .executeTakeFirst();
  if (!deposit) return;
  const currency = deposit.currency.trim();
  const amountMinor = Number(deposit.amount_minor);
  const owed = balanceDue(totalMinor, amountMinor);
  await appendTimeline(trx, {
    appointmentId: appointment.id,
    contactId: appointment.contact_id,
    kind: 'invoice:deposit_credited',
    actor: 'appointflow',
    channel: 'system',
    summary: `Deposit of ${formatMoney(amountMinor, currency)} credited on the invoice; ${owed === 0 ? 'nothing more to pay' : `${formatMoney(owed, currency)} still owed`}`,
    data: { invoiceId, amountMinor, owedMinor: owed, paymentId: deposit.provider_payment_id },
    idempotencyKey: `invoice:${invoiceId}:deposit-credited`,
  });
}

export function billingActivities({ db, payments }: BillingDeps) {
  return {
    /** Completes the deliver-service task with the billable minutes; the service is done and the invoice opens. */
    async completeDeliverTask(input: {
      appointmentId: string;
      taskId: string;
      minutes: number;
      notes?: string;
      /** The service report for the customer (sent with the receipt); stored with the task's form. */
      report?: ServiceReport;
      actor: Actor;
      channel: Channel;
    }): Promise<{ appointment: AppointmentSnapshot; invoice: InvoiceSummary }> {
      await db.transaction().execute(async (trx) => {
        const task = await openTask(trx, input.appointmentId, input.taskId, 'deliver_service');
        if (task.status === 'done') return; // answered with the first result below
        const appointment = await trx
          .selectFrom('appointments')
          .selectAll()
          .where('id', '=', input.appointmentId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (!canTransitionStatus(appointment.status, 'done')) {
          throw refuse(
            REFUSALS.invalidTransition,
            `This appointment is ${appointment.status}; its service cannot be completed.`,
          );
        }
        const now = new Date();
        await trx
          .updateTable('tasks')
          .set({
            status: 'done',
            form_result: JSON.stringify({
              minutes: input.minutes,
              ...(input.notes ? { notes: input.notes } : {}),
              ...(input.report ? { report: input.report } : {}),
            }),
            completed_by: actorName(input.actor),
            completed_at: now,
            updated_at: now,
          })
          .where('id', '=', task.id)
          .execute();
        await trx
          .updateTable('appointments')
          .set({ status: 'done', billable_minutes: input.minutes, updated_at: now })
          .where('id', '=', appointment.id)
          .execute();
        const service = await trx
          .selectFrom('services')
          .selectAll()
          .where('id', '=', appointment.service_id)
          .executeTakeFirstOrThrow();
        // The terms the appointment was booked with (migration 0009); the service's only where not frozen.
        const frozen = appointment.pricing !== null;
        const taxRateBps =
          appointment.tax_rate_bps ??
          service.tax_rate_bps ??
          (await trx.selectFrom('business').select('tax_rate_bps').executeTakeFirstOrThrow()).tax_rate_bps;
        // Lines staff added before the service was delivered wait on a draft (src/billing/ledger.ts).
        const draft = await trx
          .selectFrom('invoices')
          .select(['id', 'status', 'lines'])
          .where('appointment_id', '=', appointment.id)
          .forUpdate()
          .executeTakeFirst();
        const extraLines = draft?.status === 'draft' ? draft.lines : [];
        const serviceLinesFor = () =>
          appointment.membership_id
            ? [{ description: `${service.name} (membership visit)`, quantity: 1, unitMinor: 0, amountMinor: 0 }]
            : serviceLines(
                {
                  name: service.name,
                  pricing: appointment.pricing ?? service.pricing,
                  // A fixed price was copied to the row at booking (and at a reschedule to another service).
                  priceMinor: frozen ? appointment.price_minor : service.price_minor,
                  hourlyRateMinor: appointment.hourly_rate_minor ?? service.hourly_rate_minor,
                  incrementMinutes: appointment.billing_increment_minutes ?? service.billing_increment_minutes,
                },
                input.minutes,
              );
        const invoice = computeInvoice({
          // A membership visit was paid for with the membership: a zero line, settled without a charge.
          lines: [...serviceLinesFor(), ...extraLines],
          taxRateBps,
          currency: (frozen ? appointment.currency : service.currency).trim(),
        });
        const values = {
          currency: invoice.currency,
          lines: JSON.stringify(invoice.lines),
          subtotal_minor: invoice.subtotalMinor,
          tax_rate_bps: invoice.taxRateBps,
          tax_minor: invoice.taxMinor,
          total_minor: invoice.totalMinor,
          status: 'open' as const,
          issued_at: now,
        };
        if (draft?.status === 'draft') {
          await trx
            .updateTable('invoices')
            .set({ ...values, updated_at: now })
            .where('id', '=', draft.id)
            .execute();
        } else {
          await trx
            .insertInto('invoices')
            .values({ appointment_id: appointment.id, contact_id: appointment.contact_id, ...values })
            .onConflict((oc) => oc.column('appointment_id').doNothing())
            .execute();
        }
        if (draft?.status === 'draft') await creditDepositNote(trx, draft.id, appointment, invoice.totalMinor);
        const hours = `${Math.floor(input.minutes / 60)} h ${input.minutes % 60} min`;
        await appendTimeline(trx, {
          appointmentId: appointment.id,
          contactId: appointment.contact_id,
          kind: 'task:completed',
          actor: actorName(input.actor),
          channel: input.channel,
          summary: `Service delivered; billable time ${hours} (${input.minutes} minutes)${input.notes ? ` — ${input.notes}` : ''}`,
          data: { taskId: task.id, minutes: input.minutes, totalMinor: invoice.totalMinor },
          idempotencyKey: `task:${task.id}:completed`,
        });
      });
      const appointment = await loadSnapshot(db, input.appointmentId);
      if (!appointment) throw refuse(REFUSALS.notFound, `Appointment ${input.appointmentId} does not exist.`);
      return { appointment, invoice: await invoiceSummary(db, input.appointmentId) };
    },

    /** Completes the charge-customer task, applying the assignee's adjusted amount to the invoice. */
    async confirmCharge(input: {
      appointmentId: string;
      taskId: string;
      amountMinor?: number;
      actor: Actor;
      channel: Channel;
    }): Promise<InvoiceSummary> {
      await db.transaction().execute(async (trx) => {
        const task = await openTask(trx, input.appointmentId, input.taskId, 'charge_customer');
        if (task.status === 'done') return;
        const row = await trx
          .selectFrom('invoices')
          .selectAll()
          .where('appointment_id', '=', input.appointmentId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        const now = new Date();
        if (input.amountMinor !== undefined && input.amountMinor !== row.total_minor) {
          const current: Invoice = {
            lines: row.lines as InvoiceLine[],
            subtotalMinor: row.subtotal_minor,
            taxRateBps: row.tax_rate_bps,
            taxMinor: row.tax_minor,
            totalMinor: row.total_minor,
            currency: row.currency.trim(),
          };
          const adjusted = adjustTotal(current, input.amountMinor);
          await trx
            .updateTable('invoices')
            .set({
              lines: JSON.stringify(adjusted.lines),
              subtotal_minor: adjusted.subtotalMinor,
              tax_minor: adjusted.taxMinor,
              total_minor: adjusted.totalMinor,
              updated_at: now,
            })
            .where('id', '=', row.id)
            .execute();
        }
        await trx
          .updateTable('tasks')
          .set({
            status: 'done',
            form_result: JSON.stringify(input.amountMinor === undefined ? {} : { amountMinor: input.amountMinor }),
            completed_by: actorName(input.actor),
            completed_at: now,
            updated_at: now,
          })
          .where('id', '=', task.id)
          .execute();
        await appendTimeline(trx, {
          appointmentId: input.appointmentId,
          contactId: row.contact_id,
          kind: 'task:completed',
          actor: actorName(input.actor),
          channel: input.channel,
          summary:
            input.amountMinor !== undefined && input.amountMinor !== row.total_minor
              ? `Charge confirmed with the amount adjusted from ${row.total_minor} to ${input.amountMinor} (minor units)`
              : `Charge confirmed for ${row.total_minor} (minor units)`,
          data: { taskId: task.id, invoiceId: row.id, amountMinor: input.amountMinor ?? row.total_minor },
          idempotencyKey: `task:${task.id}:completed`,
        });
      });
      return invoiceSummary(db, input.appointmentId);
    },

    /** Charges the contact's saved card off-session for the invoice; attempt `n` is charged at most once. */
    async chargeInvoice(input: {
      appointmentId: string;
      attempt: number;
      idempotencyKey: string;
    }): Promise<ChargeOutcome> {
      const recorded = await db
        .selectFrom('payment_attempts')
        .selectAll()
        .where('idempotency_key', '=', input.idempotencyKey)
        .executeTakeFirst();
      if (recorded && recorded.status !== 'pending') {
        return {
          status:
            recorded.status === 'succeeded'
              ? 'succeeded'
              : recorded.status === 'requires_action'
                ? 'requires_action'
                : 'declined',
          paymentId: recorded.provider_payment_id,
          declineCode: recorded.decline_code,
          message: recorded.error,
          gateway: recorded.gateway,
        };
      }
      const invoice = await db
        .selectFrom('invoices')
        .selectAll()
        .where('appointment_id', '=', input.appointmentId)
        .executeTakeFirstOrThrow();
      // What is still owed: the total less the ledger (a deposit, a payment on the pay page, cash…).
      const balance = balanceDue(Number(invoice.total_minor), await paidOn(db, invoice.id));
      if (balance === 0 && invoice.status !== 'paid') {
        // Nothing to charge (a free service, an amount adjusted to zero, or covered by what was paid).
        const now = new Date();
        await db
          .updateTable('invoices')
          .set({ status: 'paid', paid_at: now, updated_at: now })
          .where('id', '=', invoice.id)
          .execute();
        countCharge('zero_total');
        return { status: 'succeeded', paymentId: null, declineCode: null, message: null, gateway: payments.name };
      }
      if (invoice.status === 'paid' || invoice.status === 'void') {
        // Paid meanwhile (on the pay page, by webhook, in cash) or voided by staff: never charge again.
        const paid = await db
          .selectFrom('invoice_payments')
          .select(['provider_payment_id', 'gateway'])
          .where('invoice_id', '=', invoice.id)
          .orderBy('received_at', 'desc')
          .executeTakeFirst();
        return {
          status: 'succeeded',
          paymentId: paid?.provider_payment_id ?? null,
          declineCode: null,
          message: null,
          gateway: paid?.gateway ?? payments.name,
        };
      }
      // A retried attempt charges what it first set out to (same idempotency key, same parameters).
      const amountMinor = recorded ? Number(recorded.amount_minor) : balance;
      const contact = await db
        .selectFrom('contacts')
        .selectAll()
        .where('id', '=', invoice.contact_id)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('payment_attempts')
        .values({
          invoice_id: invoice.id,
          attempt: input.attempt,
          amount_minor: amountMinor,
          currency: invoice.currency.trim(),
          gateway: payments.name,
          idempotency_key: input.idempotencyKey,
        })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .execute();

      // The card given for this visit at booking (an unproven caller's, migration 0052), else the contact's.
      const card = await cardForCharge(db, input.appointmentId, contact);
      let result: ChargeResult;
      if (!card) {
        result = {
          status: 'declined',
          paymentId: null,
          declineCode: 'no_saved_card',
          message: 'There is no card saved for this customer.',
        };
      } else {
        try {
          let customerId = card.customerId;
          if (!customerId) {
            ({ customerId } = await payments.ensureCustomer({
              contactId: contact.id,
              email: contact.email,
              name: contact.name,
              existingCustomerId: null,
              idempotencyKey: `contact:${contact.id}:customer`,
            }));
            await db
              .updateTable('contacts')
              .set({ stripe_customer_id: customerId })
              .where('id', '=', contact.id)
              .execute();
          }
          result = await payments.chargeOffSession({
            amountMinor,
            currency: invoice.currency.trim(),
            customerId,
            paymentMethodId: card.paymentMethodId,
            description: `Invoice ${invoice.number}`,
            idempotencyKey: input.idempotencyKey,
            metadata: { appointmentId: input.appointmentId, invoiceId: invoice.id, attempt: String(input.attempt) },
          });
        } catch (error) {
          countCharge('error');
          if (!isRetryablePaymentError(error)) {
            throw ApplicationFailure.create({
              type: 'PaymentRejected',
              message: (error as Error).message,
              nonRetryable: true,
            });
          }
          throw error;
        }
      }

      const now = new Date();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('payment_attempts')
          .set({
            status: result.status,
            provider_payment_id: result.paymentId,
            decline_code: result.status === 'declined' ? result.declineCode : null,
            error: result.status === 'succeeded' ? null : result.message,
            updated_at: now,
          })
          .where('idempotency_key', '=', input.idempotencyKey)
          .execute();
        if (result.status === 'succeeded') {
          // Credited on the ledger, which settles the invoice and writes the payment's timeline entry.
          await creditPaymentIn(trx, {
            invoiceId: invoice.id,
            method: 'card',
            amountMinor,
            gateway: payments.name,
            providerPaymentId: result.paymentId,
            recordedBy: 'appointflow',
            channel: payments.simulated ? 'payments:simulated' : 'payments:stripe',
            receivedAt: now,
            idempotencyKey: input.idempotencyKey,
          });
          return;
        }
        await appendTimeline(trx, {
          appointmentId: input.appointmentId,
          contactId: contact.id,
          kind: `payment:${result.status}`,
          actor: 'appointflow',
          channel: payments.simulated ? 'payments:simulated' : 'payments:stripe',
          summary: `Payment attempt ${input.attempt} ${result.status === 'declined' ? `declined: ${result.message}` : 'needs the customer to authenticate'}`,
          data: { attempt: input.attempt, invoiceId: invoice.id, paymentId: result.paymentId },
          idempotencyKey: `${input.idempotencyKey}:timeline`,
        });
      });
      countCharge(result.status);
      return {
        status: result.status,
        paymentId: result.paymentId,
        declineCode: result.status === 'declined' ? result.declineCode : null,
        message: result.status === 'succeeded' ? null : result.message,
        gateway: payments.name,
      };
    },

    /**
     * A late-cancel or no-show fee (issue 13): the appointment's invoice opens with the fee as its one
     * line, untaxed (lines staff put on a draft for the visit that did not happen are dropped). Once: a
     * retry finds the invoice already open and answers with it.
     */
    async openFeeInvoice(input: {
      appointmentId: string;
      kind: FeeKind;
      amountMinor: number;
      idempotencyKey: string;
    }): Promise<InvoiceSummary> {
      if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) {
        throw refuse(REFUSALS.invalidRequest, `A fee must be a positive amount, got ${input.amountMinor}.`);
      }
      await db.transaction().execute(async (trx) => {
        const appointment = await trx
          .selectFrom('appointments as a')
          .innerJoin('services as s', 's.id', 'a.service_id')
          .select(['a.id', 'a.contact_id', 'a.currency', 's.name as service_name'])
          .where('a.id', '=', input.appointmentId)
          .forUpdate('a')
          .executeTakeFirst();
        if (!appointment) throw refuse(REFUSALS.notFound, `Appointment ${input.appointmentId} does not exist.`);
        const existing = await trx
          .selectFrom('invoices')
          .select(['id', 'status'])
          .where('appointment_id', '=', appointment.id)
          .forUpdate()
          .executeTakeFirst();
        if (existing && existing.status !== 'draft') return; // opened by an earlier try
        const what = input.kind === 'late_cancel' ? 'Late cancellation fee' : 'No-show fee';
        const currency = appointment.currency.trim();
        const invoice = computeInvoice({
          lines: [
            {
              description: `${what}: ${appointment.service_name}`,
              quantity: 1,
              unitMinor: input.amountMinor,
              kind: 'fee',
              taxable: false,
            },
          ],
          taxRateBps: 0,
          currency,
        });
        const now = new Date();
        const values = {
          currency,
          lines: JSON.stringify(invoice.lines),
          subtotal_minor: invoice.subtotalMinor,
          tax_rate_bps: 0,
          tax_minor: invoice.taxMinor,
          total_minor: invoice.totalMinor,
          status: 'open' as const,
          issued_at: now,
        };
        if (existing) {
          await trx
            .updateTable('invoices')
            .set({ ...values, updated_at: now })
            .where('id', '=', existing.id)
            .execute();
        } else {
          await trx
            .insertInto('invoices')
            .values({ appointment_id: appointment.id, contact_id: appointment.contact_id, ...values })
            .execute();
        }
        await appendTimeline(trx, {
          appointmentId: appointment.id,
          contactId: appointment.contact_id,
          kind: 'invoice:fee',
          actor: 'appointflow',
          channel: 'system',
          summary: `${what} of ${formatMoney(input.amountMinor, currency)} invoiced under the service's cancellation policy${existing ? ' (the draft lines for the visit were dropped)' : ''}`,
          data: { kind: input.kind, amountMinor: input.amountMinor },
          idempotencyKey: input.idempotencyKey,
        });
      });
      return invoiceSummary(db, input.appointmentId);
    },

    /**
     * A cancelled or missed visit's deposit: refunded through the gateway less what a fee keeps, once
     * (src/billing/deposits.ts; the refund's key goes to Stripe). A refund the gateway could not be
     * reached for is retried with the same keys; a refused one is final.
     */
    async settleDeposit(input: {
      appointmentId: string;
      keepMinor: number;
      reason: string;
      idempotencyKey: string;
    }): Promise<{ refundedMinor: number; keptMinor: number }> {
      try {
        return await settleDeposit(db, payments, input);
      } catch (error) {
        if (error instanceof InvoiceRefusal) throw refuse(REFUSALS.invalidRequest, error.message);
        throw error;
      }
    },

    /** After the last dunning attempt: the open invoice is written off as uncollectible (timeline says so). */
    async markInvoiceUncollectible(input: {
      appointmentId: string;
      attempts: number;
      idempotencyKey: string;
    }): Promise<{ status: string }> {
      const invoice = await db
        .selectFrom('invoices')
        .select(['id', 'status'])
        .where('appointment_id', '=', input.appointmentId)
        .executeTakeFirstOrThrow();
      if (invoice.status !== 'open') return { status: invoice.status };
      await changeInvoiceStatus(db, {
        invoiceId: invoice.id,
        to: 'uncollectible',
        note: `no payment after ${input.attempts} attempts; a card update or payment still settles it`,
        actor: 'appointflow',
        channel: 'system',
      });
      return { status: 'uncollectible' };
    },
  };
}
