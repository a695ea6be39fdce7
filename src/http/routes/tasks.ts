/**
 * Human tasks (deliver the service, charge the customer, follow-ups): list (mine, all, overdue first),
 * complete with the form — an update to the appointment's workflow, which stays the only writer of the
 * appointment's state and answers a second completion with the first result — and reassign.
 */
import { Router } from 'express';
import { sql } from 'kysely';
import { z } from 'zod';
import { completeTaskUpdate } from '../../../workflows/appointment/messages';
import { appendTimeline } from '../../appointments/repository';
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

export function tasksRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  router.use('/api/tasks', requireApiKey(db));

  const taskView = (db_: typeof db) =>
    db_
      .selectFrom('tasks as t')
      .leftJoin('staff as s', 's.id', 't.assignee_staff_id')
      .leftJoin('appointments as a', 'a.id', 't.appointment_id')
      .leftJoin('services as sv', 'sv.id', 'a.service_id')
      .select([
        // The appointment's start and status, and how it is billed (the deliver form asks accordingly).
        'a.starts_at as appointment_starts_at',
        'a.status as appointment_status',
        (eb) => eb.fn.coalesce('a.pricing', 'sv.pricing').as('pricing'),
        (eb) => eb.fn.coalesce('a.billing_increment_minutes', 'sv.billing_increment_minutes').as('increment_minutes'),
        't.id',
        't.kind',
        't.title',
        't.status',
        't.due_at',
        't.appointment_id',
        't.assignee_staff_id',
        's.name as assignee_name',
        't.form_result',
        't.completed_by',
        't.completed_at',
        sql<boolean>`(t.status = 'open' and t.due_at is not null and t.due_at < now())`.as('overdue'),
      ]);

  router.get('/api/tasks', async (req, res) => {
    const query = parseInput(taskListQuery, req.query, 'query');
    let q = taskView(db).where('t.status', '=', query.status);
    if (query.assignee) q = q.where('t.assignee_staff_id', '=', query.assignee);
    const me = sessionStaff(res);
    if (me?.role === 'technician') q = q.where('t.assignee_staff_id', '=', me.staffId); // their own tasks only
    if (query.overdue === 'true') q = q.where(sql<boolean>`t.due_at < now()`);
    const tasks = await q
      .orderBy(sql`(t.status = 'open' and t.due_at < now())`, 'desc')
      .orderBy('t.due_at')
      .limit(500)
      .execute();
    res.json({ tasks });
  });

  router.post('/api/tasks/:id/complete', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(completeTaskBody, req.body, 'body');
    const task = await db
      .selectFrom('tasks')
      .select(['id', 'appointment_id', 'kind'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!task?.appointment_id) throw new HttpError(404, 'not_found', `Task ${id} does not exist.`);
    const appointment = await db
      .selectFrom('appointments as a')
      .innerJoin('services as s', 's.id', 'a.service_id')
      .select([
        'a.workflow_id',
        'a.starts_at',
        'a.ends_at',
        (eb) => eb.fn.coalesce('a.pricing', 's.pricing').as('pricing'),
        (eb) => eb.fn.coalesce('a.billing_increment_minutes', 's.billing_increment_minutes').as('increment'),
      ])
      .where('a.id', '=', task.appointment_id)
      .executeTakeFirstOrThrow();
    // A fixed-price visit is not billed by the hour: staff are not asked for the time, so it is the
    // booked duration (in the billing increment), which the invoice ignores.
    const form =
      task.kind === 'deliver_service' && body.form.minutes === undefined && appointment.pricing === 'fixed'
        ? { ...body.form, minutes: bookedMinutes(appointment.starts_at, appointment.ends_at, appointment.increment) }
        : body.form;
    const caller = res.locals.caller as Caller;
    const state = await updateWorkflow(deps.temporal, res, {
      workflowId: appointment.workflow_id,
      update: completeTaskUpdate,
      args: [
        {
          taskId: id,
          form,
          actor: (caller.kind === 'api_key' ? body.actor : undefined) ?? callerActor(res),
          channel: body.channel,
        },
      ],
      field: 'form.minutes',
    });
    res.json({ task: await taskView(db).where('t.id', '=', id).executeTakeFirst(), workflow: state });
  });

  router.post('/api/tasks/:id/reassign', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(reassignTaskBody, req.body, 'body');
    const staff = await db
      .selectFrom('staff')
      .select(['id', 'name'])
      .where('id', '=', body.assigneeStaffId)
      .where('active', '=', true)
      .executeTakeFirst();
    if (!staff) {
      throw new HttpError(422, 'unknown_reference', `Staff member ${body.assigneeStaffId} does not exist.`, {}, [
        { field: 'assigneeStaffId', message: 'unknown staff member' },
      ]);
    }
    const caller = res.locals.caller as Caller;
    const updated = await db.transaction().execute(async (trx) => {
      const task = await trx.selectFrom('tasks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!task) throw new HttpError(404, 'not_found', `Task ${id} does not exist.`);
      if (task.status !== 'open')
        throw new HttpError(409, 'invalid_transition', `This task is ${task.status} and cannot be reassigned.`);
      await trx
        .updateTable('tasks')
        .set({ assignee_staff_id: staff.id, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
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
    res.json({ task: await taskView(db).where('t.id', '=', updated).executeTakeFirst() });
  });

  return router;
}
