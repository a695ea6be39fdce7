/**
 * The `pg` pool for PostgreSQL, set up to outlive the database restarting under it.
 *
 * - Every client carries an `error` listener for its whole life, idle or checked out: PostgreSQL
 *   closing a session ("terminating connection due to administrator command" on a restart or
 *   failover, an idle-session timeout, a network cut) is reported to the listener and logged instead
 *   of being an unhandled `error` event that would end the process. A client that saw such an error is
 *   not queryable any more, so the pool drops it when it is released and opens a new one on the next
 *   use: that is the reconnection, with no state to rebuild.
 * - `connectionTimeoutMillis` bounds the wait for a connection, so while the database is down a
 *   request fails within seconds (and `/readyz` says why) rather than hanging.
 * - TCP keep-alive finds half-open connections (a database host gone without a FIN).
 * - Idle clients are closed after 30 s, so a pool that served a burst shrinks again.
 */
import pg from 'pg';

export interface PoolEvents {
  /** A connection was lost (idle or in use); the pool replaces it on the next use. */
  onConnectionError(error: Error): void;
}

export interface PgPoolOptions {
  url: string;
  max: number;
  /** How long a query may wait for a connection (default 5 s). */
  connectionTimeoutMs?: number;
  events?: PoolEvents;
}

const INT8_OID = 20;
export const toSafeNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`bigint ${value} does not fit a JavaScript number`);
  return n;
};

export function createPgPool(options: PgPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'appointflow',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? toSafeNumber : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  const report = options.events?.onConnectionError ?? (() => undefined);
  // Every client gets a listener for its whole life: the pool's own listener is removed while a client
  // is checked out (between the statements of a transaction, say), and an `error` event without a
  // listener would crash the process. The query in flight fails on its own; on release the pool sees
  // the client is dead and drops it. The pool re-emits an idle client's error: already reported here.
  pool.on('connect', (client) => {
    client.on('error', report);
  });
  pool.on('error', () => undefined);
  return pool;
}
