/**
 * Card on file at booking and the pay page, through HTTP with the simulated gateway (the same flow the
 * Payment Element drives with Stripe): a service set to `cardAtBooking: required` books only with a
 * SetupIntent that succeeded for the booking's own email; the card is saved on the contact and the
 * visit is charged off-session once. An open invoice is paid on the pay page: one PaymentIntent per
 * amount owed, credited once however often the page reports it, and the workflow settles once.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { createManageToken } from '../../src/manage/tokens';
import { stateQuery } from '../../workflows/appointment/messages';
import {
  api,
  bookByPhone,
  eventually,
  freeSlots,
  serviceIdBySlug,
  startService,
  startSystem,
  type System,
} from '../support/system';

jest.setTimeout(120_000);

let system: System;
let auth: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Owner')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

type Fields = { error: { code: string; fields: Array<{ field: string; message: string }> } };

it('a card-required service books only after the SetupIntent succeeded; the card is saved and charged off-session once', async () => {
  const consultation = await serviceIdBySlug(system, 'consultation');
  const changed = await api(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    { cardAtBooking: 'required' },
    auth,
  );
  expect(changed.status).toBe(200);
  const listed = await api<{ services: Array<{ id: string; cardAtBooking: string }> }>(system, 'GET', '/api/services');
  expect(listed.body.services.find((s) => s.id === consultation)!.cardAtBooking).toBe('required');
  expect((await api(system, 'GET', '/api/payments/config')).body).toMatchObject({ gateway: 'simulated' });

  const slot = (await freeSlots(system, consultation, 3, 10))[0]!;
  const customer = { name: 'Riley Card', email: 'riley.card@example.com' };
  const booking = {
    serviceId: consultation,
    staffId: slot.staffId,
    startsAt: slot.startsAt,
    timeZone: 'America/New_York',
    customer,
  };
  const noCard = await api<Fields>(system, 'POST', '/api/bookings', booking);
  expect(noCard.status).toBe(422);
  expect(noCard.body.error.fields).toEqual([
    { field: 'setupIntentId', message: 'a card is required for this service' },
  ]);

  const setup = await api<{ setupIntentId: string; clientSecret: string }>(
    system,
    'POST',
    '/api/payments/setup-intents',
    { ...customer, requestKey: 'riley-booking-page-1' },
  );
  expect(setup.status).toBe(201);
  const same = await api<{ setupIntentId: string }>(system, 'POST', '/api/payments/setup-intents', {
    ...customer,
    requestKey: 'riley-booking-page-1',
  });
  expect(same.body.setupIntentId).toBe(setup.body.setupIntentId);
  const unconfirmed = await api<Fields>(system, 'POST', '/api/bookings', {
    ...booking,
    setupIntentId: setup.body.setupIntentId,
  });
  expect(unconfirmed.status).toBe(422);
  expect(unconfirmed.body.error.fields[0]!.field).toBe('setupIntentId');
  const declined = await api<Fields>(system, 'POST', '/api/payments/simulated/confirm', {
    intentId: setup.body.setupIntentId,
    paymentMethodId: 'pm_card_visa_chargeDeclined',
  });
  expect(declined.status).toBe(422);
  expect(declined.body.error.fields[0]).toEqual({ field: 'paymentMethodId', message: 'Your card was declined.' });
  const confirmed = await api(system, 'POST', '/api/payments/simulated/confirm', {
    intentId: setup.body.setupIntentId,
    paymentMethodId: 'pm_card_visa',
  });
  expect(confirmed.status).toBe(200);
  // Someone else's booking cannot use Riley's card.
  const other = await api<Fields>(system, 'POST', '/api/bookings', {
    ...booking,
    customer: { name: 'Mallory', email: 'mallory@example.com' },
    setupIntentId: setup.body.setupIntentId,
  });
  expect(other.status).toBe(422);
  expect(other.body.error.fields[0]!.message).toBe('This card setup belongs to someone else.');

  const booked = await api<{ appointment: { id: string; workflowId: string } }>(system, 'POST', '/api/bookings', {
    ...booking,
    setupIntentId: setup.body.setupIntentId,
  });
  expect(booked.status).toBe(201);
  const contact = await system.database.db
    .selectFrom('contacts')
    .select(['default_payment_method_id', 'stripe_customer_id', 'card_brand', 'card_last4'])
    .where('email', '=', customer.email)
    .executeTakeFirstOrThrow();
  expect(contact).toMatchObject({ default_payment_method_id: 'pm_card_visa', card_brand: 'visa', card_last4: '4242' });
  expect(contact.stripe_customer_id).toMatch(/^sim_cus_/);

  // After the visit: charged off-session once.
  const handle = await deliverVisit(booked.body.appointment.workflowId, booked.body.appointment.id);
  await eventually(async () => (await handle.query(stateQuery)).billing?.payment === 'paid');
  const attempts = await system.database.db
    .selectFrom('payment_attempts as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .select(['p.status', 'p.amount_minor'])
    .where('i.appointment_id', '=', booked.body.appointment.id)
    .execute();
  expect(attempts).toEqual([{ status: 'succeeded', amount_minor: 6_480 }]);
  await api(system, 'PATCH', `/api/admin/services/${consultation}`, { cardAtBooking: 'none' }, auth);
});

it('the customer pays an open invoice on the pay page; credited once, the workflow settles once', async () => {
  const consultation = await serviceIdBySlug(system, 'consultation');
  const slot = (await freeSlots(system, consultation, 3, 10))[1]!;
  const visit = await bookByPhone(system, auth, {
    serviceId: consultation,
    slot,
    customer: { name: 'Parker Pay', email: 'parker.pay@example.com' },
  });
  const handle = await deliverVisit(visit.workflowId, visit.id);
  await eventually(async () => (await handle.query(stateQuery)).billing?.payment === 'awaiting_payment');

  const token = await createManageToken(system.database.db, visit.id, new Date(Date.now() + 86_400_000));
  const page = await api<{ invoice: { balanceMinor: number; status: string } }>(
    system,
    'GET',
    `/api/manage/${token}/pay`,
  );
  expect(page.body.invoice).toMatchObject({ status: 'open', balanceMinor: 6_480 });
  const intent = await api<{ paymentIntentId: string; clientSecret: string; amountMinor: number }>(
    system,
    'POST',
    `/api/manage/${token}/pay`,
    {},
  );
  expect(intent).toMatchObject({ status: 201, body: { amountMinor: 6_480 } });
  const second = await api<{ paymentIntentId: string }>(system, 'POST', `/api/manage/${token}/pay`, {});
  expect(second.body.paymentIntentId).toBe(intent.body.paymentIntentId);
  const early = await api<Fields>(system, 'POST', `/api/manage/${token}/pay/complete`, {
    paymentIntentId: intent.body.paymentIntentId,
  });
  expect(early.status).toBe(422);
  expect(early.body.error.fields[0]!.field).toBe('paymentIntentId');

  await api(system, 'POST', '/api/payments/simulated/confirm', {
    intentId: intent.body.paymentIntentId,
    paymentMethodId: 'pm_card_visa',
  });
  const done = await api<{ status: string; invoice: { status: string; balanceMinor: number } }>(
    system,
    'POST',
    `/api/manage/${token}/pay/complete`,
    { paymentIntentId: intent.body.paymentIntentId },
  );
  expect(done.body).toMatchObject({ status: 'succeeded', invoice: { status: 'paid', balanceMinor: 0 } });
  const reported = await api(system, 'POST', `/api/manage/${token}/pay/complete`, {
    paymentIntentId: intent.body.paymentIntentId,
  });
  expect(reported.status).toBe(200);
  await eventually(async () => (await handle.query(stateQuery)).billing?.payment === 'paid');
  const payments = await system.database.db
    .selectFrom('invoice_payments as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .select(['p.method', 'p.amount_minor'])
    .where('i.appointment_id', '=', visit.id)
    .execute();
  expect(payments).toEqual([{ method: 'pay_link', amount_minor: 6_480 }]);
  const receipts = await eventually(async () =>
    system.database.db
      .selectFrom('messages')
      .select('channel')
      .where('appointment_id', '=', visit.id)
      .where('template', '=', 'receipt')
      .execute()
      .then((rows) => rows.length > 0 && rows),
  );
  expect(receipts).toHaveLength(1);
  expect((await api(system, 'POST', `/api/manage/${token}/pay`, {})).status).toBe(409);
});

it("an unproven caller booking with an existing contact's email never touches that contact's card or Stripe customer; its card pays that visit only", async () => {
  const consultation = await serviceIdBySlug(system, 'consultation');
  await api(system, 'PATCH', `/api/admin/services/${consultation}`, { cardAtBooking: 'required' }, auth);
  const email = 'quinn.onfile@example.com';
  const stored = {
    name: 'Quinn Onfile',
    email,
    phone: '+12025550188',
    stripe_customer_id: 'sim_cus_quinn_own',
    default_payment_method_id: 'pm_card_visa',
    card_brand: 'visa',
    card_last4: '4242',
  };
  await system.database.db.insertInto('contacts').values(stored).execute();

  // No remembered device of Quinn's: the SetupIntent is on a Stripe customer of its own.
  const setup = await api<{ setupIntentId: string }>(system, 'POST', '/api/payments/setup-intents', {
    name: 'Not Quinn',
    email,
    requestKey: 'unproven-caller-1',
  });
  expect(setup.status).toBe(201);
  const confirmed = await api(system, 'POST', '/api/payments/simulated/confirm', {
    intentId: setup.body.setupIntentId,
    // Saves fine, asks for the customer when charged later: tells which card the visit is charged on.
    paymentMethodId: 'pm_card_authenticationRequired',
  });
  expect(confirmed.status).toBe(200);
  const slot = (await freeSlots(system, consultation, 3, 10))[2]!;
  const booked = await api<{ appointment: { id: string; workflowId: string; contact: Record<string, unknown> } }>(
    system,
    'POST',
    '/api/bookings',
    {
      serviceId: consultation,
      staffId: slot.staffId,
      startsAt: slot.startsAt,
      timeZone: 'America/New_York',
      customer: { name: 'Not Quinn', email },
      setupIntentId: setup.body.setupIntentId,
    },
  );
  expect(booked.status).toBe(201);
  expect(JSON.stringify(booked.body)).not.toMatch(/4242|visa|sim_cus_quinn_own|\+12025550188|Quinn Onfile/);

  const contact = await system.database.db
    .selectFrom('contacts')
    .select(['name', 'phone', 'stripe_customer_id', 'default_payment_method_id', 'card_brand', 'card_last4'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  expect(contact).toEqual({
    name: stored.name,
    phone: stored.phone,
    stripe_customer_id: stored.stripe_customer_id,
    default_payment_method_id: stored.default_payment_method_id,
    card_brand: stored.card_brand,
    card_last4: stored.card_last4,
  });
  const visit = await system.database.db
    .selectFrom('appointments')
    .select(['booking_customer_id', 'booking_payment_method_id'])
    .where('id', '=', booked.body.appointment.id)
    .executeTakeFirstOrThrow();
  expect(visit.booking_payment_method_id).toBe('pm_card_authenticationRequired');
  expect(visit.booking_customer_id).toMatch(/^sim_cus_/);
  expect(visit.booking_customer_id).not.toBe(stored.stripe_customer_id);

  // After the visit the booking's card is charged, not Quinn's own (which would have succeeded).
  const handle = await deliverVisit(booked.body.appointment.workflowId, booked.body.appointment.id);
  await eventually(async () => (await handle.query(stateQuery)).billing?.payment === 'requires_action');
  const attempts = await system.database.db
    .selectFrom('payment_attempts as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .select(['p.status'])
    .where('i.appointment_id', '=', booked.body.appointment.id)
    .execute();
  expect(attempts).toEqual([{ status: 'requires_action' }]);
  await api(system, 'PATCH', `/api/admin/services/${consultation}`, { cardAtBooking: 'none' }, auth);
});

/** Starts the visit (days ahead, delivery is not yet due) and completes its deliver task; its workflow. */
async function deliverVisit(workflowId: string, appointmentId: string) {
  const handle = system.env.client.workflow.getHandle(workflowId);
  const task = await eventually(async () => (await handle.query(stateQuery)).tasks.deliver ?? undefined);
  await startService(system, auth, appointmentId);
  const delivered = await api(
    system,
    'POST',
    `/api/tasks/${task.taskId}/complete`,
    { form: { minutes: 30 }, channel: 'in_person' },
    auth,
  );
  expect(delivered.status).toBe(200);
  return handle;
}
