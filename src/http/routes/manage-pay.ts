/**
 * The pay page behind the customer's link (`/manage/<token>/pay`): any open or uncollectible invoice
 * is paid on-session with the Payment Element (cards and wallets), also after "authentication
 * required". `POST …/pay` creates the PaymentIntent for what is owed (one per invoice and balance: a
 * second click gets the same intent); `POST …/pay/complete` reads it back and, once it succeeded,
 * credits it on the ledger keyed by the PaymentIntent — the same key the `payment_intent.succeeded`
 * webhook uses, so paid through the page and by webhook it is credited once — then wakes the workflow,
 * whose next attempt finds the invoice paid (a finished workflow needs nothing more).
 */
import { text } from '../text';
import { Router } from 'express';
import { z } from 'zod';
import { customerInvoiceView } from '../../billing/invoice-html';
import { wakeBillingWorkflow } from '../../billing/late-settlement';
import { creditPayment, invoiceDetail, invoiceIdOfAppointment } from '../../billing/ledger';
import { lookupBillingToken } from '../../manage/tokens';
import type { PaymentGateway, PaymentIntentView } from '../../payments/gateway';
import type { AppDeps } from '../app';
import { HttpError } from '../errors';
import { parseInput } from '../validate';

const tokenParams = z.object({ token: z.string().min(1).max(100) });
export const completeBody = z.object({
  paymentIntentId: text(255, { min: 1, error: 'is required' }),
});

export function managePayRouter(deps: AppDeps & { payments: PaymentGateway }): Router {
  const router = Router();
  const { db } = deps.database;

  async function payable(raw: string) {
    const lookup = await lookupBillingToken(db, raw, new Date());
    if (!lookup.ok) {
      if (lookup.reason === 'unknown') throw new HttpError(404, 'link_unknown', 'This link is not valid.');
      throw new HttpError(410, 'link_dead', 'This link no longer works for billing.', { reason: lookup.reason });
    }
    const invoiceId = await invoiceIdOfAppointment(db, lookup.appointment.id);
    const invoice = invoiceId ? await invoiceDetail(db, invoiceId) : undefined;
    if (!invoice || invoice.status === 'draft') {
      throw new HttpError(404, 'not_found', 'There is no invoice for this appointment yet.');
    }
    return { appointment: lookup.appointment, invoice };
  }

  async function view(invoiceId: string) {
    const business = await db.selectFrom('business').selectAll().executeTakeFirstOrThrow();
    return customerInvoiceView((await invoiceDetail(db, invoiceId))!, business);
  }

  router.get('/api/manage/:token/pay', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const { invoice } = await payable(token);
    res.json({ invoice: await view(invoice.id), gateway: deps.payments.name });
  });

  router.post('/api/manage/:token/pay', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const { appointment, invoice } = await payable(token);
    if ((invoice.status !== 'open' && invoice.status !== 'uncollectible') || invoice.balanceMinor === 0) {
      throw new HttpError(409, 'nothing_owed', `Invoice ${invoice.number} is ${invoice.status}; nothing is owed.`);
    }
    const contact = await db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', appointment.contact_id)
      .executeTakeFirstOrThrow();
    const { customerId } = await deps.payments.ensureCustomer({
      contactId: contact.id,
      email: contact.email,
      name: contact.name,
      existingCustomerId: contact.stripe_customer_id,
      idempotencyKey: `contact:${contact.id}:customer`,
    });
    if (customerId !== contact.stripe_customer_id) {
      await db.updateTable('contacts').set({ stripe_customer_id: customerId }).where('id', '=', contact.id).execute();
    }
    const intent = await deps.payments.createPaymentIntent({
      amountMinor: invoice.balanceMinor,
      currency: invoice.currency,
      customerId,
      description: `Invoice ${invoice.number}`,
      // One intent per invoice and amount owed: a second click or a retried request gets the same one.
      idempotencyKey: `invoice:${invoice.id}:pay:${invoice.balanceMinor}:${invoice.payments.length}`,
      metadata: { purpose: 'pay_link', invoiceId: invoice.id, appointmentId: appointment.id },
    });
    res.status(201).json({
      gateway: deps.payments.name,
      paymentIntentId: intent.paymentIntentId,
      clientSecret: intent.clientSecret,
      amountMinor: invoice.balanceMinor,
      currency: invoice.currency,
    });
  });

  router.post('/api/manage/:token/pay/complete', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const body = parseInput(completeBody, req.body, 'body');
    const { appointment, invoice } = await payable(token);
    let intent: PaymentIntentView;
    try {
      intent = await deps.payments.retrievePaymentIntent(body.paymentIntentId);
    } catch {
      throw unusable('This payment is unknown; please pay again.');
    }
    if (intent.metadata.invoiceId !== invoice.id) throw unusable('This payment is for another invoice.');
    if (intent.status === 'processing') {
      res.status(202).json({ status: 'processing', invoice: await view(invoice.id) });
      return;
    }
    if (intent.status !== 'succeeded') throw unusable('The payment has not gone through; please try again.');
    const credited = await creditPayment(db, {
      invoiceId: invoice.id,
      method: 'pay_link',
      amountMinor: intent.amountMinor,
      gateway: deps.payments.name,
      providerPaymentId: intent.paymentIntentId,
      recordedBy: 'Customer (pay page)',
      channel: 'manage_link',
      receivedAt: new Date(),
      idempotencyKey: `payment-intent:${intent.paymentIntentId}`,
    });
    if (credited.newlyPaid) await wakeBillingWorkflow(deps.temporal, appointment.workflow_id, 'manage_link');
    res.json({ status: 'succeeded', invoice: await view(invoice.id) });
  });

  return router;
}

function unusable(message: string): HttpError {
  return new HttpError(422, 'payment_incomplete', message, {}, [{ field: 'paymentIntentId', message }]);
}
