/**
 * Retention: how fast a backlog of old delivery logs is pruned in bounded batches (embedded PGlite,
 * in memory): 20,000 dispatched events 100 days old, each with a finished delivery and two attempts,
 * plus 20,000 recent ones that must stay. Figures: rows removed per second and the time of one batch
 * (500 rows of each kind), which bounds how long any one statement holds its locks.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { RETENTION_KINDS, addCounts, emptyCounts, retentionCutoffs } from '../src/retention/policy';
import { pruneBatch } from '../src/retention/prune';
import type { BenchResult } from './run';

const N = 20_000;

export async function run(): Promise<BenchResult> {
  const database = await openDatabase({ kind: 'pglite-memory' });
  try {
    const { db } = database;
    await migrateToLatest(db);
    for (const [prefix, age] of [
      ['old', '100 days'],
      ['new', '2 days'],
    ] as const) {
      await sql`INSERT INTO events (type, subject_type, subject_id, source_key, occurred_at, dispatched_at)
        SELECT 'appointment.booked', 'appointment', ${prefix} || i, ${prefix} || '-' || i,
               now() - ${age}::interval, now() - ${age}::interval
          FROM generate_series(1, ${N}) AS i`.execute(db);
      await sql`INSERT INTO deliveries (event_id, target, workflow_id, status, attempts, created_at, completed_at)
        SELECT e.id, 'webhook:bench', 'delivery:' || e.source_key, 'succeeded', 2,
               now() - ${age}::interval, now() - ${age}::interval
          FROM events e WHERE e.source_key LIKE ${`${prefix}-%`}`.execute(db);
      await sql`INSERT INTO delivery_attempts (delivery_id, attempt, started_at, latency_ms, ok)
        SELECT d.id, a, d.created_at, 40, a = 2
          FROM deliveries d CROSS JOIN generate_series(1, 2) AS a
         WHERE d.workflow_id LIKE ${`delivery:${prefix}-%`}`.execute(db);
    }
    const cutoffs = retentionCutoffs(Date.now(), 90);
    let total = emptyCounts();
    const batchMs: number[] = [];
    const started = performance.now();
    for (;;) {
      const t = performance.now();
      const counts = await pruneBatch(db, cutoffs, 500);
      batchMs.push(performance.now() - t);
      if (RETENTION_KINDS.every((k) => counts[k] === 0)) break;
      total = addCounts(total, counts);
    }
    const seconds = (performance.now() - started) / 1000;
    const removed = RETENTION_KINDS.reduce((sum, k) => sum + total[k], 0);
    const left = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    batchMs.sort((a, b) => a - b);
    return {
      name: 'retention: pruning a backlog (PGlite, in memory)',
      figures: {
        'rows removed': removed,
        'events left (recent)': Number(left.n),
        'batches of 500': batchMs.length,
        'rows per second': Math.round(removed / seconds),
        'batch median ms': batchMs[Math.floor(batchMs.length / 2)]!.toFixed(1),
        'batch max ms': batchMs.at(-1)!.toFixed(1),
      },
    };
  } finally {
    await database.close();
  }
}
