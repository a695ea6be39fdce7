/**
 * Rate-limit counters in the database (table `rate_limits`, migration 0021), so every API replica
 * counts the same hits: a fixed window per key, opened by the first hit and counted by one atomic
 * upsert. Expired windows are pruned by src/retention/.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';

export interface Counted {
  hits: number;
  /** When the window ends (the counter starts again). */
  resetAt: Date;
}

/** Counts one hit on `key` in a window of `windowMs` (a new window when the last one has ended). */
export async function countHit(
  db: Kysely<Database>,
  key: string,
  windowMs: number,
  now = new Date(),
): Promise<Counted> {
  const ends = new Date(now.getTime() + windowMs);
  const row = await db
    .insertInto('rate_limits')
    .values({ key, hits: 1, window_ends_at: ends })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`CASE WHEN rate_limits.window_ends_at <= ${now} THEN 1 ELSE rate_limits.hits + 1 END`,
        window_ends_at: sql<Date>`CASE WHEN rate_limits.window_ends_at <= ${now} THEN ${ends} ELSE rate_limits.window_ends_at END`,
      }),
    )
    .returning(['hits', 'window_ends_at'])
    .executeTakeFirstOrThrow();
  return { hits: row.hits, resetAt: new Date(row.window_ends_at) };
}
