/**
 * SQL of staff calendar connections (`calendar_connections`, migration 0046). Secrets go in and come
 * out encrypted: callers encrypt and decrypt with the keyring (src/secrets/).
 */
import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { CalendarConnectionsTable, Database } from '../db/schema';
import type { Interval } from '../domain/availability';
import type { CalendarProvider } from './providers';

type Db = Kysely<Database> | Transaction<Database>;
export type ConnectionRow = Selectable<CalendarConnectionsTable>;

export async function insertPending(
  db: Db,
  row: { staffId: string; provider: CalendarProvider; stateHash: string; codeVerifier: string; connectedBy: string },
): Promise<void> {
  // A new attempt replaces an unfinished one.
  await db
    .deleteFrom('calendar_connections')
    .where('staff_id', '=', row.staffId)
    .where('provider', '=', row.provider)
    .where('status', '=', 'pending')
    .execute();
  await db
    .insertInto('calendar_connections')
    .values({
      staff_id: row.staffId,
      provider: row.provider,
      state_hash: row.stateHash,
      code_verifier: row.codeVerifier,
      connected_by: row.connectedBy,
    })
    .execute();
}

export async function pendingByState(db: Db, stateHash: string): Promise<ConnectionRow | undefined> {
  return db
    .selectFrom('calendar_connections')
    .selectAll()
    .where('state_hash', '=', stateHash)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

/** The live (connected or failing) connection of a staff member with a provider. */
export async function liveConnection(
  db: Db,
  staffId: string,
  provider: CalendarProvider,
): Promise<ConnectionRow | undefined> {
  return db
    .selectFrom('calendar_connections')
    .selectAll()
    .where('staff_id', '=', staffId)
    .where('provider', '=', provider)
    .where('status', 'in', ['connected', 'error'])
    .executeTakeFirst();
}

export async function connectedFor(db: Db, staffIds: readonly string[]): Promise<ConnectionRow[]> {
  if (staffIds.length === 0) return [];
  return db
    .selectFrom('calendar_connections')
    .selectAll()
    .where('staff_id', 'in', staffIds)
    .where('status', '=', 'connected')
    .execute();
}

export async function byWatch(db: Db, watchId: string): Promise<ConnectionRow | undefined> {
  return db
    .selectFrom('calendar_connections')
    .selectAll()
    .where('watch_id', '=', watchId)
    .where('status', '=', 'connected')
    .executeTakeFirst();
}

export async function listConnections(db: Db) {
  return db
    .selectFrom('calendar_connections as c')
    .innerJoin('staff as s', 's.id', 'c.staff_id')
    .select([
      'c.id',
      'c.staff_id',
      's.name as staff_name',
      'c.provider',
      'c.status',
      'c.account',
      'c.busy_fetched_at',
      'c.watch_expires_at',
      'c.last_error',
      'c.updated_at',
    ])
    .where('c.status', 'in', ['connected', 'error'])
    .orderBy('s.name')
    .orderBy('c.provider')
    .execute();
}

export async function updateConnection(
  db: Db,
  id: string,
  changes: Updateable<CalendarConnectionsTable>,
): Promise<void> {
  await db
    .updateTable('calendar_connections')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function storeBusy(db: Db, id: string, busy: Interval[], window: Interval, fetchedAt: number) {
  await updateConnection(db, id, {
    busy: JSON.stringify(busy),
    busy_from: new Date(window.start),
    busy_until: new Date(window.end),
    busy_fetched_at: new Date(fetchedAt),
    busy_stale: false,
    last_error: null,
  });
}

/** Intervals of the staff member's appointments that outbound sync wrote to this provider's calendar. */
export async function ownSyncedIntervals(
  db: Db,
  staffId: string,
  provider: CalendarProvider,
  window: Interval,
): Promise<Interval[]> {
  const rows = await db
    .selectFrom('appointments as a')
    .innerJoin('outbound_links as l', 'l.appointment_id', 'a.id')
    .select(['a.starts_at', 'a.ends_at'])
    .where('a.staff_id', '=', staffId)
    .where('l.platform', '=', provider === 'google' ? 'google_calendar' : 'microsoft_graph')
    .where('a.ends_at', '>', new Date(window.start))
    .where('a.starts_at', '<', new Date(window.end))
    .execute();
  return rows.map((r) => ({ start: r.starts_at.getTime(), end: r.ends_at.getTime() }));
}
