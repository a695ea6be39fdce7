/**
 * Deposits on the ledger (issue 13, item 2; rule in src/domain/deposit-policy.ts). SQL only here.
 *
 * - At booking, in the booking's transaction, the visit gets a draft invoice and the deposit a ledger
 *   row (`invoice_payments`, method `deposit`, the PaymentIntent as provider payment id — unique, so one
 *   PaymentIntent books once). The deliver task opens the draft with the service line in front, and
 *   the charge takes only the balance (nothing when the deposit covers it: the invoice is then paid).
 * - A cancel or no-show: `settleDeposit` refunds what the fee does not keep (through the gateway with
 *   an idempotency key, src/billing/refunds.ts); refunded in full, the invoice is void. A refund the
 *   provider refuses opens a staff task (src/payments/refund-tasks.ts) and leaves the invoice as it is.
 */
import type { Kysely, Transaction } from 'kysely';
import { appendTimeline } from '../appointments/repository';
import type { Database } from '../db/schema';
import type { PaymentGateway } from '../payments/gateway';
import { openRefundTask } from '../payments/refund-tasks';
import { formatWhenShort } from '../messaging/templates';
import { formatMoney } from './invoice';
import { refundInvoice } from './refunds';

type Db = Kysely<Database> | Transaction<Database>;

export interface BookingDeposit {
  paymentIntentId: string;
  amountMinor: number;
  currency: string;
  gateway: 'stripe' | 'simulated';
}

/** The deposit paid for the visit, as the card, the manage page and the messages show it. */
export interface DepositView {
  amountMinor: number;
  currency: string;
  refundedMinor: number;
  /** held: waiting for the visit; credited: on the open or paid invoice; refunded / kept on a cancel. */
  status: 'held' | 'credited' | 'refunded' | 'partly_refunded' | 'kept';
  paidAt: string;
}

/** Writes the deposit on the visit's (new) draft invoice, inside the booking's transaction. */
export async function recordDeposit(
  trx: Transaction<Database>,
  input: {
    appointmentId: string;
    contactId: string;
    deposit: BookingDeposit;
    actor: string;
    channel: string;
    at: Date;
  },
): Promise<void> {
  const { deposit } = input;
  const currency = deposit.currency.toUpperCase();
  const invoice = await trx
    .insertInto('invoices')
    .values({ appointment_id: input.appointmentId, contact_id: input.contactId, currency, status: 'draft' })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('invoice_payments')
    .values({
      invoice_id: invoice.id,
      method: 'deposit',
      amount_minor: deposit.amountMinor,
      currency,
      gateway: deposit.gateway,
      provider_payment_id: deposit.paymentIntentId,
      recorded_by: input.actor,
      received_at: input.at,
      idempotency_key: `deposit:${deposit.paymentIntentId}`,
    })
    .execute();
  await appendTimeline(trx, {
    appointmentId: input.appointmentId,
    contactId: input.contactId,
    kind: 'payment:deposit',
    actor: input.actor,
    channel: input.channel,
    summary: `Deposit of ${formatMoney(deposit.amountMinor, currency)} paid at booking; credited on invoice ${invoice.number} after the visit`,
    data: { invoiceId: invoice.id, amountMinor: deposit.amountMinor, paymentId: deposit.paymentIntentId },
    idempotencyKey: `deposit:${deposit.paymentIntentId}:timeline`,
  });
}

/** Whether a unique violation is the ledger refusing a PaymentIntent that already booked. */
export function isDepositReused(error: unknown): boolean {
  const e = error as { code?: string; message?: string; constraint?: string } | null;
  return e?.code === '23505' && /provider_payment_id|idempotency_key/.test(`${e.constraint ?? ''} ${e.message ?? ''}`);
}

/** The appointment a PaymentIntent was already used for as a deposit, if any. */
export async function depositUsedBy(db: Db, paymentIntentId: string): Promise<string | null> {
  const row = await db
    .selectFrom('invoice_payments as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .select('i.appointment_id')
    .where('p.provider_payment_id', '=', paymentIntentId)
    .where('p.method', '=', 'deposit')
    .executeTakeFirst();
  return row ? row.appointment_id : null;
}

/** The visit's deposit and what became of it; undefined when none was taken. */
export async function depositOf(db: Db, appointmentId: string): Promise<DepositView | undefined> {
  const row = await db
    .selectFrom('invoice_payments as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .select(['p.id', 'p.amount_minor', 'p.currency', 'p.received_at', 'i.status'])
    .where('i.appointment_id', '=', appointmentId)
    .where('p.method', '=', 'deposit')
    .executeTakeFirst();
  if (!row) return undefined;
  const refunds = await db
    .selectFrom('invoice_refunds')
    .select('amount_minor')
    .where('payment_id', '=', row.id)
    .where('status', '!=', 'failed')
    .execute();
  const amountMinor = Number(row.amount_minor);
  const refundedMinor = refunds.reduce((sum, r) => sum + Number(r.amount_minor), 0);
  const status: DepositView['status'] =
    refundedMinor >= amountMinor
      ? 'refunded'
      : refundedMinor > 0
        ? 'partly_refunded'
        : row.status === 'draft'
          ? 'held'
          : row.status === 'void'
            ? 'refunded'
            : 'credited';
  return { amountMinor, currency: row.currency.trim(), refundedMinor, status, paidAt: row.received_at.toISOString() };
}

/**
 * A visit that did not take place: refunds the deposit less what a fee keeps (`keepMinor`), once per
 * `idempotencyKey` (the refund's own key goes to the gateway). Refunded in full, the invoice is void.
 */
export async function settleDeposit(
  db: Kysely<Database>,
  gateway: PaymentGateway,
  input: { appointmentId: string; keepMinor: number; reason: string; idempotencyKey: string },
): Promise<{ refundedMinor: number; keptMinor: number }> {
  const deposit = await depositOf(db, input.appointmentId);
  if (!deposit) return { refundedMinor: 0, keptMinor: 0 };
  const keptMinor = Math.min(deposit.amountMinor, Math.max(0, input.keepMinor));
  const refundMinor = deposit.amountMinor - keptMinor;
  const invoice = await db
    .selectFrom('invoices')
    .select(['id', 'number', 'status', 'contact_id'])
    .where('appointment_id', '=', input.appointmentId)
    .executeTakeFirstOrThrow();
  // A refund the gateway refused is on the timeline (`payment:refund_failed`), opens a staff task and
  // leaves the invoice as it is.
  let refundedMinor = 0;
  if (refundMinor > 0) {
    ({ refundedMinor } = await refundInvoice(db, gateway, {
      invoiceId: invoice.id,
      amountMinor: refundMinor,
      reason: input.reason,
      requestedBy: 'appointflow',
      channel: 'system',
      idempotencyKey: input.idempotencyKey,
    }));
    if (refundedMinor < refundMinor)
      await taskForFailedRefunds(db, { invoice, appointmentId: input.appointmentId, key: input.idempotencyKey });
  }
  if (keptMinor === 0 && refundedMinor === refundMinor && invoice.status === 'draft') {
    const now = new Date();
    await db.transaction().execute(async (trx) => {
      const voided = await trx
        .updateTable('invoices')
        .set({ status: 'void', voided_at: now, status_note: input.reason, updated_at: now })
        .where('id', '=', invoice.id)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      if (Number(voided.numUpdatedRows) === 0) return;
      await appendTimeline(trx, {
        appointmentId: input.appointmentId,
        contactId: invoice.contact_id,
        kind: 'invoice:void',
        actor: 'appointflow',
        channel: 'system',
        summary: `Invoice ${invoice.number} voided: ${input.reason}`,
        data: { invoiceId: invoice.id },
        idempotencyKey: `${input.idempotencyKey}:void`,
      });
    });
  }
  return { refundedMinor, keptMinor };
}

/** A staff task for each part of the deposit refund the provider refused (once per part). */
async function taskForFailedRefunds(
  db: Kysely<Database>,
  input: { invoice: { id: string; number: number }; appointmentId: string; key: string },
): Promise<void> {
  const failed = await db
    .selectFrom('invoice_refunds')
    .select(['id', 'amount_minor', 'currency', 'error'])
    .where('invoice_id', '=', input.invoice.id)
    .where('idempotency_key', 'like', `refund:${input.invoice.id}:${input.key}:%`)
    .where('status', '=', 'failed')
    .execute();
  if (failed.length === 0) return;
  const visit = await db
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .innerJoin('services as s', 's.id', 'a.service_id')
    .select(['c.id as contact_id', 'c.name', 'c.email', 's.name as service', 'a.starts_at', 'a.time_zone'])
    .where('a.id', '=', input.appointmentId)
    .executeTakeFirstOrThrow();
  for (const part of failed) {
    await openRefundTask(db, {
      customer: { name: visit.name, email: visit.email ?? 'no email' },
      amount: formatMoney(Number(part.amount_minor), part.currency.trim()),
      reason: part.error ?? 'no reason given',
      what: `the deposit of the cancelled ${visit.service} on ${formatWhenShort(visit.starts_at.getTime(), visit.time_zone)}`,
      next: `Refund it again from invoice ${input.invoice.number} (Refund), or outside the payment provider, then mark this task done.`,
      appointmentId: input.appointmentId,
      contactId: visit.contact_id,
      idempotencyKey: `refund-failed:${part.id}`,
    });
  }
}
