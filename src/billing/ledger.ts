/**
 * The invoice ledger (migration 0050): what an invoice says, what was paid against it and refunded,
 * and the changes staff and payments make to it. SQL only here; routes validate and translate.
 *
 * - Lines are added while the invoice is a draft (before the service is delivered: the deliver task
 *   adds the service line and opens it) or open; totals are recomputed by `computeInvoice`.
 * - Every payment is a ledger row (`invoice_payments`), keyed by its idempotency key and by the
 *   provider's payment id, so the same payment recorded twice (webhook and pay page, a retried
 *   request) is credited once. The invoice becomes `paid` in the same transaction as the payment
 *   that covers its total, and only that transaction writes the `payment:succeeded` timeline entry.
 * - States: draft → open → paid | void | uncollectible; uncollectible → paid (a late payment) or void.
 */
import type { Kysely, Transaction } from 'kysely';
import { appendTimeline } from '../appointments/repository';
import type { Database, InvoiceLine, InvoicePaymentMethod, InvoiceStatus } from '../db/schema';
import { balanceDue, computeInvoice, formatMoney, InvoiceError, type InvoiceLineInput } from './invoice';

type Db = Kysely<Database> | Transaction<Database>;

/** A change the ledger refuses; `reason` says how the API answers (404, 409 state, 422 field). */
export class InvoiceRefusal extends Error {
  override readonly name = 'InvoiceRefusal';
  constructor(
    readonly reason: 'not_found' | 'invalid_state' | 'invalid_field',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const OUTSIDE_METHODS = ['cash', 'cheque', 'bank_transfer', 'other'] as const;
export type OutsideMethod = (typeof OUTSIDE_METHODS)[number];

export const METHOD_LABELS: Record<InvoicePaymentMethod, string> = {
  card: 'Card (saved card)',
  pay_link: 'Card or wallet (pay page)',
  deposit: 'Deposit at booking',
  cash: 'Cash',
  cheque: 'Cheque',
  bank_transfer: 'Bank transfer',
  other: 'Other',
};

export interface InvoiceDetail {
  id: string;
  number: number;
  status: InvoiceStatus;
  currency: string;
  appointmentId: string | null;
  contactId: string;
  lines: InvoiceLine[];
  subtotalMinor: number;
  taxRateBps: number;
  taxMinor: number;
  totalMinor: number;
  paidMinor: number;
  refundedMinor: number;
  balanceMinor: number;
  issuedAt: string | null;
  paidAt: string | null;
  voidedAt: string | null;
  uncollectibleAt: string | null;
  payments: Array<{
    id: string;
    method: InvoicePaymentMethod;
    methodLabel: string;
    amountMinor: number;
    reference: string | null;
    providerPaymentId: string | null;
    recordedBy: string;
    receivedAt: string;
    refundedMinor: number;
  }>;
  refunds: Array<{
    id: string;
    paymentId: string;
    amountMinor: number;
    status: 'pending' | 'succeeded' | 'failed';
    reason: string;
    requestedBy: string;
    providerRefundId: string | null;
    createdAt: string;
  }>;
}

export async function invoiceDetail(db: Db, invoiceId: string): Promise<InvoiceDetail | undefined> {
  const row = await db.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirst();
  if (!row) return undefined;
  const [payments, refunds] = await Promise.all([
    db.selectFrom('invoice_payments').selectAll().where('invoice_id', '=', invoiceId).orderBy('received_at').execute(),
    db.selectFrom('invoice_refunds').selectAll().where('invoice_id', '=', invoiceId).orderBy('created_at').execute(),
  ]);
  const refundedOf = (paymentId: string) =>
    refunds
      .filter((r) => r.payment_id === paymentId && r.status !== 'failed')
      .reduce((sum, r) => sum + Number(r.amount_minor), 0);
  const paidMinor = payments.reduce((sum, p) => sum + Number(p.amount_minor), 0);
  const refundedMinor = refunds
    .filter((r) => r.status !== 'failed')
    .reduce((sum, r) => sum + Number(r.amount_minor), 0);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: row.id,
    number: Number(row.number),
    status: row.status,
    currency: row.currency.trim(),
    appointmentId: row.appointment_id,
    contactId: row.contact_id,
    lines: row.lines,
    subtotalMinor: Number(row.subtotal_minor),
    taxRateBps: row.tax_rate_bps,
    taxMinor: Number(row.tax_minor),
    totalMinor: Number(row.total_minor),
    paidMinor,
    refundedMinor,
    balanceMinor: row.status === 'void' ? 0 : balanceDue(Number(row.total_minor), paidMinor),
    issuedAt: iso(row.issued_at),
    paidAt: iso(row.paid_at),
    voidedAt: iso(row.voided_at),
    uncollectibleAt: iso(row.uncollectible_at),
    payments: payments.map((p) => ({
      id: p.id,
      method: p.method,
      methodLabel: METHOD_LABELS[p.method],
      amountMinor: Number(p.amount_minor),
      reference: p.reference,
      providerPaymentId: p.provider_payment_id,
      recordedBy: p.recorded_by,
      receivedAt: p.received_at.toISOString(),
      refundedMinor: refundedOf(p.id),
    })),
    refunds: refunds.map((r) => ({
      id: r.id,
      paymentId: r.payment_id,
      amountMinor: Number(r.amount_minor),
      status: r.status,
      reason: r.reason,
      requestedBy: r.requested_by,
      providerRefundId: r.provider_refund_id,
      createdAt: r.created_at.toISOString(),
    })),
  };
}

export async function invoiceIdOfAppointment(db: Db, appointmentId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('invoices')
    .select('id')
    .where('appointment_id', '=', appointmentId)
    .executeTakeFirst();
  return row?.id;
}

/** The tax rate an appointment's invoice uses: frozen at booking, else the service's, else the business's. */
async function appointmentTaxRate(trx: Transaction<Database>, appointmentId: string): Promise<number> {
  const row = await trx
    .selectFrom('appointments as a')
    .innerJoin('services as s', 's.id', 'a.service_id')
    .select(['a.tax_rate_bps as booked', 's.tax_rate_bps as service'])
    .where('a.id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  if (row.booked !== null) return row.booked;
  if (row.service !== null) return row.service;
  return (await trx.selectFrom('business').select('tax_rate_bps').executeTakeFirstOrThrow()).tax_rate_bps;
}

/**
 * Adds a line staff entered to the appointment's invoice: to the open invoice, or — before the service
 * is delivered — to a draft that the deliver task opens with the service line in front.
 */
export async function addInvoiceLine(
  db: Kysely<Database>,
  input: { appointmentId: string; line: InvoiceLineInput; actor: string; channel: string },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const appointment = await trx
      .selectFrom('appointments')
      .select(['id', 'contact_id', 'currency', 'status'])
      .where('id', '=', input.appointmentId)
      .forUpdate()
      .executeTakeFirst();
    if (!appointment) throw new InvoiceRefusal('not_found', `Appointment ${input.appointmentId} does not exist.`);
    let invoice = await trx
      .selectFrom('invoices')
      .selectAll()
      .where('appointment_id', '=', input.appointmentId)
      .forUpdate()
      .executeTakeFirst();
    if (!invoice) {
      if (appointment.status === 'cancelled' || appointment.status === 'no_show') {
        throw new InvoiceRefusal(
          'invalid_state',
          `This appointment is ${appointment.status}; it has no invoice to add to.`,
        );
      }
      invoice = await trx
        .insertInto('invoices')
        .values({
          appointment_id: appointment.id,
          contact_id: appointment.contact_id,
          currency: appointment.currency.trim(),
          status: 'draft',
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    if (invoice.status !== 'draft' && invoice.status !== 'open') {
      throw new InvoiceRefusal(
        'invalid_state',
        `Invoice ${invoice.number} is ${invoice.status}; lines can no longer change.`,
      );
    }
    const lines = [...invoice.lines, input.line];
    let computed;
    try {
      computed = computeInvoice({
        lines,
        taxRateBps: invoice.status === 'draft' ? await appointmentTaxRate(trx, appointment.id) : invoice.tax_rate_bps,
        currency: invoice.currency.trim(),
      });
    } catch (error) {
      if (error instanceof InvoiceError) throw new InvoiceRefusal('invalid_field', error.message, 'unitMinor');
      throw error;
    }
    const now = new Date();
    await trx
      .updateTable('invoices')
      .set({
        lines: JSON.stringify(computed.lines),
        subtotal_minor: computed.subtotalMinor,
        tax_rate_bps: computed.taxRateBps,
        tax_minor: computed.taxMinor,
        total_minor: computed.totalMinor,
        updated_at: now,
      })
      .where('id', '=', invoice.id)
      .execute();
    const added = computed.lines[computed.lines.length - 1]!;
    await appendTimeline(trx, {
      appointmentId: appointment.id,
      contactId: appointment.contact_id,
      kind: 'invoice:line_added',
      actor: input.actor,
      channel: input.channel,
      summary: `${added.kind === 'discount' ? 'Discount' : 'Line'} added to invoice ${invoice.number}: ${added.description} ${formatMoney(added.amountMinor, computed.currency)}; total ${formatMoney(computed.totalMinor, computed.currency)}`,
      data: { invoiceId: invoice.id, line: added, totalMinor: computed.totalMinor },
    });
    return invoice.id;
  });
}

export interface NewPayment {
  invoiceId: string;
  method: InvoicePaymentMethod;
  amountMinor: number;
  gateway?: 'stripe' | 'simulated' | null;
  providerPaymentId?: string | null;
  reference?: string | null;
  recordedBy: string;
  channel: string;
  receivedAt: Date;
  idempotencyKey: string;
  /** Payments taken outside Stripe may not exceed what is owed; a provider's payment is credited as it came. */
  refuseOverpayment?: boolean;
}

/**
 * Credits a payment on the invoice (once per idempotency key / provider payment id) and settles the
 * invoice when the ledger covers the total. `newlyPaid` is true only for the call that settled it.
 */
export async function creditPayment(
  db: Kysely<Database>,
  payment: NewPayment,
): Promise<{ credited: boolean; newlyPaid: boolean; status: InvoiceStatus }> {
  return db.transaction().execute((trx) => creditPaymentIn(trx, payment));
}

export async function creditPaymentIn(
  trx: Transaction<Database>,
  payment: NewPayment,
): Promise<{ credited: boolean; newlyPaid: boolean; status: InvoiceStatus }> {
  const invoice = await trx
    .selectFrom('invoices')
    .selectAll()
    .where('id', '=', payment.invoiceId)
    .forUpdate()
    .executeTakeFirst();
  if (!invoice) throw new InvoiceRefusal('not_found', `Invoice ${payment.invoiceId} does not exist.`);
  const seen = await trx
    .selectFrom('invoice_payments')
    .select('id')
    .where((eb) =>
      payment.providerPaymentId
        ? eb.or([
            eb('idempotency_key', '=', payment.idempotencyKey),
            eb('provider_payment_id', '=', payment.providerPaymentId),
          ])
        : eb('idempotency_key', '=', payment.idempotencyKey),
    )
    .executeTakeFirst();
  if (seen) return { credited: false, newlyPaid: false, status: invoice.status };
  if (invoice.status !== 'open' && invoice.status !== 'uncollectible' && invoice.status !== 'paid') {
    throw new InvoiceRefusal('invalid_state', `Invoice ${invoice.number} is ${invoice.status}; it takes no payments.`);
  }
  const currency = invoice.currency.trim();
  const paid = await paidOn(trx, invoice.id);
  const owed = balanceDue(Number(invoice.total_minor), paid);
  if (payment.refuseOverpayment && payment.amountMinor > owed) {
    throw new InvoiceRefusal(
      owed === 0 ? 'invalid_state' : 'invalid_field',
      owed === 0
        ? `Invoice ${invoice.number} is paid in full.`
        : `The amount is more than the ${formatMoney(owed, currency)} still owed.`,
      'amountMinor',
    );
  }
  await trx
    .insertInto('invoice_payments')
    .values({
      invoice_id: invoice.id,
      method: payment.method,
      amount_minor: payment.amountMinor,
      currency,
      gateway: payment.gateway ?? null,
      provider_payment_id: payment.providerPaymentId ?? null,
      reference: payment.reference ?? null,
      recorded_by: payment.recordedBy,
      received_at: payment.receivedAt,
      idempotency_key: payment.idempotencyKey,
    })
    .execute();
  const now = new Date();
  const settles = invoice.status !== 'paid' && paid + payment.amountMinor >= Number(invoice.total_minor);
  if (settles) {
    await trx
      .updateTable('invoices')
      .set({ status: 'paid', paid_at: now, updated_at: now })
      .where('id', '=', invoice.id)
      .execute();
  }
  const method = METHOD_LABELS[payment.method].toLowerCase();
  await appendTimeline(trx, {
    appointmentId: invoice.appointment_id,
    contactId: invoice.contact_id,
    // The payment that settles the invoice is the `payment:succeeded` (one payment.succeeded event).
    kind: settles ? 'payment:succeeded' : 'payment:recorded',
    actor: payment.recordedBy,
    channel: payment.channel,
    summary:
      `Payment of ${formatMoney(payment.amountMinor, currency)} by ${method}` +
      `${payment.reference ? ` (${payment.reference})` : ''} on invoice ${invoice.number}` +
      (settles ? '; paid in full' : `; ${formatMoney(owed - payment.amountMinor, currency)} still owed`),
    data: {
      invoiceId: invoice.id,
      method: payment.method,
      amountMinor: payment.amountMinor,
      paymentId: payment.providerPaymentId ?? null,
      receivedAt: payment.receivedAt.toISOString(),
    },
    idempotencyKey: `invoice-payment:${payment.idempotencyKey}`,
  });
  return { credited: true, newlyPaid: settles, status: settles ? 'paid' : invoice.status };
}

export async function paidOn(db: Db, invoiceId: string): Promise<number> {
  const rows = await db
    .selectFrom('invoice_payments')
    .select('amount_minor')
    .where('invoice_id', '=', invoiceId)
    .execute();
  return rows.reduce((sum, r) => sum + Number(r.amount_minor), 0);
}

/** Void (nothing paid) or write off as uncollectible (open only); both say who and why on the timeline. */
export async function changeInvoiceStatus(
  db: Kysely<Database>,
  input: { invoiceId: string; to: 'void' | 'uncollectible'; note: string; actor: string; channel: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const invoice = await trx
      .selectFrom('invoices')
      .selectAll()
      .where('id', '=', input.invoiceId)
      .forUpdate()
      .executeTakeFirst();
    if (!invoice) throw new InvoiceRefusal('not_found', `Invoice ${input.invoiceId} does not exist.`);
    if (invoice.status === input.to) return;
    const allowed =
      input.to === 'void' ? ['draft', 'open', 'uncollectible'].includes(invoice.status) : invoice.status === 'open';
    if (!allowed) {
      throw new InvoiceRefusal(
        'invalid_state',
        `Invoice ${invoice.number} is ${invoice.status}; it cannot become ${input.to}.`,
      );
    }
    if (input.to === 'void' && (await paidOn(trx, invoice.id)) > 0) {
      throw new InvoiceRefusal(
        'invalid_state',
        `Invoice ${invoice.number} has payments; refund them before voiding it.`,
      );
    }
    const now = new Date();
    await trx
      .updateTable('invoices')
      .set({
        status: input.to,
        status_note: input.note,
        updated_at: now,
        ...(input.to === 'void' ? { voided_at: now } : { uncollectible_at: now }),
      })
      .where('id', '=', invoice.id)
      .execute();
    await appendTimeline(trx, {
      appointmentId: invoice.appointment_id,
      contactId: invoice.contact_id,
      kind: `invoice:${input.to}`,
      actor: input.actor,
      channel: input.channel,
      summary: `Invoice ${invoice.number} ${input.to === 'void' ? 'voided' : 'marked uncollectible'}${input.note ? `: ${input.note}` : ''}`,
      data: { invoiceId: invoice.id },
    });
  });
}
