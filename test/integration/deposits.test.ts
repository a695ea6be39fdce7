/**
 * Deposits through HTTP (issue 13, item 2), on the simulated gateway: admins set a service's deposit
 * (refused naming the field when it cannot apply), the booking page lists it, a booking is made only
 * with a PaymentIntent that succeeded for that deposit (refused naming `paymentIntentId` when it has
 * not, is for another amount, or already booked), the deposit is on the ledger, the confirmation and
 * the manage page say so, a cancel in time refunds it once, a delivered visit charges the balance, and
 * a late cancel keeps it against the fee (the fee less the deposit charged).
 */
import { createApiKey } from '../../src/auth/api-keys';
import { stateQuery } from '../../workflows/appointment/messages';
import { api, eventually, freeSlots, serviceIdBySlug, startService, startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

let system: System;
let auth: Record<string, string>;
let consultation: string;
beforeAll(async () => {
  system = await startSystem();
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Owner')).key}` };
  consultation = await serviceIdBySlug(system, 'consultation');
});
afterAll(async () => {
  await system?.stop();
});

type Fields = { error: { code: string; fields: Array<{ field: string; message: string }> } };
type Booked = { appointment: { id: string; workflowId: string }; manageUrl: string };

/** The page's steps: a PaymentIntent for the deposit, then the labelled test card confirms it. */
async function payDeposit(customer: { name: string; email: string }, requestKey: string, confirm = true) {
  const intent = await api<{ paymentIntentId: string; amountMinor: number; currency: string; savesCard: boolean }>(
    system,
    'POST',
    '/api/payments/deposit-intents',
    { ...customer, serviceId: consultation, requestKey },
  );
  expect(intent.status).toBe(201);
  if (confirm) {
    const paid = await api(system, 'POST', '/api/payments/simulated/confirm', {
      intentId: intent.body.paymentIntentId,
      paymentMethodId: 'pm_card_visa',
    });
    expect(paid.status).toBe(200);
  }
  return intent.body;
}

const book = (customer: { name: string; email: string }, slot: { staffId: string; startsAt: string }, extra = {}) =>
  api<Booked & Fields>(system, 'POST', '/api/bookings', {
    serviceId: consultation,
    staffId: slot.staffId,
    startsAt: slot.startsAt,
    timeZone: 'America/New_York',
    customer,
    ...extra,
  });

const ledger = (appointmentId: string) =>
  system.database.db
    .selectFrom('invoice_payments as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .select(['p.method', 'p.amount_minor', 'p.provider_payment_id', 'i.status', 'i.id as invoice_id'])
    .where('i.appointment_id', '=', appointmentId)
    .orderBy('p.received_at')
    .execute();

it('admins set a deposit; one the price cannot carry is refused naming the field', async () => {
  const tooMuch = await api<Fields>(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    { depositPolicy: { kind: 'fixed', amountMinor: 999_00 } },
    auth,
  );
  expect(tooMuch.status).toBe(422);
  expect(tooMuch.body.error.fields).toEqual([
    { field: 'depositPolicy.amountMinor', message: 'must be at most the price (6000 minor units)' },
  ]);
  const badPercent = await api<Fields>(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    { depositPolicy: { kind: 'percent', percent: 0 } },
    auth,
  );
  expect(badPercent.status).toBe(400);
  expect(badPercent.body.error.fields).toEqual([
    { field: 'depositPolicy.percent', message: 'must be at least 1 percent' },
  ]);
  const set = await api<{ service: { depositPolicy: unknown } }>(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    { depositPolicy: { kind: 'percent', percent: 25 } },
    auth,
  );
  expect(set.status).toBe(200);
  expect(set.body.service.depositPolicy).toEqual({ kind: 'percent', percent: 25 });
  const listed = await api<{ services: Array<{ id: string; deposit: unknown }> }>(system, 'GET', '/api/services');
  expect(listed.body.services.find((s) => s.id === consultation)!.deposit).toEqual({
    amountMinor: 1500,
    currency: 'USD',
    policy: { kind: 'percent', percent: 25 },
  });
});

it('no booking without a paid deposit: missing, unpaid, another amount, or used twice — each a 4xx naming paymentIntentId', async () => {
  const customer = { name: 'Dana Deposit', email: 'dana.deposit@example.com' };
  const [slot, other] = await freeSlots(system, consultation, 3, 10);

  const missing = await book(customer, slot!);
  expect(missing.status).toBe(422);
  expect(missing.body.error.fields).toEqual([
    { field: 'paymentIntentId', message: 'This service takes a deposit of $15.00 at booking; please pay it first.' },
  ]);

  const unpaid = await payDeposit(customer, 'dana-unpaid-1', false);
  expect(unpaid).toMatchObject({ amountMinor: 1500, currency: 'USD', savesCard: false });
  const notPaid = await book(customer, slot!, { paymentIntentId: unpaid.paymentIntentId });
  expect(notPaid.status).toBe(422);
  expect(notPaid.body.error.fields[0]).toMatchObject({
    field: 'paymentIntentId',
    message: expect.stringMatching(/not been paid/),
  });

  // Paid for 25%, then the business changes the deposit: the payment is not what the service asks now.
  const paid = await payDeposit(customer, 'dana-paid-1');
  await api(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    { depositPolicy: { kind: 'percent', percent: 30 } },
    auth,
  );
  const wrongAmount = await book(customer, slot!, { paymentIntentId: paid.paymentIntentId });
  expect(wrongAmount.status).toBe(422);
  expect(wrongAmount.body.error.fields[0]).toMatchObject({
    field: 'paymentIntentId',
    message: expect.stringMatching(/not the deposit this service asks for/),
  });
  await api(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    { depositPolicy: { kind: 'percent', percent: 25 } },
    auth,
  );

  // Someone else's deposit is refused too.
  const stranger = await book({ name: 'Eve', email: 'eve@example.com' }, slot!, {
    paymentIntentId: paid.paymentIntentId,
  });
  expect(stranger.status).toBe(422);
  expect(stranger.body.error.fields[0]!.field).toBe('paymentIntentId');

  const booked = await book(customer, slot!, { paymentIntentId: paid.paymentIntentId });
  expect(booked.status).toBe(201);
  expect(await ledger(booked.body.appointment.id)).toEqual([
    expect.objectContaining({
      method: 'deposit',
      amount_minor: 1500,
      provider_payment_id: paid.paymentIntentId,
      status: 'draft',
    }),
  ]);

  const reused = await book(customer, other!, { paymentIntentId: paid.paymentIntentId });
  expect(reused.status).toBe(409);
  expect(reused.body.error).toMatchObject({
    code: 'deposit_used',
    fields: [{ field: 'paymentIntentId', message: expect.any(String) }],
  });
});

it('the confirmation and manage page state the deposit; a cancel in time refunds it once and says so', async () => {
  const customer = { name: 'Rae Refund', email: 'rae.refund@example.com' };
  const slot = (await freeSlots(system, consultation, 3, 10))[3]!;
  const paid = await payDeposit(customer, 'rae-refund-1');
  const booked = await book(customer, slot, { paymentIntentId: paid.paymentIntentId });
  expect(booked.status).toBe(201);
  const { id, workflowId } = booked.body.appointment;
  const token = booked.body.manageUrl.split('/manage/')[1]!;

  const message = (template: string) =>
    eventually(async () =>
      system.database.db
        .selectFrom('messages')
        .select('body')
        .where('appointment_id', '=', id)
        .where('template', '=', template)
        .where('channel', '=', 'email')
        .executeTakeFirst(),
    );
  expect((await message('confirmation')).body).toMatch(
    /Deposit paid: \$15\.00\..*the rest \(\$45\.00\) is charged after your visit/s,
  );
  const page = await api<{ deposit: Record<string, unknown> }>(system, 'GET', `/api/manage/${token}`);
  expect(page.body.deposit).toMatchObject({ amountMinor: 1500, currency: 'USD', status: 'held', refundedMinor: 0 });

  const cancelled = await api(system, 'POST', `/api/manage/${token}/cancel`, { reason: 'plans changed' });
  expect(cancelled.status).toBe(200);
  const handle = system.env.client.workflow.getHandle(workflowId);
  await eventually(async () => (await handle.query(stateQuery)).deposit?.settled === true);
  const refunds = await system.database.db
    .selectFrom('invoice_refunds')
    .select(['amount_minor', 'status', 'idempotency_key'])
    .where('invoice_id', '=', (await ledger(id))[0]!.invoice_id)
    .execute();
  expect(refunds).toEqual([
    expect.objectContaining({
      amount_minor: 1500,
      status: 'succeeded',
      idempotency_key: expect.stringContaining(`${workflowId}:deposit:refund`),
    }),
  ]);
  expect((await ledger(id))[0]!.status).toBe('void');
  expect((await message('cancelled')).body).toMatch(/Your deposit of \$15\.00 is refunded to your card/);
  const timeline = await system.database.db
    .selectFrom('timeline_events')
    .select('kind')
    .where('appointment_id', '=', id)
    .execute();
  expect(timeline.map((t) => t.kind)).toEqual(
    expect.arrayContaining(['payment:deposit', 'payment:refunded', 'invoice:void']),
  );
  // The manage link ends with the cancel; the appointment card shows what became of the deposit.
  const card = await api<{ deposit: Record<string, unknown> }>(
    system,
    'GET',
    `/api/appointments/${id}`,
    undefined,
    auth,
  );
  expect(card.body.deposit).toMatchObject({ amountMinor: 1500, status: 'refunded', refundedMinor: 1500 });
});

it('delivered: the deposit is credited on the invoice and only the balance is charged, once', async () => {
  await api(system, 'PATCH', `/api/admin/services/${consultation}`, { cardAtBooking: 'required' }, auth);
  const customer = { name: 'Bo Balance', email: 'bo.balance@example.com' };
  const slot = (await freeSlots(system, consultation, 3, 10))[5]!;
  const paid = await payDeposit(customer, 'bo-balance-1');
  expect(paid.savesCard).toBe(true); // the deposit's card is the card on file: no second form
  const booked = await book(customer, slot, { paymentIntentId: paid.paymentIntentId });
  expect(booked.status).toBe(201);
  const { id, workflowId } = booked.body.appointment;
  const contact = await system.database.db
    .selectFrom('contacts')
    .select(['default_payment_method_id'])
    .where('email', '=', customer.email)
    .executeTakeFirstOrThrow();
  expect(contact.default_payment_method_id).toBe('pm_card_visa');

  const handle = system.env.client.workflow.getHandle(workflowId);
  const task = await eventually(async () => (await handle.query(stateQuery)).tasks.deliver ?? undefined);
  await startService(system, auth, id);
  const delivered = await api(
    system,
    'POST',
    `/api/tasks/${task.taskId}/complete`,
    { form: { minutes: 30 }, channel: 'in_person' },
    auth,
  );
  expect(delivered.status).toBe(200);
  await eventually(async () => (await handle.query(stateQuery)).billing?.payment === 'paid');
  const invoice = await api<{
    invoice: {
      totalMinor: number;
      balanceMinor: number;
      status: string;
      payments: Array<{ method: string; amountMinor: number }>;
    };
  }>(system, 'GET', `/api/appointments/${id}/invoice`, undefined, auth);
  const { totalMinor } = invoice.body.invoice;
  expect(invoice.body.invoice).toMatchObject({ status: 'paid', balanceMinor: 0 });
  expect(invoice.body.invoice.payments.map((p) => [p.method, p.amountMinor])).toEqual([
    ['deposit', 1500],
    ['card', totalMinor - 1500],
  ]);
  const attempts = await system.database.db
    .selectFrom('payment_attempts')
    .select(['amount_minor', 'status'])
    .where('idempotency_key', 'like', `${workflowId}:%`)
    .execute();
  expect(attempts).toEqual([{ amount_minor: totalMinor - 1500, status: 'succeeded' }]);
  // The receipt names the deposit credited on the invoice.
  const receipt = await eventually(async () =>
    system.database.db
      .selectFrom('messages')
      .select('body')
      .where('appointment_id', '=', id)
      .where('template', '=', 'receipt')
      .where('channel', '=', 'email')
      .executeTakeFirst(),
  );
  expect(receipt.body).toMatch(/Of which the deposit paid at booking:?\s+\$15\.00/);
});

it("a customer's late cancel keeps the deposit against the fee: only the fee less the deposit is charged", async () => {
  await api(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    // 30 days: a booking a few days ahead is inside the window whatever the day the test runs.
    {
      cancellationPolicy: {
        lateCancelHours: 720,
        lateCancelFee: { kind: 'fixed', amountMinor: 2500 },
        noShowFee: null,
      },
    },
    auth,
  );
  const customer = { name: 'Lee Late', email: 'lee.late@example.com' };
  const slot = (await freeSlots(system, consultation, 3, 10))[7]!;
  const paid = await payDeposit(customer, 'lee-late-1');
  const booked = await book(customer, slot, { paymentIntentId: paid.paymentIntentId });
  expect(booked.status).toBe(201);
  const { id, workflowId } = booked.body.appointment;
  const token = booked.body.manageUrl.split('/manage/')[1]!;
  expect((await api(system, 'POST', `/api/manage/${token}/cancel`, { reason: 'cannot make it' })).status).toBe(200);
  const handle = system.env.client.workflow.getHandle(workflowId);
  const state = await eventually(async () => {
    const s = await handle.query(stateQuery);
    return s.billing?.payment === 'paid' ? s : undefined;
  });
  expect(state.cancellationFee).toEqual({ kind: 'late_cancel', amountMinor: 2500 });
  expect(state.deposit).toEqual({ refundMinor: 0, keptMinor: 1500, settled: true });
  const payments = await ledger(id);
  expect(payments.map((p) => [p.method, Number(p.amount_minor)])).toEqual([
    ['deposit', 1500],
    ['card', 1000],
  ]);
  expect(payments[0]!.status).toBe('paid');
  const refunds = await system.database.db
    .selectFrom('invoice_refunds')
    .select('id')
    .where('invoice_id', '=', payments[0]!.invoice_id)
    .execute();
  expect(refunds).toEqual([]);
});
