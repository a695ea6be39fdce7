/** The retention workflow's name, input and the schedule that starts it daily. */
import type { PruneCounts } from '../../src/retention/policy';

export const RETENTION_WORKFLOW_TYPE = 'retentionWorkflow';
/** The Temporal Schedule that starts the retention workflow every day (one per namespace and task queue). */
export const retentionScheduleId = (taskQueue: string) => `appointflow-retention:${taskQueue}`;

export interface RetentionInput {
  retentionDays: number;
  /** Rows per kind per batch (tests make it small to prove batching). */
  batchSize?: number;
}

export interface RetentionResult {
  counts: PruneCounts;
  calls: number;
  /** False when the run stopped at its call limit with more to remove (the next run goes on). */
  complete: boolean;
  summary: string;
}
