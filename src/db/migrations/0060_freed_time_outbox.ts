/**
 * Time that staff changes free (time off removed, working hours added) is written here in the
 * transaction of the change, and offered to the waitlist from here (src/waitlist/freed-time-outbox.ts),
 * so a process that dies between the change and the offer does not lose it: the dispatcher's next poll
 * offers what is still unoffered.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS freed_time (
    key text PRIMARY KEY,
    staff_id uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    windows jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    claimed_until timestamptz,
    offered_at timestamptz
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS freed_time_unoffered_idx ON freed_time (created_at) WHERE offered_at IS NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS freed_time`.execute(db);
}
