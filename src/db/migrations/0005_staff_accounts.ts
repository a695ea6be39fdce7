/**
 * Staff accounts for the admin web app: sign-in identities (email, name, role, scrypt password hash,
 * the staff member a technician is), server-side sessions (only the SHA-256 of the session id is
 * stored, with the CSRF token bound to it) and failed-login counters for the rate limit.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `CREATE TABLE staff_accounts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL CHECK (length(trim(email)) > 0),
    name text NOT NULL CHECK (length(trim(name)) > 0),
    role text NOT NULL CHECK (role IN ('admin','staff','technician')),
    staff_id uuid REFERENCES staff(id),
    password_hash text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (role <> 'technician' OR staff_id IS NOT NULL)
  )`,
  `CREATE UNIQUE INDEX staff_accounts_email_key ON staff_accounts (lower(email))`,
  `CREATE TABLE staff_sessions (
    id_hash text PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
  )`,
  `CREATE INDEX staff_sessions_account_idx ON staff_sessions (account_id)`,
  `CREATE TABLE login_attempts (
    key text PRIMARY KEY,
    failures integer NOT NULL DEFAULT 0,
    window_started_at timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['login_attempts', 'staff_sessions', 'staff_accounts']) {
    await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
  }
}
