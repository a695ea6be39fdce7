/** The unbooked-deposit sweep's name, input, result and the schedule that starts it (src/payments/unbooked-deposits.ts). */

export const UNBOOKED_DEPOSITS_WORKFLOW_TYPE = 'unbookedDepositsWorkflow';
/** The Temporal Schedule that starts the sweep every few minutes (one per namespace and task queue). */
export const unbookedDepositsScheduleId = (taskQueue: string) => `appointflow-unbooked-deposits:${taskQueue}`;

export interface UnbookedDepositsInput {
  /** Deposits older than this (ms) and still not used for a booking are refunded. */
  graceMs: number;
  /** The sweep's "now" (epoch ms); absent: the workflow's start time. Tests and operators may set it. */
  now?: number;
  /** Rows per activity call (tests make it small to prove batching). */
  batchSize?: number;
}

export interface UnbookedSweepCounts {
  refunded: number;
  refundFailed: number;
  abandoned: number;
  /** Left for the next run: still processing at the gateway, or the gateway could not be reached. */
  waiting: number;
}

export interface UnbookedDepositsResult {
  counts: UnbookedSweepCounts;
  calls: number;
  summary: string;
}

export const emptySweepCounts = (): UnbookedSweepCounts => ({ refunded: 0, refundFailed: 0, abandoned: 0, waiting: 0 });

export function addSweepCounts(a: UnbookedSweepCounts, b: UnbookedSweepCounts): UnbookedSweepCounts {
  return {
    refunded: a.refunded + b.refunded,
    refundFailed: a.refundFailed + b.refundFailed,
    abandoned: a.abandoned + b.abandoned,
    waiting: a.waiting + b.waiting,
  };
}

export function describeSweep(c: UnbookedSweepCounts): string {
  return `Unbooked deposits: ${c.refunded} refunded, ${c.refundFailed} refund failed (staff task), ${c.abandoned} never paid (cancelled), ${c.waiting} left for the next run`;
}
