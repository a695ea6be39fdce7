/**
 * A card-required service booked on a phone (390×844) through the real booking page, with the page's
 * Payment Element served by a local Stripe.js stand-in whose server side confirms the SetupIntent
 * against stripe-mock (through the recorder): the page books only once the card is saved, the card is
 * on the contact, and after the visit it is charged off-session once. A deposit service takes its deposit
 * with a PaymentIntent the same way (its card kept for after the visit) and refunds it on a cancel without a fee.
 */
import type { Browser } from 'playwright-core';
import { createApiKey } from '../../src/auth/api-keys';
import { stateQuery } from '../../workflows/appointment/messages';
import { launchChromium, screenshot, watchedPage } from '../support/browser';
import { startStripeJsStandIn, type StripeJsStandIn } from '../support/stripe-js-standin';
import { startStripeMock, type StripeMock } from '../support/stripe-mock';
import { startStripeRecorder, type StripeRecorder } from '../support/stripe-recorder';
import { api, eventually, serviceIdBySlug, startService, startSystem, type System } from '../support/system';

jest.setTimeout(180_000);

let mock: StripeMock;
let recorder: StripeRecorder;
let standIn: StripeJsStandIn;
let system: System;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  mock = await startStripeMock();
  recorder = await startStripeRecorder(mock.apiBase);
  standIn = await startStripeJsStandIn(recorder.apiBase);
  [system, browser] = await Promise.all([
    startSystem({
      STRIPE_SECRET_KEY: 'sk_test_appointflow',
      STRIPE_API_BASE: recorder.apiBase,
      STRIPE_PUBLISHABLE_KEY: 'pk_test_appointflow',
      STRIPE_JS_URL: standIn.url,
    }),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
  await standIn?.stop();
  await recorder?.stop();
  await mock?.stop();
});

it('books a card-required service on a phone with the Payment Element; the card is saved and charged off-session once', async () => {
  const auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Owner')).key}` };
  const consultation = await serviceIdBySlug(system, 'consultation');
  await api(system, 'PATCH', `/api/admin/services/${consultation}`, { cardAtBooking: 'required' }, auth);

  const page = await watchedPage(browser, system.baseUrl, problems, { mobile: true, timezoneId: 'America/New_York' });
  await page.goto('/book/consultation');
  await page.getByRole('heading', { name: 'Book an appointment' }).waitFor();
  const firstSlot = page.locator('button.time').first();
  await firstSlot.waitFor();
  await firstSlot.click();
  await page.getByLabel('Name', { exact: true }).fill('Casey Card');
  await page.getByLabel('Email').fill('casey.card@example.com');
  await page.getByText('Your card is charged after your visit; nothing is charged now.').waitFor();
  expect(await page.getByRole('button', { name: /^Book for/ }).isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Add a card' }).click();
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await screenshot(page, '40-booking-card-step-phone');
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await page.getByRole('button', { name: 'Save card' }).click();
  await page.getByText('Card saved. You can book now.').waitFor();
  await page.getByRole('button', { name: /^Book for/ }).click();
  await page.getByRole('heading', { name: "You're booked" }).waitFor();
  expect(problems).toEqual([]);

  const contact = await system.database.db
    .selectFrom('contacts')
    .select(['id', 'default_payment_method_id', 'stripe_customer_id'])
    .where('email', '=', 'casey.card@example.com')
    .executeTakeFirstOrThrow();
  expect(contact.default_payment_method_id).toBe('pm_card_visa');
  expect(contact.stripe_customer_id).toMatch(/^cus_/);
  const appointment = await system.database.db
    .selectFrom('appointments')
    .select(['id', 'workflow_id'])
    .where('contact_id', '=', contact.id)
    .executeTakeFirstOrThrow();

  const handle = system.env.client.workflow.getHandle(appointment.workflow_id);
  const task = await eventually(async () => (await handle.query(stateQuery)).tasks.deliver ?? undefined);
  // Delivery follows the appointment: the service is started first (days ahead, it is not yet due).
  await startService(system, auth, appointment.id);
  await api(
    system,
    'POST',
    `/api/tasks/${task.taskId}/complete`,
    { form: { minutes: 30 }, channel: 'in_person' },
    auth,
  );
  await eventually(async () => (await handle.query(stateQuery)).billing?.payment === 'paid');
  const charges = recorder.calls.filter((c) => c.method === 'POST' && c.path === '/v1/payment_intents');
  expect(charges).toHaveLength(1);
  expect(charges[0]!.form.get('off_session')).toBe('true');
  expect(charges[0]!.form.get('payment_method')).toBe('pm_card_visa');
});

it('a deposit service on a phone: "Deposit $20.00 now, the rest after your visit", paid with the Payment Element, refunded in full through Stripe on a staff cancel', async () => {
  const auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Owner')).key}` };
  const massage = await serviceIdBySlug(system, 'deep-tissue-massage');
  await api(
    system,
    'PATCH',
    `/api/admin/services/${massage}`,
    {
      depositPolicy: { kind: 'fixed', amountMinor: 2000 },
      cardAtBooking: 'required',
      cancellationPolicy: { lateCancelHours: 24, lateCancelFee: { kind: 'fixed', amountMinor: 3000 }, noShowFee: null },
    },
    auth,
  );
  const before = recorder.calls.length;

  const page = await watchedPage(browser, system.baseUrl, problems, { mobile: true, timezoneId: 'America/New_York' });
  await page.goto('/book/deep-tissue-massage');
  await page.getByRole('heading', { name: 'Book an appointment' }).waitFor();
  await page.locator('button.time').first().waitFor();
  await page.locator('button.time').first().click();
  await page.getByLabel('Name', { exact: true }).fill('Dee Deposit');
  await page.getByLabel('Email').fill('dee.deposit@example.com');
  const step = page.getByTestId('deposit-step');
  await step.getByText('Deposit $20.00 now, the rest ($90.00) after your visit.').waitFor();
  await step.getByText(/Cancel in time and the deposit is refunded in full/).waitFor();
  expect(await page.getByTestId('card-step').count()).toBe(0); // the deposit's card is the card on file
  expect(await page.getByRole('button', { name: /^Book for/ }).isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Pay the deposit' }).click();
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await screenshot(page, '43-booking-deposit-step-phone');
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await page.getByRole('button', { name: 'Pay $20.00 deposit' }).click();
  await page.getByText('Deposit paid. You can book now.').waitFor();
  await page.getByRole('button', { name: /^Book for/ }).click();
  await page.getByRole('heading', { name: "You're booked" }).waitFor();
  await page.getByText('Deposit paid: $20.00. The rest ($90.00) is charged after your visit.').waitFor();
  // The manage page says where the deposit is.
  const manage = await page.getByRole('link', { name: 'View, reschedule or cancel' }).first().getAttribute('href');
  await page.goto(manage!);
  await page
    .getByTestId('deposit-note')
    .getByText('Deposit paid: $20.00, credited on your invoice after the visit.')
    .waitFor();
  expect(problems).toEqual([]);

  const contact = await system.database.db
    .selectFrom('contacts')
    .select(['id', 'default_payment_method_id'])
    .where('email', '=', 'dee.deposit@example.com')
    .executeTakeFirstOrThrow();
  expect(contact.default_payment_method_id).toBe('pm_card_visa');
  const appointment = await system.database.db
    .selectFrom('appointments')
    .select(['id', 'workflow_id'])
    .where('contact_id', '=', contact.id)
    .executeTakeFirstOrThrow();
  const deposit = await system.database.db
    .selectFrom('invoice_payments as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .select(['p.method', 'p.amount_minor', 'p.provider_payment_id'])
    .where('i.appointment_id', '=', appointment.id)
    .executeTakeFirstOrThrow();
  expect(deposit).toMatchObject({
    method: 'deposit',
    amount_minor: 2000,
    provider_payment_id: expect.stringMatching(/^pi_/),
  });

  // A staff cancel costs no fee (whenever it is made): the deposit is refunded in full.
  const cancelled = await api(
    system,
    'POST',
    `/api/appointments/${appointment.id}/cancel`,
    { reason: 'customer called', channel: 'phone' },
    auth,
  );
  expect(cancelled.status).toBe(200);
  const handle = system.env.client.workflow.getHandle(appointment.workflow_id);
  await eventually(async () => (await handle.query(stateQuery)).deposit?.settled === true);
  const writes = recorder.calls.slice(before).filter((c) => c.method === 'POST' && !c.path.endsWith('/confirm'));
  expect(writes.map((c) => c.path)).toEqual(['/v1/customers', '/v1/payment_intents', '/v1/refunds']);
  for (const call of writes) expect(call.idempotencyKey).toEqual(expect.any(String));
  const created = writes[1]!;
  expect(created.form.get('amount')).toBe('2000');
  expect(created.form.get('setup_future_usage')).toBe('off_session');
  expect(created.idempotencyKey).toMatch(/^deposit:/);
  const refund = writes[2]!;
  expect(refund.form.get('payment_intent')).toBe(deposit.provider_payment_id);
  expect(refund.form.get('amount')).toBe('2000');
  expect(refund.idempotencyKey).toContain(`${appointment.workflow_id}:deposit:refund`);
});
