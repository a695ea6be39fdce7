/**
 * Rate-limit counters shared by every API replica (issue 12): one row per key (`signin:ip:<address>`,
 * `booking:contact:<email>` …) counting hits in a fixed window that ends at `window_ends_at`. A hit is
 * one atomic upsert; expired rows are pruned by src/retention/.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE rate_limits (
    key text PRIMARY KEY,
    hits integer NOT NULL,
    window_ends_at timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX rate_limits_window_ends_idx ON rate_limits (window_ends_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS rate_limits`.execute(db);
}
