/**
 * The customer portal (issue 16): passwordless sign-in and customer sessions.
 * - `customer_sign_in_challenges`: a one-time email link (random 256-bit token) or a six-digit SMS code,
 *   only its SHA-256 stored (the code's salted with the challenge id), short-lived, used at most once,
 *   and a code dies after a few wrong guesses.
 * - `customer_sessions`: the portal's own sessions (cookie `af_portal`, separate from staff sessions),
 *   only the SHA-256 of the session id stored, with the CSRF token bound to it; "sign out everywhere"
 *   revokes every row of the contact.
 * - `contacts.client_notes`: what the customer tells the business about themselves (gate code,
 *   allergies), kept from one visit to the next and edited in the portal; staff notes stay internal.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `ALTER TABLE contacts ADD COLUMN client_notes text NOT NULL DEFAULT ''`,
  `CREATE TABLE customer_sign_in_challenges (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('link','code')),
    secret_hash text NOT NULL,
    sent_to text NOT NULL,
    failed_attempts integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
  )`,
  `CREATE UNIQUE INDEX customer_sign_in_challenges_secret_key ON customer_sign_in_challenges (secret_hash)`,
  `CREATE INDEX customer_sign_in_challenges_contact_idx ON customer_sign_in_challenges (contact_id, created_at)`,
  `CREATE INDEX customer_sign_in_challenges_expires_idx ON customer_sign_in_challenges (expires_at)`,
  `CREATE TABLE customer_sessions (
    id_hash text PRIMARY KEY,
    contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    signed_in_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
  )`,
  `CREATE INDEX customer_sessions_contact_idx ON customer_sessions (contact_id)`,
  `CREATE INDEX customer_sessions_expires_idx ON customer_sessions (expires_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS customer_sessions`.execute(db);
  await sql`DROP TABLE IF EXISTS customer_sign_in_challenges`.execute(db);
  await sql`ALTER TABLE contacts DROP COLUMN IF EXISTS client_notes`.execute(db);
}
