/**
 * Services in the database: the admin view of one (every field, its staff, its former addresses), and
 * the writes the admin API makes (create, update, staff, renamed address, archive or delete). The
 * route (src/http/routes/admin-services.ts) validates, runs these in one transaction and writes the
 * timeline entry.
 */
import type { Kysely, Transaction } from 'kysely';
import { auditTrail } from '../appointments/repository';
import type { Database } from '../db/schema';
import { resolveLifecyclePolicy } from '../domain/lifecycle-policy';

export type Db = Kysely<Database> | Transaction<Database>;

/** The service as the admin app edits it: every field, the staff who perform it, the effective policy. */
export async function serviceView(db: Db, id: string) {
  const row = await db.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const [staff, former] = await Promise.all([
    db.selectFrom('staff_services').select('staff_id').where('service_id', '=', id).orderBy('staff_id').execute(),
    db.selectFrom('service_slug_history').select('slug').where('service_id', '=', id).orderBy('slug').execute(),
  ]);
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    durationMinutes: row.duration_minutes,
    bufferBeforeMinutes: row.buffer_before_minutes,
    bufferAfterMinutes: row.buffer_after_minutes,
    slotIntervalMinutes: row.slot_interval_minutes,
    minNoticeMinutes: row.min_notice_minutes,
    bookingHorizonDays: row.booking_horizon_days,
    currency: row.currency.trim(),
    pricing: row.pricing,
    priceMinor: Number(row.price_minor),
    hourlyRateMinor: Number(row.hourly_rate_minor),
    billingIncrementMinutes: row.billing_increment_minutes,
    billingPolicy: row.billing_policy,
    cardAtBooking: row.card_at_booking,
    /** Late-cancel window and fee, no-show fee; null: none (frozen on each appointment at booking). */
    cancellationPolicy: row.cancellation_policy,
    /** Deposit taken at booking: none, fixed (minor units) or percent of the price (migration 0057). */
    depositPolicy: row.deposit_policy ?? { kind: 'none' },
    /** What the customer is asked to send before the visit (migration 0061); null: nothing. */
    filesRequest: row.files_request,
    taxRateBps: row.tax_rate_bps,
    /** What is stored: only the keys that differ from the defaults were set. */
    lifecyclePolicy: row.lifecycle_policy,
    /** The policy in force: stored keys over the defaults. */
    effectiveLifecyclePolicy: resolveLifecyclePolicy(row.lifecycle_policy),
    active: row.active,
    /** Where it takes place: at the business, or at the customer's address. */
    location: row.location,
    staffIds: staff.map((s) => s.staff_id),
    /** Booking addresses this service had before; they keep leading to it. */
    formerSlugs: former.map((f) => f.slug),
    updatedAt: row.updated_at,
  };
}
export type ServiceView = NonNullable<Awaited<ReturnType<typeof serviceView>>>;

/** Field name → column, for the fields that are plain columns. */
const COLUMNS = {
  name: 'name',
  slug: 'slug',
  description: 'description',
  durationMinutes: 'duration_minutes',
  bufferBeforeMinutes: 'buffer_before_minutes',
  bufferAfterMinutes: 'buffer_after_minutes',
  slotIntervalMinutes: 'slot_interval_minutes',
  minNoticeMinutes: 'min_notice_minutes',
  bookingHorizonDays: 'booking_horizon_days',
  currency: 'currency',
  pricing: 'pricing',
  priceMinor: 'price_minor',
  hourlyRateMinor: 'hourly_rate_minor',
  billingIncrementMinutes: 'billing_increment_minutes',
  billingPolicy: 'billing_policy',
  cardAtBooking: 'card_at_booking',
  taxRateBps: 'tax_rate_bps',
  active: 'active',
  location: 'location',
} as const;

/** The fields the admin API validated (src/http/routes/admin-services.ts `serviceUpdateBody`). */
export type ServiceInput = { [K in keyof typeof COLUMNS]?: unknown } & {
  lifecyclePolicy?: object;
  cancellationPolicy?: object | null;
  depositPolicy?: { kind: string };
  filesRequest?: string | null;
};

export function columnsOf(input: ServiceInput): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(COLUMNS)) {
    const value = input[field as keyof ServiceInput];
    if (value !== undefined) values[column] = value;
  }
  if (input.lifecyclePolicy !== undefined) {
    // Only the keys given are stored; the rest keep following the defaults.
    const given = Object.fromEntries(Object.entries(input.lifecyclePolicy).filter(([, v]) => v !== undefined));
    values.lifecycle_policy = JSON.stringify(given);
  }
  if (input.cancellationPolicy !== undefined) {
    values.cancellation_policy = input.cancellationPolicy === null ? null : JSON.stringify(input.cancellationPolicy);
  }
  // Emptied: nothing is asked (NULL, not an empty request).
  if (input.filesRequest !== undefined) values.files_request = input.filesRequest || null;
  if (input.depositPolicy !== undefined) {
    values.deposit_policy = input.depositPolicy.kind === 'none' ? null : JSON.stringify(input.depositPolicy);
  }
  return values;
}

/** Every service id, the offered ones first, by name. */
export async function serviceIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('services').select('id').orderBy('active', 'desc').orderBy('name').execute();
  return rows.map((r) => r.id);
}

/** A service's change history (its timeline entries, newest first) and how many appointments it has. */
export async function serviceHistory(db: Db, id: string) {
  const [history, appointments] = await Promise.all([
    auditTrail(db, 'service', 'serviceId', id),
    db
      .selectFrom('appointments')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('service_id', '=', id)
      .executeTakeFirstOrThrow(),
  ]);
  return { history, appointments: Number(appointments.n) };
}

/** The staff ids among `staffIds` that name no staff member, with their position in the list. */
export async function unknownStaff(db: Db, staffIds: string[]): Promise<Array<{ id: string; i: number }>> {
  if (!staffIds.length) return [];
  const found = await db.selectFrom('staff').select('id').where('id', 'in', staffIds).execute();
  const known = new Set(found.map((s) => s.id));
  return staffIds.map((id, i) => ({ id, i })).filter(({ id }) => !known.has(id));
}

/** The business's currency, the default for a new service. */
export async function businessCurrency(db: Db): Promise<string | undefined> {
  const business = await db.selectFrom('business').select('currency').executeTakeFirst();
  return business?.currency.trim();
}

/** Inserts a service; its address (`slug`) stops being another service's former address. */
export async function insertService(db: Db, values: Record<string, unknown>, slug: string): Promise<string> {
  const row = await db
    .insertInto('services')
    .values(values as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  // Another service's former address, taken by this one: it leads here from now on.
  await db.deleteFrom('service_slug_history').where('slug', '=', slug).execute();
  return row.id;
}

/** Locks the service's row for the rest of the transaction; false when there is no such service. */
export async function lockService(trx: Transaction<Database>, id: string): Promise<boolean> {
  const locked = await trx.selectFrom('services').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  return locked !== undefined;
}

export async function updateService(db: Db, id: string, values: Record<string, unknown>): Promise<void> {
  await db
    .updateTable('services')
    .set({ ...values, updated_at: new Date() } as never)
    .where('id', '=', id)
    .execute();
}

/** The staff who perform the service, replaced by `staffIds`. */
export async function setServiceStaff(db: Db, serviceId: string, staffIds: string[]): Promise<void> {
  await db.deleteFrom('staff_services').where('service_id', '=', serviceId).execute();
  const unique = [...new Set(staffIds)];
  if (unique.length) {
    await db
      .insertInto('staff_services')
      .values(unique.map((staff_id) => ({ staff_id, service_id: serviceId })))
      .execute();
  }
}

/**
 * A renamed address: the old slug keeps leading to this service (links already sent still work), and
 * the new one, if it was another service's former slug, is the live slug from now on.
 */
export async function retireSlug(db: Db, serviceId: string, from: string, to: string): Promise<void> {
  await db.deleteFrom('service_slug_history').where('slug', '=', to).execute();
  await db
    .insertInto('service_slug_history')
    .values({ slug: from, service_id: serviceId })
    .onConflict((oc) => oc.column('slug').doUpdateSet({ service_id: serviceId, retired_at: new Date() }))
    .execute();
}

/** What keeps a service from being deleted: an appointment or a membership plan referring to it. */
export async function serviceReferences(db: Db, id: string): Promise<{ appointment: boolean; plan: boolean }> {
  const [appointment, plan] = await Promise.all([
    db.selectFrom('appointments').select('id').where('service_id', '=', id).limit(1).executeTakeFirst(),
    db
      .selectFrom('membership_plan_services')
      .select('plan_id')
      .where('service_id', '=', id)
      .limit(1)
      .executeTakeFirst(),
  ]);
  return { appointment: appointment !== undefined, plan: plan !== undefined };
}

export async function deleteService(db: Db, id: string): Promise<void> {
  await db.deleteFrom('services').where('id', '=', id).execute();
}
