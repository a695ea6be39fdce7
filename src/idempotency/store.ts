/**
 * The `idempotency_keys` table (migration 0015): claiming a key for a request, recording its first
 * answer, giving a key back when the answer is not to be kept, and pruning old keys.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';

export interface KeyedRequest {
  scope: string;
  key: string;
  method: string;
  route: string;
  requestHash: string;
}

export type Claim =
  /** This request runs (first time, or the first one died and its lease ran out). */
  | { kind: 'claimed' }
  /** Answered before: the stored answer. */
  | { kind: 'replay'; status: number; body: unknown }
  /** The key was used for a different request. */
  | { kind: 'mismatch'; method: string; route: string }
  /** The first request with this key is still running. */
  | { kind: 'in_progress' };

export async function claimKey(db: Kysely<Database>, request: KeyedRequest, leaseMs: number): Promise<Claim> {
  const lockedUntil = sql<Date>`now() + ${`${leaseMs} milliseconds`}::interval`;
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({
      scope: request.scope,
      key: request.key,
      method: request.method,
      route: request.route,
      request_hash: request.requestHash,
      locked_until: lockedUntil,
    })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return { kind: 'claimed' };
  // The first request died without an answer (its lease ran out): this one takes over.
  const takenOver = await db
    .updateTable('idempotency_keys')
    .set({ locked_until: lockedUntil })
    .where('scope', '=', request.scope)
    .where('key', '=', request.key)
    .where('request_hash', '=', request.requestHash)
    .where('completed_at', 'is', null)
    .where('locked_until', '<', sql<Date>`now()`)
    .returning('key')
    .executeTakeFirst();
  if (takenOver) return { kind: 'claimed' };
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['method', 'route', 'request_hash', 'response_status', 'response_body'])
    .where('scope', '=', request.scope)
    .where('key', '=', request.key)
    .executeTakeFirst();
  if (!row) return claimKey(db, request, leaseMs); // given back in between: claim it now
  if (row.request_hash !== request.requestHash) return { kind: 'mismatch', method: row.method, route: row.route };
  if (row.response_status !== null) return { kind: 'replay', status: row.response_status, body: row.response_body };
  return { kind: 'in_progress' };
}

export async function recordAnswer(
  db: Kysely<Database>,
  id: { scope: string; key: string },
  status: number,
  body: unknown,
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({
      response_status: status,
      response_body: JSON.stringify(body ?? null),
      completed_at: new Date(),
      locked_until: null,
    })
    .where('scope', '=', id.scope)
    .where('key', '=', id.key)
    .where('completed_at', 'is', null)
    .execute();
}

/** The answer is not kept (a server error, a request refused before it ran): the key can be used again. */
export async function releaseKey(db: Kysely<Database>, id: { scope: string; key: string }): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('scope', '=', id.scope)
    .where('key', '=', id.key)
    .where('completed_at', 'is', null)
    .execute();
}
