/**
 * Staff management (issue 15): each staff member's calendar colour, and invitations to set a password
 * (only the SHA-256 of the token is kept; one use, until it expires).
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `ALTER TABLE staff ADD COLUMN colour text CHECK (colour IS NULL OR colour ~ '^#[0-9a-f]{6}$')`,
  `CREATE TABLE staff_invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    staff_id uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    email text NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz
  )`,
  `CREATE INDEX staff_invitations_staff_idx ON staff_invitations (staff_id, created_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS staff_invitations').execute(db);
  await sql.raw('ALTER TABLE staff DROP COLUMN IF EXISTS colour').execute(db);
}
