/**
 * A card given at booking for that visit only (issue 13 with issue 12's identity rule): a public booking
 * with a known email from a device not proven to be that contact's never attaches a card to the
 * contact's Stripe customer or file; its card (on a Stripe customer of its own) is kept on the
 * appointment and charged for that visit before the contact's card.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE appointments ADD COLUMN IF NOT EXISTS booking_customer_id text,
    ADD COLUMN IF NOT EXISTS booking_payment_method_id text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE appointments DROP COLUMN IF EXISTS booking_customer_id,
    DROP COLUMN IF EXISTS booking_payment_method_id`.execute(db);
}
