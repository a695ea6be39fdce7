/**
 * Gauges read from the database when Prometheus scrapes: open and overdue tasks by kind, appointments
 * by stage, and marks overdue — active appointments still in the stage before a mark (48 h / 12 h,
 * from the appointment's frozen lifecycle policy, else its service's, else the defaults) more than
 * `MARK_GRACE_MS` after it: the workflow has not handled the mark, so its reminder is late. Each comes from one grouped query on an index (migration 0035), and the
 * answer is kept for `ttlMs` (concurrent scrapes share one read), so scraping every few seconds costs
 * the database next to nothing.
 */
import { type Kysely, sql } from 'kysely';
import { Gauge } from 'prom-client';
import type { Database } from '../db/schema';
import { PIPELINE_STAGES } from '../domain/stages';
import { registry } from './registry';

const openTasks = new Gauge({
  name: 'appointflow_tasks_open',
  help: 'Open staff tasks, by kind',
  labelNames: ['kind'],
  registers: [registry],
});
const overdueTasks = new Gauge({
  name: 'appointflow_tasks_overdue',
  help: 'Open staff tasks past their due time, by kind',
  labelNames: ['kind'],
  registers: [registry],
});
const appointments = new Gauge({
  name: 'appointflow_appointments',
  help: 'Appointments, by pipeline stage',
  labelNames: ['stage'],
  registers: [registry],
});

const marksOverdue = new Gauge({
  name: 'appointflow_marks_overdue',
  help: 'Active appointments whose 48 h (tomorrow) or 12 h (today) mark passed over a minute ago without its stage change and reminder',
  labelNames: ['mark'],
  registers: [registry],
});

/** A mark handled within this time is on time. */
export const MARK_GRACE_MS = 60_000;

interface Snapshot {
  tasks: Array<{ kind: string; open: number; overdue: number }>;
  stages: Array<{ stage: string; count: number }>;
  overdue: { tomorrow: number; today: number };
}

const cache = new WeakMap<Kysely<Database>, { at: number; snapshot: Promise<Snapshot> }>();

async function read(db: Kysely<Database>, now: number): Promise<Snapshot> {
  const hours = (key: string, fallback: number) =>
    sql`coalesce((a.lifecycle_policy->>${key})::float8, (s.lifecycle_policy->>${key})::float8, ${fallback})`;
  const late = new Date(now - MARK_GRACE_MS);
  const [tasks, stages, overdue] = await Promise.all([
    db
      .selectFrom('tasks')
      .select((eb) => [
        'kind',
        eb.fn.countAll<string>().as('open'),
        sql<string>`count(*) filter (where due_at < ${new Date(now)})`.as('overdue'),
      ])
      .where('status', '=', 'open')
      .groupBy('kind')
      .execute(),
    db
      .selectFrom('appointments')
      .select((eb) => ['stage', eb.fn.countAll<string>().as('count')])
      .groupBy('stage')
      .execute(),
    // Marks reach at most 30 days before the start (MAX_POLICY_HOURS), so only those appointments are read.
    db
      .selectFrom('appointments as a')
      .innerJoin('services as s', 's.id', 'a.service_id')
      .select([
        sql<string>`count(*) filter (where a.stage = 'Appointment Scheduled' and a.starts_at - make_interval(secs => ${hours('tomorrowHoursBefore', 48)} * 3600) < ${late})`.as(
          'tomorrow',
        ),
        sql<string>`count(*) filter (where a.stage in ('Appointment Scheduled', 'Appointment Tomorrow') and a.starts_at - make_interval(secs => ${hours('todayHoursBefore', 12)} * 3600) < ${late})`.as(
          'today',
        ),
      ])
      .where('a.status', '=', 'scheduled')
      .where('a.stage', 'in', ['Appointment Scheduled', 'Appointment Tomorrow'])
      .where('a.starts_at', '<', new Date(now + 31 * 24 * 3600_000))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    tasks: tasks.map((t) => ({ kind: t.kind, open: Number(t.open), overdue: Number(t.overdue) })),
    stages: stages.map((s) => ({ stage: s.stage, count: Number(s.count) })),
    overdue: { tomorrow: Number(overdue.tomorrow), today: Number(overdue.today) },
  };
}

/** Sets the gauges from the database (at most one read per `ttlMs`). */
export async function refreshDatabaseGauges(db: Kysely<Database>, now = Date.now(), ttlMs = 15_000): Promise<void> {
  let entry = cache.get(db);
  if (!entry || now - entry.at >= ttlMs) {
    entry = { at: now, snapshot: read(db, now) };
    cache.set(db, entry);
    entry.snapshot.catch(() => cache.delete(db));
  }
  const snapshot = await entry.snapshot;
  openTasks.reset();
  overdueTasks.reset();
  for (const t of snapshot.tasks) {
    openTasks.set({ kind: t.kind }, t.open);
    overdueTasks.set({ kind: t.kind }, t.overdue);
  }
  appointments.reset();
  for (const stage of PIPELINE_STAGES) appointments.set({ stage }, 0);
  for (const s of snapshot.stages) appointments.set({ stage: s.stage }, s.count);
  marksOverdue.set({ mark: 'tomorrow' }, snapshot.overdue.tomorrow);
  marksOverdue.set({ mark: 'today' }, snapshot.overdue.today);
}
