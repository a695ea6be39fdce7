/**
 * Billing through the customer's manage link: view or download the invoice (JSON, HTML, PDF, with
 * payments and refunds), and update the card.
 * With Stripe, updating the card creates a SetupIntent whose client secret the card page confirms with
 * Stripe.js; the `setup_intent.succeeded` webhook then saves it. With the simulated gateway (no Stripe
 * keys), one of Stripe's test payment methods is saved directly, clearly labelled as simulated. Either
 * way the appointment's workflow is told to retry a declined payment; when it has already finished
 * (the invoice went uncollectible after the last attempt), the new card is charged directly
 * (src/billing/late-settlement.ts), once.
 */
import { Router } from 'express';
import { z } from 'zod';
import { appendTimeline } from '../../appointments/repository';
import { invoiceHtml, customerInvoiceView } from '../../billing/invoice-html';
import { invoicePdf } from '../../billing/invoice-pdf';
import { chargeAfterWorkflow, wakeBillingWorkflow } from '../../billing/late-settlement';
import { invoiceDetail, invoiceIdOfAppointment } from '../../billing/ledger';
import { lookupBillingToken } from '../../manage/tokens';
import type { PaymentGateway } from '../../payments/gateway';
import { SIMULATED_TEST_CARDS } from '../../payments/simulated-gateway';
import type { AppDeps } from '../app';
import { HttpError } from '../errors';
import { parseInput } from '../validate';
import { text } from '../text';
import { tokenParams } from './manage';

export const invoiceQuery = z.object({
  format: z.enum(['json', 'html', 'pdf'], { error: 'expected json, html or pdf' }).default('json'),
});
/** The card update: Stripe needs nothing (a SetupIntent); the simulated gateway one of Stripe's test cards. */
export const cardBody = z.object({ paymentMethodId: text(255, { min: 1 }).optional() });
const simulatedCardBody = z.object({
  paymentMethodId: z.string().refine((pm) => pm in SIMULATED_TEST_CARDS, {
    message: `expected one of Stripe's test payment methods, e.g. pm_card_visa`,
  }),
});

export function manageBillingRouter(deps: AppDeps & { payments: PaymentGateway }): Router {
  const router = Router();
  const { db } = deps.database;

  async function resolve(raw: string) {
    const lookup = await lookupBillingToken(db, raw, new Date());
    if (lookup.ok) return lookup.appointment;
    if (lookup.reason === 'unknown') throw new HttpError(404, 'link_unknown', 'This link is not valid.');
    throw new HttpError(410, 'link_dead', 'This link no longer works for billing.', { reason: lookup.reason });
  }

  router.get('/api/manage/:token/invoice', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const { format } = parseInput(invoiceQuery, req.query, 'query');
    const appointment = await resolve(token);
    const invoiceId = await invoiceIdOfAppointment(db, appointment.id);
    const invoice = invoiceId ? await invoiceDetail(db, invoiceId) : undefined;
    if (!invoice || invoice.status === 'draft') {
      throw new HttpError(404, 'not_found', 'There is no invoice for this appointment yet.');
    }
    const business = await db.selectFrom('business').selectAll().executeTakeFirstOrThrow();
    if (format === 'pdf') {
      const pdf = await invoicePdf(invoice, business);
      res
        .set('content-disposition', `attachment; filename="invoice-${invoice.number}.pdf"`)
        .type('application/pdf')
        .send(pdf);
      return;
    }
    if (format === 'json') {
      res.json({ invoice: customerInvoiceView(invoice, business) });
      return;
    }
    res
      .set('content-disposition', `attachment; filename="invoice-${invoice.number}.html"`)
      .type('html')
      .send(invoiceHtml(invoice, business));
  });

  router.post('/api/manage/:token/card', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    parseInput(cardBody, req.body, 'body');
    const appointment = await resolve(token);
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
    if (!deps.payments.simulated) {
      const setup = await deps.payments.createSetupIntent({
        customerId,
        idempotencyKey: `setup:${contact.id}:${Date.now()}`,
      });
      res.json({ gateway: 'stripe', setupIntentId: setup.setupIntentId, clientSecret: setup.clientSecret });
      return;
    }
    const { paymentMethodId } = parseInput(simulatedCardBody, req.body, 'body');
    await db
      .updateTable('contacts')
      .set({
        default_payment_method_id: paymentMethodId,
        card_brand: 'visa',
        card_last4: '4242',
        updated_at: new Date(),
      })
      .where('id', '=', contact.id)
      .execute();
    await appendTimeline(db, {
      appointmentId: appointment.id,
      contactId: contact.id,
      kind: 'card:updated',
      actor: contact.name,
      channel: 'manage_link',
      summary: `Test card ${paymentMethodId} saved (simulated payments)`,
    });
    // The workflow retries at once; after it has finished (invoice uncollectible), the card is charged here.
    const woken = await wakeBillingWorkflow(deps.temporal, appointment.workflow_id, 'manage_link');
    const late =
      woken === 'finished'
        ? await chargeAfterWorkflow(db, deps.payments, {
            appointmentId: appointment.id,
            actor: contact.name,
            channel: 'manage_link',
          })
        : undefined;
    res.json({ gateway: 'simulated', saved: paymentMethodId, ...(late ? { payment: late.status } : {}) });
  });

  return router;
}
