/**
 * The unbooked-deposit sweep's workflow on the time-skipping server, with a stand-in activity: it calls
 * the sweep with one cutoff for the whole run (the `now` it is given, else its start time) and the
 * grace, goes on from where each call stopped until nothing is left (or its call limit), and sums what
 * each call did. Its histories are saved (RECORD_HISTORIES=1) and replayed below, so a change running
 * sweeps could not follow fails here.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { UnbookedSweepInput, UnbookedSweepResult } from '../../src/payments/unbooked-deposits';
import { emptySweepCounts, type UnbookedDepositsResult } from '../../workflows/unbooked-deposits/messages';
import { MAX_CALLS, type unbookedDepositsWorkflow } from '../../workflows/unbooked-deposits/workflow';
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

const ANCHOR = Date.parse('2026-03-02T15:00:00Z');
const GRACE = 2 * 3_600_000;

async function runSweep(
  sweep: (input: UnbookedSweepInput, call: number) => UnbookedSweepResult,
  now?: number,
): Promise<{ result: UnbookedDepositsResult; inputs: UnbookedSweepInput[]; startedAt: number }> {
  const inputs: UnbookedSweepInput[] = [];
  const taskQueue = `unbooked-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: workflowBundle(),
    activities: {
      async sweepUnbookedDeposits(input: UnbookedSweepInput) {
        inputs.push(input);
        return sweep(input, inputs.length);
      },
    },
  });
  const startedAt = await env.currentTimeMs();
  const result = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof unbookedDepositsWorkflow>('unbookedDepositsWorkflow', {
      taskQueue,
      workflowId: `unbooked-deposits:${taskQueue}`,
      args: [{ graceMs: GRACE, ...(now === undefined ? {} : { now }) }],
    });
    const done = await handle.result();
    await recordHistory('unbooked-deposits', expect.getState().currentTestName ?? handle.workflowId, handle);
    return done;
  });
  return { result, inputs, startedAt };
}

it('sweeps with the given now and grace, going on from where each call stopped, and sums the outcomes', async () => {
  const { result, inputs } = await runSweep(
    (_input, call) => ({
      counts: { ...emptySweepCounts(), refunded: call, abandoned: call === 2 ? 1 : 0 },
      next: call < 3 ? { createdAt: new Date(ANCHOR - call * 60_000).toISOString(), id: `row-${call}` } : null,
    }),
    ANCHOR,
  );
  expect(inputs.map((i) => [i.now, i.graceMs])).toEqual([
    [ANCHOR, GRACE],
    [ANCHOR, GRACE],
    [ANCHOR, GRACE],
  ]);
  expect(inputs.map((i) => i.after?.id ?? null)).toEqual([null, 'row-1', 'row-2']);
  expect(result).toEqual({
    counts: { refunded: 6, refundFailed: 0, abandoned: 1, waiting: 0 },
    calls: 3,
    summary:
      'Unbooked deposits: 6 refunded, 0 refund failed (staff task), 1 never paid (cancelled), 0 left for the next run',
  });
});

it('without a given now, uses its start time; stops at its call limit', async () => {
  const { result, inputs, startedAt } = await runSweep(() => ({
    counts: { ...emptySweepCounts(), waiting: 1 },
    next: { createdAt: new Date(ANCHOR).toISOString(), id: 'again' },
  }));
  expect(inputs).toHaveLength(MAX_CALLS);
  expect(new Set(inputs.map((i) => i.now)).size).toBe(1);
  expect(Math.abs(inputs[0]!.now - startedAt)).toBeLessThan(60_000);
  expect(result).toMatchObject({ calls: MAX_CALLS, counts: { waiting: MAX_CALLS } });
});

it('replays every saved unbooked-deposit history without non-determinism', async () => {
  const histories = savedHistories('unbooked-deposits');
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
