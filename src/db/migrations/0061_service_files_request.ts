/**
 * Files before the visit (issue 16): per service, what the customer is asked to send before the visit
 * ("Please send photos of the device and its model label"). NULL: nothing is asked. The confirmation
 * (and the 48-hour reminder while nothing has arrived) shows it with a link into the portal
 * conversation; the appointment card lists what the customer sent.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE services ADD COLUMN IF NOT EXISTS files_request text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE services DROP COLUMN IF EXISTS files_request`.execute(db);
}
