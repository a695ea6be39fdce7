/**
 * Every migration, in order. Listed explicitly (not read from the file system) so the list is the same
 * under tsx, jest and a compiled build. Never edit a migration that has shipped; add the next one.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial';
import * as m0005 from './0005_staff_accounts';

const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0005_staff_accounts': m0005,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
