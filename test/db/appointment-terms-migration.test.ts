/**
 * Migration 0009 (appointment terms) on PGlite and on PostgreSQL: `down` removes the frozen columns,
 * `up` adds them and backfills every existing appointment from its service (the business's tax rate
 * where the service has none), so an appointment booked before the migration keeps today's terms when
 * the service is edited afterwards; a row left unfrozen still reads the service.
 */
import { Migrator, sql } from 'kysely';
import { loadSnapshot } from '../../src/appointments/repository';
import { migrateToLatest } from '../../src/db/migrate';
import { migrationProvider } from '../../src/db/migrations';
import { seedDemoData } from '../../src/db/seed';
import { backends, createTestDatabase, type TestDatabase } from '../support/database';

const TERMS = [
  'lifecycle_policy',
  'billing_policy',
  'billing_increment_minutes',
  'pricing',
  'hourly_rate_minor',
  'tax_rate_bps',
] as const;

describe.each(backends())('migration 0009_appointment_terms on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await seedDemoData(database.db);
  });
  afterAll(async () => {
    await database.drop();
  });

  const columns = async () =>
    (
      await sql<{ column_name: string }>`
        select column_name from information_schema.columns
         where table_schema = 'public' and table_name = 'appointments'`.execute(database.db)
    ).rows.map((r) => r.column_name);

  it('goes down and up again, backfilling existing appointments from their service', async () => {
    const db = database.db;
    const down = await new Migrator({ db, provider: migrationProvider }).migrateTo('0008_feedback');
    expect(down.error).toBeUndefined();
    // Later migrations go down first, each successfully; 0009 last.
    const results = down.results?.map((r) => [r.migrationName, r.direction, r.status]) ?? [];
    expect(results.at(-1)).toEqual(['0009_appointment_terms', 'Down', 'Success']);
    expect(results.every(([, direction, status]) => direction === 'Down' && status === 'Success')).toBe(true);
    for (const column of TERMS) expect(await columns()).not.toContain(column);

    // Appointments written before the migration: a fixed service without its own tax rate, an hourly one with it.
    const contact = await db.selectFrom('contacts').select('id').executeTakeFirstOrThrow();
    const staff = await db.selectFrom('staff').select('id').executeTakeFirstOrThrow();
    const services = await db.selectFrom('services').select(['id', 'slug']).execute();
    const serviceId = (slug: string) => services.find((s) => s.slug === slug)!.id;
    await db
      .updateTable('services')
      .set({ tax_rate_bps: 500, lifecycle_policy: JSON.stringify({ tomorrowHoursBefore: 24, todayHoursBefore: 4 }) })
      .where('id', '=', serviceId('on-site-repair'))
      .execute();
    const insert = async (slug: string, startsAt: string) => {
      const at = new Date(startsAt);
      const end = new Date(at.getTime() + 3600_000);
      const rows = await sql<{ id: string }>`
        insert into appointments (contact_id, staff_id, service_id, starts_at, ends_at, blocked_from, blocked_until,
                                  time_zone, price_minor, currency, source, workflow_id)
        values (${contact.id}, ${staff.id}, ${serviceId(slug)}, ${at}, ${end}, ${at}, ${end},
                'America/New_York', 6000, 'USD', 'test', ${`appointment:terms-${slug}-${backend}`})
        returning id`.execute(db);
      return rows.rows[0]!.id;
    };
    const fixed = await insert('consultation', '2031-03-03T15:00:00Z');
    const hourly = await insert('on-site-repair', '2031-03-04T15:00:00Z');

    expect((await migrateToLatest(db))[0]).toBe('0009_appointment_terms');
    const rows = await db
      .selectFrom('appointments')
      .select(['id', ...TERMS])
      .where('id', 'in', [fixed, hourly])
      .execute();
    const byId = new Map(
      rows.map(({ id, ...terms }) => [id, { ...terms, hourly_rate_minor: Number(terms.hourly_rate_minor) }]),
    );
    expect(byId.get(fixed)).toEqual({
      lifecycle_policy: {},
      billing_policy: 'auto',
      billing_increment_minutes: 15,
      pricing: 'fixed',
      hourly_rate_minor: 0,
      tax_rate_bps: 800, // the business's rate: the service has none
    });
    expect(byId.get(hourly)).toEqual({
      lifecycle_policy: { tomorrowHoursBefore: 24, todayHoursBefore: 4 },
      billing_policy: 'manual',
      billing_increment_minutes: 15,
      pricing: 'hourly',
      hourly_rate_minor: 9000,
      tax_rate_bps: 500,
    });

    // Editing the service now leaves the backfilled appointment's snapshot alone.
    await db
      .updateTable('services')
      .set({
        lifecycle_policy: JSON.stringify({ tomorrowHoursBefore: 72 }),
        billing_policy: 'auto',
        billing_increment_minutes: 30,
      })
      .where('id', '=', serviceId('on-site-repair'))
      .execute();
    const kept = await loadSnapshot(db, hourly);
    expect(kept!.policy).toMatchObject({ tomorrowHoursBefore: 24, todayHoursBefore: 4 });
    expect(kept!.billing).toEqual({ policy: 'manual', incrementMinutes: 15 });

    // A row without frozen terms (NULL) still reads its service.
    await db
      .updateTable('appointments')
      .set({ lifecycle_policy: null, billing_policy: null, billing_increment_minutes: null })
      .where('id', '=', hourly)
      .execute();
    const unfrozen = await loadSnapshot(db, hourly);
    expect(unfrozen!.policy).toMatchObject({ tomorrowHoursBefore: 72 });
    expect(unfrozen!.billing).toEqual({ policy: 'auto', incrementMinutes: 30 });
  });
});
