/**
 * When a message was last handed to its provider (`send_started_at`, set just before the call). A
 * queued message that already has one was handed over by an attempt that did not record the outcome
 * (the worker crashed or timed out after the call): the next attempt first asks the provider whether
 * the message went out (Twilio: the account's recent messages to that number), so it is not sent twice.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE messages ADD COLUMN send_started_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE messages DROP COLUMN IF EXISTS send_started_at`.execute(db);
}
