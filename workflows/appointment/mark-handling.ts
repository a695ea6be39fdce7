/**
 * What happens when a lifecycle mark comes due: the stage it implies, the customer reminders, the staff
 * day-of brief, and at close-out either the overdue deliver task (billing) or the automatic close.
 */
import { condition, workflowInfo } from '@temporalio/workflow';
import { type Mark, reminderLateLimitMs } from '../../src/domain/marks';
import { HOUR_MS } from '../../src/domain/durations';
import { isActiveStatus } from '../../src/domain/stages';
import { STUCK_RETRY_MS, alertStuck, failureReason, isFinalFailure } from './activities';
import { PATCHES } from './messages';
import type { Outbox } from './outbox';
import type { AppointmentModel } from './state';

/**
 * Fires a due mark (under the lock). A data step that fails (stuck past its limit) is answered, not
 * thrown: the mark is left pending for `markStuck` to retry outside the lock — unless the failure is
 * final (a refusal, bad data), then the mark counts as fired so it is not tried for ever.
 */
export async function fireMark(model: AppointmentModel, outbox: Outbox, mark: Mark): Promise<unknown> {
  // Re-check under the lock: a change may have landed while the timer fired.
  if (model.markState(mark) !== 'pending' || !isActiveStatus(model.appointment.status) || mark.at > Date.now())
    return undefined;
  const key = model.markKey(mark);
  model.fired.add(key);
  try {
    await applyMark(model, outbox, mark);
  } catch (error) {
    if (!model.patched(PATCHES.boundedRetries)) throw error;
    if (!isFinalFailure(error)) model.fired.delete(key);
    return error;
  }
  return undefined;
}

/** After a mark failed: staff are told; a mark that can still succeed is retried after a while or on a change. */
export async function markStuck(model: AppointmentModel, mark: Mark, failure: unknown): Promise<void> {
  const { appointmentId, revision } = model.appointment;
  const final = isFinalFailure(failure);
  await alertStuck(
    appointmentId,
    `mark:r${revision}:${mark.kind}${final ? ':dropped' : ':stuck'}`,
    `The ${mark.kind} mark ${final ? 'was dropped' : 'is stuck and will be retried'}: ${failureReason(failure)}`,
  );
  if (!final) await condition(() => model.changed, STUCK_RETRY_MS);
}

async function applyMark(model: AppointmentModel, outbox: Outbox, mark: Mark): Promise<void> {
  const workflowId = workflowInfo().workflowId;
  if (mark.stage && mark.stage !== model.appointment.stage) {
    model.appointment = await model.steps.setStage({
      appointmentId: model.appointment.appointmentId,
      stage: mark.stage,
      revision: model.appointment.revision,
      reason: mark.kind,
      idempotencyKey: `${workflowId}:stage:r${model.appointment.revision}:${mark.kind}`,
    });
  }
  for (const action of mark.actions) {
    if (action === 'reminder48h' || action === 'reminder12h') {
      // Staff may have turned reminders off for this time when they rescheduled.
      if (model.remindersOff.has(model.appointment.revision)) continue;
      const lateBy = Date.now() - mark.at;
      const limit = reminderLateLimitMs(mark, model.appointment.startsAt, model.appointment.policy);
      if (model.lateReminderLimit && lateBy > limit) await noteDroppedReminder(model, mark, lateBy, limit);
      else outbox.enqueue({ audience: 'customer', event: action, step: action, onlyIfCurrent: true });
    } else if (action === 'staffBrief') {
      outbox.enqueue({ audience: 'staff', event: 'staffBrief', step: 'staff-brief', onlyIfCurrent: true });
    } else if (action === 'closeOut' && model.billingEnabled) {
      // With billing, the service is done when staff complete the deliver task: no silent auto-close.
      if (model.deliverTask?.status === 'open') {
        model.deliverTask = { ...model.deliverTask, overdue: true };
        outbox.enqueue({
          audience: 'staff',
          event: 'staffDeliverOverdue',
          step: 'deliver-overdue',
          onlyIfCurrent: false,
        });
      }
    } else if (action === 'closeOut') {
      model.appointment = await model.steps.applyStatusChange({
        appointmentId: model.appointment.appointmentId,
        status: 'done',
        stage: 'Paid Won',
        reason: 'closed out after the appointment',
        actor: { kind: 'system', name: 'appointflow' },
        channel: 'system',
        idempotencyKey: `${workflowId}:status:done`,
      });
      model.closed = true;
    }
  }
  model.publish();
}

/** A reminder too late to help: not sent, and the timeline says why. */
async function noteDroppedReminder(model: AppointmentModel, mark: Mark, lateBy: number, limit: number) {
  const hours = (ms: number) => `${Math.round((ms / HOUR_MS) * 10) / 10} h`;
  await model.steps.recordTimeline({
    appointmentId: model.appointment.appointmentId,
    kind: 'reminder:dropped',
    actor: { kind: 'system', name: 'appointflow' },
    channel: 'system',
    summary: `The ${mark.kind} reminder was not sent: due ${hours(lateBy)} ago, later than the ${hours(limit)} a reminder may be late.`,
    idempotencyKey: `${workflowInfo().workflowId}:reminder-dropped:r${model.appointment.revision}:${mark.kind}`,
  });
}
