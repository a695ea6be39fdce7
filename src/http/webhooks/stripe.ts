/**
 * `POST /webhooks/stripe`: Stripe's events, verified on the raw body with the endpoint's signing
 * secret (`Stripe-Signature`, HMAC-SHA256, 300 s tolerance, by the SDK's constructEvent), then
 * deduplicated by event id in `inbound_events` before anything happens, so a redelivery changes
 * nothing. A forged, tampered or stale delivery gets 400 and is not recorded.
 *
 * - `setup_intent.succeeded`: the card captured on the card page becomes the contact's saved card, and
 *   every workflow of that contact waiting to collect a payment is signalled `cardUpdated` (retry now).
 * - `payment_intent.succeeded`: a payment completed on-session (after "authentication required") marks
 *   its attempt and the invoice paid and wakes the workflow, whose next attempt then sees the invoice
 *   paid and charges nothing.
 * - `payment_intent.payment_failed`: recorded on the appointment's timeline (the workflow already acted
 *   on the synchronous result of its charge).
 */
import express, { Router } from 'express';
import Stripe from 'stripe';
import { cardUpdatedSignal } from '../../../workflows/appointment/messages';
import { appendTimeline } from '../../appointments/repository';
import { recordPaymentSucceededFromStripe } from '../../outbound/events';
import { claimInboundEvent, finishInboundEvent } from '../../inbound-events/store';
import type { AppDeps } from '../app';
import { HttpError } from '../errors';

export function stripeWebhookRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
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

    let outcome = 'ignored';
    if (event.type === 'setup_intent.succeeded') {
      const intent = event.data.object;
      const customerId = typeof intent.customer === 'string' ? intent.customer : intent.customer?.id;
      const paymentMethod =
        typeof intent.payment_method === 'string' ? intent.payment_method : intent.payment_method?.id;
      const contact = customerId
        ? await db
            .selectFrom('contacts')
            .select(['id', 'name'])
            .where('stripe_customer_id', '=', customerId)
            .executeTakeFirst()
        : undefined;
      if (contact && paymentMethod) {
        await db
          .updateTable('contacts')
          .set({ default_payment_method_id: paymentMethod, updated_at: new Date() })
          .where('id', '=', contact.id)
          .execute();
        const waiting = await db
          .selectFrom('appointments as a')
          .innerJoin('invoices as i', 'i.appointment_id', 'a.id')
          .select(['a.id', 'a.workflow_id'])
          .where('a.contact_id', '=', contact.id)
          .where('i.status', '=', 'open')
          .execute();
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
          await deps.temporal.workflow
            .getHandle(appointment.workflow_id)
            .signal(cardUpdatedSignal, { source: 'stripe_webhook' });
        }
        outcome = `card saved; ${waiting.length} workflow(s) signalled`;
      } else {
        outcome = 'no matching contact';
      }
    } else if (event.type === 'payment_intent.succeeded') {
      // A payment the customer completed on-session (after "authentication required"): the attempt
      // and invoice are paid, and the workflow is woken so its next charge attempt sees it and stops.
      const intent = event.data.object;
      const attempt = await db
        .selectFrom('payment_attempts')
        .select(['id', 'invoice_id'])
        .where('provider_payment_id', '=', intent.id)
        .executeTakeFirst();
      const appointment = attempt
        ? await db
            .selectFrom('invoices as i')
            .innerJoin('appointments as a', 'a.id', 'i.appointment_id')
            .select(['a.id', 'a.workflow_id', 'i.status'])
            .where('i.id', '=', attempt.invoice_id)
            .executeTakeFirst()
        : undefined;
      if (attempt && appointment) {
        const now = new Date();
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('payment_attempts')
            .set({ status: 'succeeded', error: null, updated_at: now })
            .where('id', '=', attempt.id)
            .execute();
          const newlyPaid = await trx
            .updateTable('invoices')
            .set({ status: 'paid', paid_at: now, updated_at: now })
            .where('id', '=', attempt.invoice_id)
            .where('status', '!=', 'paid')
            .executeTakeFirst();
          if (Number(newlyPaid.numUpdatedRows) > 0) {
            // Paid on-session: the charge activity will find it paid and write no payment entry of its own.
            await recordPaymentSucceededFromStripe(trx, {
              appointmentId: appointment.id,
              invoiceId: attempt.invoice_id,
              paymentId: intent.id,
              stripeEventId: event.id,
            });
          }
          await appendTimeline(trx, {
            appointmentId: appointment.id,
            kind: 'stripe:payment_intent.succeeded',
            actor: 'Stripe',
            channel: 'stripe_webhook',
            summary: `Stripe reports the payment succeeded (${intent.id})`,
            idempotencyKey: `stripe:${event.id}`,
          });
        });
        if (appointment.status !== 'paid') {
          await deps.temporal.workflow
            .getHandle(appointment.workflow_id)
            .signal(cardUpdatedSignal, { source: 'stripe_webhook' });
        }
        outcome = 'payment recorded';
      } else {
        outcome = 'no matching payment attempt';
      }
    } else if (event.type === 'payment_intent.payment_failed') {
      const intent = event.data.object;
      const appointmentId = intent.metadata?.appointmentId;
      const exists = appointmentId
        ? await db.selectFrom('appointments').select('id').where('id', '=', appointmentId).executeTakeFirst()
        : undefined;
      if (exists) {
        await appendTimeline(db, {
          appointmentId: exists.id,
          kind: `stripe:${event.type}`,
          actor: 'Stripe',
          channel: 'stripe_webhook',
          summary: `Stripe reports the payment failed${intent.last_payment_error?.message ? `: ${intent.last_payment_error.message}` : ''} (${intent.id})`,
          idempotencyKey: `stripe:${event.id}`,
        });
        outcome = 'recorded';
      } else {
        outcome = 'no matching appointment';
      }
    }
    await finishInboundEvent(db, stored, outcome);
    res.json({ received: true, outcome });
  });

  return router;
}
