/**
 * Payments a customer can complete, in the appointment workflow under time skipping (patch
 * appointment-pay-links-v1): no card → a pay link and a staff task, never a decline notice; a card
 * update that arrives while a charge runs retries at once; after the last dunning attempt the invoice
 * is uncollectible with a staff task, and a later card update still settles it.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/domain/time';
import { type Actor, cardUpdatedSignal, completeTaskUpdate } from '../../workflows/appointment/messages';
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

const owner: Actor = { kind: 'staff', name: 'Avery Chen' };

async function billed(
  body: (handle: AppointmentHandle, world: FakeWorld) => Promise<void>,
  setup: (world: FakeWorld) => void,
): Promise<void> {
  const startsAt = (await env.currentTimeMs()) + 72 * HOUR_MS;
  const snapshot = snapshotAt(startsAt, { billing: { policy: 'auto', incrementMinutes: 15 } });
  const world = fakeWorld(snapshot);
  setup(world);
  await runAppointment(env, snapshot, world, { actor: owner, channel: 'phone' }, async (handle) => {
    await env.sleep(72 * HOUR_MS + 30 * MINUTE_MS);
    await handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId: 'task-deliver_service', form: { minutes: 60 }, actor: owner, channel: 'in_person' }],
    });
    await body(handle, world);
  });
}

const customerEvents = (world: FakeWorld) =>
  world
    .messages()
    .filter((m) => m.audience === 'customer')
    .map((m) => m.event)
    .filter((e) => e.startsWith('payment') || e === 'receipt');
const charges = (world: FakeWorld) => world.calls.filter((c) => c.name === 'chargeInvoice');

describe('pay links (patch appointment-pay-links-v1)', () => {
  it('no card: the customer gets a pay link, staff a task, nobody hears of a decline; a card saved later settles it', async () => {
    await billed(
      async (handle, world) => {
        const waiting = await untilState(handle, (s) => s.billing?.payment === 'awaiting_payment');
        expect(waiting.billing?.attempts).toBe(1);
        const task = world.calls.find((c) => c.name === 'createTask' && c.input.kind === 'payment_follow_up');
        expect(task?.input).toMatchObject({ title: 'No card on file: payment link sent for Deep Tissue Massage' });
        await env.sleep(DAY_MS + HOUR_MS); // the day-1 retry: still no card, no second task
        await untilState(handle, (s) => s.billing?.attempts === 2 && s.billing.payment === 'awaiting_payment');
        expect(world.calls.filter((c) => c.name === 'createTask' && c.input.kind === 'payment_follow_up')).toHaveLength(
          1,
        );
        await handle.signal(cardUpdatedSignal, { source: 'stripe_webhook' });
        const final = await handle.result();
        expect(final.billing).toMatchObject({ payment: 'paid', attempts: 3 });
        expect(customerEvents(world)).toEqual(['paymentLink', 'receipt']);
      },
      (world) => world.chargeOutcomes.push('no_card', 'no_card'),
    );
  });

  it('a card update during a charge is not lost: the retry runs at once', async () => {
    await billed(
      async (handle, world) => {
        await untilState(handle, (s) => s.billing?.payment === 'charging');
        const signalledAt = await env.currentTimeMs();
        await handle.signal(cardUpdatedSignal, { source: 'manage_link' }); // while attempt 1 is still running
        const final = await handle.result();
        expect(final.billing).toMatchObject({ payment: 'paid', attempts: 2 });
        const [, second] = charges(world);
        expect(second!.at - signalledAt).toBeLessThan(HOUR_MS); // not the day-1 schedule
      },
      (world) => {
        world.chargeOutcomes.push('declined');
        world.chargeDelayMs.value = 1_500;
      },
    );
  });

  it('after the last attempt the invoice is uncollectible with a staff task; a later card update settles it', async () => {
    await billed(
      async (handle, world) => {
        await env.sleep(11 * DAY_MS + HOUR_MS); // attempts at days 0, 1, 4 and 11
        await untilState(handle, (s) => s.billing?.payment === 'failed');
        expect(world.calls.find((c) => c.name === 'markInvoiceUncollectible')?.input).toMatchObject({ attempts: 4 });
        const task = world.calls.find((c) => c.name === 'createTask' && c.input.kind === 'payment_follow_up');
        expect(task?.input).toMatchObject({
          title: 'Payment failed after 4 attempts: invoice uncollectible, contact the customer',
        });
        await env.sleep(10 * DAY_MS); // within the 30-day window
        await handle.signal(cardUpdatedSignal, { source: 'stripe_webhook' });
        const final = await handle.result();
        expect(final.billing).toMatchObject({ payment: 'paid', attempts: 5 });
        expect(charges(world).map((c) => c.input.attempt)).toEqual([1, 2, 3, 4, 5]);
        expect(customerEvents(world)).toEqual(['paymentDeclined', 'paymentDeclined', 'paymentDeclined', 'receipt']);
      },
      (world) => world.chargeOutcomes.push('declined', 'declined', 'declined', 'declined'),
    );
  });
});
