/**
 * Time off over booked appointments (issue 15): which of the staff member's appointments the time off
 * would cover (listed before saving), and asking each of those customers to choose a new time — one
 * `rescheduleRequestWorkflow` per appointment and time off (workflows/reschedule-request/), which sends
 * the next open times and the customer's manage link. Starting it twice finds the first.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Actor } from '../../workflows/appointment/messages';
import {
  RESCHEDULE_REQUEST_WORKFLOW_TYPE,
  type RescheduleRequestInput,
  rescheduleRequestWorkflowId,
} from '../../workflows/reschedule-request/messages';

export interface BookedDuring {
  id: string;
  startsAt: string;
  endsAt: string;
  status: string;
  revision: number;
  contactName: string;
  serviceName: string;
}

/** The staff member's appointments still holding their time within [from, to). */
export async function bookedDuring(
  db: Kysely<Database>,
  staffId: string,
  range: { from: Date; to: Date },
): Promise<BookedDuring[]> {
  const rows = await db
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .innerJoin('services as s', 's.id', 'a.service_id')
    .select([
      'a.id',
      'a.starts_at',
      'a.ends_at',
      'a.status',
      'a.revision',
      'c.name as contactName',
      's.name as serviceName',
    ])
    .where('a.staff_id', '=', staffId)
    .where('a.status', 'in', ['scheduled', 'in_progress'])
    .where('a.starts_at', '<', range.to)
    .where('a.ends_at', '>', range.from)
    .orderBy('a.starts_at')
    .limit(200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    status: r.status,
    revision: r.revision,
    contactName: r.contactName,
    serviceName: r.serviceName,
  }));
}

/** Starts a reschedule request for each scheduled appointment; returns the workflow ids. */
export async function requestReschedules(
  temporal: Client,
  taskQueue: string,
  input: { timeOffId: string; appointments: BookedDuring[]; actor: Actor },
): Promise<Array<{ appointmentId: string; workflowId: string }>> {
  const started: Array<{ appointmentId: string; workflowId: string }> = [];
  for (const appointment of input.appointments.filter((a) => a.status === 'scheduled')) {
    const workflowId = rescheduleRequestWorkflowId(appointment.id, input.timeOffId);
    const args: [RescheduleRequestInput] = [
      {
        appointmentId: appointment.id,
        timeOffId: input.timeOffId,
        revision: appointment.revision,
        suggestSlots: 3,
        actor: input.actor,
      },
    ];
    try {
      await temporal.workflow.start(RESCHEDULE_REQUEST_WORKFLOW_TYPE, {
        workflowId,
        taskQueue,
        args,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        staticSummary: `Reschedule request: ${appointment.contactName}, ${appointment.serviceName} (staff time off)`,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    started.push({ appointmentId: appointment.id, workflowId });
  }
  return started;
}
