/**
 * One outbound delivery (an event to a webhook subscriber or a platform): the attempt activity is
 * retried by Temporal with exponential backoff up to the budget given at start; when it is spent (or
 * the failure cannot be retried) the delivery is marked failed and staff get a task. Started by the
 * dispatcher with the id `delivery:<eventId>:<target>` (replays: `delivery-replay:<deliveryId>`).
 */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type * as activities from '../../activities';

type Activities = ReturnType<typeof activities.createActivities>;

export const DELIVERY_WORKFLOW_TYPE = 'deliveryWorkflow';

export interface DeliveryRetry {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  maximumAttempts: number;
}

export interface DeliveryInput {
  deliveryId: string;
  retry: DeliveryRetry;
}

export interface DeliveryOutcome {
  status: 'succeeded' | 'skipped' | 'failed';
  outcome: string;
}

export async function deliveryWorkflow(input: DeliveryInput): Promise<DeliveryOutcome> {
  const { performDelivery } = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: {
      initialInterval: input.retry.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: input.retry.maximumIntervalMs,
      maximumAttempts: input.retry.maximumAttempts,
    },
  });
  const { markDeliveryFailed } = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  try {
    const result = await performDelivery({ deliveryId: input.deliveryId });
    return { status: result.status === 'skipped' ? 'skipped' : 'succeeded', outcome: result.outcome };
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause;
    const message = cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : error.message;
    await markDeliveryFailed({ deliveryId: input.deliveryId, error: message });
    return { status: 'failed', outcome: message };
  }
}
