/**
 * Real messaging channels (issue 8): SMS reply conversations with their pending state, the contact's
 * permanent-failure flag for SMS, a lookup index from provider message ids (delivery callbacks), and
 * staff-editable template overrides.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `ALTER TABLE contacts ADD COLUMN sms_failed_at timestamptz`,
  `ALTER TABLE contacts ADD COLUMN sms_failed_reason text`,
  `ALTER TABLE contacts ADD COLUMN email_bounce_reason text`,
  `CREATE INDEX messages_provider_message_idx ON messages (provider, provider_message_id)`,
  `CREATE TABLE conversations (
    channel text NOT NULL CHECK (channel IN ('sms','email')),
    address text NOT NULL,
    contact_id uuid NOT NULL REFERENCES contacts(id),
    appointment_id uuid REFERENCES appointments(id),
    state text NOT NULL CHECK (state IN ('awaiting_cancel_confirmation','choosing_slot')),
    offered_slots jsonb NOT NULL DEFAULT '[]'::jsonb,
    expires_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, address)
  )`,
  `CREATE TABLE message_templates (
    event text NOT NULL,
    channel text NOT NULL CHECK (channel IN ('email','sms')),
    subject text,
    body text NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event, channel)
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS message_templates').execute(db);
  await sql.raw('DROP TABLE IF EXISTS conversations').execute(db);
  await sql.raw('DROP INDEX IF EXISTS messages_provider_message_idx').execute(db);
  for (const column of ['sms_failed_at', 'sms_failed_reason', 'email_bounce_reason']) {
    await sql.raw(`ALTER TABLE contacts DROP COLUMN IF EXISTS ${column}`).execute(db);
  }
}
