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
import { type Response, Router } from 'express';
import { z } from 'zod';
import { appendTimeline } from '../../appointments/repository';
import { type InvoiceDocument, invoiceDocument } from '../../billing/invoice-document';
import { chargeAfterWorkflow, wakeBillingWorkflow } from '../../billing/late-settlement';
import { invoiceIdOfAppointment } from '../../billing/ledger';
import { lookupBillingToken } from '../../manage/tokens';
import type { PaymentGateway } from '../../payments/gateway';
import { SIMULATED_TEST_CARDS, simulatedCardDetails } from '../../payments/simulated-gateway';
import { saveCardOnContact, setupIntentForContact, succeededSetupIntent } from '../../payments/card-on-file';
import { httpErrorForCard } from './booking-card';
import type { AppDeps } from '../app';
import { HttpError } from '../errors';
import { parseInput } from '../validate';
import { text } from '../text';
import { tokenParams } from './manage';

/** An invoice document as the answer: JSON, or a download (HTML, PDF). */
export function sendInvoice(res: Response, document: InvoiceDocument): void {
  if (document.filename) res.set('content-disposition', `attachment; filename="${document.filename}"`);
  res.type(document.contentType).send(document.body);
}

export const invoiceQuery = z.object({
  format: z.enum(['json', 'html', 'pdf'], { error: 'expected json, html or pdf' }).default('json'),
});
/**
 * The card update: nothing to start a SetupIntent; `setupIntentId` to report it confirmed; simulated
 * gateway only, `paymentMethodId` saves one of Stripe's test cards directly.
 */
export const cardBody = z.object({
  setupIntentId: text(255, { min: 1 }).optional(),
  paymentMethodId: text(255, { min: 1 }).optional(),
  requestKey: text(100, { min: 8 }).optional(),
});
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
    const document = invoiceId ? await invoiceDocument(db, invoiceId, format) : undefined;
    if (!document) throw new HttpError(404, 'not_found', 'There is no invoice for this appointment yet.');
    sendInvoice(res, document);
  });

  /**
   * Update the card: without `setupIntentId`, a SetupIntent for the page's Payment Element (or the
   * simulated test-card form); with it, the confirmed card is read back, saved on the contact and the
   * payment retried. Simulated only: `paymentMethodId` saves one of Stripe's test cards directly.
   */
  router.post('/api/manage/:token/card', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const body = parseInput(cardBody, req.body ?? {}, 'body');
    const appointment = await resolve(token);
    const contact = await db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', appointment.contact_id)
      .executeTakeFirstOrThrow();
    const gateway = deps.payments.simulated ? 'simulated' : 'stripe';
    let saved: string;
    if (body.setupIntentId) {
      let intent;
      try {
        intent = await succeededSetupIntent(deps.payments, body.setupIntentId, { contactId: contact.id });
      } catch (error) {
        httpErrorForCard(error);
      }
      await saveCardOnContact(db, deps.payments, {
        contactId: contact.id,
        appointmentId: appointment.id,
        intent,
        actor: contact.name,
        channel: 'manage_link',
      });
      saved = intent.paymentMethodId;
    } else if (deps.payments.simulated && body.paymentMethodId !== undefined) {
      const { paymentMethodId } = parseInput(simulatedCardBody, req.body, 'body');
      const card = simulatedCardDetails(paymentMethodId);
      await db
        .updateTable('contacts')
        .set({
          default_payment_method_id: paymentMethodId,
          card_brand: card.brand,
          card_last4: card.last4,
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
      saved = paymentMethodId;
    } else {
      const setup = await setupIntentForContact(db, deps.payments, {
        contactId: contact.id,
        ...(body.requestKey ? { requestKey: body.requestKey } : {}),
      });
      res.json({ gateway, setupIntentId: setup.setupIntentId, clientSecret: setup.clientSecret });
      return;
    }
    // The card the customer just chose (through their own link) replaces one given at booking for this visit.
    await db
      .updateTable('appointments')
      .set({ booking_customer_id: null, booking_payment_method_id: null })
      .where('id', '=', appointment.id)
      .where('booking_payment_method_id', 'is not', null)
      .execute();
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
    res.json({ gateway, saved, ...(late ? { payment: late.status } : {}) });
  });

  return router;
}
