/**
 * Deletes what the retention policy lets go (see policy.ts), one bounded batch at a time so a large
 * backlog never holds long locks: each call removes at most `batchSize` rows of each kind and says
 * how many it removed; the caller repeats until a batch removes nothing.
 *
 * Deliveries go leaves first (a delivery that a replay points at stays until its replays are gone),
 * with their attempts, in one transaction; an event goes once none of its deliveries remain.
 * Nothing pending or recent is touched.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';
import { type PruneCounts, type RetentionCutoffs, emptyCounts } from './policy';

const removed = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

export async function pruneBatch(
  db: Kysely<Database>,
  cutoffs: RetentionCutoffs,
  batchSize: number,
): Promise<PruneCounts> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be ≥ 1, got ${batchSize}`);
  const logsBefore = new Date(cutoffs.logsBefore);
  const expiredBefore = new Date(cutoffs.expiredBefore);
  const counts = emptyCounts();

  await db.transaction().execute(async (trx) => {
    const finished = await trx
      .selectFrom('deliveries as d')
      .select('d.id')
      .where('d.status', '!=', 'pending')
      .where(sql<boolean>`coalesce(d.completed_at, d.created_at) < ${logsBefore}`)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('deliveries as r').select('r.id').whereRef('r.replay_of', '=', 'd.id'))),
      )
      .orderBy('d.created_at')
      .limit(batchSize)
      .execute();
    const ids = finished.map((d) => d.id);
    if (ids.length === 0) return;
    counts.deliveryAttempts = removed(
      await trx.deleteFrom('delivery_attempts').where('delivery_id', 'in', ids).executeTakeFirst(),
    );
    counts.deliveries = removed(await trx.deleteFrom('deliveries').where('id', 'in', ids).executeTakeFirst());
  });

  counts.events = removed(
    await db
      .deleteFrom('events')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('events as e')
          .select('e.id')
          .where('e.dispatched_at', 'is not', null)
          .where('e.dispatched_at', '<', logsBefore)
          .where(({ not, exists, selectFrom }) =>
            not(exists(selectFrom('deliveries as d').select('d.id').whereRef('d.event_id', '=', 'e.id'))),
          )
          .limit(batchSize),
      )
      .executeTakeFirst(),
  );
  counts.integrationDeliveries = removed(
    await db
      .deleteFrom('integration_deliveries')
      .where('id', 'in', (eb) =>
        eb.selectFrom('integration_deliveries').select('id').where('received_at', '<', logsBefore).limit(batchSize),
      )
      .executeTakeFirst(),
  );
  counts.inboundEvents = removed(
    await db
      .deleteFrom('inbound_events')
      .where('id', 'in', (eb) =>
        eb.selectFrom('inbound_events').select('id').where('received_at', '<', logsBefore).limit(batchSize),
      )
      .executeTakeFirst(),
  );
  counts.conversations = removed(
    await db
      .deleteFrom('conversations')
      .where(({ eb, refTuple, selectFrom }) =>
        eb(
          refTuple('channel', 'address'),
          'in',
          selectFrom('conversations')
            .select(['channel', 'address'])
            .where('expires_at', '<', expiredBefore)
            .limit(batchSize)
            .$asTuple('channel', 'address'),
        ),
      )
      .executeTakeFirst(),
  );
  counts.staffSessions = removed(
    await db
      .deleteFrom('staff_sessions')
      .where('id_hash', 'in', (eb) =>
        eb
          .selectFrom('staff_sessions')
          .select('id_hash')
          .where((w) => w.or([w('expires_at', '<', expiredBefore), w('revoked_at', '<', expiredBefore)]))
          .limit(batchSize),
      )
      .executeTakeFirst(),
  );
  counts.loginAttempts = removed(
    await db
      .deleteFrom('login_attempts')
      .where('key', 'in', (eb) =>
        eb
          .selectFrom('login_attempts')
          .select('key')
          .where('window_started_at', '<', new Date(cutoffs.loginWindowsBefore))
          .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', new Date(cutoffs.now))]))
          .limit(batchSize),
      )
      .executeTakeFirst(),
  );
  counts.rateLimits = removed(
    await db
      .deleteFrom('rate_limits')
      .where('key', 'in', (eb) =>
        eb.selectFrom('rate_limits').select('key').where('window_ends_at', '<', new Date(cutoffs.now)).limit(batchSize),
      )
      .executeTakeFirst(),
  );
  counts.customerDevices = removed(
    await db
      .deleteFrom('customer_devices')
      .where('token_hash', 'in', (eb) =>
        eb.selectFrom('customer_devices').select('token_hash').where('expires_at', '<', expiredBefore).limit(batchSize),
      )
      .executeTakeFirst(),
  );
  counts.idempotencyKeys = removed(
    await db
      .deleteFrom('idempotency_keys')
      .where(({ eb, refTuple, selectFrom }) =>
        eb(
          refTuple('scope', 'key'),
          'in',
          selectFrom('idempotency_keys')
            .select(['scope', 'key'])
            .where('created_at', '<', new Date(cutoffs.keysBefore))
            .limit(batchSize)
            .$asTuple('scope', 'key'),
        ),
      )
      .executeTakeFirst(),
  );
  return counts;
}
