/**
 * The same migrations on PGlite and on PostgreSQL (when DATABASE_URL is set, as in CI): the schema is
 * created, the exclusion constraint rejects an overlapping active appointment for one staff member and
 * accepts it once the first is cancelled, and the timeline is append-only.
 */
import { sql } from 'kysely';
import { seedDemoData } from '../../src/db/seed';
import { backends, createTestDatabase, type TestDatabase } from '../support/database';

describe.each(backends())('migrations on %s', (backend) => {
  let database: TestDatabase;
  let staffId: string;
  let otherStaffId: string;
  let serviceId: string;
  let contactId: string;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    expect(await seedDemoData(database.db)).toBe(true);
    const staff = await database.db.selectFrom('staff').select('id').orderBy('email').execute();
    staffId = staff[0]!.id;
    otherStaffId = staff[1]!.id;
    serviceId = (
      await database.db.selectFrom('services').select('id').where('slug', '=', 'consultation').executeTakeFirstOrThrow()
    ).id;
    contactId = (await database.db.selectFrom('contacts').select('id').orderBy('email').executeTakeFirstOrThrow()).id;
  });

  afterAll(async () => {
    await database.drop();
  });

  let counter = 0;
  function appointment(staff: string, from: string, until: string) {
    counter += 1;
    return {
      contact_id: contactId,
      staff_id: staff,
      service_id: serviceId,
      starts_at: from,
      ends_at: until,
      blocked_from: from,
      blocked_until: until,
      time_zone: 'America/New_York',
      price_minor: 6000,
      currency: 'USD',
      source: 'test',
      workflow_id: `appointment:test-${backend}-${counter}`,
    };
  }

  it('creates every table of the data model', async () => {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
      database.db,
    );
    const names = tables.rows.map((r) => r.table_name);
    for (const table of [
      'staff',
      'business',
      'services',
      'staff_services',
      'availability_rules',
      'time_off',
      'contacts',
      'membership_plans',
      'membership_plan_services',
      'memberships',
      'appointments',
      'tasks',
      'messages',
      'invoices',
      'payment_attempts',
      'timeline_events',
      'inbound_events',
      'api_keys',
      'manage_tokens',
      'staff_accounts',
      'staff_sessions',
      'login_attempts',
    ]) {
      expect(names).toContain(table);
    }
  });

  it('seeds demo data only once', async () => {
    expect(await seedDemoData(database.db)).toBe(false);
    const staff = await database.db
      .selectFrom('staff')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(staff.n).toBe(2);
  });

  it('rejects an overlapping active appointment for the same staff member, accepts it after a cancel', async () => {
    const first = await database.db
      .insertInto('appointments')
      .values(appointment(staffId, '2030-01-07T15:00:00Z', '2030-01-07T16:00:00Z'))
      .returning('id')
      .executeTakeFirstOrThrow();

    await expect(
      database.db
        .insertInto('appointments')
        .values(appointment(staffId, '2030-01-07T15:30:00Z', '2030-01-07T16:30:00Z'))
        .execute(),
    ).rejects.toThrow(/appointments_no_double_booking/);

    // Touching intervals are not overlapping ([) ranges), and another staff member is free.
    await database.db
      .insertInto('appointments')
      .values(appointment(staffId, '2030-01-07T16:00:00Z', '2030-01-07T17:00:00Z'))
      .execute();
    await database.db
      .insertInto('appointments')
      .values(appointment(otherStaffId, '2030-01-07T15:30:00Z', '2030-01-07T16:30:00Z'))
      .execute();

    await database.db.updateTable('appointments').set({ status: 'cancelled' }).where('id', '=', first.id).execute();
    await database.db
      .insertInto('appointments')
      .values(appointment(staffId, '2030-01-07T15:00:00Z', '2030-01-07T16:00:00Z'))
      .execute();

    const active = await database.db
      .selectFrom('appointments')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('staff_id', '=', staffId)
      .where('status', 'in', ['scheduled', 'in_progress'])
      .executeTakeFirstOrThrow();
    expect(active.n).toBe(2);
  });

  it('keeps the timeline append-only', async () => {
    const row = await database.db
      .insertInto('timeline_events')
      .values({ kind: 'note', actor: 'test', channel: 'test', summary: 'hello' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(
      database.db.updateTable('timeline_events').set({ summary: 'changed' }).where('id', '=', row.id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(database.db.deleteFrom('timeline_events').where('id', '=', row.id).execute()).rejects.toThrow(
      /append-only/,
    );
  });

  it('rejects a phone number that is not E.164 and parses money as numbers', async () => {
    await expect(
      database.db
        .insertInto('contacts')
        .values({ name: 'Bad Phone', email: 'bad@example.com', phone: '555-0100' })
        .execute(),
    ).rejects.toThrow(/check constraint/);
    const service = await database.db
      .selectFrom('services')
      .select(['price_minor'])
      .where('slug', '=', 'consultation')
      .executeTakeFirstOrThrow();
    expect(service.price_minor).toBe(6000);
  });
});
