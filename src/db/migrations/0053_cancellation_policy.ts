/**
 * Cancellation policy per service (issue 13, item 6): a late-cancel window and fee and a no-show fee
 * (`src/domain/cancellation-policy.ts`), stored with the service's billing policy and frozen on each
 * appointment at booking (NULL on a service: no policy; NULL on an appointment: booked without one, so
 * no fee is ever charged for it).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE services ADD COLUMN IF NOT EXISTS cancellation_policy jsonb`.execute(db);
  await sql`ALTER TABLE appointments ADD COLUMN IF NOT EXISTS cancellation_policy jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE appointments DROP COLUMN IF EXISTS cancellation_policy`.execute(db);
  await sql`ALTER TABLE services DROP COLUMN IF EXISTS cancellation_policy`.execute(db);
}
