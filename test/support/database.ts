/**
 * A fresh, migrated database per test file: a new PostgreSQL database (dropped afterwards) when
 * DATABASE_URL is set, as in CI, otherwise an in-memory PGlite. `backends()` lists every backend
 * available here, for tests that must prove the same behaviour on both.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type AppDatabase, openDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';

export interface TestDatabase extends AppDatabase {
  /** postgres:// URL of this test database, or undefined for PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

export type Backend = 'pglite' | 'postgres';

export function backends(): Backend[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export function defaultBackend(): Backend {
  return process.env.DATABASE_URL ? 'postgres' : 'pglite';
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(backend: Backend = defaultBackend()): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const database = await openDatabase({ kind: 'pglite-memory' });
    await migrateToLatest(database.db);
    return { ...database, url: undefined, drop: () => database.close() };
  }
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is needed for the postgres backend');
  const name = `appointflow_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolMax: 5 });
  await migrateToLatest(database.db);
  return {
    ...database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      // Without FORCE: a pool client may still be finishing its goodbye, and killing it would surface as
      // an unhandled error. Wait for the last session to leave instead (55006: object in use).
      for (let attempt = 0; ; attempt += 1) {
        try {
          await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name}`);
          return;
        } catch (error) {
          if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
  };
}
