/**
 * The retention workflow on the time-skipping server: it calls the pruning activity with the run's
 * start time until the activity reports nothing more (or the call limit is reached, leaving the rest
 * to the next day), sums what each call removed and says so in its result. Its histories are saved
 * (RECORD_HISTORIES=1) and replayed below, so a change running retention workflows could not follow
 * fails here.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { PruneInput, PruneResult } from '../../activities/retention';
import { emptyCounts } from '../../src/retention/policy';
import type { RetentionResult } from '../../workflows/retention/messages';
import { MAX_CALLS, type retentionWorkflow } from '../../workflows/retention/workflow';
import { recordHistory, savedHistories } from '../support/histories';
import { timeSkippingEnv, workflowBundle } from '../support/temporal';

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

async function runRetention(
  prune: (input: PruneInput, call: number) => PruneResult,
  { record = true }: { record?: boolean } = {},
): Promise<{ result: RetentionResult; inputs: PruneInput[]; startedAt: number }> {
  const inputs: PruneInput[] = [];
  const taskQueue = `retention-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: workflowBundle(),
    activities: {
      async pruneExpiredRecords(input: PruneInput) {
        inputs.push(input);
        return prune(input, inputs.length);
      },
    },
  });
  const startedAt = await env.currentTimeMs();
  const result = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof retentionWorkflow>('retentionWorkflow', {
      taskQueue,
      workflowId: `retention:${taskQueue}`,
      args: [{ retentionDays: 90 }],
    });
    const done = await handle.result();
    if (record) await recordHistory('retention', expect.getState().currentTestName ?? handle.workflowId, handle);
    return done;
  });
  return { result, inputs, startedAt };
}

it('calls the pruning activity until nothing is left, with one set of cutoffs, and sums what it removed', async () => {
  const { result, inputs, startedAt } = await runRetention((_input, call) => ({
    counts: { ...emptyCounts(), events: call < 3 ? 10_000 : 42, deliveries: call === 1 ? 7 : 0 },
    done: call === 3,
  }));
  expect(inputs).toHaveLength(3);
  expect(new Set(inputs.map((i) => i.now)).size).toBe(1);
  expect(Math.abs(inputs[0]!.now - startedAt)).toBeLessThan(60_000);
  expect(inputs.every((i) => i.retentionDays === 90)).toBe(true);
  expect(result).toEqual({
    counts: { ...emptyCounts(), events: 20_042, deliveries: 7 },
    calls: 3,
    complete: true,
    summary: 'Removed 7 outbound deliveries, 20,042 dispatched events',
  });
});

it('stops at its call limit with more to remove, leaving the rest to the next run', async () => {
  const { result, inputs } = await runRetention(() => ({
    counts: { ...emptyCounts(), inboundEvents: 1 },
    done: false,
  }));
  expect(inputs).toHaveLength(MAX_CALLS);
  expect(result).toMatchObject({ calls: MAX_CALLS, complete: false });
  expect(result.counts.inboundEvents).toBe(MAX_CALLS);
});

it('replays every saved retention history without non-determinism', async () => {
  const histories = savedHistories('retention');
  expect(histories.length).toBeGreaterThanOrEqual(1);
  const failures: string[] = [];
  for await (const replayed of Worker.runReplayHistories(
    { workflowBundle: workflowBundle() },
    histories.map(({ name, history }) => ({ workflowId: name, history })),
  )) {
    if (replayed.error) failures.push(`${replayed.workflowId}: ${replayed.error.message}`);
  }
  expect(failures).toEqual([]);
});
