/**
 * `npm run api-key -- "<name>"`: creates an API key for an external system or script and prints it
 * once (only its hash is stored).
 */
import { createApiKey } from '../src/auth/api-keys';
import { ConfigError, loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';

async function main(): Promise<void> {
  const name = process.argv.slice(2).join(' ').trim();
  if (!name) throw new ConfigError('usage: npm run api-key -- "<name of the system or person>"');
  const database = await openDatabase(loadConfig().database);
  try {
    await migrateToLatest(database.db);
    const { key } = await createApiKey(database.db, name);
    console.log(`API key for "${name}" (shown once; send as "Authorization: Bearer <key>"):\n${key}`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
