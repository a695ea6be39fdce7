/**
 * What a membership was sold with (issue: membership plans in the admin app): the plan's name and
 * price at the time of purchase, copied to the membership row, so renaming or repricing a plan applies
 * to new purchases only and the card of a membership already sold keeps its own name and price.
 * Existing rows are filled from their plan (nothing could have changed them before this migration).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE memberships
    ADD COLUMN plan_name text,
    ADD COLUMN price_minor bigint CHECK (price_minor IS NULL OR price_minor >= 0),
    ADD COLUMN currency char(3)`.execute(db);
  await sql`UPDATE memberships m
    SET plan_name = p.name, price_minor = p.price_minor, currency = p.currency
    FROM membership_plans p WHERE p.id = m.plan_id`.execute(db);
  await sql`CREATE INDEX memberships_plan_idx ON memberships (plan_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS memberships_plan_idx`.execute(db);
  await sql`ALTER TABLE memberships DROP COLUMN IF EXISTS plan_name, DROP COLUMN IF EXISTS price_minor,
    DROP COLUMN IF EXISTS currency`.execute(db);
}
