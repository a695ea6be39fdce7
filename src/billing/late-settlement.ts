/**
 * Money or a card that arrives for an appointment whose workflow has finished (after the last dunning
 * attempt the invoice is `uncollectible` and the workflow has ended): no dead end. The webhook or page
 * first tries to wake the workflow; when Temporal answers that it has finished (`WorkflowNotFoundError`),
 * the invoice is settled here, directly in the database and idempotently:
 * - a payment (on the pay page, by webhook) is credited on the ledger (`creditPayment`, once per
 *   provider payment id);
 * - a new card is charged for what is still owed, once per card and amount: the idempotency key
 *   `invoice:<id>:late:<payment method>:<balance>` goes to the gateway and to `payment_attempts`, so a
 *   redelivered webhook or a second click replays the first outcome instead of charging again.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { cardUpdatedSignal, type CardUpdated } from '../../workflows/appointment/messages';
import { appendTimeline } from '../appointments/repository';
import type { Database } from '../db/schema';
import type { ChargeResult, PaymentGateway } from '../payments/gateway';
import { balanceDue, formatMoney } from './invoice';
import { creditPayment, paidOn } from './ledger';

/** Signals the appointment's workflow that a card or payment arrived; `finished` when it has ended. */
export async function wakeBillingWorkflow(
  temporal: Client,
  workflowId: string,
  source: CardUpdated['source'],
): Promise<'signalled' | 'finished'> {
  try {
    await temporal.workflow.getHandle(workflowId).signal(cardUpdatedSignal, { source });
    return 'signalled';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'finished';
    throw error;
  }
}

export type LateChargeOutcome =
  | { status: 'nothing_owed' }
  | { status: 'no_card' }
  | { status: 'succeeded'; paymentId: string | null }
  | { status: 'declined' | 'requires_action'; message: string };

/** Charges the contact's saved card for what the appointment's open or uncollectible invoice still owes. */
export async function chargeAfterWorkflow(
  db: Kysely<Database>,
  payments: PaymentGateway,
  input: { appointmentId: string; actor: string; channel: string },
): Promise<LateChargeOutcome> {
  const invoice = await db
    .selectFrom('invoices')
    .selectAll()
    .where('appointment_id', '=', input.appointmentId)
    .executeTakeFirst();
  if (!invoice || (invoice.status !== 'open' && invoice.status !== 'uncollectible')) return { status: 'nothing_owed' };
  const balance = balanceDue(Number(invoice.total_minor), await paidOn(db, invoice.id));
  if (balance === 0) return { status: 'nothing_owed' };
  const contact = await db
    .selectFrom('contacts')
    .selectAll()
    .where('id', '=', invoice.contact_id)
    .executeTakeFirstOrThrow();
  if (!contact.default_payment_method_id) return { status: 'no_card' };
  const currency = invoice.currency.trim();
  const idempotencyKey = `invoice:${invoice.id}:late:${contact.default_payment_method_id}:${balance}`;
  const recorded = await db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  if (recorded?.status === 'succeeded') return { status: 'succeeded', paymentId: recorded.provider_payment_id };
  if (!recorded) {
    const last = await db
      .selectFrom('payment_attempts')
      .select((eb) => eb.fn.max('attempt').as('n'))
      .where('invoice_id', '=', invoice.id)
      .executeTakeFirst();
    await db
      .insertInto('payment_attempts')
      .values({
        invoice_id: invoice.id,
        attempt: Number(last?.n ?? 0) + 1,
        amount_minor: balance,
        currency,
        gateway: payments.name,
        idempotency_key: idempotencyKey,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
  }
  let customerId = contact.stripe_customer_id;
  if (!customerId) {
    ({ customerId } = await payments.ensureCustomer({
      contactId: contact.id,
      email: contact.email,
      name: contact.name,
      existingCustomerId: null,
      idempotencyKey: `contact:${contact.id}:customer`,
    }));
    await db.updateTable('contacts').set({ stripe_customer_id: customerId }).where('id', '=', contact.id).execute();
  }
  const result: ChargeResult = await payments.chargeOffSession({
    amountMinor: balance,
    currency,
    customerId,
    paymentMethodId: contact.default_payment_method_id,
    description: `Invoice ${invoice.number}`,
    idempotencyKey,
    metadata: { appointmentId: input.appointmentId, invoiceId: invoice.id, attempt: 'late' },
  });
  await db
    .updateTable('payment_attempts')
    .set({
      status: result.status,
      provider_payment_id: result.paymentId,
      decline_code: result.status === 'declined' ? result.declineCode : null,
      error: result.status === 'succeeded' ? null : result.message,
      updated_at: new Date(),
    })
    .where('idempotency_key', '=', idempotencyKey)
    .execute();
  if (result.status === 'succeeded') {
    await creditPayment(db, {
      invoiceId: invoice.id,
      method: 'card',
      amountMinor: balance,
      gateway: payments.name,
      providerPaymentId: result.paymentId,
      recordedBy: input.actor,
      channel: input.channel,
      receivedAt: new Date(),
      idempotencyKey,
    });
    return { status: 'succeeded', paymentId: result.paymentId };
  }
  await appendTimeline(db, {
    appointmentId: input.appointmentId,
    contactId: contact.id,
    kind: `payment:${result.status}`,
    actor: input.actor,
    channel: input.channel,
    summary: `Charging the new card for the ${formatMoney(balance, currency)} still owed on invoice ${invoice.number} ${result.status === 'declined' ? `was declined: ${result.message}` : 'needs the customer to authenticate'}`,
    data: { invoiceId: invoice.id, paymentId: result.paymentId },
    idempotencyKey: `${idempotencyKey}:timeline`,
  });
  return { status: result.status, message: result.message };
}
