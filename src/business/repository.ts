/**
 * The settings overview the admin app's Settings screen reads: the business, the services at a
 * glance, the staff, their weekly working hours and the time off still ahead.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';

export async function settingsOverview(db: Kysely<Database>) {
  const [business, services, staff, hours, timeOff] = await Promise.all([
    db.selectFrom('business').selectAll().executeTakeFirst(),
    db
      .selectFrom('services')
      .select([
        'id',
        'name',
        'duration_minutes as durationMinutes',
        'pricing',
        'price_minor as priceMinor',
        'hourly_rate_minor as hourlyRateMinor',
        'billing_policy as billingPolicy',
        'billing_increment_minutes as billingIncrementMinutes',
        'currency',
        'active',
      ])
      .orderBy('name')
      .execute(),
    db.selectFrom('staff').select(['id', 'name', 'email', 'role', 'time_zone as timeZone']).orderBy('name').execute(),
    db
      .selectFrom('availability_rules')
      .select(['staff_id as staffId', 'weekday', 'start_time as startTime', 'end_time as endTime'])
      .orderBy('staff_id')
      .orderBy('weekday')
      .execute(),
    db
      .selectFrom('time_off')
      .select(['id', 'staff_id as staffId', 'starts_at as startsAt', 'ends_at as endsAt', 'reason'])
      .where('ends_at', '>', sql<Date>`now()`)
      .orderBy('starts_at')
      .execute(),
  ]);
  return { business: business ?? null, services, staff, hours, timeOff };
}
