/**
 * Card on file at booking (issue 13): per service, whether the booking page asks for a card saved
 * with Stripe's Payment Element (a SetupIntent for off-session use) before it books — `required`,
 * `optional` or `none` (the default: existing services keep booking as before).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE services ADD COLUMN card_at_booking text NOT NULL DEFAULT 'none'
    CHECK (card_at_booking IN ('required','optional','none'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE services DROP COLUMN IF EXISTS card_at_booking`.execute(db);
}
