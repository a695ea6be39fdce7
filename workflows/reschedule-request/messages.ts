/**
 * The reschedule request workflow's id, type and input (issue 15), shared by the workflow and the API
 * that starts it (time off over booked appointments).
 */
import type { Actor } from '../appointment/messages';

export const RESCHEDULE_REQUEST_WORKFLOW_TYPE = 'rescheduleRequestWorkflow';

/** One per appointment and time off: starting it twice finds the first. */
export function rescheduleRequestWorkflowId(appointmentId: string, timeOffId: string): string {
  return `reschedule-request:${appointmentId}:${timeOffId}`;
}

export interface RescheduleRequestInput {
  appointmentId: string;
  timeOffId: string;
  /** The appointment's revision when the time off was saved: a move or cancel since makes the request stale. */
  revision: number;
  /** How many open times the message offers. */
  suggestSlots: number;
  /** Who saved the time off, for the timeline. */
  actor: Actor;
}

export interface RescheduleRequestResult {
  messageIds: string[];
  skipped?: 'stale' | 'no_recipient';
}
