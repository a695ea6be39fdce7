/**
 * The Temporal Schedule that runs the unbooked-deposit sweep (src/payments/unbooked-deposits.ts) every
 * UNBOOKED_DEPOSIT_SWEEP_MINUTES, with the grace UNBOOKED_DEPOSIT_GRACE_MINUTES. Ensured at start-up
 * by the API process like the retention schedule (created, or brought in line with the configuration;
 * removed when the interval is 0). Overlapping runs are skipped; operators see it under Schedules in
 * the Temporal Web UI and can trigger a run there.
 */
import { type Client, ScheduleOverlapPolicy, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import { ensureSchedule, type ScheduleOutcome } from '../temporal/schedules';
import type { Config } from '../config';
import {
  UNBOOKED_DEPOSITS_WORKFLOW_TYPE,
  unbookedDepositsScheduleId,
} from '../../workflows/unbooked-deposits/messages';
import type { unbookedDepositsWorkflow } from '../../workflows/unbooked-deposits/workflow';

export async function ensureUnbookedDepositSchedule(deps: {
  client: Client;
  config: Config;
}): Promise<ScheduleOutcome> {
  const { client, config } = deps;
  const scheduleId = unbookedDepositsScheduleId(config.temporal.taskQueue);
  const { sweepMinutes, graceMs } = config.unbookedDeposits;
  if (sweepMinutes === 0) return ensureSchedule(client, scheduleId, null);
  const action: ScheduleOptionsStartWorkflowAction<typeof unbookedDepositsWorkflow> = {
    type: 'startWorkflow',
    workflowType: UNBOOKED_DEPOSITS_WORKFLOW_TYPE,
    workflowId: `unbooked-deposits:${config.temporal.taskQueue}`,
    taskQueue: config.temporal.taskQueue,
    args: [{ graceMs }],
    workflowExecutionTimeout: '1 hour',
  };
  return ensureSchedule(client, scheduleId, {
    spec: { intervals: [{ every: `${sweepMinutes} minutes` }] },
    action,
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' },
  });
}

/** At start-up: ensures the schedule, logging the outcome; a failure is logged, never fatal. */
export async function ensureUnbookedDepositScheduleLogged(
  deps: { client: Client; config: Config },
  logger: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void },
): Promise<void> {
  try {
    const outcome = await ensureUnbookedDepositSchedule(deps);
    logger.info({ outcome, every: deps.config.unbookedDeposits.sweepMinutes }, 'unbooked-deposit schedule');
  } catch (error) {
    logger.warn({ err: error }, 'unbooked-deposit schedule could not be ensured; unused deposits are not refunded');
  }
}
