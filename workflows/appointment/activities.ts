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
import { ActivityFailure, ApplicationFailure, log, patched, proxyActivities, sleep } from '@temporalio/workflow';
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
  | 'recordMessageFailure'
  | 'alertStuckStep'
>;

type DataActivities = Omit<
  AppointmentActivities,
  'sendAppointmentMessages' | 'recordMessageFailure' | 'alertStuckStep'
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
