/**
 * Idempotency keys for the HTTP API (src/http/idempotency.ts): one row per (caller scope, key) with
 * what the request was (method, route, hash of path and body) and, once it finished, its first answer
 * (status and body), replayed to every retry for 24 hours (pruned by src/retention/). While the first
 * request runs the row holds a lease (`locked_until`); a retry after the lease (the first one died)
 * runs it again. The body is `json`, not `jsonb`: replayed byte for byte (jsonb would reorder keys).
 *
 * `appointments.request_key` is the booking's key (scope and key, hashed): a booking retried after its
 * answer was lost finds the appointment it made instead of being told the slot is taken.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE idempotency_keys (
      scope text NOT NULL,
      key text NOT NULL,
      method text NOT NULL,
      route text NOT NULL,
      request_hash text NOT NULL,
      response_status integer,
      response_body json,
      locked_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      PRIMARY KEY (scope, key),
      CHECK ((response_status IS NULL) = (completed_at IS NULL))
    )`.execute(db);
  await sql`CREATE INDEX idempotency_keys_age_idx ON idempotency_keys (created_at)`.execute(db);
  await sql`ALTER TABLE appointments ADD COLUMN request_key text`.execute(db);
  await sql`CREATE UNIQUE INDEX appointments_request_key_idx ON appointments (request_key) WHERE request_key IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS appointments_request_key_idx`.execute(db);
  await sql`ALTER TABLE appointments DROP COLUMN IF EXISTS request_key`.execute(db);
  await sql`DROP TABLE IF EXISTS idempotency_keys`.execute(db);
}
