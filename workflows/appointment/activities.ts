/**
 * The activities the appointment workflow uses, and how it calls them. A test fake implements only
 * `AppointmentActivities`.
 *
 * - `data`: database changes, each one transaction, idempotent by key. Retried with back-off for at
 *   most `DATA_STEP_LIMIT` (schedule-to-close); refusals and bad data are never retried. A step that
 *   runs out of time fails: under the lock an update answers with the failure (the lock is released), a
 *   mark or a main-path step alerts staff and is tried again later (`persistently`), so nothing wedges.
 * - `messaging`: render, store, send — bounded (attempts and total time); a render error is never
 *   retried. A message that fails is marked failed, staff are told, the lifecycle goes on (outbox.ts).
 * - `alerts`: telling staff about those failures; bounded too, and best effort.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  sleep,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { MESSAGE_RENDER_FAILED, PATCHES, REFUSALS } from './messages';

export type AppointmentActivities = Pick<
  Activities,
  | 'applyReschedule'
  | 'applyStatusChange'
  | 'setStage'
  | 'createTask'
  | 'contactHasRebooked'
  | 'contactBookedAgain'
  | 'recordTimeline'
  | 'completeDeliverTask'
  | 'confirmCharge'
  | 'chargeInvoice'
  | 'markInvoiceUncollectible'
  | 'openFeeInvoice'
  | 'settleDeposit'
  | 'sendAppointmentMessages'
  | 'sendAppointmentMessageBatch'
  | 'recordMessageFailure'
  | 'alertStuckStep'
>;

type DataActivities = Omit<
  AppointmentActivities,
  'sendAppointmentMessages' | 'sendAppointmentMessageBatch' | 'recordMessageFailure' | 'alertStuckStep'
>;

/** How long a data step may take, retries included, before it counts as stuck. */
export const DATA_STEP_LIMIT = '10 minutes';
/** How long a stuck main-path step waits before it is tried again. */
export const STUCK_RETRY_MS = 15 * 60 * 1000;

export const data = proxyActivities<DataActivities>({
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: DATA_STEP_LIMIT,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: Object.values(REFUSALS),
  },
});

/**
 * The main path's short database steps: local activities on the lean path. Not in update or signal
 * handlers: a history with a local activity inside an update handler did not replay ("Activity
 * machine does not handle this event: WorkflowExecutionUpdateAccepted"), so handlers keep `data`.
 */
export type LocalDataSteps = Pick<DataActivities, 'setStage' | 'createTask' | 'applyStatusChange' | 'recordTimeline'>;

/**
 * The same steps as local activities (patch appointment-lean-history-v1): run by the worker inside the
 * workflow task that asks for them, one marker in the history instead of three activity events and a
 * workflow task. The same limit and
 * retries as `data`; a back-off longer than a second waits on a durable timer, not in the worker.
 */
export const localData = proxyLocalActivities<LocalDataSteps>({
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: DATA_STEP_LIMIT,
  localRetryThreshold: '1 second',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    // About ten minutes of back-off on durable timers (1 + 2 + … + 32 s, then a minute each), counted in
    // workflow time; schedule-to-close (measured by the worker's clock) stays as the backstop.
    maximumAttempts: 15,
    nonRetryableErrorTypes: Object.values(REFUSALS),
  },
});

export const messaging = proxyActivities<Pick<AppointmentActivities, 'sendAppointmentMessages'>>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '2 hours',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 20,
    nonRetryableErrorTypes: [MESSAGE_RENDER_FAILED, ...Object.values(REFUSALS)],
  },
});

/**
 * Messages queued together, in one activity (patch appointment-lean-history-v1). A message that fails
 * inside it is answered, not thrown (activities/message-batch.ts), so a retry here is for the activity
 * itself (a worker lost); a batch that does not go through in ten minutes is split, and each message
 * then gets `messaging`'s own retries and, if it still fails, its own failure record (outbox.ts).
 */
export const batchMessaging = proxyActivities<Pick<AppointmentActivities, 'sendAppointmentMessageBatch'>>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

export const alerts = proxyActivities<Pick<AppointmentActivities, 'recordMessageFailure' | 'alertStuckStep'>>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: DATA_STEP_LIMIT,
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

/** Why an activity failed, in words: the innermost cause's message. */
export function failureReason(error: unknown): string {
  let cause: unknown = error;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  return cause instanceof Error ? cause.message : String(error);
}

/** A refusal or bad data: trying again cannot help. */
export function isFinalFailure(error: unknown): boolean {
  return (
    error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.nonRetryable === true
  );
}

/** Tells staff that a step is stuck; best effort (the database may be what is down), logged either way. */
export async function alertStuck(appointmentId: string, key: string, text: string): Promise<void> {
  log.error(text, { key });
  try {
    await alerts.alertStuckStep({ appointmentId, key, text });
  } catch (error) {
    log.error('Staff alert failed', { key, error: failureReason(error) });
  }
}

/**
 * Runs a main-path data step until it succeeds: when it runs out of time (database down), staff are
 * alerted once and it is tried again after `STUCK_RETRY_MS` — the workflow neither fails nor holds the
 * lock meanwhile. A refusal or bad data is not retried (thrown).
 */
export async function persistently<T>(appointmentId: string, step: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (isFinalFailure(error) || !patched(PATCHES.boundedRetries)) throw error;
      if (attempt === 1)
        await alertStuck(appointmentId, `stuck:${step}`, `Step "${step}" is stuck: ${failureReason(error)}`);
      await sleep(STUCK_RETRY_MS);
    }
  }
}
