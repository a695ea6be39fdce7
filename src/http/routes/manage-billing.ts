/**
 * Billing through the customer's manage link: view or download the invoice, and update the card.
 * With Stripe, updating the card creates a SetupIntent whose client secret the card page confirms with
 * Stripe.js; the `setup_intent.succeeded` webhook then saves it. With the simulated gateway (no Stripe
 * keys), one of Stripe's test payment methods is saved directly, clearly labelled as simulated. Either
 * way the appointment's workflow is told to retry a declined payment.
 */
import { Router } from 'express';
import { z } from 'zod';
import { cardUpdatedSignal } from '../../../workflows/appointment/messages';
import { appendTimeline } from '../../appointments/repository';
import { invoiceDocument } from '../../billing/invoice-document';
import { lookupBillingToken } from '../../manage/tokens';
import type { PaymentGateway } from '../../payments/gateway';
import { SIMULATED_TEST_CARDS } from '../../payments/simulated-gateway';
import type { AppDeps } from '../app';
import { HttpError } from '../errors';
import { parseInput } from '../validate';
import { text } from '../text';
import { tokenParams } from './manage';

const invoiceQuery = z.object({ format: z.enum(['json', 'html'], { error: 'expected json or html' }).default('json') });
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
    const invoice = await db
      .selectFrom('invoices')
      .selectAll()
      .where('appointment_id', '=', appointment.id)
      .executeTakeFirst();
    if (!invoice) throw new HttpError(404, 'not_found', 'There is no invoice for this appointment yet.');
    const { view, html } = await invoiceDocument(db, invoice);
    if (format === 'json') {
      const { id: _id, ...withoutId } = view;
      res.json({ invoice: withoutId });
      return;
    }
    res.set('content-disposition', `attachment; filename="invoice-${invoice.number}.html"`).type('html').send(html);
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
    await deps.temporal.workflow
      .getHandle(appointment.workflow_id)
      .signal(cardUpdatedSignal, { source: 'manage_link' });
    res.json({ gateway: 'simulated', saved: paymentMethodId });
  });

  return router;
}
