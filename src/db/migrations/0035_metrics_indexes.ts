/**
 * Indexes for the `/metrics` gauges (src/metrics/database-gauges.ts): open tasks by kind and due time
 * (a partial index: done and cancelled tasks, the bulk of the table, are not in it), and appointments by
 * stage (the per-stage count is an index-only scan).
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `CREATE INDEX IF NOT EXISTS tasks_open_kind_idx ON tasks (kind, due_at) WHERE status = 'open'`,
  `CREATE INDEX IF NOT EXISTS appointments_stage_idx ON appointments (stage)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of ['tasks_open_kind_idx', 'appointments_stage_idx']) {
    await sql.raw(`DROP INDEX IF EXISTS ${name}`).execute(db);
  }
}
