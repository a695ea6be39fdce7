/**
 * Conversations (issue 16): one thread per customer (messages may name one of their appointments),
 * written by the customer in the portal or by staff from the appointment card; attachments (images,
 * PDF) stored by src/conversations/storage.ts under a random key, downloaded through signed links.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `CREATE TABLE conversation_messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    appointment_id uuid REFERENCES appointments(id) ON DELETE SET NULL,
    direction text NOT NULL CHECK (direction IN ('from_customer','from_staff')),
    channel text NOT NULL,
    author text NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at timestamptz
  )`,
  `CREATE INDEX conversation_messages_contact_idx ON conversation_messages (contact_id, created_at)`,
  `CREATE INDEX conversation_messages_unread_idx ON conversation_messages (contact_id) WHERE read_at IS NULL`,
  `CREATE TABLE conversation_attachments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    message_id uuid REFERENCES conversation_messages(id) ON DELETE CASCADE,
    filename text NOT NULL,
    content_type text NOT NULL,
    size_bytes integer NOT NULL,
    sha256 text NOT NULL,
    storage_key text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX conversation_attachments_message_idx ON conversation_attachments (message_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS conversation_attachments`.execute(db);
  await sql`DROP TABLE IF EXISTS conversation_messages`.execute(db);
}
