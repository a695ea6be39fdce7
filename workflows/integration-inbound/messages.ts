/** Names and shapes of the inbound-integration fetch workflow, shared by the HTTP edge and the worker. */
import type { FetchRef } from '../../src/integrations/inbound/types';

export const INBOUND_FETCH_WORKFLOW_TYPE = 'inboundFetchWorkflow';

export function inboundFetchWorkflowId(platform: string, deliveryId: string): string {
  return `integration-inbound:${platform}:${deliveryId}`;
}

export interface InboundFetchInput {
  platform: string;
  deliveryId: string;
  refs: FetchRef[];
  /** The vendor event id is known only after the fetch (Acuity): claim it then. */
  claimAfterFetch: boolean;
}
