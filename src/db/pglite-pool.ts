/**
 * Presents one embedded PGlite instance as the small `pg.Pool` subset Kysely's PostgresDialect uses,
 * so the rest of the code (and the migrations) cannot tell PGlite from PostgreSQL.
 *
 * PGlite is a single session. A "connection" here is exclusive access to it: `connect()` waits until
 * the previous holder calls `release()`. That keeps a transaction's statements together; it also means
 * embedded mode serialises all database work, which is fine for one developer's machine.
 */
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

type Command = PostgresQueryResult<unknown>['command'];

/** The part of PGlite this adapter uses (structural, so the ESM and CJS builds of PGlite both fit). */
export interface PGliteSession {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  close(): Promise<void>;
}

function commandOf(sqlText: string, affectedRows: number): Command {
  const first = /^\s*(\w+)/.exec(sqlText)?.[1]?.toUpperCase();
  switch (first) {
    case 'INSERT':
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
      return first;
    case 'WITH':
      return affectedRows > 0 ? 'UPDATE' : 'SELECT';
    default:
      return 'SELECT';
  }
}

export class PGlitePool implements PostgresPool {
  readonly options = {};
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly pglite: PGliteSession) {}

  async connect(): Promise<PostgresPoolClient> {
    let release!: () => void;
    const held = new Promise<void>((resolvePromise) => (release = resolvePromise));
    const previous = this.queue;
    this.queue = previous.then(() => held);
    await previous;
    const pglite = this.pglite;
    let released = false;
    const client = {
      async query<R>(sqlText: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
        const result = await pglite.query<R>(sqlText, [...parameters]);
        const affected = result.affectedRows ?? 0;
        return { command: commandOf(sqlText, affected), rowCount: result.rows.length || affected, rows: result.rows };
      },
      release(): void {
        if (released) return;
        released = true;
        release();
      },
    };
    return client as unknown as PostgresPoolClient;
  }

  async end(): Promise<void> {
    await this.queue;
    await this.pglite.close();
  }
}
