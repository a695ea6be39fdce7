/**
 * Secrets at rest, through the real entry points: a webhook subscription's secret, an outbound
 * platform's access token and an inbound platform's signing secret saved over the staff API are stored
 * encrypted (the column holds `enc:v1:…`, never the secret), are never listed, and still work: the
 * subscriber gets deliveries signed with the secret, the platform gets the decrypted bearer token, a
 * signed inbound delivery verifies. Rows stored in plain text before encryption keep working and the
 * start-up step encrypts them (idempotently); a key rotation re-encrypts everything under the new key.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createApiKey } from '../../src/auth/api-keys';
import { verifyAppointflowSignature } from '../../src/outbound/signature';
import { decryptSecret, keyIdOf, keyring, SecretsError } from '../../src/secrets/cipher';
import { keyringOf } from '../../src/secrets/keys';
import { encryptStoredSecrets } from '../../src/secrets/stored';
import { fixture, signCalendly, signZendesk } from '../support/inbound-signing';
import { type RecordedRequest, type RecordingServer, startRecordingServer } from '../support/recording-server';
import {
  api,
  bookByPhone,
  eventually,
  freeSlots,
  serviceIdBySlug,
  type Slot,
  startSystem,
  type System,
} from '../support/system';

jest.setTimeout(180_000);

let system: System;
let auth: Record<string, string>;
let subscriber: RecordingServer;
let legacySubscriber: RecordingServer;
let google: RecordingServer;
let slots: Slot[];
let service: string;

const ENCRYPTED = /^enc:v1:[0-9a-f]{8}:[A-Za-z0-9+/]+=*$/;
const db = () => system.database.db;
const ring = () => keyringOf(system.config.secrets);

beforeAll(async () => {
  subscriber = await startRecordingServer(() => ({ status: 204 }));
  legacySubscriber = await startRecordingServer(() => ({ status: 204 }));
  google = await startRecordingServer(() => ({ status: 200, body: { kind: 'calendar#event' } }));
  system = await startSystem({ OUTBOUND_DISPATCH_INTERVAL_MS: '200' });
  auth = { authorization: `Bearer ${(await createApiKey(db(), 'Secrets at rest')).key}` };
  service = await serviceIdBySlug(system, 'deep-tissue-massage');
  // One slot per day, so no two bookings overlap.
  const all = await freeSlots(system, service, 3, 14);
  slots = [];
  for (const s of all) {
    const last = slots[slots.length - 1];
    if (!last || Date.parse(s.startsAt) >= Date.parse(last.startsAt) + 24 * 3600_000) slots.push(s);
  }
});
afterAll(async () => {
  await system?.stop();
  await Promise.all([subscriber?.close(), legacySubscriber?.close(), google?.close()]);
});

let booked = 0;
async function book(): Promise<string> {
  const slot = slots[booked++]!;
  const { id } = await bookByPhone(system, auth, {
    serviceId: service,
    slot,
    customer: { name: 'Sam Secret', email: `sam.${randomUUID()}@example.com` },
  });
  return id;
}

const bookedRequest = (server: RecordingServer, appointmentId: string) =>
  eventually(async () =>
    server.requests.find((r) => {
      const body = r.json as { type?: string; data?: { appointment?: { id?: string } } };
      return body.type === 'appointment.booked' && body.data?.appointment?.id === appointmentId;
    }),
  );

function expectSignedWith(request: RecordedRequest, secret: string) {
  const header = request.headers['appointflow-signature'] as string;
  expect(verifyAppointflowSignature({ header, rawBody: request.rawBody, secret }).ok).toBe(true);
  expect(verifyAppointflowSignature({ header, rawBody: request.rawBody, secret: `${secret}x` }).ok).toBe(false);
}

const calendarInsertFor = (appointmentId: string) =>
  eventually(async () =>
    google.requests.find((r) => r.method === 'POST' && r.rawBody.includes(appointmentId.replace(/-/g, ''))),
  );

async function deliverInbound(platform: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${system.baseUrl}/webhooks/integrations/${platform}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  await response.text();
  return response.status;
}

const storedSubscription = (id: string) =>
  db().selectFrom('webhook_subscriptions').select('secret').where('id', '=', id).executeTakeFirstOrThrow();
const storedToken = () =>
  db()
    .selectFrom('outbound_integrations')
    .select('access_token')
    .where('platform', '=', 'google_calendar')
    .executeTakeFirstOrThrow();
const storedInbound = (platform: string) =>
  db().selectFrom('inbound_integrations').select('secrets').where('platform', '=', platform).executeTakeFirstOrThrow();

let subscriptionId: string;
let subscriptionSecret: string;
const TOKEN = 'ya29.at-rest-bearer-token';
const CALENDLY_KEY = 'calendly-signing-key-at-rest';

it('stores a webhook secret and a platform token encrypted, never lists them, and still signs and authorizes with them', async () => {
  const created = await api<{ subscription: { id: string; secretHint: string }; secret: string }>(
    system,
    'POST',
    '/api/webhooks',
    { url: `${subscriber.url}/hooks`, events: ['appointment.booked'] },
    auth,
  );
  expect(created.status).toBe(201);
  subscriptionId = created.body.subscription.id;
  subscriptionSecret = created.body.secret;
  // Shown once, at creation.
  expect(subscriptionSecret).toMatch(/^whsec_/);
  const stored = (await storedSubscription(subscriptionId)).secret;
  expect(stored).toMatch(ENCRYPTED);
  expect(stored).not.toContain(subscriptionSecret);
  expect(keyIdOf(stored)).toBe(ring().current.id);
  expect(decryptSecret(stored, ring())).toBe(subscriptionSecret);
  expect(created.body.subscription.secretHint).toBe(`…${subscriptionSecret.slice(-4)}`);

  const listed = await api(system, 'GET', '/api/webhooks', undefined, auth);
  const one = await api<{ subscription: { secretHint: string } }>(
    system,
    'GET',
    `/api/webhooks/${subscriptionId}`,
    undefined,
    auth,
  );
  for (const body of [JSON.stringify(listed.body), JSON.stringify(one.body)]) {
    expect(body).not.toContain(subscriptionSecret);
    expect(body).not.toContain(stored);
  }
  expect(one.body.subscription.secretHint).toBe(`…${subscriptionSecret.slice(-4)}`);

  const configured = await api<{ integration: { accessTokenHint: string } }>(
    system,
    'PUT',
    '/api/integrations/google_calendar/outbound',
    { baseUrl: `${google.url}/calendar/v3`, accessToken: TOKEN },
    auth,
  );
  expect(configured.status).toBe(200);
  expect(configured.body.integration.accessTokenHint).toBe('…oken');
  const token = (await storedToken()).access_token;
  expect(token).toMatch(ENCRYPTED);
  expect(token).not.toContain(TOKEN);
  const integrations = JSON.stringify((await api(system, 'GET', '/api/integrations/outbound', undefined, auth)).body);
  expect(integrations).not.toContain(TOKEN);
  expect(integrations).not.toContain(token);

  const appointmentId = await book();
  expectSignedWith(await bookedRequest(subscriber, appointmentId), subscriptionSecret);
  expect((await calendarInsertFor(appointmentId)).headers.authorization).toBe(`Bearer ${TOKEN}`);
});

it('stores an inbound signing secret encrypted, and a signed delivery still verifies', async () => {
  const saved = await api(
    system,
    'PUT',
    '/api/integrations/calendly/inbound',
    { secrets: { signingKey: CALENDLY_KEY } },
    auth,
  );
  expect(saved.status).toBe(200);
  expect(JSON.stringify(saved.body)).not.toContain(CALENDLY_KEY);
  const { secrets } = await storedInbound('calendly');
  expect(Object.keys(secrets)).toEqual(['signingKey']);
  expect(secrets.signingKey).toMatch(ENCRYPTED);
  expect(JSON.stringify(secrets)).not.toContain(CALENDLY_KEY);
  expect(JSON.stringify((await api(system, 'GET', '/api/integrations', undefined, auth)).body)).not.toContain(
    'signingKey',
  );

  const body = fixture('calendly', 'invitee.canceled.json');
  expect(await deliverInbound('calendly', body, signCalendly('not-the-key', body))).toBe(401);
  expect(await deliverInbound('calendly', body, signCalendly(CALENDLY_KEY, body))).toBe(200);
  const verified = await db()
    .selectFrom('integration_deliveries')
    .select(['verified'])
    .where('platform', '=', 'calendly')
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  expect(verified.map((d) => d.verified)).toEqual([false, true]);
});

const LEGACY_SECRET = 'whsec_legacy_plain_text_secret_0123';
const LEGACY_TOKEN = 'ya29.legacy-plain-token';
const ZENDESK_SECRET = 'zd-legacy-plain-secret';
let legacySubscriptionId: string;

it('reads legacy plain-text rows, and the start-up step encrypts them once (idempotent)', async () => {
  // Rows as they were stored before encryption at rest.
  legacySubscriptionId = (
    await db()
      .insertInto('webhook_subscriptions')
      .values({
        url: `${legacySubscriber.url}/hooks`,
        event_types: JSON.stringify(['appointment.booked']),
        secret: LEGACY_SECRET,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await db()
    .updateTable('outbound_integrations')
    .set({ access_token: LEGACY_TOKEN })
    .where('platform', '=', 'google_calendar')
    .execute();
  await db()
    .insertInto('inbound_integrations')
    .values({ platform: 'zendesk', secrets: JSON.stringify({ signingSecret: ZENDESK_SECRET }) })
    .execute();
  const zendesk = () => {
    const body = fixture('zendesk', 'trigger.json').replace('APPOINTMENT_ID', randomUUID());
    return deliverInbound('zendesk', body, signZendesk(ZENDESK_SECRET, body));
  };

  const shown = await api<{ subscription: { secretHint: string } }>(
    system,
    'GET',
    `/api/webhooks/${legacySubscriptionId}`,
    undefined,
    auth,
  );
  expect(shown.body.subscription.secretHint).toBe(`…${LEGACY_SECRET.slice(-4)}`);
  const before = await book();
  expectSignedWith(await bookedRequest(legacySubscriber, before), LEGACY_SECRET);
  expect((await calendarInsertFor(before)).headers.authorization).toBe(`Bearer ${LEGACY_TOKEN}`);
  expect(await zendesk()).toBe(200);

  const report = await encryptStoredSecrets(db(), ring());
  expect(report).toEqual({ webhookSubscriptions: 1, outboundIntegrations: 1, inboundIntegrations: 1, unreadable: [] });
  const secret = (await storedSubscription(legacySubscriptionId)).secret;
  const token = (await storedToken()).access_token;
  const signing = (await storedInbound('zendesk')).secrets.signingSecret!;
  for (const [value, plain] of [
    [secret, LEGACY_SECRET],
    [token, LEGACY_TOKEN],
    [signing, ZENDESK_SECRET],
  ] as const) {
    expect(value).toMatch(ENCRYPTED);
    expect(value).not.toContain(plain);
    expect(decryptSecret(value, ring())).toBe(plain);
  }
  // Idempotent: nothing left to do, nothing rewritten.
  expect(await encryptStoredSecrets(db(), ring())).toEqual({
    webhookSubscriptions: 0,
    outboundIntegrations: 0,
    inboundIntegrations: 0,
    unreadable: [],
  });
  expect((await storedSubscription(legacySubscriptionId)).secret).toBe(secret);

  // Everything still works from the encrypted rows.
  const after = await book();
  expectSignedWith(await bookedRequest(legacySubscriber, after), LEGACY_SECRET);
  expectSignedWith(await bookedRequest(subscriber, after), subscriptionSecret);
  expect((await calendarInsertFor(after)).headers.authorization).toBe(`Bearer ${LEGACY_TOKEN}`);
  expect(await zendesk()).toBe(200);
});

it('re-encrypts everything under a new key on rotation, and reports (without changing) rows no key can read', async () => {
  const current = ring();
  const newKey = randomBytes(32);
  // A key nobody has: every row is unreadable, reported by table and row, and left untouched.
  const stranger = keyring(randomBytes(32));
  const refused = await encryptStoredSecrets(db(), stranger);
  expect(refused).toMatchObject({ webhookSubscriptions: 0, outboundIntegrations: 0, inboundIntegrations: 0 });
  expect(refused.unreadable.map((u) => u.table).sort()).toEqual([
    'inbound_integrations',
    'inbound_integrations',
    'outbound_integrations',
    'webhook_subscriptions',
    'webhook_subscriptions',
  ]);
  expect(JSON.stringify(refused)).not.toContain(LEGACY_SECRET);
  expect(decryptSecret((await storedToken()).access_token, current)).toBe(LEGACY_TOKEN);

  // SECRETS_KEY=<new>, SECRETS_OLD_KEYS=<current>: the step rewrites every value under the new key.
  const rotated = keyring(newKey, [current.current.key]);
  expect(await encryptStoredSecrets(db(), rotated)).toEqual({
    webhookSubscriptions: 2,
    outboundIntegrations: 1,
    inboundIntegrations: 2,
    unreadable: [],
  });
  const secrets = [
    (await storedSubscription(subscriptionId)).secret,
    (await storedSubscription(legacySubscriptionId)).secret,
    (await storedToken()).access_token,
    (await storedInbound('zendesk')).secrets.signingSecret!,
    (await storedInbound('calendly')).secrets.signingKey!,
  ];
  expect(secrets.map(keyIdOf)).toEqual(Array(5).fill(rotated.current.id));
  expect(secrets.map((s) => decryptSecret(s, keyring(newKey)))).toEqual([
    subscriptionSecret,
    LEGACY_SECRET,
    LEGACY_TOKEN,
    ZENDESK_SECRET,
    CALENDLY_KEY,
  ]);
  // The old key alone no longer reads them.
  expect(() => decryptSecret(secrets[0]!, current)).toThrow(SecretsError);
});
