/**
 * Retention (src/retention/): old delivery logs and expired records are pruned in bounded batches on
 * both database backends, keeping anything pending, recent or still referenced; and the daily
 * Temporal Schedule starts the retention workflow, which prunes through the worker's activity.
 */
import { ScheduleNotFoundError } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema';
import { seedDemoData } from '../../src/db/seed';
import { DAY_MS } from '../../src/domain/time';
import {
  type PruneCounts,
  addCounts,
  emptyCounts,
  retentionCutoffs,
  RETENTION_KINDS,
} from '../../src/retention/policy';
import { pruneBatch } from '../../src/retention/prune';
import { ensureRetentionSchedule } from '../../src/retention/schedule';
import { retentionScheduleId, type RetentionResult } from '../../workflows/retention/messages';
import { backends, createTestDatabase } from '../support/database';
import { eventually, startSystem } from '../support/system';

jest.setTimeout(120_000);

const now = Date.now();
const ago = (days: number) => new Date(now - days * DAY_MS);

async function seedOldAndNew(db: Kysely<Database>) {
  const event = async (key: string, occurredDaysAgo: number, dispatchedDaysAgo: number | null) =>
    (
      await db
        .insertInto('events')
        .values({
          type: 'appointment.booked',
          subject_type: 'appointment',
          subject_id: key,
          source_key: key,
          occurred_at: ago(occurredDaysAgo),
          dispatched_at: dispatchedDaysAgo === null ? null : ago(dispatchedDaysAgo),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const delivery = async (
    key: string,
    eventId: string,
    status: 'pending' | 'succeeded' | 'failed',
    daysAgo: number,
    attempts: number,
    replayOf: string | null = null,
  ) => {
    const { id } = await db
      .insertInto('deliveries')
      .values({
        event_id: eventId,
        target: 'webhook:test',
        workflow_id: `delivery:${key}`,
        replay_of: replayOf,
        status,
        attempts,
        created_at: ago(daysAgo + 1),
        completed_at: status === 'pending' ? null : ago(daysAgo),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      await db
        .insertInto('delivery_attempts')
        .values({ delivery_id: id, attempt, started_at: ago(daysAgo), latency_ms: 12, ok: attempt === attempts })
        .execute();
    }
    return id;
  };

  // E1: delivered and replayed long ago → the replay, the delivery, their attempts and the event go.
  const e1 = await event('e1', 101, 101);
  const d1 = await delivery('d1', e1, 'succeeded', 100, 2);
  await delivery('d1r', e1, 'succeeded', 95, 1, d1);
  // E2: failed long ago but replayed last week → everything stays (the replay points at the original).
  const e2 = await event('e2', 101, 101);
  const d2 = await delivery('d2', e2, 'failed', 100, 3);
  await delivery('d2r', e2, 'succeeded', 5, 1, d2);
  // E3: a delivery still pending → stays, and so does its event.
  const e3 = await event('e3', 101, 101);
  await delivery('d3', e3, 'pending', 100, 0);
  // E4: dispatched long ago to nobody → goes. E5: never dispatched → stays. E6: recent → stays.
  await event('e4', 101, 100);
  await event('e5', 101, null);
  const e6 = await event('e6', 2, 2);
  await delivery('d6', e6, 'succeeded', 2, 1);

  for (const [vendor, daysAgo] of [
    ['old-1', 120],
    ['old-2', 91],
    ['new-1', 3],
  ] as const) {
    await db
      .insertInto('integration_deliveries')
      .values({ platform: 'calendly', vendor_event_id: vendor, verified: true, received_at: ago(daysAgo) })
      .execute();
  }
  await db
    .insertInto('inbound_events')
    .values([
      { provider: 'stripe', event_id: 'evt_old', status: 'processed', received_at: ago(100) },
      { provider: 'stripe', event_id: 'evt_new', status: 'processed', received_at: ago(1) },
    ])
    .execute();

  const { id: contactId } = await db
    .insertInto('contacts')
    .values({ name: 'Robin Reply', email: 'robin@example.com' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('conversations')
    .values([
      { channel: 'sms', address: '+15550000001', contact_id: contactId, state: 'choosing_slot', expires_at: ago(2) },
      { channel: 'sms', address: '+15550000002', contact_id: contactId, state: 'choosing_slot', expires_at: ago(-1) },
      {
        channel: 'email',
        address: 'robin@example.com',
        contact_id: contactId,
        state: 'awaiting_cancel_confirmation',
        expires_at: new Date(now - 3_600_000),
      },
    ])
    .execute();

  const { id: accountId } = await db.selectFrom('staff_accounts').select('id').executeTakeFirstOrThrow();
  const session = (id: string, expiresDaysAgo: number, revokedDaysAgo: number | null = null) => ({
    id_hash: id,
    account_id: accountId,
    csrf_token: `csrf-${id}`,
    expires_at: ago(expiresDaysAgo),
    revoked_at: revokedDaysAgo === null ? null : ago(revokedDaysAgo),
  });
  await db
    .insertInto('staff_sessions')
    .values([session('expired', 2), session('revoked', -5, 3), session('active', -5)])
    .execute();
  await db
    .insertInto('login_attempts')
    .values([
      { key: 'old-unlocked', failures: 2, window_started_at: ago(40) },
      { key: 'old-locked', failures: 9, window_started_at: ago(40), locked_until: ago(-1) },
      { key: 'recent', failures: 1, window_started_at: ago(1) },
    ])
    .execute();
  await db
    .insertInto('rate_limits')
    .values([
      { key: 'booking.ip:ended', hits: 40, window_ends_at: ago(0.01) },
      { key: 'booking.ip:running', hits: 3, window_ends_at: ago(-0.01) },
    ])
    .execute();
  const sam = await db.selectFrom('contacts').select('id').orderBy('name').executeTakeFirstOrThrow();
  await db
    .insertInto('customer_devices')
    .values([
      { token_hash: 'expired-device', contact_id: sam.id, expires_at: ago(2) },
      { token_hash: 'live-device', contact_id: sam.id, expires_at: ago(-100) },
    ])
    .execute();
  const idempotencyKey = (key: string, createdAt: Date) => ({
    scope: 'public',
    key,
    method: 'POST',
    route: '/api/bookings',
    request_hash: 'h',
    response_status: 201,
    response_body: '{}',
    created_at: createdAt,
    completed_at: createdAt,
  });
  await db
    .insertInto('idempotency_keys')
    .values([idempotencyKey('two-days-old', ago(2)), idempotencyKey('an-hour-old', new Date(now - 3_600_000))])
    .execute();
}

const EXPECTED: PruneCounts = {
  deliveryAttempts: 3,
  deliveries: 2,
  events: 2,
  integrationDeliveries: 2,
  inboundEvents: 1,
  conversations: 1,
  staffSessions: 2,
  loginAttempts: 1,
  rateLimits: 1,
  customerDevices: 1,
  idempotencyKeys: 1,
};

describe.each(backends())('pruning on %s', (backend) => {
  it('removes old delivery logs and expired records in bounded batches, keeping pending, recent and referenced rows', async () => {
    const database = await createTestDatabase(backend);
    try {
      const { db } = database;
      await seedDemoData(db);
      const contactsBefore = (await db.selectFrom('contacts').select('id').execute()).length;
      await seedOldAndNew(db);
      const cutoffs = retentionCutoffs(now, 90);
      let total = emptyCounts();
      let batches = 0;
      for (;;) {
        const counts = await pruneBatch(db, cutoffs, 1);
        batches += 1;
        for (const kind of RETENTION_KINDS)
          expect(counts[kind]).toBeLessThanOrEqual(kind === 'deliveryAttempts' ? 2 : 1);
        if (RETENTION_KINDS.every((k) => counts[k] === 0)) break;
        total = addCounts(total, counts);
        expect(batches).toBeLessThan(10);
      }
      expect(total).toEqual(EXPECTED);
      expect(batches).toBeGreaterThan(2); // the replay before its original, one row per batch

      const keys = await db.selectFrom('events').select('source_key').orderBy('source_key').execute();
      expect(keys.map((e) => e.source_key)).toEqual(['e2', 'e3', 'e5', 'e6']);
      const deliveries = await db.selectFrom('deliveries').select('workflow_id').orderBy('workflow_id').execute();
      expect(deliveries.map((d) => d.workflow_id)).toEqual([
        'delivery:d2',
        'delivery:d2r',
        'delivery:d3',
        'delivery:d6',
      ]);
      expect(await db.selectFrom('delivery_attempts').select('id').execute()).toHaveLength(3 + 1 + 1);
      const inbound = await db.selectFrom('integration_deliveries').select('vendor_event_id').execute();
      expect(inbound.map((d) => d.vendor_event_id)).toEqual(['new-1']);
      const providerEvents = await db.selectFrom('inbound_events').select('event_id').execute();
      expect(providerEvents.map((e) => e.event_id)).toEqual(['evt_new']);
      const conversations = await db.selectFrom('conversations').select('address').orderBy('address').execute();
      expect(conversations.map((c) => c.address)).toEqual(['+15550000002', 'robin@example.com']);
      const sessions = await db.selectFrom('staff_sessions').select('id_hash').execute();
      expect(sessions.map((s) => s.id_hash)).toEqual(['active']);
      const attempts = await db.selectFrom('login_attempts').select('key').orderBy('key').execute();
      expect(attempts.map((a) => a.key)).toEqual(['old-locked', 'recent']);
      const idempotencyKeys = await db.selectFrom('idempotency_keys').select('key').execute();
      expect(idempotencyKeys.map((k) => k.key)).toEqual(['an-hour-old']);
      // Business records are untouched.
      expect(await db.selectFrom('contacts').select('id').execute()).toHaveLength(contactsBefore + 1);
    } finally {
      await database.drop();
    }
  });
});

it('runs daily from a Temporal Schedule in the business time zone; the workflow prunes through the worker', async () => {
  const system = await startSystem({ RETENTION_DAYS: '30', RETENTION_HOUR: '4' });
  try {
    const { db } = system.database;
    await db
      .insertInto('integration_deliveries')
      .values([
        { platform: 'calendly', vendor_event_id: 'old', verified: true, received_at: ago(45) },
        { platform: 'calendly', vendor_event_id: 'new', verified: true, received_at: ago(10) },
      ])
      .execute();
    const deps = { client: system.env.client, config: system.config, db };
    expect(await ensureRetentionSchedule(deps)).toBe('created');
    // Every start-up ensures it again: brought in line, not duplicated.
    expect(await ensureRetentionSchedule(deps)).toBe('updated');

    const scheduleId = retentionScheduleId(system.config.temporal.taskQueue);
    const handle = system.env.client.schedule.getHandle(scheduleId);
    const described = await handle.describe();
    const business = await db.selectFrom('business').select('time_zone').executeTakeFirstOrThrow();
    expect(described.spec.timezone).toBe(business.time_zone);
    expect(described.spec.calendars?.[0]?.hour).toEqual([{ start: 4, end: 4, step: 1 }]);
    expect(described.spec.calendars?.[0]?.minute).toEqual([{ start: 15, end: 15, step: 1 }]);
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'retentionWorkflow' });
    const next = described.info.nextActionTimes[0]!;
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime()).toBeLessThanOrEqual(Date.now() + DAY_MS + 3_600_000);

    // What "Trigger" in the Web UI does.
    await handle.trigger();
    // The schedule names each run after its workflow id and the scheduled time.
    const started = await eventually(
      async () => (await handle.describe()).info.recentActions[0]?.action.workflow,
      30_000,
    );
    expect(started.workflowId).toMatch(new RegExp(`^retention:${system.config.temporal.taskQueue}-`));
    const result = (await system.env.client.workflow.getHandle(started.workflowId).result()) as RetentionResult;
    expect(result.counts.integrationDeliveries).toBe(1);
    expect(result.summary).toContain('1 inbound integration deliveries');
    const left = await db.selectFrom('integration_deliveries').select('vendor_event_id').execute();
    expect(left.map((d) => d.vendor_event_id)).toEqual(['new']);

    // RETENTION_DAYS=0 keeps everything: the schedule goes.
    expect(
      await ensureRetentionSchedule({ ...deps, config: { ...system.config, retention: { days: 0, hour: 4 } } }),
    ).toBe('removed');
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  } finally {
    await system.stop();
  }
});
