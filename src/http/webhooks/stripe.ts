/**
 * `POST /webhooks/stripe`: Stripe's events, verified on the raw body with the endpoint's signing
 * secret (`Stripe-Signature`, HMAC-SHA256, 300 s tolerance, by the SDK's constructEvent), then
 * deduplicated by event id in `inbound_events` before anything happens, so a redelivery changes
 * nothing. A forged, tampered or stale delivery gets 400 and is not recorded.
 *
 * - `setup_intent.succeeded`: the card captured on the card page becomes the contact's saved card, and
 *   every workflow of that contact waiting to collect a payment is signalled `cardUpdated` (retry now);
 *   a workflow that has finished (invoice uncollectible) gets its invoice charged here instead.
 * - `payment_intent.succeeded`: a payment completed on-session (after "authentication required", or on
 *   the pay page) is credited on the invoice's ledger once and wakes the workflow, whose next attempt
 *   then sees the invoice paid and charges nothing; a finished workflow needs nothing more.
 * A delivery whose processing fails gives its claim back, so Stripe's retry is processed.
 * - `payment_intent.payment_failed`: recorded on the appointment's timeline (the workflow already acted
 *   on the synchronous result of its charge).
 */
import express, { Router } from 'express';
import Stripe from 'stripe';
import { appendTimeline } from '../../appointments/repository';
import { chargeAfterWorkflow, wakeBillingWorkflow } from '../../billing/late-settlement';
import { creditPaymentIn } from '../../billing/ledger';
import { claimInboundEvent, finishInboundEvent, releaseInboundEvent } from '../../inbound-events/store';
import type { PaymentGateway } from '../../payments/gateway';
import type { AppDeps } from '../app';
import { HttpError } from '../errors';

export function stripeWebhookRouter(deps: AppDeps & { payments: PaymentGateway }): Router {
  const router = Router();
  const { db } = deps.database;
  const { payments } = deps;
  const stripe = new Stripe(deps.config.stripe?.secretKey ?? 'sk_test_webhook_verification_only');

  router.post('/webhooks/stripe', express.raw({ type: '*/*', limit: '1mb' }), async (req, res) => {
    const secret = deps.config.stripeWebhookSecret;
    if (!secret)
      throw new HttpError(404, 'not_configured', 'Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET).');
    const signature = req.get('stripe-signature');
    if (!signature || !Buffer.isBuffer(req.body))
      throw new HttpError(400, 'signature_missing', 'Missing Stripe-Signature header or body.');
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(req.body, signature, secret, 300);
    } catch (error) {
      throw new HttpError(
        400,
        'signature_invalid',
        `Stripe signature verification failed: ${(error as Error).message}`,
      );
    }

    const stored = await claimInboundEvent(db, { provider: 'stripe', eventId: event.id, payload: event });
    if (!stored) {
      res.json({ received: true, duplicate: true });
      return;
    }

    let outcome: string;
    try {
      outcome = await handle(event);
    } catch (error) {
      // Processing failed: give the claim back so Stripe's retry is processed (nothing here pays twice).
      await releaseInboundEvent(db, stored);
      throw error;
    }
    await finishInboundEvent(db, stored, outcome);
    res.json({ received: true, outcome });
  });

  /** What one verified, first-seen event does; the answer is recorded as the event's outcome. */
  async function handle(event: Stripe.Event): Promise<string> {
    switch (event.type) {
      case 'setup_intent.succeeded':
        return cardSaved(event, event.data.object);
      case 'payment_intent.succeeded':
        return paymentSucceeded(event, event.data.object);
      case 'payment_intent.payment_failed':
        return paymentFailed(event, event.data.object);
      default:
        return 'ignored';
    }
  }

  /**
   * The card captured with the Payment Element becomes the contact's saved card, and every appointment
   * of theirs with money still owed retries: its workflow is woken, or — finished after the last
   * dunning attempt — the card is charged here (src/billing/late-settlement.ts).
   */
  async function cardSaved(event: Stripe.Event, intent: Stripe.SetupIntent): Promise<string> {
    const customerId = typeof intent.customer === 'string' ? intent.customer : intent.customer?.id;
    const paymentMethod = typeof intent.payment_method === 'string' ? intent.payment_method : intent.payment_method?.id;
    const contact = customerId
      ? await db
          .selectFrom('contacts')
          .select(['id', 'name'])
          .where('stripe_customer_id', '=', customerId)
          .executeTakeFirst()
      : undefined;
    if (!contact || !paymentMethod) return 'no matching contact';
    const card = await payments.describeCard(paymentMethod).catch(() => null);
    await db
      .updateTable('contacts')
      .set({
        default_payment_method_id: paymentMethod,
        ...(card ? { card_brand: card.brand, card_last4: card.last4 } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', contact.id)
      .execute();
    const waiting = await db
      .selectFrom('appointments as a')
      .innerJoin('invoices as i', 'i.appointment_id', 'a.id')
      .select(['a.id', 'a.workflow_id'])
      .where('a.contact_id', '=', contact.id)
      .where('i.status', 'in', ['open', 'uncollectible'])
      .execute();
    let charged = 0;
    for (const appointment of waiting) {
      await appendTimeline(db, {
        appointmentId: appointment.id,
        contactId: contact.id,
        kind: 'card:updated',
        actor: contact.name,
        channel: 'stripe_webhook',
        summary: 'A new card was saved; the payment is retried',
        idempotencyKey: `stripe:${event.id}:${appointment.id}`,
      });
      const woken = await wakeBillingWorkflow(deps.temporal, appointment.workflow_id, 'stripe_webhook');
      if (woken === 'finished') {
        const late = await chargeAfterWorkflow(db, payments, {
          appointmentId: appointment.id,
          actor: contact.name,
          channel: 'stripe_webhook',
        });
        if (late.status === 'succeeded') charged += 1;
      }
    }
    return `card saved; ${waiting.length} workflow(s) signalled${charged ? `; ${charged} settled after the workflow ended` : ''}`;
  }

  /**
   * A payment the customer completed on-session: after "authentication required" (an attempt of the
   * workflow's), or on the pay page. Credited on the invoice's ledger once (keyed by the PaymentIntent),
   * then the workflow is woken so its next attempt sees the invoice paid and charges nothing.
   */
  async function paymentSucceeded(event: Stripe.Event, intent: Stripe.PaymentIntent): Promise<string> {
    const attempt = await db
      .selectFrom('payment_attempts')
      .select(['id', 'invoice_id', 'amount_minor'])
      .where('provider_payment_id', '=', intent.id)
      .executeTakeFirst();
    const invoiceId = attempt?.invoice_id ?? intent.metadata?.invoiceId;
    const invoice = invoiceId
      ? await db
          .selectFrom('invoices as i')
          .innerJoin('appointments as a', 'a.id', 'i.appointment_id')
          .select(['i.id', 'a.id as appointmentId', 'a.workflow_id'])
          .where('i.id', '=', invoiceId)
          .executeTakeFirst()
      : undefined;
    if (!invoice) return 'no matching payment attempt';
    let newlyPaid = false;
    await db.transaction().execute(async (trx) => {
      if (attempt) {
        await trx
          .updateTable('payment_attempts')
          .set({ status: 'succeeded', error: null, updated_at: new Date() })
          .where('id', '=', attempt.id)
          .execute();
      }
      const credited = await creditPaymentIn(trx, {
        invoiceId: invoice.id,
        method: attempt ? 'card' : 'pay_link',
        amountMinor: attempt ? Number(attempt.amount_minor) : intent.amount_received || intent.amount,
        gateway: 'stripe',
        providerPaymentId: intent.id,
        recordedBy: 'Stripe',
        channel: 'stripe_webhook',
        receivedAt: new Date(),
        idempotencyKey: `payment-intent:${intent.id}`,
      });
      newlyPaid = credited.newlyPaid;
      await appendTimeline(trx, {
        appointmentId: invoice.appointmentId,
        kind: 'stripe:payment_intent.succeeded',
        actor: 'Stripe',
        channel: 'stripe_webhook',
        summary: `Stripe reports the payment succeeded (${intent.id})`,
        idempotencyKey: `stripe:${event.id}`,
      });
    });
    // A finished workflow needs nothing more: the ledger above settled the invoice.
    await wakeBillingWorkflow(deps.temporal, invoice.workflow_id, 'stripe_webhook');
    return newlyPaid || attempt ? 'payment recorded' : 'payment recorded (already credited)';
  }

  async function paymentFailed(event: Stripe.Event, intent: Stripe.PaymentIntent): Promise<string> {
    const appointmentId = intent.metadata?.appointmentId;
    const exists = appointmentId
      ? await db.selectFrom('appointments').select('id').where('id', '=', appointmentId).executeTakeFirst()
      : undefined;
    if (!exists) return 'no matching appointment';
    await appendTimeline(db, {
      appointmentId: exists.id,
      kind: `stripe:${event.type}`,
      actor: 'Stripe',
      channel: 'stripe_webhook',
      summary: `Stripe reports the payment failed${intent.last_payment_error?.message ? `: ${intent.last_payment_error.message}` : ''} (${intent.id})`,
      idempotencyKey: `stripe:${event.id}`,
    });
    return 'recorded';
  }

  return router;
}
