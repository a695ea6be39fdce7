/**
 * Refunds, full or partial, through the payment gateway (Stripe, or the simulated one), of what was
 * paid by card on an invoice (the saved card, the pay page, a deposit), newest payment first.
 *
 * Idempotent end to end: the caller's idempotency key names the refund request; each part (one per
 * payment refunded) is a row in `invoice_refunds` written BEFORE the gateway call, with the key
 * `refund:<invoice>:<caller key>:<payment>` that also goes to Stripe as its Idempotency-Key. The same
 * request again (a double click, a retried request) finds its rows and only finishes the ones still
 * pending, with the same keys: never a second refund.
 */
import type { Kysely } from 'kysely';
import { appendTimeline } from '../appointments/repository';
import type { Database } from '../db/schema';
import { isRetryablePaymentError, type PaymentGateway } from '../payments/gateway';
import { formatMoney } from './invoice';
import { InvoiceRefusal, invoiceDetail } from './ledger';

export interface RefundInput {
  invoiceId: string;
  /** Absent: everything still refundable. */
  amountMinor?: number;
  reason: string;
  requestedBy: string;
  channel: string;
  idempotencyKey: string;
}

/** Thrown when the gateway could not be reached; the same request again finishes the refund. */
export class RefundPendingError extends Error {
  override readonly name = 'RefundPendingError';
}

export async function refundInvoice(
  db: Kysely<Database>,
  gateway: PaymentGateway,
  input: RefundInput,
): Promise<{ refundedMinor: number }> {
  const prefix = `refund:${input.invoiceId}:${input.idempotencyKey}:`;
  const parts = await db.transaction().execute(async (trx) => {
    const invoice = await trx
      .selectFrom('invoices')
      .select(['id', 'number', 'currency'])
      .where('id', '=', input.invoiceId)
      .forUpdate()
      .executeTakeFirst();
    if (!invoice) throw new InvoiceRefusal('not_found', `Invoice ${input.invoiceId} does not exist.`);
    const existing = await trx
      .selectFrom('invoice_refunds')
      .selectAll()
      .where('invoice_id', '=', invoice.id)
      .where('idempotency_key', 'like', `${prefix}%`)
      .execute();
    if (existing.length > 0) return existing; // the same request again: finish what it started
    const detail = (await invoiceDetail(trx, invoice.id))!;
    const refundable = detail.payments
      .filter((p) => p.providerPaymentId !== null && ['card', 'pay_link', 'deposit'].includes(p.method))
      .map((p) => ({ ...p, left: p.amountMinor - p.refundedMinor }))
      .filter((p) => p.left > 0)
      .reverse(); // newest first
    const available = refundable.reduce((sum, p) => sum + p.left, 0);
    if (available === 0) {
      throw new InvoiceRefusal(
        'invalid_state',
        `Invoice ${invoice.number} has no card payment left to refund (payments taken outside Stripe are refunded outside it).`,
      );
    }
    const amount = input.amountMinor ?? available;
    if (amount > available) {
      throw new InvoiceRefusal(
        'invalid_field',
        `At most ${formatMoney(available, detail.currency)} can be refunded.`,
        'amountMinor',
      );
    }
    let remaining = amount;
    const rows = [];
    for (const payment of refundable) {
      if (remaining === 0) break;
      const part = Math.min(remaining, payment.left);
      remaining -= part;
      rows.push(
        await trx
          .insertInto('invoice_refunds')
          .values({
            invoice_id: invoice.id,
            payment_id: payment.id,
            amount_minor: part,
            currency: detail.currency,
            gateway: gateway.name,
            reason: input.reason,
            requested_by: input.requestedBy,
            idempotency_key: `${prefix}${payment.id}`,
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
    }
    return rows;
  });

  let refunded = 0;
  for (const part of parts) {
    if (part.status !== 'pending') {
      if (part.status === 'succeeded') refunded += Number(part.amount_minor);
      continue;
    }
    const payment = await db
      .selectFrom('invoice_payments as p')
      .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
      .select(['p.provider_payment_id', 'i.number', 'i.appointment_id', 'i.contact_id', 'i.currency'])
      .where('p.id', '=', part.payment_id)
      .executeTakeFirstOrThrow();
    let outcome: { refundId: string | null; status: 'succeeded' | 'pending' | 'failed'; error: string | null };
    try {
      const result = await gateway.refund({
        paymentId: payment.provider_payment_id!,
        amountMinor: Number(part.amount_minor),
        idempotencyKey: part.idempotency_key,
        metadata: { invoiceId: part.invoice_id, refundId: part.id },
      });
      outcome = {
        refundId: result.refundId,
        status: result.status,
        error: result.status === 'failed' ? (result.failureReason ?? 'refused by the payment provider') : null,
      };
    } catch (error) {
      if (isRetryablePaymentError(error)) {
        throw new RefundPendingError(
          `The refund could not reach the payment provider (${(error as Error).message}); send the same request again to finish it.`,
        );
      }
      outcome = { refundId: null, status: 'failed', error: (error as Error).message };
    }
    const currency = payment.currency.trim();
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('invoice_refunds')
        .set({
          status: outcome.status,
          provider_refund_id: outcome.refundId,
          error: outcome.error,
          updated_at: new Date(),
        })
        .where('id', '=', part.id)
        .execute();
      await appendTimeline(trx, {
        appointmentId: payment.appointment_id,
        contactId: payment.contact_id,
        kind: outcome.status === 'failed' ? 'payment:refund_failed' : 'payment:refunded',
        actor: part.requested_by,
        channel: gateway.simulated ? 'payments:simulated' : 'payments:stripe',
        summary:
          outcome.status === 'failed'
            ? `Refund of ${formatMoney(Number(part.amount_minor), currency)} on invoice ${payment.number} failed: ${outcome.error}`
            : `Refund of ${formatMoney(Number(part.amount_minor), currency)} on invoice ${payment.number}${part.reason ? ` (${part.reason})` : ''}${outcome.status === 'pending' ? ', pending at the bank' : ''}`,
        data: { invoiceId: part.invoice_id, refundId: part.id, amountMinor: Number(part.amount_minor) },
        idempotencyKey: `${part.idempotency_key}:timeline`,
      });
    });
    if (outcome.status !== 'failed') refunded += Number(part.amount_minor);
  }
  return { refundedMinor: refunded };
}
