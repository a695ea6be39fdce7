/**
 * `node dist/src/db/migrate-cli.js`: applies pending migrations, then encrypts stored secrets still in
 * plain text or under an old key (src/secrets/stored.ts), and exits (the compose `migrate` job).
 */
import { ConfigError, loadConfig } from '../config';
import { keyringOf } from '../secrets/keys';
import { encryptStoredSecretsLogged } from '../secrets/stored';
import { openDatabase } from './database';
import { migrateToLatest } from './migrate';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    const applied = await migrateToLatest(database.db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    await encryptStoredSecretsLogged(database.db, keyringOf(config.secrets), (level, fields, message) =>
      (level === 'warn' ? console.warn : console.log)(`${message} ${JSON.stringify(fields)}`),
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
