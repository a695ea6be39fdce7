/**
 * What a customer may do to their own appointment, from a manage link or from the portal (issue 16):
 * see free times, reschedule, cancel. One implementation, so both follow the same rules: the offered
 * slot check (409 with the next free times), a membership visit only within its validity, the same
 * idempotent workflow updates with the customer as the actor, and the same refusals from the workflow.
 */
import type { Kysely } from 'kysely';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import { type Actor, type Channel, cancelUpdate, rescheduleUpdate } from '../../workflows/appointment/messages';
import { availableSlots } from '../availability/service';
import type { Config } from '../config';
import type { Appointment, Database } from '../db/schema';
import {
  requireOfferedSlot,
  requireVisitMoveAllowed,
  slotsResponse,
  rangeInZone,
} from '../http/routes/booking-helpers';
import { appointmentView, customerView } from '../http/views';
import { updateWorkflow } from '../http/workflow-updates';
import { visitValidUntil } from '../memberships/repository';

export interface CustomerChangeDeps {
  db: Kysely<Database>;
  config: Config;
  temporal: Client;
}

type Subject = Pick<Appointment, 'id' | 'workflow_id' | 'contact_id' | 'service_id' | 'staff_id' | 'membership_id'>;

async function customerActor(db: Kysely<Database>, contactId: string): Promise<Actor> {
  const contact = await db.selectFrom('contacts').select('name').where('id', '=', contactId).executeTakeFirstOrThrow();
  return { kind: 'customer', id: contactId, name: contact.name };
}

async function customerAppointment(deps: CustomerChangeDeps, id: string) {
  return customerView((await appointmentView(deps.db, deps.config, id))!);
}

/** Free times to move this appointment to (a membership visit: only within its validity). */
export async function customerAvailability(
  deps: CustomerChangeDeps,
  appointment: Subject,
  query: { from: string; to: string; timeZone: string; staffId?: string | undefined },
) {
  const range = rangeInZone(query.from, query.to, query.timeZone);
  const validUntil = await visitValidUntil(deps.db, appointment.membership_id);
  const slots = (
    await availableSlots(deps.db, {
      serviceId: appointment.service_id,
      staffId: query.staffId,
      ...range,
      now: Date.now(),
      excludeAppointmentId: appointment.id,
    })
  ).filter((s) => validUntil === undefined || s.startsAt < validUntil);
  return {
    serviceId: appointment.service_id,
    timeZone: query.timeZone,
    days: await slotsResponse(deps.db, slots, query.timeZone),
  };
}

export async function customerReschedule(
  deps: CustomerChangeDeps,
  appointment: Subject,
  startsAt: number,
  channel: Channel,
  res: Response,
) {
  await requireVisitMoveAllowed(deps.db, appointment, { startsAt });
  const slot = await requireOfferedSlot(deps.db, {
    serviceId: appointment.service_id,
    preferStaffId: appointment.staff_id,
    startsAt,
    excludeAppointmentId: appointment.id,
    now: Date.now(),
  });
  const actor = await customerActor(deps.db, appointment.contact_id);
  await updateWorkflow(deps.temporal, res, {
    workflowId: appointment.workflow_id,
    update: rescheduleUpdate,
    args: [{ startsAt, staffId: slot.staffId, actor, channel }],
  });
  return customerAppointment(deps, appointment.id);
}

export async function customerCancel(
  deps: CustomerChangeDeps,
  appointment: Subject,
  reason: string | undefined,
  channel: Channel,
  res: Response,
) {
  const actor = await customerActor(deps.db, appointment.contact_id);
  await updateWorkflow(deps.temporal, res, {
    workflowId: appointment.workflow_id,
    update: cancelUpdate,
    args: [{ reason: reason || 'Cancelled by the customer', actor, channel }],
    field: 'reason',
  });
  return customerAppointment(deps, appointment.id);
}
