/**
 * Identity on public endpoints (issue 12): an unauthenticated booking with a known email never changes
 * the contact. What it asked to change waits in `contact_pending_details` until the customer confirms it
 * from a link only the contact's own email or phone received (`manage_tokens.proves_contact`: true for
 * links minted into messages, false for the link in the booking's own answer), or staff change it.
 * A customer who proved control gets a remembered device (`customer_devices`, only the SHA-256 of the
 * cookie's token stored); the next booking from that device for the same email is recognised.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `ALTER TABLE manage_tokens ADD COLUMN proves_contact boolean NOT NULL DEFAULT true`,
  `CREATE TABLE contact_pending_details (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    appointment_id uuid REFERENCES appointments(id) ON DELETE CASCADE,
    details jsonb NOT NULL,
    channel text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    applied_at timestamptz,
    discarded_at timestamptz
  )`,
  `CREATE INDEX contact_pending_details_appointment_idx ON contact_pending_details (appointment_id)
     WHERE applied_at IS NULL AND discarded_at IS NULL`,
  `CREATE INDEX contact_pending_details_contact_idx ON contact_pending_details (contact_id)`,
  `CREATE TABLE customer_devices (
    token_hash text PRIMARY KEY,
    contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
  )`,
  `CREATE INDEX customer_devices_expires_idx ON customer_devices (expires_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS customer_devices`.execute(db);
  await sql`DROP TABLE IF EXISTS contact_pending_details`.execute(db);
  await sql`ALTER TABLE manage_tokens DROP COLUMN IF EXISTS proves_contact`.execute(db);
}
