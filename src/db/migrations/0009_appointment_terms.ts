/**
 * Appointment terms (issue gh): the terms an appointment was booked with, frozen on its row, so that an
 * admin editing a service (its lifecycle policy, billing policy and price model) changes new bookings
 * only. The appointment already kept its times, buffers, price and currency; now it also keeps:
 * - `lifecycle_policy`: the service's policy as stored (defaults are filled in when read);
 * - `billing_policy`, `billing_increment_minutes`, `pricing`, `hourly_rate_minor`: what the close-out
 *   invoice charges (a fixed price is the row's `price_minor`);
 * - `tax_rate_bps`: the effective rate (the service's, else the business's) at booking.
 * All nullable: NULL means "not frozen" and the reader falls back to the service. Existing rows are
 * backfilled from their service (and the business's rate) here, so they keep today's terms from now on.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `ALTER TABLE appointments
     ADD COLUMN lifecycle_policy jsonb,
     ADD COLUMN billing_policy text CHECK (billing_policy IS NULL OR billing_policy IN ('manual','auto')),
     ADD COLUMN billing_increment_minutes integer
       CHECK (billing_increment_minutes IS NULL OR billing_increment_minutes BETWEEN 1 AND 240),
     ADD COLUMN pricing text CHECK (pricing IS NULL OR pricing IN ('fixed','hourly')),
     ADD COLUMN hourly_rate_minor bigint CHECK (hourly_rate_minor IS NULL OR hourly_rate_minor >= 0),
     ADD COLUMN tax_rate_bps integer CHECK (tax_rate_bps IS NULL OR tax_rate_bps BETWEEN 0 AND 10000)`,
  `UPDATE appointments a
      SET lifecycle_policy = s.lifecycle_policy,
          billing_policy = s.billing_policy,
          billing_increment_minutes = s.billing_increment_minutes,
          pricing = s.pricing,
          hourly_rate_minor = s.hourly_rate_minor,
          tax_rate_bps = COALESCE(s.tax_rate_bps, (SELECT b.tax_rate_bps FROM business b LIMIT 1))
     FROM services s
    WHERE s.id = a.service_id`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `ALTER TABLE appointments DROP COLUMN IF EXISTS lifecycle_policy, DROP COLUMN IF EXISTS billing_policy,
         DROP COLUMN IF EXISTS billing_increment_minutes, DROP COLUMN IF EXISTS pricing,
         DROP COLUMN IF EXISTS hourly_rate_minor, DROP COLUMN IF EXISTS tax_rate_bps`,
    )
    .execute(db);
}
