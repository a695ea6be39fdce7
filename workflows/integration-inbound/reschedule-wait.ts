/**
 * `integration-reschedule-wait:<platform>:<appointment>:<new booking>` — a Calendly cancel with
 * `rescheduled: true` never cancels: it waits for its `invitee.created` (the new time). This workflow
 * bounds that wait: after `waitMs` (INBOUND_RESCHEDULE_WAIT_MS, default 1 hour) it checks whether the
 * new booking arrived; if not, the appointment keeps its time (the customer asked to move, not to
 * cancel), a timeline note records it and staff get a reach-out task to find the new time in the
 * platform. A new booking that arrives later is still applied as usual.
 */
import { proxyActivities, sleep } from '@temporalio/workflow';
import type * as activities from '../../activities';
import type { RescheduleWaitInput } from './messages';

type Activities = ReturnType<typeof activities.createActivities>;

const local = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function inboundRescheduleWaitWorkflow(input: RescheduleWaitInput): Promise<string> {
  await sleep(input.waitMs);
  return local.resolvePendingReschedule(input);
}
