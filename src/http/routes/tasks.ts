/**
 * Human tasks (deliver the service, charge the customer, follow-ups): list (mine, all, overdue first),
 * complete with the form — for deliver and charge an update to the appointment's workflow, which stays
 * the only writer of the appointment's state and answers a second completion with the first result;
 * other tasks (no workflow waits on them) are closed in the database — and reassign.
 */
import { Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { cardActions, type ActionState } from '../../appointments/actions';
import { zoneOf } from '../../appointments/card';
import { completeTaskUpdate, type ServiceReport } from '../../../workflows/appointment/messages';
import { foreignPhotoIds } from '../../appointments/service-report';
import type { Database } from '../../db/schema';
import { appendTimeline } from '../../appointments/repository';
import {
  activeStaffMember,
  assignTask,
  closeTask,
  listTasks,
  lockTask,
  taskById,
  taskWithAppointment,
  WORKFLOW_TASK_KINDS,
} from '../../tasks/repository';
import { callerActor, requireApiKey, sessionStaff, type Caller } from '../auth';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { completeTaskBody, reassignTaskBody, taskListQuery, uuid } from '../schemas';
import { parseInput } from '../validate';
import { updateWorkflow } from '../workflow-updates';

const idParams = z.object({ id: uuid });

function bookedMinutes(startsAt: Date, endsAt: Date, increment: number): number {
  const minutes = Math.max(1, Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000));
  return Math.min(24 * 60, Math.ceil(minutes / increment) * increment);
}

/**
 * Whether an open deliver task can be completed now, by the appointment card's rule (the list offers only
 * what the workflow will accept: early delivery is refused with the reason, near the start confirmed).
 */
function deliverAction(
  task: Awaited<ReturnType<typeof listTasks>>[number],
  timeZone: string | undefined,
  now: number,
): ActionState | null {
  if (task.kind !== 'deliver_service' || task.status !== 'open') return null;
  if (!task.appointment_starts_at || !task.appointment_ends_at || !task.appointment_status) return null;
  return cardActions({
    status: task.appointment_status,
    startsAt: task.appointment_starts_at.getTime(),
    endsAt: task.appointment_ends_at.getTime(),
    now,
    deliverTask: { status: 'open' },
    workflowRunning: true,
    timeZone: zoneOf(timeZone, task.appointment_time_zone ?? 'UTC'),
  }).deliver;
}

/** A service report goes with the deliver task only, and shows only photos from this customer's thread. */
async function checkReport(db: Kysely<Database>, kind: string, contactId: string, report?: ServiceReport) {
  if (!report) return;
  if (kind !== 'deliver_service') {
    throw new HttpError(422, 'invalid_request', 'A service report is written when the service is delivered.', {}, [
      { field: 'form.report', message: 'only the deliver-service task takes a service report' },
    ]);
  }
  const foreign = await foreignPhotoIds(db, contactId, report.photoIds ?? []);
  if (foreign.length > 0) {
    throw new HttpError(422, 'unknown_attachment', `Photo ${foreign[0]} is not an image this customer sent.`, {}, [
      { field: 'form.report.photoIds', message: "must be images from this customer's conversation" },
    ]);
  }
}

export function tasksRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  router.use('/api/tasks', requireApiKey(db));

  router.get('/api/tasks', async (req, res) => {
    const query = parseInput(taskListQuery, req.query, 'query');
    const me = sessionStaff(res);
    const tasks = await listTasks(db, {
      status: query.status,
      assignee: query.assignee,
      // A technician sees their own tasks only.
      ...(me?.role === 'technician' ? { ownedBy: me.staffId } : {}),
      overdue: query.overdue === 'true',
    });
    const now = Date.now();
    res.json({ tasks: tasks.map((task) => ({ ...task, deliver: deliverAction(task, query.timeZone, now) })) });
  });

  router.post('/api/tasks/:id/complete', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(completeTaskBody, req.body, 'body');
    const caller = res.locals.caller as Caller;
    const actor = (caller.kind === 'api_key' ? body.actor : undefined) ?? callerActor(res);
    const listed = await taskById(db, id);
    if (listed && !WORKFLOW_TASK_KINDS.includes(listed.kind)) {
      // No workflow waits on it (a refused refund, a failed delivery, a reach-out): closed here.
      await closeTask(db, id, { name: actor.name, channel: body.channel, form: body.form });
      res.json({ task: await taskById(db, id) });
      return;
    }
    const found = await taskWithAppointment(db, id);
    if (!found) throw new HttpError(404, 'not_found', `Task ${id} does not exist.`);
    const { task, appointment } = found;
    await checkReport(db, task.kind, appointment.contact_id, body.form.report);
    // A fixed-price visit is not billed by the hour: staff are not asked for the time, so it is the
    // booked duration (in the billing increment), which the invoice ignores.
    const form =
      task.kind === 'deliver_service' && body.form.minutes === undefined && appointment.pricing === 'fixed'
        ? { ...body.form, minutes: bookedMinutes(appointment.starts_at, appointment.ends_at, appointment.increment) }
        : body.form;
    const state = await updateWorkflow(deps.temporal, res, {
      workflowId: appointment.workflow_id,
      update: completeTaskUpdate,
      args: [
        {
          taskId: id,
          form,
          actor,
          channel: body.channel,
        },
      ],
      field: 'form.minutes',
    });
    res.json({ task: await taskById(db, id), workflow: state });
  });

  router.post('/api/tasks/:id/reassign', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(reassignTaskBody, req.body, 'body');
    const staff = await activeStaffMember(db, body.assigneeStaffId);
    if (!staff) {
      throw new HttpError(422, 'unknown_reference', `Staff member ${body.assigneeStaffId} does not exist.`, {}, [
        { field: 'assigneeStaffId', message: 'unknown staff member' },
      ]);
    }
    const caller = res.locals.caller as Caller;
    const updated = await db.transaction().execute(async (trx) => {
      const task = await lockTask(trx, id);
      if (!task) throw new HttpError(404, 'not_found', `Task ${id} does not exist.`);
      if (task.status !== 'open')
        throw new HttpError(409, 'invalid_transition', `This task is ${task.status} and cannot be reassigned.`);
      await assignTask(trx, id, staff.id);
      await appendTimeline(trx, {
        appointmentId: task.appointment_id,
        kind: 'task:reassigned',
        actor: (caller.kind === 'api_key' ? body.actor?.name : undefined) ?? callerActor(res).name,
        channel: 'api',
        summary: `Task "${task.title}" reassigned to ${staff.name}`,
        data: { taskId: id, from: task.assignee_staff_id, to: staff.id },
      });
      return task.id;
    });
    res.json({ task: await taskById(db, updated) });
  });

  return router;
}
