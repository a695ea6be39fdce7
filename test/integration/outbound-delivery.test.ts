/**
 * One delivery attempt against the real database (PGlite or PostgreSQL) and a local vendor server:
 * the attempt is logged with its status code and latency, a delivery that already succeeded is not
 * sent again, a failure is logged and classified, and a platform sync that raced a change of the
 * appointment syncs again so the platform ends on the latest state.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { recordEvent, appointmentEventView } from '../../src/outbound/events';
import { findLink } from '../../src/outbound/links';
import { attemptDelivery, failDelivery } from '../../src/outbound/delivery';
import { OutboundError } from '../../src/outbound/http';
import { seedDemoData } from '../../src/db/seed';
import { encryptSecret, keyring } from '../../src/secrets/cipher';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { type RecordingServer, startRecordingServer } from '../support/recording-server';

let database: TestDatabase;
let vendor: RecordingServer;
let appointmentId: string;
const secrets = keyring(randomBytes(32));

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoData(database.db);
  vendor = await startRecordingServer();
  const { db } = database;
  const staff = await db.selectFrom('staff').select('id').orderBy('email').executeTakeFirstOrThrow();
  const service = await db
    .selectFrom('services')
    .select('id')
    .where('slug', '=', 'consultation')
    .executeTakeFirstOrThrow();
  const contact = await db.selectFrom('contacts').select('id').orderBy('email').executeTakeFirstOrThrow();
  const startsAt = new Date(Date.now() + 5 * 86_400_000);
  const endsAt = new Date(startsAt.getTime() + 3_600_000);
  const row = await db
    .insertInto('appointments')
    .values({
      contact_id: contact.id,
      staff_id: staff.id,
      service_id: service.id,
      starts_at: startsAt,
      ends_at: endsAt,
      blocked_from: startsAt,
      blocked_until: endsAt,
      time_zone: 'America/New_York',
      price_minor: 6000,
      currency: 'USD',
      source: 'test',
      workflow_id: 'appointment:outbound-delivery-test',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  appointmentId = row.id;
});
afterAll(async () => {
  await vendor?.close();
  await database?.drop();
});
beforeEach(() => {
  vendor.requests.length = 0;
  vendor.handler = () => ({ status: 200, body: {} });
});

async function delivery(target: string, subscriptionId: string | null = null): Promise<string> {
  const { db } = database;
  const eventId = await recordEvent(db, {
    type: 'appointment.booked',
    subject: { type: 'appointment', id: appointmentId },
    payload: { appointment: await appointmentEventView(db, appointmentId), change: { kind: 'booked' } },
  });
  const row = await db
    .insertInto('deliveries')
    .values({ event_id: eventId!, target, subscription_id: subscriptionId, workflow_id: `test:${eventId}:${target}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const attemptsOf = (id: string) =>
  database.db.selectFrom('delivery_attempts').selectAll().where('delivery_id', '=', id).orderBy('attempt').execute();

it('logs each attempt, does not send a delivered event again, and marks a spent delivery failed with a task', async () => {
  const { db } = database;
  const subscription = await db
    .insertInto('webhook_subscriptions')
    .values({ url: `${vendor.url}/hook`, secret: encryptSecret('whsec_test_secret_0123456789', secrets) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = await delivery(`webhook:${subscription.id}`, subscription.id);

  vendor.handler = () => ({ status: 502, body: { error: 'bad gateway' } });
  const failure = await attemptDelivery({ db, secrets }, id, 1).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(OutboundError);
  expect(failure).toMatchObject({ statusCode: 502, retryable: true });

  vendor.handler = () => ({ status: 204 });
  expect(await attemptDelivery({ db, secrets }, id, 2)).toEqual({ status: 'succeeded', outcome: 'delivered (204)' });
  expect(await attemptDelivery({ db, secrets }, id, 3)).toEqual({ status: 'succeeded', outcome: 'delivered (204)' });
  expect(vendor.requests).toHaveLength(2);
  const attempts = await attemptsOf(id);
  expect(attempts.map((a) => [a.attempt, a.ok, a.status_code])).toEqual([
    [1, false, 502],
    [2, true, 204],
  ]);
  expect(attempts[0]!.error).toContain('subscriber answered 502');
  expect(attempts.every((a) => a.latency_ms >= 0)).toBe(true);
  expect(
    await db.selectFrom('deliveries').select(['status', 'attempts']).where('id', '=', id).executeTakeFirst(),
  ).toEqual({ status: 'succeeded', attempts: 2 });

  const doomed = await delivery(`webhook:${subscription.id}`, subscription.id);
  await failDelivery({ db }, doomed, 'subscriber answered 503');
  await failDelivery({ db }, doomed, 'subscriber answered 503');
  expect(await db.selectFrom('deliveries').select('status').where('id', '=', doomed).executeTakeFirst()).toEqual({
    status: 'failed',
  });
  const tasks = await db
    .selectFrom('tasks')
    .select(['appointment_id', 'kind', 'title'])
    .where('idempotency_key', '=', `delivery:${doomed}:failed`)
    .execute();
  expect(tasks).toEqual([expect.objectContaining({ appointment_id: appointmentId, kind: 'other' })]);
  expect(tasks[0]!.title).toContain('Outbound delivery failed: appointment.booked');

  // A deactivated subscription is skipped, visibly.
  // A secret under a key the keyring does not have: refused without retries, naming the key, not the value.
  const foreign = await db
    .insertInto('webhook_subscriptions')
    .values({ url: `${vendor.url}/hook`, secret: encryptSecret('whsec_foreign_0123456789', keyring(randomBytes(32))) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const refused = await attemptDelivery({ db, secrets }, await delivery(`webhook:${foreign.id}`, foreign.id), 1).catch(
    (e: unknown) => e,
  );
  expect(refused).toBeInstanceOf(OutboundError);
  expect(refused).toMatchObject({
    retryable: false,
    message: expect.stringMatching(/^webhook secret: .*SECRETS_OLD_KEYS/),
  });
  expect(String((refused as Error).message)).not.toContain('whsec_foreign');
  expect(vendor.requests).toHaveLength(2);

  await db.updateTable('webhook_subscriptions').set({ active: false }).where('id', '=', subscription.id).execute();
  const later = await delivery(`webhook:${subscription.id}`, subscription.id);
  expect(await attemptDelivery({ db, secrets }, later, 1)).toMatchObject({ status: 'skipped' });
});

it('syncs again when the appointment changed during the call, so the calendar ends on the latest state', async () => {
  const { db } = database;
  await db
    .insertInto('outbound_integrations')
    .values({
      platform: 'google_calendar',
      base_url: `${vendor.url}/calendar/v3`,
      access_token: encryptSecret('ya29.x', secrets),
    })
    .execute();
  const id = await delivery('google_calendar');
  // The customer cancels while the booked event is being inserted.
  vendor.handler = async (request) => {
    if (request.method === 'POST') {
      await db.updateTable('appointments').set({ status: 'cancelled' }).where('id', '=', appointmentId).execute();
    }
    return { status: 200, body: {} };
  };
  expect(await attemptDelivery({ db, secrets }, id, 1)).toMatchObject({ status: 'succeeded' });
  expect(vendor.requests.map((r) => r.method)).toEqual(['POST', 'DELETE']);
  // The stored token is encrypted; the platform gets it in plain text.
  expect(vendor.requests[0]?.headers.authorization).toBe('Bearer ya29.x');
  expect(
    await db.selectFrom('outbound_links').selectAll().where('appointment_id', '=', appointmentId).execute(),
  ).toEqual([]);

  // A platform removed after the event was dispatched: skipped, nothing sent.
  await db.deleteFrom('outbound_integrations').where('platform', '=', 'google_calendar').execute();
  vendor.requests.length = 0;
  expect(await attemptDelivery({ db, secrets }, await delivery('google_calendar'), 1)).toMatchObject({
    status: 'skipped',
  });
  expect(vendor.requests).toHaveLength(0);
});

it('finds the record of an update-only platform in external_refs or in the inbound links, never for a calendar', async () => {
  const { db } = database;
  expect(await findLink(db, 'zoho_crm', appointmentId)).toBeUndefined();
  await db
    .updateTable('appointments')
    .set({ external_refs: JSON.stringify({ servicetitan: '456', servicetitan_job: '789', google_calendar: 'evt' }) })
    .where('id', '=', appointmentId)
    .execute();
  expect(await findLink(db, 'servicetitan', appointmentId)).toEqual({ externalId: '456', data: { jobId: '789' } });
  // A calendar event appointflow did not create is not taken over.
  expect(await findLink(db, 'google_calendar', appointmentId)).toBeUndefined();

  // The inbound integrations' links (their table, as their migration creates it, when merged in).
  await sql`CREATE TABLE IF NOT EXISTS external_links (
    platform text NOT NULL,
    external_id text NOT NULL,
    appointment_id uuid NOT NULL REFERENCES appointments(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, external_id)
  )`.execute(db);
  await sql`INSERT INTO external_links (platform, external_id, appointment_id) VALUES ('zoho_crm', '5843', ${appointmentId})`.execute(
    db,
  );
  expect(await findLink(db, 'zoho_crm', appointmentId)).toEqual({ externalId: '5843', data: {} });

  // …and the Zoho update goes to that record.
  // (A legacy plain-text token, as stored before encryption at rest: still read.)
  await db
    .insertInto('outbound_integrations')
    .values({ platform: 'zoho_crm', base_url: vendor.url, access_token: '1000.zoho' })
    .execute();
  vendor.handler = () => ({ status: 200, body: { data: [{ code: 'SUCCESS' }] } });
  expect(await attemptDelivery({ db, secrets }, await delivery('zoho_crm'), 1)).toMatchObject({ status: 'succeeded' });
  expect(vendor.requests[0]).toMatchObject({
    headers: expect.objectContaining({ authorization: 'Zoho-oauthtoken 1000.zoho' }),
    method: 'PUT',
    path: '/crm/v6/Appointments__s',
    json: { data: [expect.objectContaining({ id: '5843', Status: 'Cancelled' })] },
  });
});
