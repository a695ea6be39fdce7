/**
 * The delivery workflow under time skipping with the production retry budget (10 s doubling to 1 h,
 * 18 attempts): a receiver that never recovers is retried on that schedule for about ten hours of
 * workflow time and the delivery is then marked failed (never dropped); a final (non-retryable)
 * failure is not retried; a success after retries ends succeeded without marking anything failed.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import type { DeliveryInput, DeliveryOutcome, deliveryWorkflow } from '../../workflows/delivery/workflow';
import { timeSkippingEnv, workflowBundle } from '../support/temporal';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const { outbound } = loadConfig({}, mkdtempSync(join(tmpdir(), 'appointflow-delivery-')));
const retry: DeliveryInput['retry'] = {
  initialIntervalMs: outbound.retryInitialMs,
  maximumIntervalMs: outbound.retryMaxIntervalMs,
  maximumAttempts: outbound.maxAttempts,
};

async function run(
  attempt: (n: number, at: number) => void,
): Promise<{ outcome: DeliveryOutcome; failed: string[]; times: number[] }> {
  const failed: string[] = [];
  const times: number[] = [];
  const taskQueue = `deliveries-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: workflowBundle(),
    activities: {
      async performDelivery() {
        const now = await env.currentTimeMs();
        times.push(now);
        attempt(times.length, now);
        return { status: 'succeeded', outcome: 'delivered (200)' };
      },
      async markDeliveryFailed(input: { deliveryId: string; error: string }) {
        failed.push(input.error);
      },
    },
  });
  const outcome = await worker.runUntil(
    env.client.workflow.execute<typeof deliveryWorkflow>('deliveryWorkflow', {
      taskQueue,
      workflowId: `delivery:test:${randomUUID()}`,
      args: [{ deliveryId: 'd1', retry }],
    }),
  );
  return { outcome, failed, times };
}

it('retries with exponential backoff for the whole budget, then marks the delivery failed', async () => {
  const { outcome, failed, times } = await run(() => {
    throw ApplicationFailure.create({ type: 'DeliveryFailed', message: 'subscriber answered 503' });
  });
  expect(outcome).toEqual({ status: 'failed', outcome: 'subscriber answered 503' });
  expect(failed).toEqual(['subscriber answered 503']);
  expect(times).toHaveLength(18);
  const gaps = times.slice(1).map((t, i) => Math.round((t - times[i]!) / 1000));
  // 10 s, 20 s, 40 s … doubling, capped at one hour (the time-skipping server rounds a little).
  expect(gaps.slice(0, 4).map((g) => Math.round(g / 10) * 10)).toEqual([10, 20, 40, 80]);
  expect(gaps.slice(-3)).toEqual([3600, 3600, 3600]);
  const hours = (times.at(-1)! - times[0]!) / 3_600_000;
  expect(hours).toBeGreaterThan(9);
  expect(hours).toBeLessThan(11);
});

it('does not retry a final failure, and ends succeeded after a recovery', async () => {
  const final = await run(() => {
    throw ApplicationFailure.create({ type: 'DeliveryFailed', message: 'answered 401', nonRetryable: true });
  });
  expect(final.outcome.status).toBe('failed');
  expect(final.times).toHaveLength(1);
  expect(final.failed).toEqual(['answered 401']);

  const recovered = await run((n) => {
    if (n < 3) throw ApplicationFailure.create({ type: 'DeliveryFailed', message: 'answered 500' });
  });
  expect(recovered.outcome).toEqual({ status: 'succeeded', outcome: 'delivered (200)' });
  expect(recovered.times).toHaveLength(3);
  expect(recovered.failed).toEqual([]);
});
