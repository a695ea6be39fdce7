/**
 * Customer feedback after a visit (the feedbackRequest message's link):
 * - `manage_tokens.purpose`: a token is minted for one purpose. Manage and billing links keep `manage`;
 *   the feedback link gets its own `feedback` token, which can neither change the appointment nor open
 *   the invoice, and a manage token cannot answer the feedback form.
 * - `feedback`: one answer per appointment (the primary key), rating 1–5, comment, consent to publish.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `ALTER TABLE manage_tokens ADD COLUMN purpose text NOT NULL DEFAULT 'manage' CHECK (purpose IN ('manage','feedback'))`,
  `CREATE TABLE feedback (
    appointment_id uuid PRIMARY KEY REFERENCES appointments(id),
    contact_id uuid NOT NULL REFERENCES contacts(id),
    rating integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    may_publish boolean NOT NULL DEFAULT false,
    follow_up_task_id uuid REFERENCES tasks(id),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX feedback_created_idx ON feedback (created_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS feedback CASCADE').execute(db);
  await sql.raw('ALTER TABLE manage_tokens DROP COLUMN IF EXISTS purpose').execute(db);
}
