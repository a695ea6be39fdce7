/** Names and shapes of the inbound-integration fetch workflow, shared by the HTTP edge and the worker. */
import type { FetchRef } from '../../src/integrations/inbound/types';

export const INBOUND_FETCH_WORKFLOW_TYPE = 'inboundFetchWorkflow';

export function inboundFetchWorkflowId(platform: string, deliveryId: string): string {
  return `integration-inbound:${platform}:${deliveryId}`;
}

export const RESCHEDULE_WAIT_WORKFLOW_TYPE = 'inboundRescheduleWaitWorkflow';

/** One wait per appointment and new external booking (e.g. Calendly's new invitee). */
export function rescheduleWaitWorkflowId(platform: string, appointmentId: string, newExternalId: string): string {
  return `integration-reschedule-wait:${platform}:${appointmentId}:${newExternalId.split('/').pop() ?? newExternalId}`;
}

export interface RescheduleWaitInput {
  platform: string;
  appointmentId: string;
  /** The platform's id of the booking that replaced ours (Calendly: the new invitee's URI). */
  newExternalId: string;
  /** The vendor event id of the cancel that announced the reschedule. */
  vendorEventId: string;
  waitMs: number;
}

export interface InboundFetchInput {
  platform: string;
  deliveryId: string;
  refs: FetchRef[];
  /** The vendor event id is known only after the fetch (Acuity): claim it then. */
  claimAfterFetch: boolean;
}
