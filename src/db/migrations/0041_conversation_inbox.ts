/**
 * The staff Messages inbox (issue 16): per staff account (who is signed in), when they last read each customer's thread
 * (unread = the customer's messages after it), and who a thread is assigned to. "Needs reply" and
 * "waiting on customer" are not stored: they follow from who wrote last.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `CREATE TABLE conversation_reads (
    contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    read_at timestamptz NOT NULL,
    PRIMARY KEY (contact_id, account_id)
  )`,
  `CREATE TABLE conversation_assignments (
    contact_id uuid PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
    assignee_staff_id uuid REFERENCES staff(id) ON DELETE SET NULL,
    assigned_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX conversation_assignments_assignee_idx ON conversation_assignments (assignee_staff_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS conversation_assignments`.execute(db);
  await sql`DROP TABLE IF EXISTS conversation_reads`.execute(db);
}
