/**
 * What the customer pages show of the business (issue 14): a logo, a brand colour, the country whose
 * phone numbers customers may type in national form (ISO 3166-1 alpha-2, e.g. US: "(212) 555-0143"),
 * the customer-facing policy (cancellation, lateness) shown on the booking, confirmation and manage
 * pages, and the language customer pages and messages default to. A service now says where it takes
 * place: at the business, or at the customer's address ("we come to you").
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE business
    ADD COLUMN logo_url text,
    ADD COLUMN brand_color text NOT NULL DEFAULT '#1a5fb4' CHECK (brand_color ~ '^#[0-9a-fA-F]{6}$'),
    ADD COLUMN country text NOT NULL DEFAULT 'US' CHECK (country ~ '^[A-Z]{2}$'),
    ADD COLUMN customer_policy text NOT NULL DEFAULT '',
    ADD COLUMN default_locale text NOT NULL DEFAULT 'en'`.execute(db);
  await sql`ALTER TABLE services
    ADD COLUMN location text NOT NULL DEFAULT 'business' CHECK (location IN ('business', 'customer'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE services DROP COLUMN IF EXISTS location`.execute(db);
  await sql`ALTER TABLE business
    DROP COLUMN IF EXISTS logo_url,
    DROP COLUMN IF EXISTS brand_color,
    DROP COLUMN IF EXISTS country,
    DROP COLUMN IF EXISTS customer_policy,
    DROP COLUMN IF EXISTS default_locale`.execute(db);
}
