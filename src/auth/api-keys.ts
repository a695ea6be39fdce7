/**
 * API keys for external systems and scripts: `af_<8-char prefix>_<secret>`, 192 bits of randomness,
 * only the SHA-256 hash stored; the prefix is shown in lists so a key can be recognised and revoked.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface ApiKeyIdentity {
  id: string;
  name: string;
  scopes: string[];
}

const hash = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export async function createApiKey(
  db: Kysely<Database>,
  name: string,
  scopes: string[] = ['appointments'],
): Promise<{ id: string; key: string }> {
  const prefix = randomBytes(6).toString('base64url').slice(0, 8);
  const key = `af_${prefix}_${randomBytes(24).toString('base64url')}`;
  const row = await db
    .insertInto('api_keys')
    .values({ name, prefix, key_hash: hash(key), scopes: JSON.stringify(scopes) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, key };
}

export async function verifyApiKey(db: Kysely<Database>, key: string): Promise<ApiKeyIdentity | undefined> {
  if (!/^af_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{32}$/.test(key)) return undefined;
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'scopes'])
    .where('key_hash', '=', hash(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  await db.updateTable('api_keys').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  return { id: row.id, name: row.name, scopes: row.scopes };
}
