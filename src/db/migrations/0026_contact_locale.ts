/**
 * The contact's language (a BCP 47 tag the messages support, e.g. "en", "es"), set when they book
 * from a page in that language; every customer message (email, SMS, .ics) is rendered in it. NULL:
 * the business's default language.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE contacts ADD COLUMN locale text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE contacts DROP COLUMN IF EXISTS locale`.execute(db);
}
