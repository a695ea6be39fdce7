/**
 * The terms an appointment is booked with (migration 0009): frozen on the appointment row at booking
 * (and when a reschedule moves it to another service), so that editing a service changes new bookings
 * only. Times, buffers, price and currency were already copied; these are the lifecycle policy, the
 * billing policy and increment, the price model and hourly rate, the effective tax rate, and the
 * cancellation policy (migration 0053; unlike the others, NULL there means "no fee", never the service's).
 *
 * A NULL column means "not frozen" (a row written before the migration's backfill, or by a path that
 * does not book); readers then fall back to the service, as before.
 */
import type { Kysely, Transaction } from 'kysely';
import type { BillingPolicy, Database, Pricing, Service } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

/** The frozen columns, as written to `appointments`. */
export interface AppointmentTermsColumns {
  lifecycle_policy: string;
  billing_policy: BillingPolicy;
  billing_increment_minutes: number;
  pricing: Pricing;
  hourly_rate_minor: number;
  /** The service's rate, else the business's; NULL only when neither exists. */
  tax_rate_bps: number | null;
  cancellation_policy: string | null;
}

/** The business-wide tax rate, used when the service has none (undefined when no business is set up). */
export async function businessTaxRateBps(db: Db): Promise<number | undefined> {
  const business = await db.selectFrom('business').select('tax_rate_bps').executeTakeFirst();
  return business?.tax_rate_bps;
}

/** The terms of `service` as they stand now, to freeze on an appointment booked (or moved) onto it. */
export function termsOf(
  service: Pick<
    Service,
    | 'lifecycle_policy'
    | 'billing_policy'
    | 'billing_increment_minutes'
    | 'pricing'
    | 'hourly_rate_minor'
    | 'tax_rate_bps'
    | 'cancellation_policy'
  >,
  businessTaxRate: number | undefined,
): AppointmentTermsColumns {
  return {
    lifecycle_policy: JSON.stringify(service.lifecycle_policy ?? {}),
    billing_policy: service.billing_policy,
    billing_increment_minutes: service.billing_increment_minutes,
    pricing: service.pricing,
    hourly_rate_minor: Number(service.hourly_rate_minor),
    tax_rate_bps: service.tax_rate_bps ?? businessTaxRate ?? null,
    cancellation_policy: service.cancellation_policy ? JSON.stringify(service.cancellation_policy) : null,
  };
}
