/**
 * `npm run create-admin -- <email> "<name>"`: creates an admin account for the web app. The password
 * is read from ADMIN_PASSWORD or, when unset, generated and printed once (only its scrypt hash is
 * stored). Refuses an email that already has an account.
 */
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { createStaffAccount } from '../src/staff/accounts';

async function main(): Promise<void> {
  const [email, ...nameParts] = process.argv.slice(2);
  const name = nameParts.join(' ').trim();
  if (!email || !name) throw new ConfigError('usage: npm run create-admin -- <email> "<full name>"');
  const generated = !process.env.ADMIN_PASSWORD;
  const password = process.env.ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
  const database = await openDatabase(loadConfig().database);
  try {
    await migrateToLatest(database.db);
    const existing = await database.db
      .selectFrom('staff_accounts')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
    if (existing) throw new ConfigError(`An account for ${email} already exists.`);
    const staffMember = await database.db
      .selectFrom('staff')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
    await createStaffAccount(database.db, { email, name, role: 'admin', password, staffId: staffMember?.id ?? null });
    console.log(
      generated
        ? `Admin account ${email} created. Password (shown once): ${password}`
        : `Admin account ${email} created with the password from ADMIN_PASSWORD.`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
