/**
 * Outbound integrations in the database: webhook subscriptions (soft-deleted, so their delivery log
 * stays readable), deliveries with their attempts, the event log, and the platform integrations'
 * settings. The routes (src/http/routes/outbound.ts) validate, encrypt secrets and shape the answers.
 */
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, OutboundPlatform } from '../db/schema';

type Db = Kysely<Database>;

/** A subscription that was not deleted. */
export async function findLiveSubscription(db: Db, id: string) {
  return db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Every subscription that was not deleted, oldest first. */
export async function liveSubscriptions(db: Db) {
  return db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

export async function insertSubscription(db: Db, values: Insertable<Database['webhook_subscriptions']>) {
  return db.insertInto('webhook_subscriptions').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateSubscription(db: Db, id: string, values: Updateable<Database['webhook_subscriptions']>) {
  return db
    .updateTable('webhook_subscriptions')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deleted: inactive and marked deleted, kept so its delivery log stays readable. */
export async function deleteSubscription(db: Db, id: string): Promise<void> {
  await db
    .updateTable('webhook_subscriptions')
    .set({ active: false, deleted_at: new Date(), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Deliveries (newest first) matching the filter, each with its event and every attempt. */
export async function deliveriesWithAttempts(
  db: Db,
  filter: {
    subscriptionId?: string;
    status?: string | undefined;
    target?: string | undefined;
    eventId?: string | undefined;
    id?: string;
    limit: number;
  },
) {
  let q = db
    .selectFrom('deliveries as d')
    .innerJoin('events as e', 'e.id', 'd.event_id')
    .select([
      'd.id',
      'd.event_id',
      'e.type as event_type',
      'e.subject_type',
      'e.subject_id',
      'd.target',
      'd.subscription_id',
      'd.workflow_id',
      'd.replay_of',
      'd.status',
      'd.attempts',
      'd.last_status_code',
      'd.last_error',
      'd.outcome',
      'd.created_at',
      'd.completed_at',
    ]);
  if (filter.id) q = q.where('d.id', '=', filter.id);
  if (filter.subscriptionId) q = q.where('d.subscription_id', '=', filter.subscriptionId);
  if (filter.status) q = q.where('d.status', '=', filter.status as 'pending');
  if (filter.target) q = q.where('d.target', '=', filter.target);
  if (filter.eventId) q = q.where('d.event_id', '=', filter.eventId);
  const rows = await q.orderBy('d.created_at', 'desc').limit(filter.limit).execute();
  const attempts = rows.length
    ? await db
        .selectFrom('delivery_attempts')
        .selectAll()
        .where(
          'delivery_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('attempt')
        .execute()
    : [];
  return rows.map((r) => ({
    id: r.id,
    event: { id: r.event_id, type: r.event_type, subject: { type: r.subject_type, id: r.subject_id } },
    target: r.target,
    subscriptionId: r.subscription_id,
    workflowId: r.workflow_id,
    replayOf: r.replay_of,
    status: r.status,
    attemptCount: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    outcome: r.outcome,
    createdAt: r.created_at,
    completedAt: r.completed_at,
    attempts: attempts
      .filter((a) => a.delivery_id === r.id)
      .map((a) => ({
        attempt: a.attempt,
        at: a.started_at,
        ok: a.ok,
        statusCode: a.status_code,
        latencyMs: a.latency_ms,
        error: a.error,
      })),
  }));
}

/** The event log, newest first, by type and / or subject. */
export async function recentEvents(
  db: Db,
  query: { type?: string | undefined; subjectId?: string | undefined; limit: number },
) {
  let q = db.selectFrom('events').selectAll();
  if (query.type) q = q.where('type', '=', query.type);
  if (query.subjectId) q = q.where('subject_id', '=', query.subjectId);
  const rows = await q.orderBy('occurred_at', 'desc').limit(query.limit).execute();
  return rows;
}

export async function outboundIntegrations(db: Db) {
  return db.selectFrom('outbound_integrations').selectAll().orderBy('platform').execute();
}

/** Creates or replaces a platform's integration. */
export async function upsertOutboundIntegration(
  db: Db,
  platform: OutboundPlatform,
  values: { enabled: boolean; base_url: string; access_token: string; settings: string },
) {
  return db
    .insertInto('outbound_integrations')
    .values({ platform, ...values })
    .onConflict((oc) => oc.column('platform').doUpdateSet({ ...values, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteOutboundIntegration(db: Db, platform: OutboundPlatform): Promise<void> {
  await db.deleteFrom('outbound_integrations').where('platform', '=', platform).execute();
}
