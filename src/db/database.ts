/**
 * Opens the application database: PostgreSQL through `pg` when DATABASE_URL is set, otherwise an
 * embedded PGlite (with btree_gist) persisted under DATA_DIR. Both speak through Kysely's Postgres
 * dialect and return the same JavaScript types (bigint → number, timestamptz → Date).
 */
import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config';
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
const toNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`bigint ${value} does not fit a JavaScript number`);
  return n;
};

export async function openDatabase(config: DatabaseConfig): Promise<AppDatabase> {
  let dialect: PostgresDialect;
  let kind: AppDatabase['kind'];
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolMax,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? toNumber : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
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
      parsers: { [INT8_OID]: toNumber },
    });
    dialect = new PostgresDialect({ pool: new PGlitePool(pglite) });
    kind = 'pglite';
  }
  const db = new Kysely<Database>({ dialect });
  return {
    db,
    kind,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
