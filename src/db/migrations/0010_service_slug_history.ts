/**
 * Former service slugs: when an admin renames a service's address (`/book/<slug>`), the old slug is
 * kept here so links already sent (emails, SMS, websites) still open the same service; the booking
 * page moves the visitor to the current address. A slug taken by another service leaves this table
 * (the live slug wins).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE service_slug_history (
    slug text PRIMARY KEY,
    service_id uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    retired_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`CREATE INDEX service_slug_history_service_idx ON service_slug_history (service_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS service_slug_history`.execute(db);
}
