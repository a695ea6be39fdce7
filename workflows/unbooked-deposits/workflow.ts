/**
 * `unbookedDepositsWorkflow`: refunds deposits paid but never used for a booking (src/payments/
 * unbooked-deposits.ts), started every few minutes by the Temporal Schedule
 * `appointflow-unbooked-deposits:<task queue>` (src/payments/unbooked-deposit-schedule.ts), or by hand
 * from the Web UI. The cutoff comes from the run's start time (or the `now` it is given), so every call
 * of a run agrees and a replay computes the same; the activity handles a bounded batch and says where
 * it stopped, and the workflow goes on from there, at most MAX_CALLS times (the rest waits for the next
 * run, which keeps each history small).
 */
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type * as activities from '../../activities';
import type { UnbookedSweepResult } from '../../src/payments/unbooked-deposits';
import {
  addSweepCounts,
  describeSweep,
  emptySweepCounts,
  type UnbookedDepositsInput,
  type UnbookedDepositsResult,
} from './messages';

type Activities = ReturnType<typeof activities.createActivities>;

const { sweepUnbookedDeposits } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5 },
});

export const MAX_CALLS = 20;

export async function unbookedDepositsWorkflow(input: UnbookedDepositsInput): Promise<UnbookedDepositsResult> {
  const now = input.now ?? Date.now();
  let counts = emptySweepCounts();
  let calls = 0;
  let after: { createdAt: string; id: string } | null = null;
  do {
    const result: UnbookedSweepResult = await sweepUnbookedDeposits({
      now,
      graceMs: input.graceMs,
      after,
      ...(input.batchSize ? { limit: input.batchSize } : {}),
    });
    counts = addSweepCounts(counts, result.counts);
    calls += 1;
    after = result.next;
    setCurrentDetails(`${describeSweep(counts)} (${calls} calls)`);
  } while (after !== null && calls < MAX_CALLS);
  return { counts, calls, summary: describeSweep(counts) };
}
