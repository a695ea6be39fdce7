/**
 * The whole Stripe path against stripe-mock (every request validated against Stripe's OpenAPI spec)
 * behind a local recorder: a card-required booking saves the card through a SetupIntent, the visit is
 * charged off-session once, part is refunded — and every request the server sends to Stripe that
 * creates or changes something carries an Idempotency-Key. A deposit is read back from Stripe before it
 * books and refunded through Stripe on a cancel without a fee.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { stateQuery } from '../../workflows/appointment/messages';
import { startStripeMock, type StripeMock } from '../support/stripe-mock';
import { startStripeRecorder, type StripeRecorder } from '../support/stripe-recorder';
import { api, eventually, freeSlots, serviceIdBySlug, startService, startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

let mock: StripeMock;
let recorder: StripeRecorder;
let system: System;
let auth: Record<string, string>;
beforeAll(async () => {
  mock = await startStripeMock();
  recorder = await startStripeRecorder(mock.apiBase);
  system = await startSystem({
    STRIPE_SECRET_KEY: 'sk_test_appointflow',
    STRIPE_API_BASE: recorder.apiBase,
    STRIPE_PUBLISHABLE_KEY: 'pk_test_appointflow',
  });
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Owner')).key}` };
});
afterAll(async () => {
  await system?.stop();
  await recorder?.stop();
  await mock?.stop();
});

it('card at booking, one off-session charge and a refund through Stripe, each request with an idempotency key', async () => {
  expect((await api(system, 'GET', '/api/payments/config')).body).toEqual({
    gateway: 'stripe',
    publishableKey: 'pk_test_appointflow',
    stripeJsUrl: 'https://js.stripe.com/v3/',
  });
  const consultation = await serviceIdBySlug(system, 'consultation');
  await api(system, 'PATCH', `/api/admin/services/${consultation}`, { cardAtBooking: 'required' }, auth);
  const customer = { name: 'Stripe Customer', email: 'stripe.customer@example.com' };
  const setup = await api<{ setupIntentId: string; clientSecret: string }>(
    system,
    'POST',
    '/api/payments/setup-intents',
    customer,
  );
  expect(setup.status).toBe(201);
  expect(setup.body.clientSecret).toBe(`${setup.body.setupIntentId}_secret_rec`);
  const fromServer = recorder.calls.length;

  // What Stripe.js does for the page when the customer confirms the Payment Element (sent with a secret
  // key, as a test stand-in's server side would: stripe-mock accepts no publishable key).
  const confirmed = await fetch(`${recorder.apiBase}/v1/setup_intents/${setup.body.setupIntentId}/confirm`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk_test_standin', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ payment_method: 'pm_card_visa', client_secret: setup.body.clientSecret }),
  });
  expect(confirmed.status).toBe(200);
  const pageCalls = recorder.calls.splice(fromServer); // the page's own call, not the server's

  const slot = (await freeSlots(system, consultation, 3, 10))[0]!;
  const booked = await api<{ appointment: { id: string; workflowId: string } }>(system, 'POST', '/api/bookings', {
    serviceId: consultation,
    staffId: slot.staffId,
    startsAt: slot.startsAt,
    timeZone: 'America/New_York',
    customer,
    setupIntentId: setup.body.setupIntentId,
  });
  expect(booked.status).toBe(201);
  const contact = await system.database.db
    .selectFrom('contacts')
    .select(['default_payment_method_id', 'stripe_customer_id', 'card_last4'])
    .where('email', '=', customer.email)
    .executeTakeFirstOrThrow();
  expect(contact).toMatchObject({ default_payment_method_id: 'pm_card_visa', card_last4: '4242' });
  expect(contact.stripe_customer_id).toMatch(/^cus_/);

  const handle = system.env.client.workflow.getHandle(booked.body.appointment.workflowId);
  const task = await eventually(async () => (await handle.query(stateQuery)).tasks.deliver ?? undefined);
  // Delivery follows the appointment: the service is started first (days ahead, it is not yet due).
  await startService(system, auth, booked.body.appointment.id);
  await api(
    system,
    'POST',
    `/api/tasks/${task.taskId}/complete`,
    { form: { minutes: 30 }, channel: 'in_person' },
    auth,
  );
  await eventually(async () => (await handle.query(stateQuery)).billing?.payment === 'paid');
  const invoice = await api<{ invoice: { id: string; totalMinor: number } }>(
    system,
    'GET',
    `/api/appointments/${booked.body.appointment.id}/invoice`,
    undefined,
    auth,
  );
  const refund = await api(
    system,
    'POST',
    `/api/invoices/${invoice.body.invoice.id}/refunds`,
    { amountMinor: 1_000, reason: 'Goodwill', idempotencyKey: 'goodwill-refund-1' },
    auth,
  );
  expect(refund.status).toBe(201);

  const writes = recorder.calls.filter((c) => c.method === 'POST');
  expect(writes.map((c) => c.path)).toEqual([
    '/v1/customers',
    '/v1/setup_intents',
    '/v1/payment_intents',
    '/v1/refunds',
  ]);
  for (const call of writes) expect(call.idempotencyKey).toEqual(expect.any(String));
  const charge = writes.find((c) => c.path === '/v1/payment_intents')!;
  expect(charge.form.get('off_session')).toBe('true');
  expect(charge.form.get('amount')).toBe(String(invoice.body.invoice.totalMinor));
  expect(charge.idempotencyKey).toMatch(/^appointment:.+:charge:1$/);
  expect(writes.find((c) => c.path === '/v1/refunds')!.idempotencyKey).toContain('goodwill-refund-1');
  // Reads carry no key (Stripe ignores one on GET): the SetupIntent and the card's brand.
  expect(recorder.calls.filter((c) => c.method === 'GET').map((c) => c.path)).toEqual([
    `/v1/setup_intents/${setup.body.setupIntentId}`,
    '/v1/payment_methods/pm_card_visa',
  ]);
  expect(pageCalls.map((c) => c.path)).toEqual([`/v1/setup_intents/${setup.body.setupIntentId}/confirm`]);
});

it('a deposit through Stripe: the PaymentIntent is read back before booking, refunded on a cancel without a fee; every write keyed', async () => {
  const massage = await serviceIdBySlug(system, 'deep-tissue-massage');
  await api(
    system,
    'PATCH',
    `/api/admin/services/${massage}`,
    { depositPolicy: { kind: 'percent', percent: 20 } },
    auth,
  );
  const customer = { name: 'Stripe Deposit', email: 'stripe.deposit@example.com' };
  const before = recorder.calls.length;
  const intent = await api<{ paymentIntentId: string; clientSecret: string; amountMinor: number }>(
    system,
    'POST',
    '/api/payments/deposit-intents',
    { ...customer, serviceId: massage, requestKey: 'stripe-deposit-1' },
  );
  expect(intent.status).toBe(201);
  expect(intent.body.amountMinor).toBe(2200); // 20% of $110.00
  const slot = (await freeSlots(system, massage, 3, 10))[0]!;
  const body = {
    serviceId: massage,
    staffId: slot.staffId,
    startsAt: slot.startsAt,
    timeZone: 'America/New_York',
    customer,
    paymentIntentId: intent.body.paymentIntentId,
  };
  // Not confirmed yet: Stripe says so, and nothing is booked.
  const early = await api<{ error: { fields: Array<{ field: string }> } }>(system, 'POST', '/api/bookings', body);
  expect(early.status).toBe(422);
  expect(early.body.error.fields[0]!.field).toBe('paymentIntentId');
  // What Stripe.js does for the page when the customer confirms the Payment Element.
  const confirmed = await fetch(`${recorder.apiBase}/v1/payment_intents/${intent.body.paymentIntentId}/confirm`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk_test_standin', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ payment_method: 'pm_card_visa', client_secret: intent.body.clientSecret }),
  });
  expect(confirmed.status).toBe(200);
  const booked = await api<{ appointment: { id: string; workflowId: string } }>(system, 'POST', '/api/bookings', body);
  expect(booked.status).toBe(201);
  const cancelled = await api(
    system,
    'POST',
    `/api/appointments/${booked.body.appointment.id}/cancel`,
    { reason: 'customer called', channel: 'phone' },
    auth,
  );
  expect(cancelled.status).toBe(200);
  const handle = system.env.client.workflow.getHandle(booked.body.appointment.workflowId);
  await eventually(async () => (await handle.query(stateQuery)).deposit?.settled === true);

  const calls = recorder.calls.slice(before).filter((c) => !c.path.endsWith('/confirm'));
  const writes = calls.filter((c) => c.method === 'POST');
  expect(writes.map((c) => c.path)).toEqual(['/v1/customers', '/v1/payment_intents', '/v1/refunds']);
  for (const call of writes) expect(call.idempotencyKey).toEqual(expect.any(String));
  expect(writes[1]!.form.get('amount')).toBe('2200');
  expect(writes[1]!.form.get('setup_future_usage')).toBeNull(); // the service keeps no card
  expect(writes[2]!.form.get('payment_intent')).toBe(intent.body.paymentIntentId);
  expect(writes[2]!.idempotencyKey).toContain(`${booked.body.appointment.workflowId}:deposit:refund`);
  // The server read the PaymentIntent back from Stripe before each booking attempt.
  expect(calls.filter((c) => c.method === 'GET').map((c) => c.path)).toEqual([
    `/v1/payment_intents/${intent.body.paymentIntentId}`,
    `/v1/payment_intents/${intent.body.paymentIntentId}`,
  ]);
});

it('a deposit paid through Stripe and never booked is refunded by the sweep with its key; one never paid is cancelled, not refunded', async () => {
  const massage = await serviceIdBySlug(system, 'deep-tissue-massage');
  await api(
    system,
    'PATCH',
    `/api/admin/services/${massage}`,
    { depositPolicy: { kind: 'percent', percent: 20 } },
    auth,
  );
  const intentFor = async (email: string) =>
    (
      await api<{ paymentIntentId: string; clientSecret: string }>(system, 'POST', '/api/payments/deposit-intents', {
        name: 'Stripe Leaver',
        email,
        serviceId: massage,
        requestKey: `sweep-${email}`,
      })
    ).body;
  const paid = await intentFor('stripe.leaver@example.com');
  const unpaid = await intentFor('stripe.unpaid@example.com');
  const confirmed = await fetch(`${recorder.apiBase}/v1/payment_intents/${paid.paymentIntentId}/confirm`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk_test_standin', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ payment_method: 'pm_card_visa', client_secret: paid.clientSecret }),
  });
  expect(confirmed.status).toBe(200);
  const rows = await system.database.db
    .selectFrom('deposit_intents')
    .select(['provider_payment_id', 'created_at'])
    .where('provider_payment_id', 'in', [paid.paymentIntentId, unpaid.paymentIntentId])
    .execute();
  // The sweep's "now": past the grace of the later of the two deposits (never the wall clock).
  const now = Math.max(...rows.map((r) => r.created_at.getTime())) + system.config.unbookedDeposits.graceMs + 60_000;
  const before = recorder.calls.length;
  await system.env.client.workflow.execute('unbookedDepositsWorkflow', {
    taskQueue: system.config.temporal.taskQueue,
    workflowId: `unbooked-deposits-stripe-${before}`,
    args: [{ graceMs: system.config.unbookedDeposits.graceMs, now }],
  });
  const writes = recorder.calls.slice(before).filter((c) => c.method === 'POST');
  const refund = writes.find((c) => c.path === '/v1/refunds');
  expect(refund?.form.get('payment_intent')).toBe(paid.paymentIntentId);
  expect(refund?.idempotencyKey).toBe(`deposit:${paid.paymentIntentId}:unbooked`);
  expect(writes.filter((c) => c.path === '/v1/refunds')).toHaveLength(1);
  const cancel = writes.find((c) => c.path === `/v1/payment_intents/${unpaid.paymentIntentId}/cancel`);
  expect(cancel?.idempotencyKey).toBe(`deposit:${unpaid.paymentIntentId}:abandoned`);
  const states = await system.database.db
    .selectFrom('deposit_intents')
    .select(['provider_payment_id', 'state'])
    .where('provider_payment_id', 'in', [paid.paymentIntentId, unpaid.paymentIntentId])
    .execute();
  expect(Object.fromEntries(states.map((s) => [s.provider_payment_id, s.state]))).toEqual({
    [paid.paymentIntentId]: 'refunded',
    [unpaid.paymentIntentId]: 'abandoned',
  });
});
