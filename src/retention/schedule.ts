/**
 * The Temporal Schedule that runs the retention workflow every day at RETENTION_HOUR:15 in the
 * business's time zone. Ensured at start-up by the API process (created, or brought in line with
 * the configuration when it exists; removed when RETENTION_DAYS=0). Overlapping runs are skipped; a
 * run missed while the cluster was down is caught up within an hour. Operators see it, its recent
 * runs and a "Trigger" button under Schedules in the Temporal Web UI.
 */
import {
  type Client,
  ScheduleOverlapPolicy,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import { ensureSchedule, type ScheduleOutcome } from '../temporal/schedules';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import { RETENTION_WORKFLOW_TYPE, retentionScheduleId } from '../../workflows/retention/messages';
import type { retentionWorkflow } from '../../workflows/retention/workflow';

export type { ScheduleOutcome } from '../temporal/schedules';

export async function ensureRetentionSchedule(deps: {
  client: Client;
  config: Config;
  db: Kysely<Database>;
}): Promise<ScheduleOutcome> {
  const { client, config } = deps;
  const scheduleId = retentionScheduleId(config.temporal.taskQueue);
  if (config.retention.days === 0) return ensureSchedule(client, scheduleId, null);
  const business = await deps.db.selectFrom('business').select('time_zone').executeTakeFirst();
  const spec: ScheduleSpec = {
    calendars: [{ hour: config.retention.hour, minute: 15, comment: 'daily' }],
    timezone: business?.time_zone ?? 'UTC',
  };
  const action: ScheduleOptionsStartWorkflowAction<typeof retentionWorkflow> = {
    type: 'startWorkflow',
    workflowType: RETENTION_WORKFLOW_TYPE,
    workflowId: `retention:${config.temporal.taskQueue}`,
    taskQueue: config.temporal.taskQueue,
    args: [{ retentionDays: config.retention.days }],
    workflowExecutionTimeout: '6 hours',
  };
  return ensureSchedule(client, scheduleId, {
    spec,
    action,
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  });
}

/** At start-up: ensures the schedule, logging the outcome; a failure is logged, never fatal. */
export async function ensureRetentionScheduleLogged(
  deps: { client: Client; config: Config; db: Kysely<Database> },
  logger: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void },
): Promise<void> {
  try {
    const outcome = await ensureRetentionSchedule(deps);
    logger.info(
      { scheduleId: retentionScheduleId(deps.config.temporal.taskQueue), outcome, days: deps.config.retention.days },
      'retention schedule',
    );
  } catch (error) {
    logger.warn({ err: error }, 'retention schedule could not be ensured; delivery logs are not pruned');
  }
}
