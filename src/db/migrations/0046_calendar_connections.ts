/**
 * Staff members' own calendars (Google Calendar, Outlook through Microsoft Graph), connected by OAuth 2
 * with PKCE, whose busy blocks are taken out of availability (src/calendars/). Tokens and the PKCE
 * verifier are stored encrypted (src/secrets/); the OAuth `state` only as its SHA-256. The busy blocks
 * of the last fetch are cached on the row for a short time and marked stale by push notifications.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE calendar_connections (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    staff_id uuid NOT NULL REFERENCES staff(id),
    provider text NOT NULL CHECK (provider IN ('google', 'microsoft')),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'connected', 'error', 'disconnected')),
    state_hash text UNIQUE,
    code_verifier text,
    account text,
    access_token text,
    refresh_token text,
    access_expires_at timestamptz,
    busy jsonb NOT NULL DEFAULT '[]'::jsonb,
    busy_from timestamptz,
    busy_until timestamptz,
    busy_fetched_at timestamptz,
    busy_stale boolean NOT NULL DEFAULT false,
    watch_id text UNIQUE,
    watch_secret text,
    watch_resource_id text,
    watch_expires_at timestamptz,
    last_error text,
    connected_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  // One live connection per staff member and provider (pending ones are replaced by a new attempt).
  await sql`CREATE UNIQUE INDEX calendar_connections_live_idx ON calendar_connections (staff_id, provider)
    WHERE status IN ('connected', 'error')`.execute(db);
  await sql`CREATE INDEX calendar_connections_staff_idx ON calendar_connections (staff_id) WHERE status = 'connected'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS calendar_connections`.execute(db);
}
