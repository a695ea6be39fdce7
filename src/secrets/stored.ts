/**
 * The start-up step that encrypts secrets still stored as plain text (rows written before encryption
 * at rest) and re-encrypts values written with an older key (after a rotation), so that every stored
 * secret ends up under SECRETS_KEY. Idempotent: a value already under the current key is left alone,
 * and each update only applies if the row still holds the value that was read (a concurrent writer
 * wins). Run by `npm start` and by the migrate job after the migrations.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';
import { decryptSecret, encryptSecret, type Keyring, needsReencryption } from './cipher';

export interface ReencryptionReport {
  /** Values rewritten under the current key, per table. */
  webhookSubscriptions: number;
  outboundIntegrations: number;
  inboundIntegrations: number;
  /** Rows whose secret could not be read (key missing from the keyring, or altered); left as they are. */
  unreadable: Array<{ table: string; row: string; error: string }>;
}

export async function encryptStoredSecrets(db: Kysely<Database>, ring: Keyring): Promise<ReencryptionReport> {
  const report: ReencryptionReport = {
    webhookSubscriptions: 0,
    outboundIntegrations: 0,
    inboundIntegrations: 0,
    unreadable: [],
  };
  const rewrite = (table: string, row: string, stored: string): string | undefined => {
    if (!needsReencryption(stored, ring)) return undefined;
    try {
      return encryptSecret(decryptSecret(stored, ring), ring);
    } catch (error) {
      report.unreadable.push({ table, row, error: (error as Error).message });
      return undefined;
    }
  };

  const subscriptions = await db.selectFrom('webhook_subscriptions').select(['id', 'secret']).execute();
  for (const { id, secret } of subscriptions) {
    const next = rewrite('webhook_subscriptions', id, secret);
    if (next === undefined) continue;
    const done = await db
      .updateTable('webhook_subscriptions')
      .set({ secret: next })
      .where('id', '=', id)
      .where('secret', '=', secret)
      .executeTakeFirst();
    report.webhookSubscriptions += Number(done.numUpdatedRows);
  }

  const outbound = await db.selectFrom('outbound_integrations').select(['platform', 'access_token']).execute();
  for (const { platform, access_token } of outbound) {
    const next = rewrite('outbound_integrations', platform, access_token);
    if (next === undefined) continue;
    const done = await db
      .updateTable('outbound_integrations')
      .set({ access_token: next })
      .where('platform', '=', platform)
      .where('access_token', '=', access_token)
      .executeTakeFirst();
    report.outboundIntegrations += Number(done.numUpdatedRows);
  }

  const inbound = await db.selectFrom('inbound_integrations').select(['platform', 'secrets']).execute();
  for (const { platform, secrets } of inbound) {
    let changed = false;
    const next: Record<string, string> = {};
    for (const [name, value] of Object.entries(secrets)) {
      const rewritten = rewrite('inbound_integrations', `${platform}.secrets.${name}`, value);
      next[name] = rewritten ?? value;
      changed ||= rewritten !== undefined;
    }
    if (!changed) continue;
    const done = await db
      .updateTable('inbound_integrations')
      .set({ secrets: JSON.stringify(next) })
      .where('platform', '=', platform)
      .where(sql<boolean>`secrets = ${JSON.stringify(secrets)}::jsonb`)
      .executeTakeFirst();
    report.inboundIntegrations += Number(done.numUpdatedRows);
  }
  return report;
}

/** Runs the step and logs what it did (counts and unreadable rows, never a value). */
export async function encryptStoredSecretsLogged(
  db: Kysely<Database>,
  ring: Keyring,
  log: (level: 'info' | 'warn', fields: Record<string, unknown>, message: string) => void,
): Promise<ReencryptionReport> {
  const report = await encryptStoredSecrets(db, ring);
  const { webhookSubscriptions, outboundIntegrations, inboundIntegrations } = report;
  if (webhookSubscriptions + outboundIntegrations + inboundIntegrations > 0) {
    log(
      'info',
      { webhookSubscriptions, outboundIntegrations, inboundIntegrations, keyId: ring.current.id },
      'stored secrets encrypted with the current SECRETS_KEY',
    );
  }
  for (const problem of report.unreadable) {
    log('warn', problem, 'a stored secret cannot be read with SECRETS_KEY or SECRETS_OLD_KEYS; left as it is');
  }
  return report;
}
