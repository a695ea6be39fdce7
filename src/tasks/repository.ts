/**
 * Tasks in the database: the task list (open / done, by assignee, overdue first) with each task's
 * appointment start, status and billing terms (the deliver form asks accordingly), one task, and the
 * writes the task API makes outside the workflow (reassigning an open task; closing a task no workflow
 * waits on). Completing a deliver or charge task is a workflow update (src/http/routes/tasks.ts).
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, TaskKind, TaskStatus } from '../db/schema';
import { appendTimeline } from '../appointments/repository';

type Db = Kysely<Database> | Transaction<Database>;

function tasksWithContext(db: Db) {
  return db
    .selectFrom('tasks as t')
    .leftJoin('staff as s', 's.id', 't.assignee_staff_id')
    .leftJoin('appointments as a', 'a.id', 't.appointment_id')
    .leftJoin('services as sv', 'sv.id', 'a.service_id')
    .select([
      // The appointment's start and status, and how it is billed (the deliver form asks accordingly).
      'a.starts_at as appointment_starts_at',
      'a.ends_at as appointment_ends_at',
      'a.time_zone as appointment_time_zone',
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
}

/** Tasks in one status (overdue open ones first, then by due time; at most 500). */
export async function listTasks(
  db: Db,
  filter: {
    status: TaskStatus;
    assignee?: string | undefined;
    /** A technician's list: only the tasks assigned to them (on top of `assignee`). */
    ownedBy?: string | null;
    overdue: boolean;
  },
) {
  let q = tasksWithContext(db).where('t.status', '=', filter.status);
  if (filter.assignee) q = q.where('t.assignee_staff_id', '=', filter.assignee);
  if (filter.ownedBy !== undefined) q = q.where('t.assignee_staff_id', '=', filter.ownedBy);
  if (filter.overdue) q = q.where(sql<boolean>`t.due_at < now()`);
  return q
    .orderBy(sql`(t.status = 'open' and t.due_at < now())`, 'desc')
    .orderBy('t.due_at')
    .limit(500)
    .execute();
}

export async function taskById(db: Db, id: string) {
  return tasksWithContext(db).where('t.id', '=', id).executeTakeFirst();
}

/** A task of an appointment, with the appointment's workflow, times and billing terms; undefined otherwise. */
export async function taskWithAppointment(db: Db, id: string) {
  const task = await db
    .selectFrom('tasks')
    .select(['id', 'appointment_id', 'kind'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!task?.appointment_id) return undefined;
  const appointment = await db
    .selectFrom('appointments as a')
    .innerJoin('services as s', 's.id', 'a.service_id')
    .select([
      'a.workflow_id',
      'a.contact_id',
      'a.starts_at',
      'a.ends_at',
      (eb) => eb.fn.coalesce('a.pricing', 's.pricing').as('pricing'),
      (eb) => eb.fn.coalesce('a.billing_increment_minutes', 's.billing_increment_minutes').as('increment'),
    ])
    .where('a.id', '=', task.appointment_id)
    .executeTakeFirstOrThrow();
  return { task, appointment };
}

/** An active staff member (a task's new assignee). */
export async function activeStaffMember(db: Db, id: string) {
  return db
    .selectFrom('staff')
    .select(['id', 'name'])
    .where('id', '=', id)
    .where('active', '=', true)
    .executeTakeFirst();
}

/** The task, locked for the rest of the transaction. */
export async function lockTask(trx: Transaction<Database>, id: string) {
  return trx.selectFrom('tasks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function assignTask(db: Db, id: string, staffId: string): Promise<void> {
  await db
    .updateTable('tasks')
    .set({ assignee_staff_id: staffId, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Task kinds a workflow completes (an update to the appointment's workflow); the others are closed here. */
export const WORKFLOW_TASK_KINDS: readonly TaskKind[] = ['deliver_service', 'charge_customer'];

/**
 * Closes a task no workflow waits on (a refund the provider refused, a failed delivery, a reach-out):
 * done, by whom, with the form's notes, on the appointment's timeline. A second completion changes nothing.
 */
export async function closeTask(
  db: Kysely<Database>,
  id: string,
  by: { name: string; channel: string; form: Record<string, unknown> },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const task = await lockTask(trx, id);
    if (!task || task.status !== 'open') return;
    const now = new Date();
    await trx
      .updateTable('tasks')
      .set({
        status: 'done',
        completed_by: by.name,
        completed_at: now,
        form_result: JSON.stringify(by.form),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    if (task.appointment_id) {
      await appendTimeline(trx, {
        appointmentId: task.appointment_id,
        kind: 'task:done',
        actor: by.name,
        channel: by.channel,
        summary: `Task done: ${task.title}`,
        data: { taskId: id },
        idempotencyKey: `task:${id}:done`,
      });
    }
  });
}
