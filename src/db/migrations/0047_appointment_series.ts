/**
 * Recurring appointments (src/booking/series.ts): a series row with its rule, and each occurrence an
 * ordinary appointment (with its own workflow) linked by `series_id` and numbered by `series_index`.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE appointment_series (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contact_id uuid NOT NULL REFERENCES contacts(id),
    service_id uuid NOT NULL REFERENCES services(id),
    staff_id uuid NOT NULL REFERENCES staff(id),
    every integer NOT NULL CHECK (every BETWEEN 1 AND 52),
    unit text NOT NULL CHECK (unit IN ('day', 'week', 'month')),
    occurrences integer NOT NULL CHECK (occurrences BETWEEN 2 AND 52),
    until_date date,
    time_zone text NOT NULL,
    source text NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`ALTER TABLE appointments ADD COLUMN series_id uuid REFERENCES appointment_series(id)`.execute(db);
  await sql`ALTER TABLE appointments ADD COLUMN series_index integer CHECK (series_index IS NULL OR series_index >= 1)`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX appointments_series_idx ON appointments (series_id, series_index) WHERE series_id IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS appointments_series_idx`.execute(db);
  await sql`ALTER TABLE appointments DROP COLUMN IF EXISTS series_index`.execute(db);
  await sql`ALTER TABLE appointments DROP COLUMN IF EXISTS series_id`.execute(db);
  await sql`DROP TABLE IF EXISTS appointment_series`.execute(db);
}
