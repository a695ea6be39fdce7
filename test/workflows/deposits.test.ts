/**
 * Deposits in the appointment workflow under time skipping (patch appointment-deposits-v1): the
 * deposit paid at booking is credited on the invoice (only the balance is charged, once; nothing and
 * no charge task when it covers the total), a cancel without a fee refunds it once, and a late cancel
 * or no-show keeps it against the fee (the fee less the deposit is charged; a deposit above the fee is
 * refunded down to it).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { cancellationTerms } from '../../src/domain/cancellation-policy';
import { HOUR_MS, MINUTE_MS } from '../../src/domain/time';
import {
  type Actor,
  type AppointmentSnapshot,
  cancelUpdate,
  completeTaskUpdate,
  markNoShowUpdate,
} from '../../workflows/appointment/messages';
import { type FakeWorld, fakeWorld, snapshotAt } from '../support/fake-activities';
import { type AppointmentHandle, runAppointment } from '../support/run-appointment';
import { timeSkippingEnv } from '../support/temporal';

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
const technician: Actor = { kind: 'technician', name: 'Jordan Patel' };

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
  overrides: Partial<AppointmentSnapshot>,
  body: (handle: AppointmentHandle, world: FakeWorld) => Promise<void>,
): Promise<void> {
  const startsAt = (await env.currentTimeMs()) + 72 * HOUR_MS;
  const snapshot = snapshotAt(startsAt, {
    billing: { policy: 'auto', incrementMinutes: 15 },
    cancellation: terms,
    ...overrides,
  });
  const world = fakeWorld(snapshot);
  await runAppointment(env, snapshot, world, { actor: customer, channel: 'web' }, (handle) => body(handle, world));
}

const called = (world: FakeWorld, name: string) => world.calls.filter((c) => c.name === name);

/** The fake invoices 60 minutes at $90.00 an hour plus 8% tax: $97.20. */
async function deliver(handle: AppointmentHandle, minutes: number): Promise<void> {
  await env.sleep(72 * HOUR_MS + 10 * MINUTE_MS);
  await handle.executeUpdate(completeTaskUpdate, {
    args: [{ taskId: 'task-deliver_service', form: { minutes }, actor: technician, channel: 'in_person' }],
  });
}

describe('deposits', () => {
  it('a deposit is credited on the invoice: only the balance is charged, once', async () => {
    await booked({ deposit: { amountMinor: 3000 } }, async (handle, world) => {
      await deliver(handle, 60);
      const final = await handle.result();
      expect(final.billing).toMatchObject({ payment: 'paid', attempts: 1, invoice: { totalMinor: 9720 } });
      expect(called(world, 'chargeInvoice')).toHaveLength(1);
      expect([...world.charged.values()]).toEqual([9720 - 3000]);
      expect(called(world, 'settleDeposit')).toHaveLength(0);
      expect(final.deposit).toBeUndefined();
    });
  });

  it('a deposit covering the total: no charge task (manual policy), no charge, the invoice paid', async () => {
    await booked(
      { deposit: { amountMinor: 5000 }, billing: { policy: 'manual', incrementMinutes: 15 } },
      async (handle, world) => {
        await deliver(handle, 30); // $48.60
        const final = await handle.result();
        expect(final.billing).toMatchObject({ payment: 'paid', invoice: { totalMinor: 4860 } });
        expect(final.tasks.charge).toBeNull();
        expect(called(world, 'createTask').map((c) => c.input.kind)).toEqual(['deliver_service']);
        expect(world.payments.size).toBe(0);
        expect(world.messages().map((m) => m.event)).toEqual(expect.arrayContaining(['receipt']));
      },
    );
  });

  it('a cancel in time refunds the deposit in full, once; the message says so', async () => {
    await booked({ deposit: { amountMinor: 3000 } }, async (handle, world) => {
      await env.sleep(47 * HOUR_MS); // 25 h before the start: outside the 24 h window
      const answer = await handle.executeUpdate(cancelUpdate, {
        args: [{ reason: 'plans changed', actor: customer, channel: 'manage_link' }],
      });
      expect(answer.cancellationFee).toBeUndefined();
      expect(answer.deposit).toEqual({ refundMinor: 3000, keptMinor: 0, settled: false });
      const final = await handle.result();
      expect(final.deposit).toEqual({ refundMinor: 3000, keptMinor: 0, settled: true });
      const settles = called(world, 'settleDeposit');
      expect(settles).toHaveLength(1);
      expect(settles[0]!.input).toMatchObject({ keepMinor: 0 });
      expect(String(settles[0]!.input.idempotencyKey)).toMatch(/:deposit:refund$/);
      expect([...world.refunds.values()]).toEqual([3000]);
      expect(called(world, 'chargeInvoice')).toHaveLength(0);
      const cancelled = world.calls.find((c) => c.name === 'sendAppointmentMessages' && c.input.event === 'cancelled');
      expect(cancelled?.input.deposit).toEqual({ refundMinor: 3000, keptMinor: 0 });
    });
  });

  it('a staff cancel inside the window refunds the deposit in full', async () => {
    await booked({ deposit: { amountMinor: 3000 } }, async (handle, world) => {
      await env.sleep(60 * HOUR_MS);
      await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'staff ill', actor: owner, channel: 'admin' }] });
      await handle.result();
      expect(called(world, 'settleDeposit').map((c) => c.input.keepMinor)).toEqual([0]);
      expect(called(world, 'chargeInvoice')).toHaveLength(0);
    });
  });

  it('a late cancel keeps the deposit against the fee: the fee less the deposit is charged once', async () => {
    await booked({ deposit: { amountMinor: 1000 } }, async (handle, world) => {
      await env.sleep(60 * HOUR_MS); // 12 h before: inside the window
      const answer = await handle.executeUpdate(cancelUpdate, {
        args: [{ reason: 'cannot make it', actor: customer, channel: 'manage_link' }],
      });
      expect(answer.cancellationFee).toEqual({ kind: 'late_cancel', amountMinor: 2500 });
      expect(answer.deposit).toMatchObject({ refundMinor: 0, keptMinor: 1000 });
      const final = await handle.result();
      expect(final.billing).toMatchObject({ payment: 'paid', invoice: { totalMinor: 2500 } });
      expect(called(world, 'chargeInvoice')).toHaveLength(1);
      expect([...world.charged.values()]).toEqual([1500]);
      expect(called(world, 'settleDeposit').map((c) => c.input.keepMinor)).toEqual([1000]);
    });
  });

  it('a deposit above the no-show fee: the difference is refunded, nothing charged', async () => {
    await booked({ deposit: { amountMinor: 6000 } }, async (handle, world) => {
      await env.sleep(72 * HOUR_MS + 20 * MINUTE_MS);
      const answer = await handle.executeUpdate(markNoShowUpdate, {
        args: [{ note: 'nobody home', actor: owner, channel: 'admin' }],
      });
      expect(answer.cancellationFee).toEqual({ kind: 'no_show', amountMinor: 4000 });
      const final = await handle.result();
      expect(final.deposit).toEqual({ refundMinor: 2000, keptMinor: 4000, settled: true });
      expect([...world.refunds.values()]).toEqual([2000]);
      expect(final.billing).toMatchObject({ payment: 'paid', invoice: { totalMinor: 4000 } });
      expect(world.payments.size).toBe(0);
    });
  });
});
