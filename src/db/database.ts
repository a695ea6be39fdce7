/**
 * Opens the application database: PostgreSQL through `pg` when DATABASE_URL is set, otherwise an
 * embedded PGlite (with btree_gist) persisted under DATA_DIR. Both speak through Kysely's Postgres
 * dialect and return the same JavaScript types (bigint → number, timestamptz → Date).
 */
import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Config } from '../config';
import { createPgPool, type PoolEvents, toSafeNumber } from './pg-pool';
import { PGlitePool } from './pglite-pool';
import type { Database } from './schema';

export type DatabaseConfig = Config['database'] | { kind: 'pglite-memory' };

export interface AppDatabase {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /** Round-trips a trivial query; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const INT8_OID = 20;
/** How long `/readyz` waits for the database's answer. */
const PING_TIMEOUT_MS = 2_000;

export interface OpenOptions {
  /** Told when PostgreSQL drops a connection (a restart, a failover); the pool reconnects by itself. */
  events?: PoolEvents;
}

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<AppDatabase> {
  let dialect: PostgresDialect;
  let kind: AppDatabase['kind'];
  if (config.kind === 'postgres') {
    const pool = createPgPool({
      url: config.url,
      max: config.poolMax,
      ...(options.events ? { events: options.events } : {}),
    });
    dialect = new PostgresDialect({ pool });
    kind = 'postgres';
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm'); // contact search (0031)
    let dataDir: string | undefined;
    if (config.kind === 'pglite') {
      mkdirSync(config.dataDir, { recursive: true });
      dataDir = config.dataDir;
    }
    const pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      extensions: { btree_gist, pg_trgm },
      parsers: { [INT8_OID]: toSafeNumber },
    });
    dialect = new PostgresDialect({ pool: new PGlitePool(pglite) });
    kind = 'pglite';
  }
  const db = new Kysely<Database>({ dialect });
  return {
    db,
    kind,
    async ping() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
      });
      try {
        await Promise.race([sql`select 1`.execute(db), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await db.destroy();
    },
  };
}
