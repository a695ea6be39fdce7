/**
 * Deposits (issue 13, item 2): each service's deposit policy (`src/domain/deposit-policy.ts`: none, a
 * fixed amount at most the price, or a percent of it), taken at booking with a PaymentIntent. NULL:
 * no deposit (existing services keep booking as before). The deposit itself is a ledger row
 * (`invoice_payments`, method `deposit`) on the visit's draft invoice, written with the booking.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE services ADD COLUMN IF NOT EXISTS deposit_policy jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE services DROP COLUMN IF EXISTS deposit_policy`.execute(db);
}
