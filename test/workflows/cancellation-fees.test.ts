/**
 * Cancellation policy in the appointment workflow under time skipping (patch
 * appointment-cancellation-fees-v1): a customer's late cancel is charged the late-cancel fee once, a
 * cancel outside the window costs nothing, a no-show is charged the no-show fee, staff may waive either
 * (and a staff cancel costs nothing unless they ask), and a fee without a card gets a pay link, never a
 * decline notice.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { cancellationTerms } from '../../src/domain/cancellation-policy';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/domain/time';
import { type Actor, cancelUpdate, cardUpdatedSignal, markNoShowUpdate } from '../../workflows/appointment/messages';
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

const customer: Actor = { kind: 'customer', name: 'Pat Doe' };
const owner: Actor = { kind: 'staff', name: 'Avery Chen' };

/** 24 h window, $25.00 late-cancel fee, no-show 50% of the $80.00 price. */
const terms = cancellationTerms(
  {
    lateCancelHours: 24,
    lateCancelFee: { kind: 'fixed', amountMinor: 2500 },
    noShowFee: { kind: 'percent', percent: 50 },
  },
  8000,
  'USD',
)!;

async function booked(
  body: (handle: AppointmentHandle, world: FakeWorld, startsAt: number) => Promise<void>,
  setup: (world: FakeWorld) => void = () => undefined,
): Promise<void> {
  const startsAt = (await env.currentTimeMs()) + 72 * HOUR_MS;
  const snapshot = snapshotAt(startsAt, {
    billing: { policy: 'auto', incrementMinutes: 15 },
    cancellation: terms,
  });
  const world = fakeWorld(snapshot);
  setup(world);
  await runAppointment(env, snapshot, world, { actor: owner, channel: 'phone' }, (handle) =>
    body(handle, world, startsAt),
  );
}

const called = (world: FakeWorld, name: string) => world.calls.filter((c) => c.name === name);
const customerPaymentEvents = (world: FakeWorld) =>
  world
    .messages()
    .filter((m) => m.audience === 'customer')
    .map((m) => m.event)
    .filter((e) => e.startsWith('payment') || e === 'receipt');

describe('fees', () => {
  it('a late cancel by the customer: the fee is invoiced and charged once, a receipt, the rebook follow-up still goes', async () => {
    await booked(async (handle, world) => {
      await env.sleep(60 * HOUR_MS); // 12 h before the start: inside the 24 h window
      const answer = await handle.executeUpdate(cancelUpdate, {
        args: [{ reason: 'cannot make it', actor: customer, channel: 'manage_link' }],
      });
      expect(answer.cancellationFee).toEqual({ kind: 'late_cancel', amountMinor: 2500 });
      // The same cancel again (a retried request) is refused and charges nothing more.
      await expect(
        handle.executeUpdate(cancelUpdate, { args: [{ reason: 'again', actor: customer, channel: 'manage_link' }] }),
      ).rejects.toThrow();
      const final = await handle.result();
      expect(final.billing).toMatchObject({ payment: 'paid', attempts: 1, invoice: { totalMinor: 2500 } });
      expect(called(world, 'openFeeInvoice').map((c) => c.input)).toEqual([
        expect.objectContaining({ kind: 'late_cancel', amountMinor: 2500 }),
      ]);
      const charges = called(world, 'chargeInvoice');
      expect(charges).toHaveLength(1);
      expect(String(charges[0]!.input.idempotencyKey)).toMatch(/:fee-charge:1$/);
      expect(world.payments.size).toBe(1);
      expect(customerPaymentEvents(world)).toEqual(['receipt']);
      expect(final.rebookFollowUp).toBe('sent');
      // The appointment keeps its stage: no Paid Won, no feedback request for a visit that did not happen.
      expect(called(world, 'setStage').some((c) => c.input.stage === 'Paid Won')).toBe(false);
      expect(world.messages().some((m) => m.event === 'feedbackRequest')).toBe(false);
    });
  });

  it('a cancel outside the window costs nothing', async () => {
    await booked(async (handle, world) => {
      await env.sleep(47 * HOUR_MS); // 25 h before the start
      const answer = await handle.executeUpdate(cancelUpdate, {
        args: [{ reason: 'plans changed', actor: customer, channel: 'manage_link' }],
      });
      expect(answer.cancellationFee).toBeUndefined();
      const final = await handle.result();
      expect(final.billing).toBeNull();
      expect(called(world, 'openFeeInvoice')).toHaveLength(0);
      expect(called(world, 'chargeInvoice')).toHaveLength(0);
    });
  });

  it('a no-show is charged the no-show fee (50% of the price) once', async () => {
    await booked(async (handle, world) => {
      await env.sleep(72 * HOUR_MS + 20 * MINUTE_MS);
      const answer = await handle.executeUpdate(markNoShowUpdate, {
        args: [{ note: 'nobody home', actor: owner, channel: 'admin' }],
      });
      expect(answer.cancellationFee).toEqual({ kind: 'no_show', amountMinor: 4000 });
      const final = await handle.result();
      expect(final.billing).toMatchObject({ payment: 'paid', attempts: 1, invoice: { totalMinor: 4000 } });
      expect(called(world, 'openFeeInvoice').map((c) => c.input.kind)).toEqual(['no_show']);
      expect(called(world, 'chargeInvoice')).toHaveLength(1);
      expect(customerPaymentEvents(world)).toEqual(['receipt']);
    });
  });

  it('staff: a late cancel they make costs nothing by default', async () => {
    await booked(async (handle, world) => {
      await env.sleep(60 * HOUR_MS);
      const answer = await handle.executeUpdate(cancelUpdate, {
        args: [{ reason: 'customer called', actor: owner, channel: 'phone' }],
      });
      expect(answer.cancellationFee).toBeUndefined();
      await handle.result();
      expect(called(world, 'chargeInvoice')).toHaveLength(0);
    });
  });

  it('staff: a late cancel they charge (the customer phoned in) is charged once', async () => {
    await booked(async (handle, world) => {
      await env.sleep(60 * HOUR_MS);
      const answer = await handle.executeUpdate(cancelUpdate, {
        args: [{ reason: 'customer called', cancellationFee: 'charge', actor: owner, channel: 'phone' }],
      });
      expect(answer.cancellationFee).toEqual({ kind: 'late_cancel', amountMinor: 2500 });
      await handle.result();
      expect(called(world, 'chargeInvoice')).toHaveLength(1);
    });
  });

  it('staff waive a no-show fee', async () => {
    await booked(async (handle, world) => {
      await env.sleep(72 * HOUR_MS + 20 * MINUTE_MS);
      const answer = await handle.executeUpdate(markNoShowUpdate, {
        args: [{ note: 'flat tyre, excused', cancellationFee: 'waive', actor: owner, channel: 'admin' }],
      });
      expect(answer.cancellationFee).toBeUndefined();
      const final = await handle.result();
      expect(final.billing).toBeNull();
      expect(called(world, 'openFeeInvoice')).toHaveLength(0);
      expect(called(world, 'chargeInvoice')).toHaveLength(0);
    });
  });

  it('an unknown fee choice is refused as a bad request', async () => {
    await booked(async (handle) => {
      await expect(
        handle.executeUpdate(cancelUpdate, {
          args: [{ reason: 'x', cancellationFee: 'maybe' as never, actor: owner, channel: 'phone' }],
        }),
      ).rejects.toMatchObject({ cause: { message: 'cancellationFee must be charge or waive.' } });
      await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'done', actor: owner, channel: 'phone' }] });
      await handle.result();
    });
  });

  it('no card for the fee: a pay link and a staff task, no decline notice; a card saved later settles it', async () => {
    await booked(
      async (handle, world) => {
        await env.sleep(60 * HOUR_MS);
        await handle.executeUpdate(cancelUpdate, {
          args: [{ reason: 'cannot make it', actor: customer, channel: 'manage_link' }],
        });
        await untilState(handle, (s) => s.billing?.payment === 'awaiting_payment');
        const task = world.calls.find((c) => c.name === 'createTask' && c.input.kind === 'payment_follow_up');
        expect(task?.input).toMatchObject({
          title: 'Late-cancellation fee for Deep Tissue Massage: no card on file, payment link sent',
        });
        await env.sleep(HOUR_MS);
        await handle.signal(cardUpdatedSignal, { source: 'manage_link' });
        const final = await handle.result();
        expect(final.billing).toMatchObject({ payment: 'paid', attempts: 2 });
        expect(customerPaymentEvents(world)).toEqual(['paymentLink', 'receipt']);
        expect(called(world, 'chargeInvoice').at(-1)!.at - called(world, 'chargeInvoice')[0]!.at).toBeLessThan(DAY_MS);
      },
      (world) => world.chargeOutcomes.push('no_card'),
    );
  });
});
