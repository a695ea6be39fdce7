/**
 * The Temporal Schedule that runs the unbooked-deposit sweep (src/payments/unbooked-deposits.ts) every
 * UNBOOKED_DEPOSIT_SWEEP_MINUTES, with the grace UNBOOKED_DEPOSIT_GRACE_MINUTES. Ensured at start-up
 * by the API process like the retention schedule (created, or brought in line with the configuration;
 * removed when the interval is 0). Overlapping runs are skipped; operators see it under Schedules in
 * the Temporal Web UI and can trigger a run there.
 */
import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Config } from '../config';
import {
  UNBOOKED_DEPOSITS_WORKFLOW_TYPE,
  unbookedDepositsScheduleId,
} from '../../workflows/unbooked-deposits/messages';
import type { unbookedDepositsWorkflow } from '../../workflows/unbooked-deposits/workflow';

export type ScheduleOutcome = 'created' | 'updated' | 'removed' | 'absent';

export async function ensureUnbookedDepositSchedule(deps: {
  client: Client;
  config: Config;
}): Promise<ScheduleOutcome> {
  const { client, config } = deps;
  const handle = client.schedule.getHandle(unbookedDepositsScheduleId(config.temporal.taskQueue));
  const { sweepMinutes, graceMs } = config.unbookedDeposits;
  if (sweepMinutes === 0) {
    try {
      await handle.delete();
      return 'removed';
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return 'absent';
      throw error;
    }
  }
  const spec: ScheduleSpec = { intervals: [{ every: `${sweepMinutes} minutes` }] };
  const action: ScheduleOptionsStartWorkflowAction<typeof unbookedDepositsWorkflow> = {
    type: 'startWorkflow',
    workflowType: UNBOOKED_DEPOSITS_WORKFLOW_TYPE,
    workflowId: `unbooked-deposits:${config.temporal.taskQueue}`,
    taskQueue: config.temporal.taskQueue,
    args: [{ graceMs }],
    workflowExecutionTimeout: '1 hour',
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' } as const;
  try {
    await client.schedule.create({ scheduleId: handle.scheduleId, spec, action, policies });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await handle.update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, ...policies } }));
  return 'updated';
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
