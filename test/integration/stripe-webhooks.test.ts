/**
 * Stripe webhooks: a validly signed event is processed once and a redelivery changes nothing; a
 * forged, tampered or stale signature gets 400 and changes nothing. `setup_intent.succeeded` saves the
 * card and makes the waiting workflow retry the declined payment at once.
 */
import { DateTime } from 'luxon';
import Stripe from 'stripe';
import { sql } from 'kysely';
import { createApiKey } from '../../src/auth/api-keys';
import { stateQuery } from '../../workflows/appointment/messages';
import { api, eventually, startSystem, type System, startService } from '../support/system';

jest.setTimeout(120_000);

const SECRET = 'whsec_appointflow_test_secret';
const stripe = new Stripe('sk_test_signing');
let system: System;
let auth: Record<string, string>;
beforeAll(async () => {
  system = await startSystem({ STRIPE_WEBHOOK_SECRET: SECRET });
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Back office')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

function setupIntentSucceeded(id: string, customer: string) {
  return JSON.stringify({
    id,
    object: 'event',
    type: 'setup_intent.succeeded',
    api_version: '2026-09-30',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: {
      object: {
        id: 'seti_123',
        object: 'setup_intent',
        customer,
        payment_method: 'pm_card_visa',
        status: 'succeeded',
        usage: 'off_session',
      },
    },
  });
}

async function post(payload: string, header: string) {
  const response = await fetch(`${system.baseUrl}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    body: payload,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const inboundCount = async () =>
  (
    await system.database.db
      .selectFrom('inbound_events')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
  ).n;

/**
 * Books a consultation for a new customer through the staff API (optionally with a saved test card),
 * completes its deliver task, and waits until the charge reached `payment`.
 */
async function deliveredAndCharged(
  customer: { name: string; email: string },
  options: { slot: number; daysAhead: number; paymentMethod?: string; payment: 'awaiting_payment' | 'requires_action' },
) {
  const { body: services } = await api<{ services: Array<{ id: string; slug: string }> }>(
    system,
    'GET',
    '/api/services',
  );
  const consultation = services.services.find((s) => s.slug === 'consultation')!.id;
  const from = DateTime.now().plus({ days: options.daysAhead }).toISODate();
  const to = DateTime.now()
    .plus({ days: options.daysAhead + 7 })
    .toISODate();
  const slots = await api<{ days: Array<{ slots: Array<{ startsAt: string }> }> }>(
    system,
    'GET',
    `/api/services/${consultation}/availability?from=${from}&to=${to}&timeZone=America/New_York`,
  );
  const booked = await api<{ appointment: { id: string; workflowId: string; contact: { id: string } } }>(
    system,
    'POST',
    '/api/appointments',
    {
      serviceId: consultation,
      startsAt: slots.body.days[0]!.slots[options.slot]!.startsAt,
      timeZone: 'America/New_York',
      channel: 'phone',
      customer: { ...customer, smsOptIn: false },
    },
    auth,
  );
  const { id: appointmentId, workflowId, contact } = booked.body.appointment;
  if (options.paymentMethod) {
    await system.database.db
      .updateTable('contacts')
      .set({ default_payment_method_id: options.paymentMethod })
      .where('id', '=', contact.id)
      .execute();
  }
  const handle = system.env.client.workflow.getHandle(workflowId);
  const task = await eventually(async () => (await handle.query(stateQuery)).tasks.deliver ?? undefined);
  await startService(system, auth, appointmentId);
  await api(
    system,
    'POST',
    `/api/tasks/${task.taskId}/complete`,
    { form: { minutes: 30 }, channel: 'in_person' },
    auth,
  );
  await eventually(async () => (await handle.query(stateQuery)).billing?.payment === options.payment);
  return { appointmentId, contactId: contact.id, handle };
}

it('a declined payment is retried when Stripe reports a new card; replays, forgeries and stale deliveries change nothing', async () => {
  // An appointment delivered and charged without a card: the payment is declined and waits.
  const { appointmentId, contactId, handle } = await deliveredAndCharged(
    { name: 'Drew Hale', email: 'drew.hale@example.com' },
    { slot: 0, daysAhead: 3, payment: 'awaiting_payment' },
  );
  await system.database.db
    .updateTable('contacts')
    .set({ stripe_customer_id: 'cus_drew' })
    .where('id', '=', contactId)
    .execute();

  const before = await inboundCount();
  const payload = setupIntentSucceeded('evt_card_1', 'cus_drew');

  // Forged (another secret), tampered (signature of another body) and stale (10 minutes old): 400, nothing stored.
  const forged = await post(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_attacker' }));
  const tampered = await post(
    payload.replace('pm_card_visa', 'pm_card_attacker'),
    stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }),
  );
  const stale = await post(
    payload,
    stripe.webhooks.generateTestHeaderString({
      payload,
      secret: SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 600,
    }),
  );
  for (const refused of [forged, tampered, stale]) {
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'signature_invalid' } });
  }
  expect(await inboundCount()).toBe(before);
  const unchanged = await system.database.db
    .selectFrom('contacts')
    .select('default_payment_method_id')
    .where('id', '=', contactId)
    .executeTakeFirstOrThrow();
  expect(unchanged.default_payment_method_id).toBeNull();

  // Valid: processed once, the card saved, the workflow retries and is paid.
  const valid = await post(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }));
  expect(valid).toMatchObject({
    status: 200,
    body: { received: true, outcome: 'card saved; 1 workflow(s) signalled' },
  });
  await eventually(async () => (await handle.query(stateQuery)).billing?.payment === 'paid');
  const attemptsAfter = await system.database.db
    .selectFrom('payment_attempts')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();

  // Redelivered: acknowledged as a duplicate; nothing else happens.
  const replay = await post(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }));
  expect(replay).toMatchObject({ status: 200, body: { received: true, duplicate: true } });
  expect(await inboundCount()).toBe(before + 1);
  const attemptsLater = await system.database.db
    .selectFrom('payment_attempts')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  expect(attemptsLater.n).toBe(attemptsAfter.n);
  const cardEvents = await system.database.db
    .selectFrom('timeline_events')
    .select('kind')
    .where('appointment_id', '=', appointmentId)
    .where('kind', '=', 'card:updated')
    .execute();
  expect(cardEvents).toHaveLength(1);
});

it('answers 400 to a delivery without a signature', async () => {
  const response = await fetch(`${system.baseUrl}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(response.status).toBe(400);
});

it('a payment completed on-session after "authentication required" ends the dunning with no second charge', async () => {
  const { appointmentId, handle } = await deliveredAndCharged(
    { name: 'Sky Moreno', email: 'sky.moreno@example.com' },
    { slot: 1, daysAhead: 4, paymentMethod: 'pm_card_authenticationRequired', payment: 'requires_action' },
  );
  const attempt = await system.database.db
    .selectFrom('payment_attempts as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .select(['p.provider_payment_id'])
    .where('i.appointment_id', '=', appointmentId)
    .executeTakeFirstOrThrow();

  const payload = JSON.stringify({
    id: 'evt_paid_on_session',
    object: 'event',
    type: 'payment_intent.succeeded',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: attempt.provider_payment_id,
        object: 'payment_intent',
        status: 'succeeded',
        metadata: { appointmentId },
      },
    },
  });
  const delivered = await post(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }));
  expect(delivered).toMatchObject({ status: 200, body: { outcome: 'payment recorded' } });
  await eventually(async () => (await handle.query(stateQuery)).billing?.payment === 'paid');
  const attempts = await system.database.db
    .selectFrom('payment_attempts as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .select(['p.attempt', 'p.status', 'i.status as invoice'])
    .where('i.appointment_id', '=', appointmentId)
    .execute();
  expect(attempts).toEqual([{ attempt: 1, status: 'succeeded', invoice: 'paid' }]);
  // Outbound events: the attempt that needed authentication, then the on-session payment, once each.
  const events = await system.database.db
    .selectFrom('events')
    .select('type')
    .where('subject_id', '=', appointmentId)
    .where('type', 'like', 'payment.%')
    .orderBy('occurred_at')
    .execute();
  expect(events.map((e) => e.type)).toEqual(['payment.failed', 'payment.succeeded']);
  expect((await post(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }))).status).toBe(200);
  expect(
    await system.database.db
      .selectFrom('events')
      .select('id')
      .where('subject_id', '=', appointmentId)
      .where('type', '=', 'payment.succeeded')
      .execute(),
  ).toHaveLength(1);
});
