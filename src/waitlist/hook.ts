/**
 * How the waitlist learns that a slot freed up, without touching the appointment workflow: the events
 * outbox already records `appointment.cancelled`, `appointment.no_show` and `appointment.rescheduled`
 * (its old time) in the transaction of the change. The dispatcher hands each event here once; when
 * someone waits for what that staff member offers, the freed slot's `waitlist:<event id>` workflow is
 * started with signal-with-start (the event id makes a redelivered event a no-op).
 */
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import {
  DEFAULT_HOLD_MINUTES,
  slotFreedSignal,
  WAITLIST_WORKFLOW_TYPE,
  waitlistWorkflowId,
  type WaitlistInput,
} from '../../workflows/waitlist/messages';
import type { waitlistWorkflow } from '../../workflows/waitlist/workflow';
import type { FreedSlot } from './matching';
import { anyoneWaitsFor } from './service';

interface EventRow {
  id: string;
  type: string;
  payload: unknown;
}

/** The slot an event frees, if any. Pure. */
export function freedSlotOf(event: { type: string; payload: unknown }): FreedSlot | undefined {
  const payload = event.payload as {
    appointment?: { startsAt?: string; endsAt?: string; staff?: { id?: string } };
    change?: { from?: string; staffFrom?: string };
  };
  const a = payload.appointment;
  if (!a?.startsAt || !a.endsAt || !a.staff?.id) return undefined;
  const startsAt = Date.parse(a.startsAt);
  const endsAt = Date.parse(a.endsAt);
  if (event.type === 'appointment.cancelled' || event.type === 'appointment.no_show') {
    return { staffId: a.staff.id, startsAt, endsAt };
  }
  if (event.type === 'appointment.rescheduled' && payload.change?.from) {
    const from = Date.parse(payload.change.from);
    return { staffId: payload.change.staffFrom ?? a.staff.id, startsAt: from, endsAt: from + (endsAt - startsAt) };
  }
  return undefined;
}

type StartDeps = { db: Kysely<Database>; temporal: Client; config: Config };

/**
 * Starts the waitlist workflow of one freed slot with signal-with-start. `workflowId` names the change
 * that freed it, so the same change never offers the same slot twice (a finished run is not started
 * again). Answers whether a workflow was started.
 */
export async function startWaitlistWorkflow(deps: StartDeps, workflowId: string, slot: FreedSlot): Promise<boolean> {
  const input: WaitlistInput = { slot, holdMinutes: DEFAULT_HOLD_MINUTES };
  try {
    await deps.temporal.workflow.signalWithStart<typeof waitlistWorkflow, [FreedSlot]>(WAITLIST_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: deps.config.temporal.taskQueue,
      args: [input],
      signal: slotFreedSignal,
      signalArgs: [slot],
      // A finished run for this change is not started again (the event was redelivered).
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `Waitlist: a freed slot at ${new Date(slot.startsAt).toISOString()}`,
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
  return true;
}

export async function offerFreedSlotToWaitlist(deps: StartDeps, event: EventRow, now = Date.now()): Promise<boolean> {
  const slot = freedSlotOf(event);
  if (!slot || slot.startsAt <= now) return false;
  if (!(await anyoneWaitsFor(deps.db, slot.staffId))) return false;
  return startWaitlistWorkflow(deps, waitlistWorkflowId(event.id), slot);
}
