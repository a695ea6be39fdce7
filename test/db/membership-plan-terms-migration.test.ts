/**
 * Migration 0013 (membership plan terms) on PGlite and on PostgreSQL: `down` removes the copied plan
 * name and price, `up` adds them and fills every membership sold before the migration from its plan,
 * so renaming or repricing the plan afterwards leaves that membership's name and price as sold.
 */
import { Migrator, sql } from 'kysely';
import { migrateToLatest } from '../../src/db/migrate';
import { migrationProvider } from '../../src/db/migrations';
import { seedDemoData } from '../../src/db/seed';
import { loadMembership } from '../../src/memberships/repository';
import { backends, createTestDatabase, type TestDatabase } from '../support/database';

describe.each(backends())('migration 0013_membership_plan_terms on %s', (backend) => {
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
         where table_schema = 'public' and table_name = 'memberships'`.execute(database.db)
    ).rows.map((r) => r.column_name);

  it('goes down and up again, filling memberships already sold from their plan', async () => {
    const db = database.db;
    const down = await new Migrator({ db, provider: migrationProvider }).migrateTo('0012_retention_indexes');
    expect(down.error).toBeUndefined();
    expect(down.results?.at(-1)).toMatchObject({ migrationName: '0013_membership_plan_terms', status: 'Success' });
    for (const column of ['plan_name', 'price_minor', 'currency']) expect(await columns()).not.toContain(column);

    const plan = await db
      .selectFrom('membership_plans')
      .select(['id', 'name', 'price_minor'])
      .where('name', '=', 'Massage 5-pack')
      .executeTakeFirstOrThrow();
    const contact = await db.selectFrom('contacts').select('id').executeTakeFirstOrThrow();
    const inserted = await sql<{ id: string }>`
      insert into memberships (plan_id, contact_id, certificate_number, visits_total, valid_from, valid_until, workflow_id)
      values (${plan.id}, ${contact.id}, ${`TEST-0013-${backend}`}, 5, now(), now() + interval '180 days',
              ${`membership:terms-${backend}`})
      returning id`.execute(db);
    const id = inserted.rows[0]!.id;

    expect(await migrateToLatest(db)).toContain('0013_membership_plan_terms');
    const row = await db
      .selectFrom('memberships')
      .select(['plan_name', 'price_minor', 'currency'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect({ ...row, price_minor: Number(row.price_minor) }).toEqual({
      plan_name: 'Massage 5-pack',
      price_minor: Number(plan.price_minor),
      currency: 'USD',
    });

    await db
      .updateTable('membership_plans')
      .set({ name: 'Massage 5-pack (2027)', price_minor: 59_900 })
      .where('id', '=', plan.id)
      .execute();
    const membership = await loadMembership(db, { id });
    expect(membership).toMatchObject({
      planName: 'Massage 5-pack',
      priceMinor: Number(plan.price_minor),
      currency: 'USD',
    });
  });
});
