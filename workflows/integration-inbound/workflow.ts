/**
 * `integration-inbound:<platform>:<deliveryId>` — for platforms that send ids only (Acuity, Google
 * Calendar, Microsoft Graph): fetch the details through the vendor API (an activity retried with
 * backoff), then apply the normalised events to the appointments. A fetch that keeps failing marks
 * the delivery `fetch_failed` so operators see it in the delivery log.
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type * as activities from '../../activities';
import type { InboundFetchInput } from './messages';

type Activities = ReturnType<typeof activities.createActivities>;

const vendor = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 6 },
});

const local = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function inboundFetchWorkflow(input: InboundFetchInput): Promise<string[]> {
  let fetched: Awaited<ReturnType<Activities['fetchInboundDetails']>>;
  try {
    fetched = await vendor.fetchInboundDetails({ platform: input.platform, refs: input.refs });
  } catch (error) {
    const message = error instanceof ApplicationFailure || error instanceof Error ? error.message : String(error);
    await local.finishInboundDelivery({ deliveryId: input.deliveryId, outcome: 'fetch_failed', error: message });
    return [];
  }
  return local.applyInboundEvents({
    platform: input.platform,
    deliveryId: input.deliveryId,
    events: fetched,
    claimAfterFetch: input.claimAfterFetch,
  });
}
