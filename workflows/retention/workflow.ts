/**
 * `retentionWorkflow`: prunes delivery logs and expired records (src/retention/), started every day by
 * the Temporal Schedule `appointflow-retention:<task queue>` (src/retention/schedule.ts), or by hand
 * from the Web UI ("Trigger"). The cutoffs come from the workflow's start time, so every call of one
 * run agrees and a replay computes the same; the activity removes bounded batches and the workflow
 * calls it until there is nothing more, at most MAX_CALLS times (a larger backlog is left to the next
 * day's run, which keeps each run's history small). What it removed is its result and its current
 * details.
 */
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type * as activities from '../../activities';
import { addCounts, describeCounts, emptyCounts } from '../../src/retention/policy';
import type { RetentionInput, RetentionResult } from './messages';

type Activities = ReturnType<typeof activities.createActivities>;

const { pruneExpiredRecords } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 10 },
});

/** Calls per run: with the activity's defaults, up to 10,000 rows of each kind per call. */
export const MAX_CALLS = 200;

export async function retentionWorkflow(input: RetentionInput): Promise<RetentionResult> {
  const now = Date.now();
  let counts = emptyCounts();
  let calls = 0;
  let complete = false;
  while (!complete && calls < MAX_CALLS) {
    const result = await pruneExpiredRecords({
      now,
      retentionDays: input.retentionDays,
      ...(input.batchSize ? { batchSize: input.batchSize } : {}),
    });
    counts = addCounts(counts, result.counts);
    calls += 1;
    complete = result.done;
    setCurrentDetails(`${describeCounts(counts)} (older than ${input.retentionDays} days; ${calls} calls)`);
  }
  return { counts, calls, complete, summary: describeCounts(counts) };
}
