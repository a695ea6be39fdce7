/**
 * The availability query's busy intervals (src/availability/service.ts) on a table with a history:
 * 20,000 finished appointments and 20,000 upcoming ones (live workflows) for two staff members (embedded PGlite). The
 * old predicate (`blocked_until > from AND blocked_from < to`) against the one on the generated
 * `during` range (`during && tstzrange(from, to)`), which the double-booking constraint's gist index
 * answers: time per query and the plan's access path.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { seedDemoData } from '../src/db/seed';
import type { BenchResult } from './run';

const HOUR = 3_600_000;

export async function run(): Promise<BenchResult> {
  const database = await openDatabase({ kind: 'pglite-memory' });
  const { db } = database;
  try {
    await migrateToLatest(db);
    await seedDemoData(db);
    const staff = (await db.selectFrom('staff').select('id').execute()).map((s) => s.id);
    const service = await db.selectFrom('services').select('id').executeTakeFirstOrThrow();
    const contact = await db.selectFrom('contacts').select('id').executeTakeFirstOrThrow();
    const now = Date.UTC(2026, 5, 1);
    const rows = (n: number, from: number, status: 'done' | 'scheduled') =>
      Array.from({ length: n }, (_, i) => {
        const start = new Date(from + i * HOUR);
        const end = new Date(from + i * HOUR + 30 * 60_000);
        return {
          contact_id: contact.id,
          staff_id: staff[i % staff.length]!,
          service_id: service.id,
          starts_at: start,
          ends_at: end,
          blocked_from: start,
          blocked_until: end,
          time_zone: 'America/New_York',
          stage: status === 'done' ? ('Paid Won' as const) : ('Appointment Scheduled' as const),
          status,
          price_minor: 0,
          currency: 'USD',
          source: 'api' as const,
          workflow_id: `bench-${status}-${from}-${i}`,
          client_note: '',
        };
      });
    for (let k = 0; k < 40; k += 1)
      await db
        .insertInto('appointments')
        .values(rows(500, now - (k + 1) * 500 * HOUR, 'done'))
        .execute();
    for (let k = 0; k < 4; k += 1)
      await db
        .insertInto('appointments')
        .values(rows(500, now + k * 500 * HOUR, 'scheduled'))
        .execute();
    await sql`ANALYZE appointments`.execute(db);

    const from = new Date(now + 10 * 24 * HOUR);
    const to = new Date(now + 17 * 24 * HOUR);
    const old = sql`SELECT staff_id, blocked_from, blocked_until FROM appointments WHERE staff_id = ANY(${staff}) AND status IN ('scheduled','in_progress') AND blocked_until > ${from} AND blocked_from < ${to}`;
    const fresh = sql`SELECT staff_id, blocked_from, blocked_until FROM appointments WHERE staff_id = ANY(${staff}) AND status IN ('scheduled','in_progress') AND during && tstzrange(${from}, ${to}, '[)')`;
    const figures: Record<string, number | string> = {};
    for (const [label, query] of [
      ['blocked_until/blocked_from', old],
      ['during && range', fresh],
    ] as const) {
      const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${query}`.execute(db);
      const access =
        plan.rows
          .map((r) => r['QUERY PLAN'])
          .filter((l) => /Scan|Index Cond/.test(l))
          .map((l) =>
            l
              .trim()
              .replace(/^->\s*/, '')
              .replace(/\s+\(cost.*$/, ''),
          )
          .join(' ← ') || '?';
      const found = (await query.execute(db)).rows.length;
      for (let i = 0; i < 5; i += 1) await query.execute(db);
      const started = performance.now();
      const n = 200;
      for (let i = 0; i < n; i += 1) await query.execute(db);
      figures[`${label}: ms per query (${found} rows)`] = Number(((performance.now() - started) / n).toFixed(3));
      figures[`${label}: plan`] = access;
    }
    return { name: 'availability busy intervals, 40,000 appointments of which 20,000 upcoming (PGlite)', figures };
  } finally {
    await database.close();
  }
}
