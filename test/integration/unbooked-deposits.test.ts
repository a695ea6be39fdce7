/**
 * Deposits paid but never used for a booking (issue 13): through HTTP (the booking page's deposit
 * PaymentIntent, paid with the simulated gateway's test card, never booked), then the sweep's workflow
 * on the test's Temporal server with a "now" relative to the deposit's own creation time (never the
 * wall clock): refunded once even when two sweeps run at once, the customer emailed, the deposit no
 * longer books; a deposit never paid is cancelled, not refunded; a claimed one is never refunded; a
 * taken time lets the customer book another with the same deposit; a refund the provider refuses
 * opens a staff task (GET /api/tasks), from the sweep and from the cancellation policy.
 */
import { randomUUID } from 'node:crypto';
import { createApiKey } from '../../src/auth/api-keys';
import type { RefundRequest, RefundResult } from '../../src/payments/gateway';
import { SimulatedGateway } from '../../src/payments/simulated-gateway';
import { ensureUnbookedDepositSchedule } from '../../src/payments/unbooked-deposit-schedule';
import { stateQuery } from '../../workflows/appointment/messages';
import { type UnbookedDepositsResult, unbookedDepositsScheduleId } from '../../workflows/unbooked-deposits/messages';
import type { unbookedDepositsWorkflow } from '../../workflows/unbooked-deposits/workflow';
import { api, eventually, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

/** The simulated gateway, remembering every refund asked of it. */
class RecordingGateway extends SimulatedGateway {
  readonly refundCalls: Array<{ request: RefundRequest; result: RefundResult }> = [];
  override async refund(request: RefundRequest): Promise<RefundResult> {
    const result = await super.refund(request);
    this.refundCalls.push({ request, result });
    return result;
  }
  refundsOf(paymentIntentId: string) {
    return this.refundCalls.filter((c) => c.request.paymentId === paymentIntentId);
  }
}

const gateway = new RecordingGateway();
let system: System;
let auth: Record<string, string>;
let consultation: string;
beforeAll(async () => {
  // No schedule: the test starts the sweep itself, with its own "now".
  system = await startSystem({ UNBOOKED_DEPOSIT_SWEEP_MINUTES: '0' }, { payments: gateway });
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Owner')).key}` };
  consultation = await serviceIdBySlug(system, 'consultation');
  const set = await api(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    { depositPolicy: { kind: 'fixed', amountMinor: 1500 } },
    auth,
  );
  expect(set.status).toBe(200);
});
afterAll(async () => {
  await system?.stop();
});

type Fields = { error: { code: string; fields: Array<{ field: string; message: string }> } };

async function payDeposit(customer: { name: string; email: string }, card: string | null = 'pm_card_visa') {
  const intent = await api<{ paymentIntentId: string }>(system, 'POST', '/api/payments/deposit-intents', {
    ...customer,
    serviceId: consultation,
    requestKey: `page-${randomUUID()}`,
  });
  expect(intent.status).toBe(201);
  if (card) {
    const paid = await api(system, 'POST', '/api/payments/simulated/confirm', {
      intentId: intent.body.paymentIntentId,
      paymentMethodId: card,
    });
    expect(paid.status).toBe(200);
  }
  return intent.body.paymentIntentId;
}

const book = (customer: { name: string; email: string }, slot: { staffId: string; startsAt: string }, pi: string) =>
  api<{ appointment: { id: string; workflowId: string }; manageUrl: string } & Fields>(
    system,
    'POST',
    '/api/bookings',
    {
      serviceId: consultation,
      staffId: slot.staffId,
      startsAt: slot.startsAt,
      timeZone: 'America/New_York',
      customer,
      paymentIntentId: pi,
    },
  );

const record = (pi: string) =>
  system.database.db
    .selectFrom('deposit_intents')
    .selectAll()
    .where('provider_payment_id', '=', pi)
    .executeTakeFirstOrThrow();

/** "now" for the sweep: `offsetMs` after the grace of the deposit's own creation. */
async function afterGrace(pi: string, offsetMs: number): Promise<number> {
  return (await record(pi)).created_at.getTime() + system.config.unbookedDeposits.graceMs + offsetMs;
}

async function sweep(now: number): Promise<UnbookedDepositsResult> {
  return system.env.client.workflow.execute<typeof unbookedDepositsWorkflow>('unbookedDepositsWorkflow', {
    taskQueue: system.config.temporal.taskQueue,
    workflowId: `unbooked-deposits-test-${randomUUID()}`,
    args: [{ graceMs: system.config.unbookedDeposits.graceMs, now }],
  });
}

const emails = (recipient: string) =>
  system.database.db
    .selectFrom('messages')
    .select(['subject', 'body', 'status', 'provider'])
    .where('recipient', '=', recipient)
    .where('template', '=', 'depositRefundedUnbooked')
    .execute();

const openTasks = async () =>
  (
    await api<{ tasks: Array<{ id: string; title: string; kind: string; appointment_id: string | null }> }>(
      system,
      'GET',
      '/api/tasks?status=open',
      undefined,
      auth,
    )
  ).body.tasks;

it('a deposit paid and never booked is refunded once after the grace, even by two sweeps at once, and the customer is told', async () => {
  const customer = { name: 'Uma Unbooked', email: 'uma.unbooked@example.com' };
  const pi = await payDeposit(customer);
  const unpaid = await payDeposit({ name: 'Ned Neverpaid', email: 'ned.neverpaid@example.com' }, null);
  expect((await record(pi)).state).toBe('open');

  // Within the grace (the customer may still be on the page): nothing happens.
  await sweep(await afterGrace(pi, -60_000));
  expect((await record(pi)).state).toBe('open');
  expect(gateway.refundsOf(pi)).toEqual([]);

  const now = Math.max(await afterGrace(pi, 60_000), await afterGrace(unpaid, 60_000));
  const [first, second] = await Promise.all([sweep(now), sweep(now)]);
  expect(first.counts.refunded + second.counts.refunded).toBeGreaterThanOrEqual(1);
  await sweep(now); // and once more, later

  const refunds = gateway.refundsOf(pi);
  expect(refunds.length).toBeGreaterThanOrEqual(1); // two sweeps may both ask: the same key, the same refund
  expect(new Set(refunds.map((r) => r.request.idempotencyKey))).toEqual(new Set([`deposit:${pi}:unbooked`]));
  expect(new Set(refunds.map((r) => r.result.refundId)).size).toBe(1);
  expect(refunds[0]!.request.amountMinor).toBe(1500);
  expect(await record(pi)).toMatchObject({ state: 'refunded', provider_refund_id: refunds[0]!.result.refundId });

  const sent = await emails(customer.email);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({
    subject: 'Your deposit of $15.00 has been refunded',
    status: 'sent',
    provider: 'outbox',
  });
  expect(sent[0]!.body).toMatch(/deposit of \$15\.00 for Consultation/);
  expect(sent[0]!.body).toMatch(/the booking was not completed/);
  expect(sent[0]!.body).toMatch(/within 5 to 10 business days/);

  // Never paid: cancelled at the gateway, not refunded; the page's card form can no longer pay it.
  expect((await record(unpaid)).state).toBe('abandoned');
  expect(gateway.refundsOf(unpaid)).toEqual([]);
  expect((await gateway.retrievePaymentIntent(unpaid)).status).toBe('canceled');
  const late = await api(system, 'POST', '/api/payments/simulated/confirm', {
    intentId: unpaid,
    paymentMethodId: 'pm_card_visa',
  });
  expect(late.status).toBe(422);

  // The refunded deposit no longer books.
  const [slot] = await freeSlots(system, consultation, 3, 10);
  const refused = await book(customer, slot!, pi);
  expect(refused.status).toBe(422);
  expect(refused.body.error.fields[0]).toMatchObject({
    field: 'paymentIntentId',
    message: expect.stringMatching(/refunded because no booking was completed/),
  });
});

it('a deposit used for a booking is never refunded by the sweep', async () => {
  const customer = { name: 'Cora Claimed', email: 'cora.claimed@example.com' };
  const pi = await payDeposit(customer);
  const slot = (await freeSlots(system, consultation, 3, 10))[2]!;
  const booked = await book(customer, slot, pi);
  expect(booked.status).toBe(201);
  expect(await record(pi)).toMatchObject({ state: 'booked', appointment_id: booked.body.appointment.id });

  await sweep(await afterGrace(pi, 24 * 3_600_000));
  expect((await record(pi)).state).toBe('booked');
  expect(gateway.refundsOf(pi)).toEqual([]);
  expect(await emails(customer.email)).toEqual([]);
});

it('a time taken while paying: the customer books one of the times offered instead, with the same deposit', async () => {
  const taken = (await freeSlots(system, consultation, 3, 10))[4]!;
  const first = { name: 'Fay First', email: 'fay.first@example.com' };
  expect((await book(first, taken, await payDeposit(first))).status).toBe(201);

  const customer = { name: 'Sid Second', email: 'sid.second@example.com' };
  const pi = await payDeposit(customer);
  const conflict = await api<{
    error: { code: string; nextSlots: Array<{ staffId: string; startsAt: string }> };
  }>(system, 'POST', '/api/bookings', {
    serviceId: consultation,
    staffId: taken.staffId,
    startsAt: taken.startsAt,
    timeZone: 'America/New_York',
    customer,
    paymentIntentId: pi,
  });
  expect(conflict.status).toBe(409);
  expect(conflict.body.error.code).toBe('slot_unavailable');
  expect((await record(pi)).state).toBe('open'); // the failed booking's claim rolled back with it
  const offered = conflict.body.error.nextSlots[0]!;
  const again = await book(customer, offered, pi);
  expect(again.status).toBe(201);
  expect((await record(pi)).state).toBe('booked');
});

it('a refund the provider refuses opens a staff task naming the customer, amount and reason (sweep and cancellation policy)', async () => {
  const customer = { name: 'Rex Refused', email: 'rex.refused@example.com' };
  const pi = await payDeposit(customer, 'pm_card_refundFail');
  await sweep(await afterGrace(pi, 60_000));
  await sweep(await afterGrace(pi, 120_000));
  expect(await record(pi)).toMatchObject({ state: 'refund_failed', error: 'expired_or_canceled_card' });
  expect(await emails(customer.email)).toEqual([]);
  const tasks = (await openTasks()).filter((t) => t.title.includes(customer.email));
  expect(tasks).toHaveLength(1);
  expect(tasks[0]).toMatchObject({ kind: 'payment_follow_up', appointment_id: null });
  expect(tasks[0]!.title).toMatch(/Refund failed: \$15\.00 to Rex Refused \(rex\.refused@example\.com\)/);
  expect(tasks[0]!.title).toMatch(/The payment provider said: expired_or_canceled_card/);
  expect(tasks[0]!.title).toContain(pi);

  // The cancellation policy's refund of a booked deposit: the same task, on the appointment.
  const booker = { name: 'Tia Tasked', email: 'tia.tasked@example.com' };
  const slot = (await freeSlots(system, consultation, 3, 10))[7]!;
  const booked = await book(booker, slot, await payDeposit(booker, 'pm_card_refundFail'));
  expect(booked.status).toBe(201);
  const token = booked.body.manageUrl.split('/manage/')[1]!;
  expect((await api(system, 'POST', `/api/manage/${token}/cancel`, { reason: 'plans changed' })).status).toBe(200);
  const handle = system.env.client.workflow.getHandle(booked.body.appointment.workflowId);
  await eventually(async () => (await handle.query(stateQuery)).deposit?.settled === true);
  const onVisit = (await openTasks()).filter((t) => t.appointment_id === booked.body.appointment.id);
  expect(onVisit).toHaveLength(1);
  expect(onVisit[0]!.title).toMatch(/Refund failed: \$15\.00 to Tia Tasked \(tia\.tasked@example\.com\)/);
  expect(onVisit[0]!.title).toMatch(/expired_or_canceled_card/);
  expect(onVisit[0]!.title).toMatch(/Refund it again from invoice/);

  // Refunded another way, staff mark both done: no workflow waits on them, so they close at once.
  for (const task of [tasks[0]!, onVisit[0]!]) {
    const done = await api<{ task: { status: string; completed_by: string } }>(
      system,
      'POST',
      `/api/tasks/${task.id}/complete`,
      { form: { notes: 'refunded by bank transfer' }, channel: 'admin' },
      auth,
    );
    expect(done.status).toBe(200);
    expect(done.body.task).toMatchObject({ status: 'done', completed_by: 'Owner' });
  }
  const left = await openTasks();
  expect(left.map((t) => t.id)).not.toContain(tasks[0]!.id);
  expect(left.map((t) => t.id)).not.toContain(onVisit[0]!.id);
});

it('a Temporal Schedule starts the sweep every UNBOOKED_DEPOSIT_SWEEP_MINUTES with the configured grace; 0 removes it', async () => {
  const config = {
    ...system.config,
    unbookedDeposits: { graceMs: 3 * 3_600_000, sweepMinutes: 15 },
  };
  const deps = { client: system.env.client, config };
  expect(await ensureUnbookedDepositSchedule(deps)).toBe('created');
  expect(await ensureUnbookedDepositSchedule(deps)).toBe('updated');
  const handle = system.env.client.schedule.getHandle(unbookedDepositsScheduleId(config.temporal.taskQueue));
  const described = await handle.describe();
  expect(described.spec.intervals?.map((i) => i.every)).toEqual([15 * 60_000]);
  expect(described.action).toMatchObject({
    type: 'startWorkflow',
    workflowType: 'unbookedDepositsWorkflow',
    args: [{ graceMs: 3 * 3_600_000 }],
  });
  expect(
    await ensureUnbookedDepositSchedule({
      ...deps,
      config: { ...config, unbookedDeposits: { graceMs: 1, sweepMinutes: 0 } },
    }),
  ).toBe('removed');
});
