/**
 * Inbound integrations end to end (dev server, database, worker, HTTP): for each platform a delivery
 * signed with the vendor's published algorithm (payloads from test/fixtures/integrations) drives the
 * expected change on a real appointment workflow, recorded on the timeline with channel
 * `integration:<platform>`; a redelivery changes nothing; a forged, tampered or stale one is rejected
 * (401 / 403), stored as unverified, and changes nothing. Platforms that send ids only are fetched from
 * a local server that checks method, path and auth header.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { createApiKey } from '../../src/auth/api-keys';
import { upcomingFreeSlots } from '../../src/availability/service';
import { startAppointmentWorkflow } from '../../src/booking/service';
import { finishDelivery, recordVerified } from '../../src/integrations/inbound/store';
import { decryptSecret } from '../../src/secrets/cipher';
import { keyringOf } from '../../src/secrets/keys';
import { stateQuery } from '../../workflows/appointment/messages';
import {
  basic,
  fixture,
  fixtureJson,
  signAcuity,
  signCalendly,
  signHubSpot,
  signJobber,
  signQuickBooks,
  signServiceTitan,
  signSheets,
  signSquare,
  signZendesk,
} from '../support/inbound-signing';
import { recordHistory } from '../support/histories';
import { api, eventually, startSystem, type System } from '../support/system';
import { inboundFetchWorkflowId } from '../../workflows/integration-inbound/messages';

jest.setTimeout(180_000);

const HOUR = 3600_000;
let system: System;
let auth: Record<string, string>;
let staff: string[];
let consultation: string;

/** A local server answering like the vendors' APIs; each request is recorded with its auth header. */
const vendorCalls: Array<{ method: string; path: string; auth: string | undefined }> = [];
const vendorAnswers = new Map<string, { status: number; body: string }>();
/** Paths (prefixes) that fail with 503 this many more times before answering. */
const vendorFailures = new Map<string, number>();
let vendor: Server;
let vendorBase: string;

beforeAll(async () => {
  system = await startSystem();
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Integrations admin')).key}` };
  const db = system.database.db;
  staff = (await db.selectFrom('staff').select('id').orderBy('name').execute()).map((s) => s.id);
  consultation = (
    await db.selectFrom('services').select('id').where('slug', '=', 'consultation').executeTakeFirstOrThrow()
  ).id;
  vendor = createServer((req: IncomingMessage, res) => {
    const path = req.url ?? '';
    vendorCalls.push({ method: req.method ?? '', path, auth: req.headers.authorization });
    const failing = [...vendorFailures.entries()].find(([prefix, n]) => path.startsWith(prefix) && n > 0);
    if (failing) {
      vendorFailures.set(failing[0], failing[1] - 1);
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"error":"temporarily unavailable"}');
      return;
    }
    const answer = [...vendorAnswers.entries()].find(([prefix]) => path.startsWith(prefix))?.[1];
    res.writeHead(answer?.status ?? 404, { 'content-type': 'application/json' });
    res.end(answer?.body ?? '{}');
  });
  await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
  vendorBase = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;

  const configure = async (platform: string, secrets: Record<string, string>, extra: Record<string, unknown> = {}) => {
    const res = await api(system, 'PUT', `/api/integrations/${platform}/inbound`, { secrets, ...extra }, auth);
    expect(res.status).toBe(200);
  };
  await configure('calendly', { signingKey: 'calendly-signing-key' }, { options: { serviceId: consultation } });
  await configure('acuity', { apiKey: 'acuity-api-key', userId: '11145481' }, { apiBase: vendorBase });
  await configure('square', { signatureKey: 'square-signature-key' });
  await configure(
    'google_calendar',
    { channelId: 'chan-1', channelToken: 'tok-1', accessToken: 'ya29.google' },
    { apiBase: vendorBase },
  );
  await configure(
    'microsoft_graph',
    { clientState: 'secretClientValue', accessToken: 'eyJ0.graph' },
    { apiBase: vendorBase },
  );
  await configure('hubspot', { clientSecret: 'hubspot-client-secret' });
  await configure('pipedrive', { basicUser: 'pd', basicPassword: 'pd-pass' });
  await configure('zendesk', { signingSecret: 'zd-secret' });
  await configure('freshdesk', { sharedSecret: 'fd-secret' });
  await configure('zoho_crm', { sharedSecret: 'zoho-secret' });
  await configure('salesforce', { organizationId: '00D5e000000ABCDEAA' });
  await configure('quickbooks', { verifierToken: 'qbo-verifier' });
  await configure('activecampaign', { sharedSecret: 'ac-secret' });
  await configure('google_sheets', { sharedSecret: 'sheet-secret' });
  await configure('jobber', { clientSecret: 'jobber-client-secret' });
});

afterAll(async () => {
  await new Promise((resolve) => vendor?.close(resolve));
  await system?.stop();
});

let futureSlot = 0;
let pastSlot = 0;
const hourFloor = (t: number) => Math.floor(t / HOUR) * HOUR;
/** A distinct future start per call (2 h apart, so no two overlap). */
const nextFuture = () => hourFloor(Date.now()) + 5 * 24 * HOUR + futureSlot++ * 2 * HOUR;
/** A start in the past that has begun, so a no-show is allowed (alternating staff, 35 min apart). */
const nextPast = () => {
  const k = pastSlot++;
  return { startsAt: Date.now() - 10 * 60_000 - Math.floor(k / 2) * 35 * 60_000, staff: k % 2 };
};

/** An appointment row and its running workflow, linked to `externalId` on `platform` when given. */
async function appointment(options: { platform?: string; externalId?: string; past?: boolean } = {}) {
  const db = system.database.db;
  const past = options.past ? nextPast() : undefined;
  const startsAt = past?.startsAt ?? nextFuture();
  const staffId = staff[past?.staff ?? 0]!;
  const contact = await db
    .insertInto('contacts')
    .values({ name: 'Casey Inbound', email: `casey.${randomUUID()}@example.com`, time_zone: 'America/New_York' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = randomUUID();
  await db
    .insertInto('appointments')
    .values({
      id,
      contact_id: contact.id,
      staff_id: staffId,
      service_id: consultation,
      starts_at: new Date(startsAt),
      ends_at: new Date(startsAt + 30 * 60_000),
      blocked_from: new Date(startsAt),
      blocked_until: new Date(startsAt + 30 * 60_000),
      time_zone: 'America/New_York',
      price_minor: 6000,
      currency: 'USD',
      source: 'admin',
      workflow_id: `appointment:${id}`,
    })
    .execute();
  await startAppointmentWorkflow({ db, temporal: system.env.client, config: system.config }, id, {
    actor: { kind: 'staff', name: 'Front desk' },
    channel: 'admin',
  });
  if (options.platform && options.externalId) {
    const linked = await api(
      system,
      'POST',
      '/api/integrations/links',
      { platform: options.platform, externalId: options.externalId, appointmentId: id },
      auth,
    );
    expect(linked.status).toBe(201);
  }
  await eventually(
    async () => (await timeline(id)).some((e) => e.kind === 'booked') || (await row(id)).workflow_started_at,
  );
  return { id, startsAt };
}

const row = (id: string) =>
  system.database.db.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const timeline = (id: string) =>
  system.database.db
    .selectFrom('timeline_events')
    .select(['kind', 'channel', 'actor', 'summary'])
    .where('appointment_id', '=', id)
    .orderBy('id')
    .execute();
const state = (id: string) => system.env.client.workflow.getHandle(`appointment:${id}`).query(stateQuery);
const messages = (id: string) =>
  system.database.db.selectFrom('messages').select(['template', 'channel']).where('appointment_id', '=', id).execute();
const tasks = (where: { appointmentId?: string; kind?: string }) => {
  let q = system.database.db.selectFrom('tasks').select(['id', 'kind', 'title', 'appointment_id', 'status']);
  if (where.appointmentId) q = q.where('appointment_id', '=', where.appointmentId);
  if (where.kind) q = q.where('kind', '=', where.kind as 'reach_out');
  return q.execute();
};
const deliveries = (platform: string) =>
  system.database.db
    .selectFrom('integration_deliveries')
    .selectAll()
    .where('platform', '=', platform)
    .orderBy('received_at')
    .orderBy('id')
    .execute();
/** Timeline entries an integration caused (messages the workflow sends arrive on their own schedule). */
const integrationEntries = async (id: string) =>
  (await timeline(id)).filter((e) => e.channel.startsWith('integration:')).length;
/** Waits for the platform's fetch workflows to finish and saves their histories (RECORD_HISTORIES=1). */
async function fetchWorkflowsDone(platform: string, name: string) {
  let n = 0;
  for (const d of (await deliveries(platform)).filter((row) => row.verified)) {
    const handle = system.env.client.workflow.getHandle(inboundFetchWorkflowId(platform, d.id));
    const exists = await handle.describe().then(
      () => true,
      () => false, // applied inline, no fetch workflow
    );
    if (!exists) continue;
    await handle.result();
    await recordHistory('integration-inbound', `${name} ${++n}`, handle);
  }
  expect(n).toBeGreaterThan(0);
}

const counts = async (id: string) => ({
  timeline: await integrationEntries(id),
  row: await row(id),
});

async function deliver(
  platform: string,
  body: string,
  headers: Record<string, string>,
  options: { query?: string; contentType?: string; method?: string } = {},
) {
  const response = await fetch(`${system.baseUrl}/webhooks/integrations/${platform}${options.query ?? ''}`, {
    method: options.method ?? 'POST',
    headers: { 'content-type': options.contentType ?? 'application/json', ...headers },
    ...(options.method === 'GET' ? {} : { body }),
  });
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') ?? '' };
}

/** Forged, tampered and stale deliveries of `platform` are 401/403, stored unverified, and change nothing. */
async function rejectsAll(
  platform: string,
  appointmentId: string,
  attempts: Array<{ body: string; headers: Record<string, string>; query?: string; contentType?: string }>,
  status = 401,
) {
  const before = await counts(appointmentId);
  const unverifiedBefore = (await deliveries(platform)).filter((d) => !d.verified).length;
  for (const attempt of attempts) {
    const res = await deliver(platform, attempt.body, attempt.headers, attempt);
    expect(res.status).toBe(status);
  }
  const after = await counts(appointmentId);
  expect(after.timeline).toBe(before.timeline);
  expect(after.row.status).toBe(before.row.status);
  expect(after.row.starts_at.getTime()).toBe(before.row.starts_at.getTime());
  expect((await deliveries(platform)).filter((d) => !d.verified).length).toBe(unverifiedBefore + attempts.length);
}

const INVITEE_A = 'https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AAAAAAAAAAAAAAAA';

describe('Calendly', () => {
  const key = 'calendly-signing-key';

  it('cancels the linked appointment once, with the same outreach as an in-app cancel; forged, tampered and stale change nothing', async () => {
    const { id } = await appointment({ platform: 'calendly', externalId: INVITEE_A });
    const body = fixture('calendly', 'invitee.canceled.json');
    await rejectsAll('calendly', id, [
      { body, headers: signCalendly('not-the-key', body) },
      { body: body.replace('Something came up', 'Forged reason'), headers: signCalendly(key, body) },
      { body, headers: signCalendly(key, body, Date.now() - 10 * 60_000) },
      { body, headers: {} },
    ]);
    expect((await row(id)).status).toBe('scheduled');

    const first = await deliver('calendly', body, signCalendly(key, body));
    expect(first.status).toBe(200);
    expect((await row(id)).status).toBe('cancelled');
    const entries = await timeline(id);
    expect(entries).toContainEqual(
      expect.objectContaining({
        kind: 'status:cancelled',
        channel: 'integration:calendly',
        actor: 'Calendly (integration)',
      }),
    );
    // Same reschedule outreach as an in-app cancel: the cancellation message and the rebook follow-up wait.
    await eventually(async () => (await messages(id)).some((m) => m.template === 'cancelled'));
    await eventually(async () => (await state(id)).rebookFollowUp === 'waiting');

    const before = await counts(id);
    const again = await deliver('calendly', body, signCalendly(key, body));
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text)).toMatchObject({ results: [{ duplicate: true, outcome: 'duplicate' }] });
    expect((await counts(id)).timeline).toBe(before.timeline);
    const stored = await deliveries('calendly');
    expect(
      stored.filter((d) => d.vendor_event_id === `invitee.canceled:${INVITEE_A}`).map((d) => [d.verified, d.duplicate]),
    ).toEqual([
      [true, false],
      [true, true],
    ]);
  });

  it('treats a cancel with rescheduled: true and its created invitee as one reschedule', async () => {
    const oldUri = 'https://api.calendly.com/scheduled_events/RRRR/invitees/OLD1';
    const newUri = 'https://api.calendly.com/scheduled_events/SSSS/invitees/NEW1';
    const { id } = await appointment({ platform: 'calendly', externalId: oldUri });
    const newStart = nextFuture() + 60 * 24 * HOUR;
    const cancel = fixtureJson<{ payload: Record<string, unknown> }>('calendly', 'invitee.canceled.rescheduled.json');
    cancel.payload.uri = oldUri;
    cancel.payload.new_invitee = newUri;
    const created = fixtureJson<{ payload: Record<string, unknown> & { scheduled_event: Record<string, unknown> } }>(
      'calendly',
      'invitee.created.rescheduled.json',
    );
    created.payload.uri = newUri;
    created.payload.old_invitee = oldUri;
    created.payload.scheduled_event.start_time = new Date(newStart).toISOString();
    created.payload.scheduled_event.end_time = new Date(newStart + 30 * 60_000).toISOString();

    const c = JSON.stringify(cancel);
    expect((await deliver('calendly', c, signCalendly(key, c))).status).toBe(200);
    expect((await row(id)).status).toBe('scheduled');
    const n = JSON.stringify(created);
    expect((await deliver('calendly', n, signCalendly(key, n))).status).toBe(200);
    const after = await row(id);
    expect(after.status).toBe('scheduled');
    expect(after.starts_at.getTime()).toBe(newStart);
    const kinds = (await timeline(id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'rescheduled')).toHaveLength(1);
    expect(kinds).not.toContain('status:cancelled');
    expect((await timeline(id)).find((e) => e.kind === 'rescheduled')?.channel).toBe('integration:calendly');
    // No new appointment was booked for the new invitee: it is linked to the same one.
    const link = await system.database.db
      .selectFrom('external_links')
      .select('appointment_id')
      .where('platform', '=', 'calendly')
      .where('external_id', '=', newUri)
      .executeTakeFirstOrThrow();
    expect(link.appointment_id).toBe(id);
  });

  it('is still one reschedule when the created invitee arrives before the cancel', async () => {
    const oldUri = 'https://api.calendly.com/scheduled_events/TTTT/invitees/OLD2';
    const newUri = 'https://api.calendly.com/scheduled_events/UUUU/invitees/NEW2';
    const { id } = await appointment({ platform: 'calendly', externalId: oldUri });
    const newStart = nextFuture() + 60 * 24 * HOUR;
    const created = fixtureJson<{ payload: Record<string, unknown> & { scheduled_event: Record<string, unknown> } }>(
      'calendly',
      'invitee.created.rescheduled.json',
    );
    created.payload.uri = newUri;
    created.payload.old_invitee = oldUri;
    created.payload.scheduled_event.start_time = new Date(newStart).toISOString();
    created.payload.scheduled_event.end_time = new Date(newStart + 30 * 60_000).toISOString();
    const cancel = fixtureJson<{ payload: Record<string, unknown> }>('calendly', 'invitee.canceled.rescheduled.json');
    cancel.payload.uri = oldUri;
    cancel.payload.new_invitee = newUri;
    const n = JSON.stringify(created);
    const c = JSON.stringify(cancel);
    expect((await deliver('calendly', n, signCalendly(key, n))).status).toBe(200);
    const res = await deliver('calendly', c, signCalendly(key, c));
    expect(JSON.parse(res.text).results[0].outcome).toBe('part of a reschedule (already applied)');
    const after = await row(id);
    expect(after.status).toBe('scheduled');
    expect(after.starts_at.getTime()).toBe(newStart);
    expect((await timeline(id)).map((e) => e.kind)).not.toContain('status:cancelled');
  });

  it('a no-show starts the no-show outreach (prompt and reach-out task)', async () => {
    const invitee = 'https://api.calendly.com/scheduled_events/NSNS/invitees/NOSHOW1';
    const { id } = await appointment({ platform: 'calendly', externalId: invitee, past: true });
    const noShow = fixtureJson<{ payload: Record<string, unknown> }>('calendly', 'invitee_no_show.created.json');
    noShow.payload.invitee = invitee;
    const body = JSON.stringify(noShow);
    expect((await deliver('calendly', body, signCalendly(key, body))).status).toBe(200);
    expect((await row(id)).status).toBe('no_show');
    expect(await tasks({ appointmentId: id, kind: 'reach_out' })).toHaveLength(1);
    await eventually(async () => (await messages(id)).some((m) => m.template === 'noShowPrompt'));
    expect((await timeline(id)).find((e) => e.kind === 'status:no_show')?.channel).toBe('integration:calendly');
  });

  it('a new invitee books through the booking service and is linked; an unknown cancel becomes a staff task', async () => {
    const [slot] = await upcomingFreeSlots(system.database.db, {
      serviceId: consultation,
      from: Date.now() + 20 * 24 * HOUR,
      now: Date.now(),
      count: 1,
    });
    const created = fixtureJson<{ payload: Record<string, unknown> & { scheduled_event: Record<string, unknown> } }>(
      'calendly',
      'invitee.created.json',
    );
    const uri = 'https://api.calendly.com/scheduled_events/NEWB/invitees/NEWBOOKING1';
    created.payload.uri = uri;
    created.payload.scheduled_event.start_time = new Date(slot!.startsAt).toISOString();
    created.payload.scheduled_event.end_time = new Date(slot!.endsAt).toISOString();
    const body = JSON.stringify(created);
    expect((await deliver('calendly', body, signCalendly(key, body))).status).toBe(200);
    const link = await system.database.db
      .selectFrom('external_links')
      .innerJoin('appointments as a', 'a.id', 'external_links.appointment_id')
      .select(['a.id', 'a.source', 'a.starts_at'])
      .where('external_id', '=', uri)
      .executeTakeFirstOrThrow();
    expect(link.source).toBe('integration:calendly');
    expect(link.starts_at.getTime()).toBe(slot!.startsAt);
    await eventually(async () => (await state(link.id)).appointment.status === 'scheduled');

    const unknown = fixtureJson<{ payload: Record<string, unknown> }>('calendly', 'invitee.canceled.json');
    unknown.payload.uri = 'https://api.calendly.com/scheduled_events/ZZZZ/invitees/UNKNOWN';
    const u = JSON.stringify(unknown);
    expect((await deliver('calendly', u, signCalendly(key, u))).status).toBe(200);
    const open = (await tasks({ kind: 'unmatched_event' })).filter((t) => t.title.includes('UNKNOWN'));
    expect(open).toHaveLength(1);
    expect(open[0]?.title).toContain('Calendly: cancelled');
  });
});

describe('platforms that send ids only (fetched from a local vendor server)', () => {
  it('Acuity: a rescheduled notification is fetched with Basic auth (retried after a vendor 503) and moves the appointment; a redelivery changes nothing', async () => {
    const { id } = await appointment({ platform: 'acuity', externalId: '1001' });
    const newStart = nextFuture() + 60 * 24 * HOUR;
    const details = fixtureJson('acuity', 'appointment.json');
    details.datetime = new Date(newStart).toISOString();
    vendorAnswers.set('/api/v1/appointments/1001', { status: 200, body: JSON.stringify(details) });
    vendorFailures.set('/api/v1/appointments/1001', 1); // the fetch activity is retried
    const body = fixture('acuity', 'rescheduled.form');
    const form = 'application/x-www-form-urlencoded';
    await rejectsAll('acuity', id, [
      { body, headers: signAcuity('wrong-key', body), contentType: form },
      {
        body: body.replace('calendarID=5', 'calendarID=6'),
        headers: signAcuity('acuity-api-key', body),
        contentType: form,
      },
    ]);
    const res = await deliver('acuity', body, signAcuity('acuity-api-key', body), { contentType: form });
    expect(res.status).toBe(200);
    await eventually(async () => (await row(id)).starts_at.getTime() === newStart);
    expect(vendorCalls.filter((c) => c.path === '/api/v1/appointments/1001').length).toBeGreaterThanOrEqual(2);
    expect(vendorCalls).toContainEqual({
      method: 'GET',
      path: '/api/v1/appointments/1001',
      auth: `Basic ${Buffer.from('11145481:acuity-api-key').toString('base64')}`,
    });
    expect((await timeline(id)).find((e) => e.kind === 'rescheduled')?.channel).toBe('integration:acuity');
    const before = await integrationEntries(id);
    expect((await deliver('acuity', body, signAcuity('acuity-api-key', body), { contentType: form })).status).toBe(200);
    await eventually(async () => (await deliveries('acuity')).filter((d) => d.duplicate).length === 1);
    expect(await integrationEntries(id)).toBe(before);
    await fetchWorkflowsDone('acuity', 'acuity fetch retried after a vendor error');
  });

  it('Acuity: a scheduled appointment unknown here is fetched and booked through the booking service (from the fetch activity)', async () => {
    const put = await api(
      system,
      'PUT',
      '/api/integrations/acuity/inbound',
      {
        secrets: { apiKey: 'acuity-api-key', userId: '11145481' },
        apiBase: vendorBase,
        options: { serviceId: consultation },
      },
      auth,
    );
    expect(put.status).toBe(200);
    const [slot] = await upcomingFreeSlots(system.database.db, {
      serviceId: consultation,
      from: Date.now() + 25 * 24 * HOUR,
      now: Date.now(),
      count: 1,
    });
    const details = fixtureJson('acuity', 'appointment.json');
    details.id = 2002;
    details.email = 'new.acuity@example.com';
    details.datetime = new Date(slot!.startsAt).toISOString();
    vendorAnswers.set('/api/v1/appointments/2002', { status: 200, body: JSON.stringify(details) });
    const body = 'action=scheduled&id=2002&calendarID=5&appointmentTypeID=7';
    const res = await deliver('acuity', body, signAcuity('acuity-api-key', body), {
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(200);
    const booked = await eventually(() =>
      system.database.db
        .selectFrom('external_links as l')
        .innerJoin('appointments as a', 'a.id', 'l.appointment_id')
        .innerJoin('contacts as c', 'c.id', 'a.contact_id')
        .select(['a.id', 'a.source', 'a.starts_at', 'c.email'])
        .where('l.platform', '=', 'acuity')
        .where('l.external_id', '=', '2002')
        .executeTakeFirst(),
    );
    expect(booked).toMatchObject({ source: 'integration:acuity', email: 'new.acuity@example.com' });
    expect(booked.starts_at.getTime()).toBe(slot!.startsAt);
    await eventually(async () => (await state(booked.id)).appointment.status === 'scheduled');
  });

  it('Google Calendar: sync is answered 200; exists is fetched with the bearer token and applies moves and cancels', async () => {
    const moved = await appointment({ platform: 'google_calendar', externalId: '7cbh8rpc10lrc0ckih9tafss99' });
    const gone = await appointment({ platform: 'google_calendar', externalId: '0k2fa9n1oj3bgs1hgi5cvbbj2u' });
    const newStart = nextFuture() + 60 * 24 * HOUR;
    const list = fixtureJson<{ items: Array<Record<string, unknown>> }>('google_calendar', 'events.list.json');
    list.items[0]!.start = { dateTime: new Date(newStart).toISOString(), timeZone: 'UTC' };
    list.items[0]!.end = { dateTime: new Date(newStart + 30 * 60_000).toISOString(), timeZone: 'UTC' };
    vendorAnswers.set('/calendar/v3/calendars/primary/events', { status: 200, body: JSON.stringify(list) });
    const headers = (state: string, n: number, token = 'tok-1') => ({
      'x-goog-channel-id': 'chan-1',
      'x-goog-channel-token': token,
      'x-goog-resource-id': 'o3hgv1538sdjfh',
      'x-goog-resource-uri': 'https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json',
      'x-goog-resource-state': state,
      'x-goog-message-number': String(n),
      'x-goog-channel-expiration': 'Tue, 01 Dec 2026 00:00:00 GMT',
    });
    expect((await deliver('google_calendar', '', headers('sync', 1))).status).toBe(200);
    await rejectsAll('google_calendar', moved.id, [{ body: '', headers: headers('exists', 2, 'forged-token') }]);
    expect((await deliver('google_calendar', '', headers('exists', 3))).status).toBe(200);
    await eventually(async () => (await row(moved.id)).starts_at.getTime() === newStart);
    await eventually(async () => (await row(gone.id)).status === 'cancelled');
    const call = vendorCalls.find((c) => c.path.startsWith('/calendar/v3/calendars/primary/events'));
    expect(call).toMatchObject({ method: 'GET', auth: 'Bearer ya29.google' });
    const settings = await system.database.db
      .selectFrom('inbound_integrations')
      .select('state')
      .where('platform', '=', 'google_calendar')
      .executeTakeFirstOrThrow();
    expect(settings.state).toEqual({ syncToken: 'CPDAlvWDx70CEPDAlvWDx70CGAU=' });
    expect((await timeline(gone.id)).find((e) => e.kind === 'status:cancelled')?.channel).toBe(
      'integration:google_calendar',
    );
    // The same message number again is a duplicate.
    expect((await deliver('google_calendar', '', headers('exists', 3))).text).toContain('"duplicate":true');
    await fetchWorkflowsDone('google_calendar', 'google calendar sync-token fetch');
  });

  it('Microsoft Graph: validationToken echoed as text/plain; an updated event is fetched and moved; a wrong clientState is 403', async () => {
    const handshake = await deliver(
      'microsoft_graph',
      '',
      {},
      { query: '?validationToken=Validation%3A%20Testing%20client%20application' },
    );
    expect(handshake).toMatchObject({ status: 200, text: 'Validation: Testing client application' });
    expect(handshake.type).toMatch(/^text\/plain/);

    const eventId = 'AAMkAGUwNjQ4ZjIxAAA=';
    const { id } = await appointment({ platform: 'microsoft_graph', externalId: eventId });
    const newStart = nextFuture() + 60 * 24 * HOUR;
    const event = fixtureJson<Record<string, unknown>>('microsoft_graph', 'event.json');
    event.start = { dateTime: new Date(newStart).toISOString().replace('Z', '0000'), timeZone: 'UTC' };
    event.end = { dateTime: new Date(newStart + 30 * 60_000).toISOString().replace('Z', '0000'), timeZone: 'UTC' };
    vendorAnswers.set('/v1.0/Users/', { status: 200, body: JSON.stringify(event) });
    const body = fixture('microsoft_graph', 'notification.json');
    await rejectsAll('microsoft_graph', id, [{ body: body.replace('secretClientValue', 'guessed'), headers: {} }], 403);
    const res = await deliver('microsoft_graph', body, {});
    expect(res.status).toBe(202);
    await eventually(async () => (await row(id)).starts_at.getTime() === newStart);
    expect(vendorCalls).toContainEqual({
      method: 'GET',
      path: `/v1.0/Users/7a9d3d2b-1c8f-4a52-b9b6-0e2b7d4c1a11/Events/${eventId}`,
      auth: 'Bearer eyJ0.graph',
    });
    expect((await timeline(id)).find((e) => e.kind === 'rescheduled')?.channel).toBe('integration:microsoft_graph');
    await fetchWorkflowsDone('microsoft_graph', 'microsoft graph event fetch');
  });
});

describe('platforms that send the change', () => {
  it('Square: CANCELLED_BY_CUSTOMER cancels once; tampered and forged change nothing', async () => {
    const { id } = await appointment({ platform: 'square', externalId: '9uv6i3p5x5ao1p' });
    const body = fixture('square', 'booking.updated.json');
    const url = `${system.baseUrl}/webhooks/integrations/square`;
    await rejectsAll('square', id, [
      { body, headers: signSquare('square-signature-key', 'https://elsewhere.example/hook', body) },
      {
        body: body.replace('CANCELLED_BY_CUSTOMER', 'CANCELLED_BY_SELLER'),
        headers: signSquare('square-signature-key', url, body),
      },
    ]);
    expect((await deliver('square', body, signSquare('square-signature-key', url, body))).status).toBe(200);
    expect((await row(id)).status).toBe('cancelled');
    expect((await timeline(id)).find((e) => e.kind === 'status:cancelled')?.channel).toBe('integration:square');
    const before = await integrationEntries(id);
    expect((await deliver('square', body, signSquare('square-signature-key', url, body))).text).toContain(
      '"duplicate":true',
    );
    expect(await integrationEntries(id)).toBe(before);
  });

  it('HubSpot: a NO_SHOW outcome and a new start time in one signed batch; stale and tampered change nothing', async () => {
    const noShow = await appointment({ platform: 'hubspot', externalId: '81234560001', past: true });
    const moved = await appointment({ platform: 'hubspot', externalId: '81234560002' });
    const newStart = nextFuture() + 60 * 24 * HOUR;
    const batch = fixtureJson<Array<Record<string, unknown>>>('hubspot', 'property-change.json');
    batch[1]!.propertyValue = String(newStart);
    const body = JSON.stringify(batch);
    const uri = `${system.baseUrl}/webhooks/integrations/hubspot`;
    await rejectsAll('hubspot', moved.id, [
      { body, headers: signHubSpot('hubspot-client-secret', 'POST', uri, body, Date.now() - 6 * 60_000) },
      { body: body.replace('NO_SHOW', 'COMPLETED'), headers: signHubSpot('hubspot-client-secret', 'POST', uri, body) },
      { body, headers: signHubSpot('hubspot-client-secret', 'GET', uri, body) },
    ]);
    expect((await deliver('hubspot', body, signHubSpot('hubspot-client-secret', 'POST', uri, body))).status).toBe(200);
    expect((await row(noShow.id)).status).toBe('no_show');
    expect((await row(moved.id)).starts_at.getTime()).toBe(newStart);
    expect(await tasks({ appointmentId: noShow.id, kind: 'reach_out' })).toHaveLength(1);
    expect((await timeline(moved.id)).find((e) => e.kind === 'rescheduled')?.channel).toBe('integration:hubspot');
    const again = await deliver('hubspot', body, signHubSpot('hubspot-client-secret', 'POST', uri, body));
    expect(JSON.parse(again.text).results.map((r: { duplicate: boolean }) => r.duplicate)).toEqual([true, true]);
  });

  it('Pipedrive: a moved activity reschedules (Basic auth); wrong credentials change nothing', async () => {
    const { id } = await appointment({ platform: 'pipedrive', externalId: '5501' });
    const newStart = nextFuture() + 60 * 24 * HOUR;
    const change = fixtureJson<{ data: Record<string, unknown> }>('pipedrive', 'activity.change.json');
    const iso = new Date(newStart).toISOString();
    change.data.due_date = iso.slice(0, 10);
    change.data.due_time = iso.slice(11, 16);
    const body = JSON.stringify(change);
    await rejectsAll('pipedrive', id, [
      { body, headers: basic('pd', 'guess') },
      { body, headers: {} },
    ]);
    expect((await deliver('pipedrive', body, basic('pd', 'pd-pass'))).status).toBe(200);
    expect((await row(id)).starts_at.getTime()).toBe(newStart);
    expect((await deliver('pipedrive', body, basic('pd', 'pd-pass'))).text).toContain('"duplicate":true');
  });

  it('Zendesk: a trigger with the appointment id cancels; stale signature changes nothing', async () => {
    const { id } = await appointment();
    const body = fixture('zendesk', 'trigger.json').replace('APPOINTMENT_ID', id);
    await rejectsAll('zendesk', id, [
      { body, headers: signZendesk('zd-secret', body, Date.now() - 10 * 60_000) },
      { body, headers: signZendesk('other', body) },
    ]);
    expect((await deliver('zendesk', body, signZendesk('zd-secret', body))).status).toBe(200);
    expect((await row(id)).status).toBe('cancelled');
    expect((await timeline(id)).find((e) => e.kind === 'status:cancelled')?.channel).toBe('integration:zendesk');
  });

  it('Freshdesk: the automation with the shared secret cancels; a wrong secret changes nothing', async () => {
    const { id } = await appointment();
    const body = fixture('freshdesk', 'automation.json').replace('APPOINTMENT_ID', id);
    await rejectsAll('freshdesk', id, [{ body, headers: { 'x-appointflow-secret': 'fd-guess' } }]);
    expect((await deliver('freshdesk', body, { 'x-appointflow-secret': 'fd-secret' })).status).toBe(200);
    expect((await row(id)).status).toBe('cancelled');
  });

  it('Zoho CRM: the workflow-rule webhook with the secret parameter cancels the linked appointment', async () => {
    const { id } = await appointment({ platform: 'zoho_crm', externalId: '4410000000123' });
    const body = fixture('zoho_crm', 'workflow.form');
    const form = 'application/x-www-form-urlencoded';
    await rejectsAll('zoho_crm', id, [{ body, headers: {}, query: '?secret=nope', contentType: form }]);
    expect((await deliver('zoho_crm', body, {}, { query: '?secret=zoho-secret', contentType: form })).status).toBe(200);
    expect((await row(id)).status).toBe('cancelled');
    expect((await timeline(id)).find((e) => e.kind === 'status:cancelled')?.channel).toBe('integration:zoho_crm');
  });

  it('Salesforce: an outbound message with status Missed is a no-show, acknowledged with the SOAP Ack', async () => {
    const { id } = await appointment({ platform: 'salesforce', externalId: '00U5e00000AbCdEEA1', past: true });
    const body = fixture('salesforce', 'outbound-message.xml');
    await rejectsAll(
      'salesforce',
      id,
      [{ body: body.replace('00D5e000000ABCDEAA', '00D000000000EVIL'), headers: {}, contentType: 'text/xml' }],
      403,
    );
    const res = await deliver('salesforce', body, {}, { contentType: 'text/xml; charset=utf-8' });
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/xml/);
    expect(res.text).toContain('<Ack>true</Ack>');
    expect((await row(id)).status).toBe('no_show');
    expect((await deliver('salesforce', body, {}, { contentType: 'text/xml' })).text).toContain('<Ack>true</Ack>');
    expect((await deliveries('salesforce')).filter((d) => d.duplicate)).toHaveLength(1);
  });

  it('QuickBooks: a voided invoice prompts staff to offer a new time (task on the linked appointment)', async () => {
    const { id } = await appointment({ platform: 'quickbooks', externalId: '145' });
    const body = fixture('quickbooks', 'invoice.void.json');
    await rejectsAll('quickbooks', id, [{ body, headers: signQuickBooks('nope', body) }]);
    expect((await deliver('quickbooks', body, signQuickBooks('qbo-verifier', body))).status).toBe(200);
    const open = await tasks({ appointmentId: id, kind: 'reach_out' });
    expect(open).toHaveLength(1);
    expect(open[0]?.title).toContain('QuickBooks');
    expect((await timeline(id)).find((e) => e.kind === 'integration:status_changed')?.channel).toBe(
      'integration:quickbooks',
    );
  });

  it('ActiveCampaign: a deal moved to Missed is a no-show; no secret changes nothing', async () => {
    const { id } = await appointment({ platform: 'activecampaign', externalId: '318', past: true });
    const body = fixture('activecampaign', 'deal_update.form');
    const form = 'application/x-www-form-urlencoded';
    await rejectsAll('activecampaign', id, [{ body, headers: {}, contentType: form }]);
    expect((await deliver('activecampaign', body, {}, { query: '?secret=ac-secret', contentType: form })).status).toBe(
      200,
    );
    expect((await row(id)).status).toBe('no_show');
  });

  it('Google Sheets: the Apps Script’s signed row change cancels; tampered changes nothing', async () => {
    const { id } = await appointment();
    const body = fixture('google_sheets', 'row-change.json').replace('APPOINTMENT_ID', id);
    await rejectsAll('google_sheets', id, [
      { body: body.replace('Cancelled"', 'Confirmed"'), headers: signSheets('sheet-secret', body) },
    ]);
    expect((await deliver('google_sheets', body, signSheets('sheet-secret', body))).status).toBe(200);
    expect((await row(id)).status).toBe('cancelled');
  });
});

describe('Jobber', () => {
  it('a deleted visit cancels the linked appointment; an update opens a staff task to check it', async () => {
    const visit = 'Z2lkOi8vSm9iYmVyL1Zpc2l0LzY3ODkw';
    const { id } = await appointment({ platform: 'jobber', externalId: visit });
    const destroy = fixture('jobber', 'visit_destroy.json');
    const update = destroy.replace('VISIT_DESTROY', 'VISIT_UPDATE');
    await rejectsAll('jobber', id, [{ body: update, headers: signJobber('jobber-client-secret', destroy) }]);
    expect((await deliver('jobber', update, signJobber('jobber-client-secret', update))).status).toBe(200);
    expect((await row(id)).status).toBe('scheduled');
    expect((await tasks({ appointmentId: id, kind: 'reach_out' }))[0]?.title).toContain('Jobber');
    expect((await deliver('jobber', destroy, signJobber('jobber-client-secret', destroy))).status).toBe(200);
    expect((await row(id)).status).toBe('cancelled');
    expect((await timeline(id)).find((e) => e.kind === 'status:cancelled')?.channel).toBe('integration:jobber');
    expect((await deliver('jobber', destroy, signJobber('jobber-client-secret', destroy))).text).toContain(
      '"duplicate":true',
    );
  });
});

describe('edges and the staff API', () => {
  it('an unknown or unconfigured platform is 404 and stores nothing', async () => {
    const before = await system.database.db
      .selectFrom('integration_deliveries')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect((await deliver('myspace', '{}', {})).status).toBe(404);
    await api(
      system,
      'PUT',
      '/api/integrations/freshdesk/inbound',
      { secrets: { sharedSecret: 'fd-secret' }, enabled: false },
      auth,
    );
    expect((await deliver('freshdesk', '{}', { 'x-appointflow-secret': 'fd-secret' })).status).toBe(404);
    await api(system, 'PUT', '/api/integrations/freshdesk/inbound', { secrets: { sharedSecret: 'fd-secret' } }, auth);
    const after = await system.database.db
      .selectFrom('integration_deliveries')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('a change the workflow refuses is noted on the timeline and becomes a staff task, not lost', async () => {
    const { id } = await appointment({ platform: 'hubspot', externalId: '99887766' });
    const body = JSON.stringify([
      {
        ...fixtureJson<Array<Record<string, unknown>>>('hubspot', 'property-change.json')[0],
        eventId: 555001,
        objectId: 99887766,
      },
    ]);
    const uri = `${system.baseUrl}/webhooks/integrations/hubspot`;
    const res = await deliver('hubspot', body, signHubSpot('hubspot-client-secret', 'POST', uri, body));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).results[0].outcome).toBe(
      'refused: The appointment has not started yet, so it cannot be a no-show.',
    );
    expect((await row(id)).status).toBe('scheduled');
    expect((await timeline(id)).find((e) => e.kind === 'integration:refused')?.channel).toBe('integration:hubspot');
    expect((await tasks({ appointmentId: id, kind: 'reach_out' }))[0]?.title).toContain('refused');
  });

  it('a delivery whose processing failed releases its event id, so the vendor’s retry is processed', async () => {
    const db = system.database.db;
    const item = { vendorEventId: `retry-${randomUUID()}`, eventType: 'cancelled', externalId: 'x' };
    const first = await recordVerified(db, 'square', item, '{}');
    expect(first.duplicate).toBe(false);
    expect((await recordVerified(db, 'square', item, '{}')).duplicate).toBe(true);
    await finishDelivery(db, first.id, { outcome: 'failed', error: 'Temporal unreachable' });
    expect((await recordVerified(db, 'square', item, '{}')).duplicate).toBe(false);
  });

  it('a verified payload that is not the vendor’s shape is 400 naming the field', async () => {
    const body = JSON.stringify({ event: 'invitee.canceled', created_at: 'x', payload: { uri: 'u' } });
    const res = await deliver('calendly', body, signCalendly('calendly-signing-key', body));
    expect(res.status).toBe(400);
    expect(res.text).toContain('payload.email');
    const stored = (await deliveries('calendly')).filter((d) => d.outcome === 'invalid');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ verified: true, duplicate: false, vendor_event_id: null });
  });

  it('configuration is validated, and operators list deliveries with filters', async () => {
    const missing = await api<{ error: { fields: Array<{ field: string }> } }>(
      system,
      'PUT',
      '/api/integrations/hubspot/inbound',
      { secrets: {} },
      auth,
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields[0]?.field).toBe('secrets.clientSecret');
    expect((await api(system, 'PUT', '/api/integrations/myspace/inbound', { secrets: {} }, auth)).status).toBe(400);
    expect((await api(system, 'GET', '/api/integrations/deliveries')).status).toBe(401);

    const rejected = await api<{ deliveries: Array<{ platform: string; verified: boolean; error: string | null }> }>(
      system,
      'GET',
      '/api/integrations/deliveries?platform=calendly&verified=false',
      undefined,
      auth,
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body.deliveries.length).toBeGreaterThanOrEqual(4);
    expect(rejected.body.deliveries.every((d) => d.platform === 'calendly' && !d.verified && d.error)).toBe(true);
    const duplicates = await api<{ deliveries: Array<{ duplicate: boolean; outcome: string }> }>(
      system,
      'GET',
      '/api/integrations/deliveries?duplicate=true&limit=500',
      undefined,
      auth,
    );
    expect(duplicates.body.deliveries.length).toBeGreaterThan(0);
    expect(duplicates.body.deliveries.every((d) => d.duplicate && d.outcome === 'duplicate')).toBe(true);
    const bad = await api<{ error: { fields: Array<{ field: string }> } }>(
      system,
      'GET',
      '/api/integrations/deliveries?verified=maybe',
      undefined,
      auth,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]?.field).toBe('verified');
    const openApi = await api<{ paths: Record<string, unknown> }>(system, 'GET', '/api/openapi.json');
    expect(Object.keys(openApi.body.paths)).toEqual(
      expect.arrayContaining(['/webhooks/integrations/{platform}', '/api/integrations/deliveries']),
    );
  });
});

/**
 * A local server for the vendor APIs of the adapters that POST (Jobber GraphQL, ServiceTitan OAuth):
 * each request is recorded with its method, path, headers and body; answers by path prefix.
 */
async function recordingServer(answers: Map<string, { status: number; body: string }>) {
  const calls: Array<{ method: string; path: string; headers: IncomingMessage['headers']; body: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      calls.push({
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = [...answers.entries()].find(([prefix]) => path.startsWith(prefix))?.[1];
      res.writeHead(answer?.status ?? 404, { 'content-type': 'application/json' });
      res.end(answer?.body ?? '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, calls, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('Jobber visits fetched through the GraphQL API', () => {
  const secret = 'jobber-client-secret';
  const answers = new Map<string, { status: number; body: string }>();
  let graphql: Awaited<ReturnType<typeof recordingServer>>;

  beforeAll(async () => {
    graphql = await recordingServer(answers);
    const put = await api(
      system,
      'PUT',
      '/api/integrations/jobber/inbound',
      {
        secrets: { clientSecret: secret, accessToken: 'jobber-access-token' },
        apiBase: graphql.base,
        options: { graphqlVersion: '2025-04-16' },
      },
      auth,
    );
    expect(put.status).toBe(200);
  });

  afterAll(async () => {
    await new Promise((resolve) => graphql?.server.close(resolve));
  });

  it('a VISIT_UPDATE is fetched (POST /api/graphql, bearer, version header, visit query) and its new start moves the appointment; a redelivery changes nothing; forged and tampered change nothing', async () => {
    const visit = 'Z2lkOi8vSm9iYmVyL1Zpc2l0LzY3ODkx';
    const { id } = await appointment({ platform: 'jobber', externalId: visit });
    const newStart = nextFuture() + 61 * 24 * HOUR;
    const details = fixtureJson<{ data: { visit: Record<string, unknown> } }>('jobber', 'visit.graphql.json');
    details.data.visit.startAt = new Date(newStart).toISOString();
    details.data.visit.endAt = new Date(newStart + 30 * 60_000).toISOString();
    answers.set('/api/graphql', { status: 200, body: JSON.stringify(details) });
    const body = fixture('jobber', 'visit_update.json');
    await rejectsAll('jobber', id, [
      { body, headers: signJobber('not-the-secret', body) },
      { body: body.replace('04:15:00', '04:16:00'), headers: signJobber(secret, body) },
      { body, headers: {} },
    ]);
    expect(graphql.calls).toHaveLength(0);

    const res = await deliver('jobber', body, signJobber(secret, body));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ results: [{ duplicate: false, outcome: 'fetching details' }] });
    await eventually(async () => (await row(id)).starts_at.getTime() === newStart);
    expect((await row(id)).status).toBe('scheduled');
    expect((await timeline(id)).find((e) => e.kind === 'rescheduled')?.channel).toBe('integration:jobber');

    expect(graphql.calls).toHaveLength(1);
    const call = graphql.calls[0]!;
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/api/graphql');
    expect(call.headers.authorization).toBe('Bearer jobber-access-token');
    expect(call.headers['x-jobber-graphql-version']).toBe('2025-04-16');
    expect(call.headers['content-type']).toBe('application/json');
    const sent = JSON.parse(call.body) as { query: string; variables: { id: string } };
    expect(sent.variables).toEqual({ id: visit });
    expect(sent.query).toContain('visit(id: $id)');
    expect(sent.query).toMatch(/startAt[\s\S]*endAt/);

    const before = await counts(id);
    const again = await deliver('jobber', body, signJobber(secret, body));
    expect(JSON.parse(again.text)).toMatchObject({ results: [{ duplicate: true, outcome: 'duplicate' }] });
    expect((await counts(id)).timeline).toBe(before.timeline);
    expect(graphql.calls).toHaveLength(1);
    await fetchWorkflowsDone('jobber', 'jobber visit fetched through graphql');
  });
});

describe('ServiceTitan (V2 webhooks)', () => {
  const key = 'st-hmac-key-0123456789abcdef0123456789abcdef';
  const answers = new Map<string, { status: number; body: string }>();
  let st: Awaited<ReturnType<typeof recordingServer>>;

  beforeAll(async () => {
    st = await recordingServer(answers);
    answers.set('/connect/token', { status: 200, body: '{"access_token":"st-access-token","expires_in":900}' });
    const put = await api(
      system,
      'PUT',
      '/api/integrations/servicetitan/inbound',
      {
        secrets: { hmacKey: key, clientId: 'cid.st', clientSecret: 'cs.st', appKey: 'ak1.st' },
        apiBase: st.base,
        options: { tenantId: '987654321', authBase: st.base },
      },
      auth,
    );
    expect(put.status).toBe(200);
  });

  afterAll(async () => {
    await new Promise((resolve) => st?.server.close(resolve));
  });

  it('a signed appointment reschedule moves the linked appointment once; forged, tampered and unsigned change nothing', async () => {
    const { id } = await appointment({ platform: 'servicetitan', externalId: '55501' });
    const newStart = nextFuture() + 62 * 24 * HOUR;
    const payload = fixtureJson<{ data: Record<string, unknown> }>('servicetitan', 'appointment_rescheduled.json');
    payload.data.start = new Date(newStart).toISOString();
    payload.data.end = new Date(newStart + 30 * 60_000).toISOString();
    const body = JSON.stringify(payload, null, 2);
    await rejectsAll('servicetitan', id, [
      { body, headers: signServiceTitan('forged-key-0123456789abcdef0123456789ab', body) },
      { body: body.replace('"Scheduled"', '"Working"'), headers: signServiceTitan(key, body) },
      { body, headers: {} },
    ]);
    const res = await deliver('servicetitan', body, signServiceTitan(key, body));
    expect(res.status).toBe(200);
    expect((await row(id)).starts_at.getTime()).toBe(newStart);
    const entry = (await timeline(id)).find((e) => e.kind === 'rescheduled');
    expect(entry).toMatchObject({ channel: 'integration:servicetitan' });

    const before = await counts(id);
    const again = await deliver('servicetitan', body, signServiceTitan(key, body, { encoding: 'hex' }));
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text)).toMatchObject({ results: [{ duplicate: true, outcome: 'duplicate' }] });
    expect((await counts(id)).timeline).toBe(before.timeline);
    expect((await row(id)).starts_at.getTime()).toBe(newStart);
    expect(
      (await deliveries('servicetitan'))
        .filter((d) => d.vendor_event_id === '7f0c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f')
        .map((d) => [d.verified, d.duplicate]),
    ).toEqual([
      [true, false],
      [true, true],
    ]);
  });

  it('ids only: the appointment is fetched from JPM v2 (client-credentials token, bearer, ST-App-Key) and moved', async () => {
    const { id } = await appointment({ platform: 'servicetitan', externalId: '55502' });
    const newStart = nextFuture() + 63 * 24 * HOUR;
    const details = fixtureJson('servicetitan', 'jpm_appointment.json');
    details.start = new Date(newStart).toISOString();
    details.end = new Date(newStart + 30 * 60_000).toISOString();
    answers.set('/jpm/v2/tenant/987654321/appointments/55502', { status: 200, body: JSON.stringify(details) });
    const body = fixture('servicetitan', 'appointment_rescheduled_ids_only.json');
    const res = await deliver('servicetitan', body, signServiceTitan(key, body));
    expect(res.status).toBe(200);
    await eventually(async () => (await row(id)).starts_at.getTime() === newStart);
    const token = st.calls.find((c) => c.path === '/connect/token');
    expect(token?.method).toBe('POST');
    expect(Object.fromEntries(new URLSearchParams(token?.body ?? ''))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'cid.st',
      client_secret: 'cs.st',
    });
    const get = st.calls.find((c) => c.path === '/jpm/v2/tenant/987654321/appointments/55502');
    expect(get?.method).toBe('GET');
    expect(get?.headers.authorization).toBe('Bearer st-access-token');
    expect(get?.headers['st-app-key']).toBe('ak1.st');
    expect((await timeline(id)).find((e) => e.kind === 'rescheduled')?.channel).toBe('integration:servicetitan');
    const calls = st.calls.length;
    expect((await deliver('servicetitan', body, signServiceTitan(key, body))).text).toContain('"duplicate":true');
    expect(st.calls.length).toBe(calls);
    await fetchWorkflowsDone('servicetitan', 'servicetitan appointment fetched from jpm');
  });

  it('configuration is validated: the HMAC key is 32–64 characters; encoding, header and tenant options are checked', async () => {
    const put = (secrets: Record<string, string>, options: Record<string, unknown> = {}) =>
      api(system, 'PUT', '/api/integrations/servicetitan/inbound', { secrets, options }, auth);
    const short = await put({ hmacKey: 'too-short' });
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body)).toContain('secrets.hmacKey');
    const bad = await put({ hmacKey: key }, { signatureEncoding: 'rot13', signatureHeader: 'x sig', tenantId: 'abc' });
    expect(bad.status).toBe(400);
    const text = JSON.stringify(bad.body);
    for (const field of ['options.signatureEncoding', 'options.signatureHeader', 'options.tenantId']) {
      expect(text).toContain(field);
    }
    // Nothing was stored: the configured platform still verifies with its key and settings.
    const rows = await system.database.db
      .selectFrom('inbound_integrations')
      .select(['secrets', 'options'])
      .where('platform', '=', 'servicetitan')
      .executeTakeFirstOrThrow();
    // (Stored encrypted: src/secrets/.)
    expect(rows.secrets.hmacKey).toMatch(/^enc:v1:/);
    expect(decryptSecret(rows.secrets.hmacKey!, keyringOf(system.config.secrets))).toBe(key);
    expect(rows.options).toMatchObject({ tenantId: '987654321' });
  });

  it('a cancelled appointment cancels the linked one with the same outreach as an in-app cancel', async () => {
    const { id } = await appointment({ platform: 'servicetitan', externalId: '55503' });
    const body = fixture('servicetitan', 'appointment_canceled.json');
    await rejectsAll('servicetitan', id, [{ body, headers: signServiceTitan(key.toUpperCase(), body) }]);
    expect((await deliver('servicetitan', body, signServiceTitan(key, body))).status).toBe(200);
    expect((await row(id)).status).toBe('cancelled');
    expect((await timeline(id)).find((e) => e.kind === 'status:cancelled')?.channel).toBe('integration:servicetitan');
    await eventually(async () => (await state(id)).rebookFollowUp === 'waiting');
  });
});
