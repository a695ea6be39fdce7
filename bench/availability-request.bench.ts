/**
 * The booking page's availability request end to end: `GET /api/services/{id}/availability` for 30
 * days over HTTP (Express, validation, the busy-interval queries, the slot computation, the JSON body),
 * against embedded PGlite (in memory) holding 50 staff members and 10,000 booked appointments, plus
 * external calendar busy blocks cached for every staff member. Figures: median and p95 of the request,
 * all staff and one staff member.
 */
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { seedDemoData } from '../src/db/seed';
import { createApp } from '../src/http/app';
import { createLogger } from '../src/logger';
import type { BenchResult } from './run';

const APPOINTMENTS = 10_000;
const STAFF = 50;

export async function run(): Promise<BenchResult> {
  const database = await openDatabase({ kind: 'pglite-memory' });
  const { db } = database;
  try {
    await migrateToLatest(db);
    await seedDemoData(db);
    const service = await db
      .selectFrom('services')
      .select('id')
      .where('slug', '=', 'consultation')
      .executeTakeFirstOrThrow();
    // 48 more staff members (50 in all), Mon–Fri 09:00–17:00, all offering the service.
    await sql`INSERT INTO staff (name, email, role, time_zone)
      SELECT 'Bench ' || i, 'bench' || i || '@example.test', 'staff', 'America/New_York' FROM generate_series(1, ${STAFF - 2}) AS i`.execute(
      db,
    );
    await sql`INSERT INTO staff_services (staff_id, service_id)
      SELECT id, ${service.id}::uuid FROM staff WHERE email LIKE 'bench%' ON CONFLICT DO NOTHING`.execute(db);
    await sql`DELETE FROM availability_rules WHERE staff_id IN (SELECT id FROM staff)`.execute(db);
    await sql`INSERT INTO availability_rules (staff_id, weekday, start_time, end_time)
      SELECT s.id, d, '09:00', '17:00' FROM staff s CROSS JOIN generate_series(1, 5) AS d`.execute(db);
    await sql`INSERT INTO staff_services (staff_id, service_id)
      SELECT id, ${service.id}::uuid FROM staff ON CONFLICT DO NOTHING`.execute(db);
    const contact = await db.selectFrom('contacts').select('id').executeTakeFirstOrThrow();
    // 10,000 appointments: 200 per staff member, one every 8 hours from 40 days ago (a third are
    // cancelled, so the exclusion constraint's partial index is not the whole table).
    await sql`INSERT INTO appointments (contact_id, staff_id, service_id, starts_at, ends_at, blocked_from, blocked_until,
        time_zone, status, price_minor, currency, source, workflow_id)
      SELECT ${contact.id}::uuid, s.id, ${service.id}::uuid,
             date_trunc('hour', now()) - interval '40 days' + (i * interval '8 hours'),
             date_trunc('hour', now()) - interval '40 days' + (i * interval '8 hours') + interval '1 hour',
             date_trunc('hour', now()) - interval '40 days' + (i * interval '8 hours'),
             date_trunc('hour', now()) - interval '40 days' + (i * interval '8 hours') + interval '75 minutes',
             'America/New_York', CASE WHEN i % 3 = 0 THEN 'cancelled' ELSE 'scheduled' END, 5000, 'USD', 'web',
             'appointment:bench-' || s.id || '-' || i
        FROM (SELECT id FROM staff) s CROSS JOIN generate_series(1, ${APPOINTMENTS / STAFF}) AS i`.execute(db);
    await sql`ANALYZE`.execute(db);
    const booked = await db
      .selectFrom('appointments')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();

    const config = loadConfig({ PORT: '1', LOG_LEVEL: 'silent', SEED_DEMO_DATA: 'false' }, tmpdir());
    const app = createApp({
      config,
      database,
      temporal: {} as Client, // the availability route never reaches Temporal
      logger: createLogger(config),
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const anyStaff = await db
      .selectFrom('staff')
      .select('id')
      .where('email', 'like', 'bench%')
      .executeTakeFirstOrThrow();
    try {
      const today = new Date();
      const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
      const url = (staffId?: string) =>
        `${base}/api/services/${service.id}/availability?from=${day(0)}&to=${day(29)}&timeZone=America%2FNew_York${staffId ? `&staffId=${staffId}` : ''}`;
      const measure = async (label: string, target: string, iterations: number) => {
        let slots = 0;
        const times: number[] = [];
        for (let i = 0; i < iterations + 3; i += 1) {
          const started = performance.now();
          const response = await fetch(target);
          const body = (await response.json()) as { days: Array<{ slots: unknown[] }> };
          if (i >= 3) times.push(performance.now() - started);
          slots = body.days.reduce((n, d) => n + d.slots.length, 0);
        }
        times.sort((a, b) => a - b);
        return {
          [`${label}: median ms`]: times[Math.floor(times.length / 2)]!.toFixed(1),
          [`${label}: p95 ms`]: times[Math.floor(times.length * 0.95)]!.toFixed(1),
          [`${label}: slots`]: slots,
        };
      };
      return {
        name: `availability request end to end (HTTP, PGlite in memory, ${STAFF} staff, ${booked.n} appointments)`,
        figures: {
          ...(await measure('all staff x 30 days', url(), 20)),
          ...(await measure('1 staff x 30 days', url(anyStaff.id), 40)),
        },
      };
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  } finally {
    await database.close();
  }
}
