/**
 * Public payment endpoints for the customer pages' card and pay steps:
 * - `GET /api/payments/config`: which gateway runs, and for Stripe the publishable key and the URL
 *   Stripe.js is loaded from (`STRIPE_PUBLISHABLE_KEY`, `STRIPE_JS_URL`);
 * - `POST /api/payments/setup-intents`: a SetupIntent (`usage: off_session`) for the booking page,
 *   on the Stripe customer of the booking's email (a customer of its own for a caller not proven to be
 *   that email's existing contact);
 * - `POST /api/payments/deposit-intents`: a PaymentIntent for a service's deposit (src/payments/deposit-intents.ts),
 *   on the same Stripe customer, with `setup_future_usage: off_session` when the service keeps a card;
 * - `POST /api/payments/simulated/confirm`: without Stripe keys, the clearly labelled test-card form
 *   confirms a simulated SetupIntent or PaymentIntent with one of Stripe's test cards (404 with Stripe).
 */
import { text } from '../text';
import { Router } from 'express';
import { z } from 'zod';
import { setupIntentForBooking } from '../../payments/card-on-file';
import type { PaymentGateway } from '../../payments/gateway';
import { DepositRefusal, depositIntentForBooking } from '../../payments/deposit-intents';
import { httpErrorForDeposit } from './booking-helpers';
import { SIMULATED_TEST_CARDS, SimulatedGateway } from '../../payments/simulated-gateway';
import type { AppDeps } from '../app';
import { knownContactMode } from '../customer-identity';
import { HttpError } from '../errors';
import { parseInput } from '../validate';

export const bookingSetupBody = z.object({
  email: z.email({ error: 'must be an email address' }).max(254),
  name: text(200, { min: 1, error: 'must be text' }),
  requestKey: z.string({ error: 'must be text' }).trim().min(8).max(100).optional(),
});

export const depositIntentBody = bookingSetupBody.extend({
  serviceId: z.uuid({ error: 'must be a service id' }),
});

export const simulatedConfirmBody = z.object({
  intentId: z.string({ error: 'must be text' }).regex(/^sim_(seti|pi)_[0-9a-f]{24}$/, 'expected a simulated intent id'),
  paymentMethodId: z.string().refine((pm) => pm in SIMULATED_TEST_CARDS, {
    message: "expected one of Stripe's test payment methods, e.g. pm_card_visa",
  }),
});

/** Test cards the simulated form offers, with what each does. */
export const SIMULATED_FORM_CARDS = [
  { id: 'pm_card_visa', label: 'Visa 4242 — succeeds' },
  { id: 'pm_card_mastercard', label: 'Mastercard 4444 — succeeds' },
  { id: 'pm_card_visa_chargeDeclined', label: 'Visa 0002 — declined' },
  { id: 'pm_card_authenticationRequired', label: 'Visa 3184 — asks for authentication later' },
];

export function paymentsRouter(deps: AppDeps & { payments: PaymentGateway }): Router {
  const router = Router();
  const { db } = deps.database;

  router.get('/api/payments/config', (_req, res) => {
    res.json(
      deps.payments.simulated
        ? { gateway: 'simulated', testCards: SIMULATED_FORM_CARDS }
        : {
            gateway: 'stripe',
            publishableKey: deps.config.stripeJs.publishableKey ?? null,
            stripeJsUrl: deps.config.stripeJs.url,
          },
    );
  });

  router.post('/api/payments/setup-intents', async (req, res) => {
    const body = parseInput(bookingSetupBody, req.body, 'body');
    // Only a remembered device of the email's contact may use that contact's Stripe customer (issue 12).
    const proven = (await knownContactMode(db, req, body.email)) === 'apply';
    const setup = await setupIntentForBooking(db, deps.payments, {
      email: body.email,
      name: body.name,
      proven,
      ...(body.requestKey ? { requestKey: body.requestKey } : {}),
    });
    res.status(201).json({ gateway: deps.payments.name, ...setup });
  });

  router.post('/api/payments/deposit-intents', async (req, res) => {
    const body = parseInput(depositIntentBody, req.body, 'body');
    const proven = (await knownContactMode(db, req, body.email)) === 'apply';
    try {
      const intent = await depositIntentForBooking(db, deps.payments, {
        serviceId: body.serviceId,
        email: body.email,
        name: body.name,
        proven,
        ...(body.requestKey ? { requestKey: body.requestKey } : {}),
      });
      res.status(201).json({
        gateway: deps.payments.name,
        paymentIntentId: intent.paymentIntentId,
        clientSecret: intent.clientSecret,
        amountMinor: intent.amountMinor,
        currency: intent.currency.toUpperCase(),
        savesCard: intent.saveCard,
      });
    } catch (error) {
      if (error instanceof DepositRefusal) throw httpErrorForDeposit(error);
      throw error;
    }
  });

  router.post('/api/payments/simulated/confirm', (req, res) => {
    const gateway = deps.payments;
    if (!(gateway instanceof SimulatedGateway)) {
      throw new HttpError(404, 'not_found', 'Payments are not simulated here.');
    }
    const body = parseInput(simulatedConfirmBody, req.body, 'body');
    let outcome;
    try {
      outcome = body.intentId.startsWith('sim_seti_')
        ? gateway.confirmSetupIntent(body.intentId, body.paymentMethodId)
        : gateway.confirmPaymentIntent(body.intentId, body.paymentMethodId);
    } catch {
      throw new HttpError(404, 'not_found', 'This card form has expired; please reload the page.');
    }
    if (!outcome.ok) {
      throw new HttpError(422, 'card_declined', outcome.message, {}, [
        { field: 'paymentMethodId', message: outcome.message },
      ]);
    }
    res.json({ status: 'succeeded', intentId: body.intentId });
  });

  return router;
}
