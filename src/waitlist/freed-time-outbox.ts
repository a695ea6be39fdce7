/**
 * The outbox of time freed by staff changes (migration 0060): the change (time off removed, working hours
 * added) writes what it freed in its own transaction (`recordFreedTime`), and the event dispatcher's poll
 * offers it to the waitlist (`offerPendingFreedTime`, src/outbound/dispatcher.ts), nudged at once after
 * the commit. A process that dies in between loses nothing: the next poll, on any replica, offers it.
 * A dispatcher takes rows with a short lease (`claimed_until`, one atomic UPDATE), so two replicas do not
 * offer one change at once and no transaction is held across the offers; a dispatcher that dies lets go
 * when its lease runs out. The waitlist workflows' ids (`waitlist:<key>:<start>`) make a repeated offer
 * of a slot a no-op.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { Interval } from '../domain/availability';
import { nudgeEventDispatcher } from '../outbound/events';
import { offerFreedWindows, type FreedTimeDeps } from './freed-window';

/** At most this many changes are offered per poll. */
const BATCH = 10;
/** How long a dispatcher holds the changes it took before another may take them. */
const LEASE_MS = 60_000;

/** Writes what a staff change freed; call it with the change's transaction. Nothing to write: no row. */
export async function recordFreedTime(
  trx: Transaction<Database>,
  change: { key: string; staffId: string; windows: readonly Interval[] },
): Promise<void> {
  if (change.windows.length === 0) return;
  await trx
    .insertInto('freed_time')
    .values({ key: change.key, staff_id: change.staffId, windows: JSON.stringify(change.windows) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  // After the caller's commit; a nudge that comes too early finds nothing and the poll catches it.
  nudgeEventDispatcher();
}

/** Offers the freed time not offered yet (oldest first); answers how many changes were offered. */
export async function offerPendingFreedTime(deps: FreedTimeDeps, now = Date.now()): Promise<number> {
  const db: Kysely<Database> = deps.db;
  const due = db
    .selectFrom('freed_time')
    .select('key')
    .where('offered_at', 'is', null)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', new Date(now))]))
    .orderBy('created_at')
    .limit(BATCH);
  const claimed = await db
    .updateTable('freed_time')
    .set({ claimed_until: new Date(now + LEASE_MS) })
    .where('key', 'in', due)
    .where('offered_at', 'is', null)
    .returning(['key', 'staff_id', 'windows'])
    .execute();
  for (const row of claimed) {
    await offerFreedWindows(deps, { key: row.key, staffId: row.staff_id, windows: row.windows }, now);
    await db
      .updateTable('freed_time')
      .set({ offered_at: new Date(now) })
      .where('key', '=', row.key)
      .execute();
  }
  return claimed.length;
}
