/**
 * The country the public pages' phone numbers are read in (national form): the business's.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export async function businessCountry(db: Kysely<Database>): Promise<string> {
  const business = await db.selectFrom('business').select('country').executeTakeFirst();
  return business?.country ?? 'US';
}
