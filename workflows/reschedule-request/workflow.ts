/**
 * Asks one customer to choose a new time because their staff member took time off over the booking
 * (issue 15; seed 003's admin-initiated rescheduling). It runs the appointment's own messaging activity
 * (`sendAppointmentMessages`, event `rescheduleRequest`: the next open times and the customer's manage
 * link, email and SMS to opted-in contacts), whose idempotency key is derived from this workflow's id,
 * so a retry or a second start never sends twice; then notes it on the appointment's timeline. The
 * appointment workflow is not touched: the customer reschedules through their manage link as usual.
 * A request for an appointment moved or cancelled since is skipped (`onlyIfCurrent`).
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type * as activities from '../../activities';
import type { RescheduleRequestInput, RescheduleRequestResult } from './messages';

type Activities = ReturnType<typeof activities.createActivities>;

const { sendAppointmentMessages, recordTimeline } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 20,
    nonRetryableErrorTypes: ['NotFound', 'InvalidRequest'],
  },
});

export async function rescheduleRequestWorkflow(input: RescheduleRequestInput): Promise<RescheduleRequestResult> {
  const { workflowId } = workflowInfo();
  const sent = await sendAppointmentMessages({
    appointmentId: input.appointmentId,
    workflowId,
    audience: 'customer',
    event: 'rescheduleRequest',
    step: 'reschedule-request',
    revision: input.revision,
    onlyIfCurrent: true,
    suggestSlots: input.suggestSlots,
  });
  if (!sent.skipped) {
    await recordTimeline({
      appointmentId: input.appointmentId,
      kind: 'reschedule_requested',
      actor: input.actor,
      channel: 'admin',
      summary: `Asked the customer to choose a new time (staff time off); ${sent.messageIds.length} message(s) with open times and the manage link`,
      idempotencyKey: `${workflowId}:requested`,
    });
  }
  return sent.skipped ? { messageIds: sent.messageIds, skipped: sent.skipped } : { messageIds: sent.messageIds };
}
