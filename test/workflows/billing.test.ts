/**
 * Billing in the appointment workflow (patch appointment-billing-v1), under time skipping: the
 * deliver task opens at booking, close-out flags it overdue instead of closing silently, completing it
 * with the billable minutes opens the invoice, then the charge follows the service's policy (auto, or
 * a manual charge task whose assignee may adjust the amount), a receipt and Paid Won on success, the
 * dunning schedule on declines, and a staff task when every attempt failed.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/domain/time';
import { type Actor, cardUpdatedSignal, completeTaskUpdate, stateQuery } from '../../workflows/appointment/messages';
import { type FakeWorld, fakeWorld, snapshotAt } from '../support/fake-activities';
import { type AppointmentHandle, runAppointment } from '../support/run-appointment';
import { timeSkippingEnv } from '../support/temporal';
import { untilState } from '../support/workflow-state';

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const technician: Actor = { kind: 'technician', name: 'Jordan Patel' };
const owner: Actor = { kind: 'staff', name: 'Avery Chen' };
type Handle = AppointmentHandle;

async function withBilledAppointment(
  policy: 'auto' | 'manual',
  body: (handle: Handle, world: FakeWorld, startsAt: number) => Promise<void>,
  setup: (world: FakeWorld) => void = () => undefined,
): Promise<FakeWorld> {
  const startsAt = (await env.currentTimeMs()) + 72 * HOUR_MS;
  const snapshot = snapshotAt(startsAt, { billing: { policy, incrementMinutes: 15 } });
  const world = fakeWorld(snapshot);
  setup(world);
  await runAppointment(env, snapshot, world, { actor: owner, channel: 'phone' }, (handle) =>
    body(handle, world, startsAt),
  );
  return world;
}

/** Polls the state query: activities run in real time between the simulated jumps. */

const deliver = (handle: Handle, minutes: number) =>
  handle.executeUpdate(completeTaskUpdate, {
    args: [
      {
        taskId: 'task-deliver_service',
        form: { minutes, notes: 'Replaced the valve' },
        actor: technician,
        channel: 'in_person',
      },
    ],
  });

const billingEvents = (world: FakeWorld) =>
  world
    .messages()
    .map((m) => m.event)
    .filter((e) =>
      [
        'staffDeliverOverdue',
        'staffChargeTask',
        'receipt',
        'feedbackRequest',
        'paymentDeclined',
        'paymentActionRequired',
        'staffPaymentFailed',
      ].includes(e),
    );

describe('billing', () => {
  it('auto: deliver task at booking, overdue at close-out (no silent close), hours → charge → receipt → Paid Won → feedback', async () => {
    await withBilledAppointment('auto', async (handle, world, startsAt) => {
      const booked = await untilState(handle, (s) => s.tasks.deliver !== null);
      expect(booked.tasks.deliver).toEqual({ taskId: 'task-deliver_service', status: 'open', overdue: false });
      expect(world.calls.find((c) => c.name === 'createTask')?.input).toMatchObject({
        kind: 'deliver_service',
        assigneeStaffId: 's1',
        dueAt: startsAt,
      });

      await env.sleep(72 * HOUR_MS + 60 * MINUTE_MS + 2 * HOUR_MS + MINUTE_MS); // past close-out
      const overdue = await handle.query(stateQuery);
      expect(overdue.appointment.status).toBe('scheduled');
      expect(overdue.tasks.deliver?.overdue).toBe(true);
      expect(billingEvents(world)).toEqual(['staffDeliverOverdue']);

      const invalid = deliver(handle, 50);
      await expect(invalid).rejects.toMatchObject({ cause: { message: 'minutes must be a multiple of 15 minutes' } });

      const done = await deliver(handle, 75);
      expect(done.tasks.deliver?.status).toBe('done');
      expect(done.billing?.invoice).toMatchObject({ number: 1001 });
      // Completing the same task again is answered with the current result, not done twice.
      await deliver(handle, 90);
      expect(world.calls.filter((c) => c.name === 'completeDeliverTask')).toHaveLength(1);

      const final = await handle.result();
      expect(final.billing).toMatchObject({ payment: 'paid', attempts: 1 });
      expect(world.calls.find((c) => c.name === 'setStage' && c.input.stage === 'Paid Won')).toBeDefined();
      expect(billingEvents(world)).toEqual(['staffDeliverOverdue', 'receipt', 'feedbackRequest']);
      const receiptAt = world.messages().find((m) => m.event === 'receipt')!.at;
      const feedbackAt = world.messages().find((m) => m.event === 'feedbackRequest')!.at;
      expect(Math.abs(feedbackAt - receiptAt - 3 * HOUR_MS)).toBeLessThan(10_000);
    });
  });

  it('manual: a charge task for the billing owner with the hours; the assignee adjusts the amount and confirms', async () => {
    await withBilledAppointment('manual', async (handle, world) => {
      await env.sleep(72 * HOUR_MS + 30 * MINUTE_MS);
      await deliver(handle, 60);
      const waiting = await untilState(handle, (state) => state.tasks.charge !== null);
      expect(waiting.billing?.payment).toBe('awaiting_confirmation');
      expect(waiting.tasks.charge).toEqual({ taskId: 'task-charge_customer', status: 'open', overdue: false });
      expect(
        world.calls.find((c) => c.name === 'createTask' && c.input.kind === 'charge_customer')?.input,
      ).toMatchObject({ assignToBillingOwner: true });
      expect(world.calls.some((c) => c.name === 'chargeInvoice')).toBe(false);

      const confirmed = await handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: 'task-charge_customer', form: { amountMinor: 8500 }, actor: owner, channel: 'admin' }],
      });
      expect(confirmed.billing?.invoice?.totalMinor).toBe(8500);
      const final = await handle.result();
      expect(final.billing?.payment).toBe('paid');
      expect(world.calls.find((c) => c.name === 'confirmCharge')?.input).toMatchObject({ amountMinor: 8500 });
      expect(billingEvents(world)).toEqual(['staffChargeTask', 'receipt', 'feedbackRequest']);
    });
  });

  it('manual policy, zero-total invoice (membership visit): settled without a charge task → receipt → Paid Won', async () => {
    await withBilledAppointment(
      'manual',
      async (handle, world) => {
        await env.sleep(72 * HOUR_MS + 30 * MINUTE_MS);
        const done = await deliver(handle, 60);
        expect(done.billing?.invoice?.totalMinor).toBe(0);
        expect(done.billing?.payment).not.toBe('awaiting_confirmation');
        const final = await handle.result();
        expect(final.billing).toMatchObject({ payment: 'paid', attempts: 1 });
        expect(final.tasks.charge).toBeNull();
        expect(world.calls.some((c) => c.name === 'createTask' && c.input.kind === 'charge_customer')).toBe(false);
        expect(world.calls.some((c) => c.name === 'confirmCharge')).toBe(false);
        expect(world.payments.size).toBe(0); // nothing went to the gateway
        expect(world.calls.find((c) => c.name === 'setStage' && c.input.stage === 'Paid Won')).toBeDefined();
        expect(billingEvents(world)).toEqual(['receipt', 'feedbackRequest']);
      },
      (world) => {
        world.zeroInvoice.value = true;
      },
    );
  });

  it('decline → declined-card notice → the customer updates the card → the retry succeeds at once', async () => {
    await withBilledAppointment(
      'auto',
      async (handle, world) => {
        await env.sleep(72 * HOUR_MS + 30 * MINUTE_MS);
        await deliver(handle, 60);
        await env.sleep(HOUR_MS); // well before the day-1 retry
        const declined = await untilState(handle, (state) => state.billing?.payment === 'declined');
        expect(declined.billing).toMatchObject({ payment: 'declined', attempts: 1 });
        const updatedAt = await env.currentTimeMs();
        await handle.signal(cardUpdatedSignal, { source: 'manage_link' });
        const final = await handle.result();
        expect(final.billing).toMatchObject({ payment: 'paid', attempts: 2 });
        const charges = world.calls.filter((c) => c.name === 'chargeInvoice');
        expect(charges.map((c) => c.input.idempotencyKey)).toEqual([
          expect.stringMatching(/:charge:1$/),
          expect.stringMatching(/:charge:2$/),
        ]);
        expect(charges[1]!.at - updatedAt).toBeLessThan(10_000);
        expect(billingEvents(world)).toEqual(['paymentDeclined', 'receipt', 'feedbackRequest']);
      },
      (world) => world.chargeOutcomes.push('declined'),
    );
  });

  it('declines on every retry of the schedule (days 1, 3, 7) → a staff follow-up task and alert', async () => {
    await withBilledAppointment(
      'auto',
      async (handle, world) => {
        await env.sleep(72 * HOUR_MS + 30 * MINUTE_MS);
        const deliveredAt = await env.currentTimeMs();
        await deliver(handle, 60);
        const final = await handle.result();
        expect(final.billing).toMatchObject({ payment: 'failed', attempts: 4 });
        const attempts = world.calls.filter((c) => c.name === 'chargeInvoice').map((c) => c.at - deliveredAt);
        const days = [0, 1, 4, 11]; // immediately, then 1, 3 and 7 days after each decline
        attempts.forEach((elapsed, i) => expect(Math.abs(elapsed - days[i]! * DAY_MS)).toBeLessThan(10_000));
        expect(world.calls.find((c) => c.name === 'createTask' && c.input.kind === 'payment_follow_up')).toBeDefined();
        expect(billingEvents(world)).toEqual([
          'paymentDeclined',
          'paymentDeclined',
          'paymentActionRequired',
          'staffPaymentFailed',
        ]);
        expect(world.calls.some((c) => c.name === 'setStage' && c.input.stage === 'Paid Won')).toBe(false);
      },
      (world) => world.chargeOutcomes.push('declined', 'declined', 'requires_action', 'declined'),
    );
  });

  it('a charge activity that fails after the gateway accepted it is retried without a second charge', async () => {
    await withBilledAppointment(
      'auto',
      async (handle, world) => {
        await env.sleep(72 * HOUR_MS + 30 * MINUTE_MS);
        await deliver(handle, 60);
        const final = await handle.result();
        expect(final.billing).toMatchObject({ payment: 'paid', attempts: 1 });
        const calls = world.calls.filter((c) => c.name === 'chargeInvoice');
        expect(calls).toHaveLength(2); // the activity ran twice (Temporal retried it) …
        expect(new Set(calls.map((c) => c.input.idempotencyKey)).size).toBe(1); // … with the same key …
        expect(world.payments.size).toBe(1); // … so there is one payment
        expect(billingEvents(world)).toEqual(['receipt', 'feedbackRequest']);
      },
      (world) => {
        world.chargeCrashesAfterAccept.value = 1;
      },
    );
  });
});
