/**
 * Activity of the retention workflow: prunes delivery logs and expired records in bounded batches
 * (src/retention/prune.ts), heartbeating after each, and stops after `maxBatches` so one call stays
 * short; the workflow calls again until `done`. Deleting is idempotent: a retried call finds less.
 */
import { Context } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Database } from '../src/db/schema';
import { type PruneCounts, RETENTION_KINDS, addCounts, emptyCounts, retentionCutoffs } from '../src/retention/policy';
import { pruneBatch } from '../src/retention/prune';

export interface PruneInput {
  /** The run's instant (workflow time), so every call of one run uses the same cutoffs. */
  now: number;
  retentionDays: number;
  batchSize?: number;
  maxBatches?: number;
}

export interface PruneResult {
  counts: PruneCounts;
  /** True when the last batch found nothing more to remove. */
  done: boolean;
}

export function retentionActivities(deps: { db: Kysely<Database> }) {
  return {
    async pruneExpiredRecords(input: PruneInput): Promise<PruneResult> {
      const cutoffs = retentionCutoffs(input.now, input.retentionDays);
      const batchSize = input.batchSize ?? 500;
      const maxBatches = input.maxBatches ?? 20;
      let counts = emptyCounts();
      for (let batch = 0; batch < maxBatches; batch += 1) {
        const removed = await pruneBatch(deps.db, cutoffs, batchSize);
        counts = addCounts(counts, removed);
        Context.current().heartbeat(counts);
        // A kind that filled its batch may have more; otherwise every kind is through.
        if (RETENTION_KINDS.every((k) => removed[k] < batchSize)) return { counts, done: true };
      }
      return { counts, done: false };
    },
  };
}
