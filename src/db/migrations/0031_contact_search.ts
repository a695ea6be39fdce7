/**
 * Contact search for the front desk (issue 15): any part of a name or email, or the digits of a phone
 * number, found through trigram indexes (pg_trgm, in PostgreSQL's contrib and loaded into PGlite), so
 * "rivera", "sam.r" or "555 0101" answer without scanning every contact; and the latest bookings (recent
 * customers) by their creation time.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
  `CREATE INDEX contacts_name_trgm_idx ON contacts USING gin (lower(name) gin_trgm_ops)`,
  `CREATE INDEX contacts_email_trgm_idx ON contacts USING gin (lower(email) gin_trgm_ops)`,
  `CREATE INDEX contacts_phone_digits_trgm_idx ON contacts USING gin ((regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g')) gin_trgm_ops)`,
  `CREATE INDEX appointments_created_idx ON appointments (created_at DESC)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    'contacts_name_trgm_idx',
    'contacts_email_trgm_idx',
    'contacts_phone_digits_trgm_idx',
    'appointments_created_idx',
  ]) {
    await sql.raw(`DROP INDEX IF EXISTS ${name}`).execute(db);
  }
}
