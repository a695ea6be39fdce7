/**
 * Outbound calendar sync and inbound calendar notifications together (dev server, database, worker,
 * HTTP): appointflow writes the staff member's Google Calendar and Outlook event (local servers that
 * keep the events and answer like the vendors), and each of those servers then notifies appointflow of
 * the change exactly as the vendor does (Google push headers with the registered channel id and token;
 * Graph change notifications with the subscription's clientState, fetched back through the API).
 *
 * Our own writes come back as echoes and must change nothing: no "unmatched" staff task, no timeline
 * entry, no second outbound write (no ping-pong). A real move made in the calendar reschedules the
 * appointment once, and the outbound sync writes the time back at most once.
 */
import { createApiKey } from '../../src/auth/api-keys';
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
let google: RecordingServer;
let graph: RecordingServer;

const CHANNEL = { id: 'echo-channel', token: 'echo-channel-token', resource: 'echo-resource' };
const CLIENT_STATE = 'echo-client-state';

interface GoogleEvent {
  id: string;
  status: 'confirmed' | 'cancelled';
  summary?: string;
  start: { dateTime: string; timeZone?: string };
  end: { dateTime: string; timeZone?: string };
  updated: string;
  extendedProperties?: { private?: Record<string, string> };
  seq: number;
}
interface GraphEvent {
  id: string;
  subject?: string;
  body?: { contentType: string; content: string };
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  user: string;
  version: number;
  deleted: boolean;
}

const googleEvents = new Map<string, GoogleEvent>();
let googleSeq = 0;
let googleMessage = 0;
const graphEvents = new Map<string, GraphEvent>();
let graphSeq = 0;
const pending: Array<Promise<unknown>> = [];
/** Google answers this many more PUTs with 503 (the outbound sync retries them). */
let failGooglePuts = 0;
let googlePutsApplied = 0;
/** Graph answers creates this late (the delete notification of a staff move then arrives first). */
let graphCreateDelayMs = 0;

/** Google's push: an empty POST with the channel headers (the adapter checks id and token). */
function notifyGoogle() {
  googleMessage += 1;
  const n = googleMessage;
  pending.push(
    new Promise((r) => setTimeout(r, 30)).then(() =>
      fetch(`${system.baseUrl}/webhooks/integrations/google_calendar`, {
        method: 'POST',
        headers: {
          'x-goog-channel-id': CHANNEL.id,
          'x-goog-channel-token': CHANNEL.token,
          'x-goog-resource-id': CHANNEL.resource,
          'x-goog-resource-uri': 'https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json',
          'x-goog-resource-state': 'exists',
          'x-goog-message-number': String(n),
          'x-goog-channel-expiration': 'Tue, 01 Dec 2026 00:00:00 GMT',
        },
      }).then((r) => expect(r.status).toBe(200)),
    ),
  );
}

/** Graph's change notification, carrying the subscription's clientState. */
function notifyGraph(event: GraphEvent, changeType: 'created' | 'updated' | 'deleted') {
  const resource = `Users/${event.user}/Events/${event.id}`;
  const body = JSON.stringify({
    value: [
      {
        subscriptionId: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07',
        subscriptionExpirationDateTime: '2026-12-01T00:00:00.0000000Z',
        changeType,
        resource,
        resourceData: {
          '@odata.type': '#Microsoft.Graph.Event',
          '@odata.id': resource,
          '@odata.etag': `W/"v${event.version}"`,
          id: event.id,
        },
        clientState: CLIENT_STATE,
        tenantId: 'bb8775a4-4d8c-42cf-a1d4-4d58c2bb668f',
      },
    ],
  });
  pending.push(
    new Promise((r) => setTimeout(r, 30)).then(() =>
      fetch(`${system.baseUrl}/webhooks/integrations/microsoft_graph`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }).then((r) => expect(r.status).toBe(202)),
    ),
  );
}

const graphTime = (iso: string) => ({ dateTime: new Date(iso).toISOString().replace('Z', '0000'), timeZone: 'UTC' });

function googleApi(req: RecordedRequest) {
  const url = new URL(req.path, 'http://x');
  const m = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(url.pathname);
  if (!m) return { status: 404, body: { error: { code: 404 } } };
  const id = m[2] ? decodeURIComponent(m[2]) : undefined;
  const body = req.json as Partial<GoogleEvent> | undefined;
  const now = new Date().toISOString();
  if (req.method === 'GET' && !id) {
    const since = Number(url.searchParams.get('syncToken') ?? '0');
    const items = [...googleEvents.values()].filter((e) => e.seq > since).map(({ seq: _seq, ...e }) => e);
    return { status: 200, body: { kind: 'calendar#events', items, nextSyncToken: String(googleSeq) } };
  }
  if (req.method === 'POST' && !id && body?.id) {
    if (googleEvents.has(body.id)) return { status: 409, body: { error: { code: 409 } } };
    const event = { ...(body as GoogleEvent), status: 'confirmed' as const, updated: now, seq: ++googleSeq };
    googleEvents.set(event.id, event);
    notifyGoogle();
    return { status: 200, body: event };
  }
  const existing = id ? googleEvents.get(id) : undefined;
  if (!existing) return { status: 404, body: { error: { code: 404 } } };
  if (req.method === 'PUT' && body) {
    if (failGooglePuts > 0) {
      failGooglePuts -= 1;
      return { status: 503, body: { error: { code: 503, message: 'Backend Error' } } };
    }
    googlePutsApplied += 1;
    Object.assign(existing, body, { updated: now, seq: ++googleSeq });
    notifyGoogle();
    return { status: 200, body: existing };
  }
  if (req.method === 'DELETE') {
    Object.assign(existing, { status: 'cancelled', updated: now, seq: ++googleSeq });
    notifyGoogle();
    return { status: 204 };
  }
  return { status: 405, body: {} };
}

async function graphApi(req: RecordedRequest) {
  const m = /^\/v1\.0\/(users|Users)\/([^/]+)\/(events|Events)(?:\/([^/]+))?(\/cancel)?$/.exec(req.path);
  if (!m) return { status: 404, body: { error: { code: 'ErrorItemNotFound' } } };
  const user = decodeURIComponent(m[2]!);
  const id = m[4] ? decodeURIComponent(m[4]) : undefined;
  const body = req.json as
    | { subject?: string; body?: GraphEvent['body']; start?: { dateTime: string }; end?: { dateTime: string } }
    | undefined;
  if (req.method === 'POST' && !id && body?.start && body.end) {
    const event: GraphEvent = {
      id: `AAMkAGI2TG93AAA${++graphSeq}=`,
      subject: body.subject,
      body: body.body,
      start: graphTime(`${body.start.dateTime}Z`),
      end: graphTime(`${body.end.dateTime}Z`),
      user,
      version: 1,
      deleted: false,
    };
    graphEvents.set(event.id, event);
    notifyGraph(event, 'created');
    if (graphCreateDelayMs) await new Promise((r) => setTimeout(r, graphCreateDelayMs));
    return { status: 201, body: { id: event.id, subject: event.subject, start: event.start, end: event.end } };
  }
  const existing = id ? graphEvents.get(id) : undefined;
  if (!existing || existing.deleted) return { status: 404, body: { error: { code: 'ErrorItemNotFound' } } };
  if (req.method === 'GET') {
    // No transactionId in the answer: the event is recognised from appointflow's own links, or (when
    // the notification overtakes the create's answer) from the body appointflow wrote.
    const { id: eventId, subject, body: content, start, end } = existing;
    return { status: 200, body: { id: eventId, subject, body: content, isCancelled: false, start, end } };
  }
  if (req.method === 'PATCH' && body?.start && body.end) {
    Object.assign(existing, {
      start: graphTime(`${body.start.dateTime}Z`),
      end: graphTime(`${body.end.dateTime}Z`),
      version: existing.version + 1,
    });
    notifyGraph(existing, 'updated');
    return { status: 200, body: { id: existing.id } };
  }
  if ((req.method === 'POST' && m[5]) || req.method === 'DELETE') {
    existing.deleted = true;
    existing.version += 1;
    notifyGraph(existing, 'deleted');
    return { status: req.method === 'DELETE' ? 204 : 202 };
  }
  return { status: 405, body: {} };
}

beforeAll(async () => {
  google = await startRecordingServer(googleApi);
  graph = await startRecordingServer(graphApi);
  system = await startSystem({
    OUTBOUND_RETRY_INITIAL_MS: '300',
    OUTBOUND_RETRY_MAX_INTERVAL_MS: '2000',
    OUTBOUND_DISPATCH_INTERVAL_MS: '200',
  });
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Calendars')).key}` };
});
afterAll(async () => {
  await Promise.allSettled(pending);
  await system?.stop();
  await Promise.all([google?.close(), graph?.close()]);
});

async function slots(): Promise<{ service: string; slots: Slot[] }> {
  const service = await serviceIdBySlug(system, 'consultation');
  const zone = 'America/New_York';
  const availableSlots = await freeSlots(system, service, 4, 10, zone);
  return { service, slots: availableSlots };
}

const writes = (server: RecordingServer, method: string, pathPart = '') =>
  server.requests.filter((r) => r.method === method && r.path.includes(pathPart) && !r.path.includes('/Events/'));
const googleWrites = (method: string) => writes(google, method, '/calendar/v3/calendars/');
const graphWrites = (method: string) => writes(graph, method, '/v1.0/users/');

const row = (id: string) =>
  system.database.db.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const timeline = (id: string) =>
  system.database.db
    .selectFrom('timeline_events')
    .select(['kind', 'channel', 'summary'])
    .where('appointment_id', '=', id)
    .orderBy('id')
    .execute();
const integrationTasks = () =>
  system.database.db
    .selectFrom('tasks')
    .select(['kind', 'title', 'idempotency_key'])
    .where('idempotency_key', 'like', 'integration:%')
    .execute();
const inboundDeliveries = () =>
  system.database.db
    .selectFrom('integration_deliveries')
    .select(['platform', 'outcome', 'event_type', 'external_id', 'error'])
    .where('platform', 'in', ['google_calendar', 'microsoft_graph'])
    .orderBy('received_at')
    .execute();

/** Every notification sent so far has been answered and its fetch-and-apply finished. */
async function settled() {
  await eventually(async () => {
    const n = pending.length;
    await Promise.all(pending);
    const rows = await inboundDeliveries();
    const busy = rows.some((d) => d.outcome === null || d.outcome === 'fetching details');
    return n === pending.length && !busy;
  }, 30_000);
}

/** Waits until nothing more happens for a while (dispatcher, deliveries, notifications, fetches). */
async function quiet() {
  let last = '';
  await eventually(async () => {
    await settled();
    const undelivered = await system.database.db
      .selectFrom('deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .execute();
    const undispatched = await system.database.db
      .selectFrom('events')
      .select('id')
      .where('dispatched_at', 'is', null)
      .execute();
    const now = `${google.requests.length}:${graph.requests.length}:${pending.length}:${undelivered.length}:${undispatched.length}`;
    const stable = now === last && undelivered.length === 0 && undispatched.length === 0;
    last = now;
    if (!stable) await new Promise((r) => setTimeout(r, 1500));
    return stable;
  }, 60_000);
}

it('our own calendar writes come back as echoes that change nothing; a real move in the calendar reschedules once and is written back at most once', async () => {
  const { service, slots: free } = await slots();
  const first = free[0]!;
  const staff = await system.database.db
    .selectFrom('staff')
    .select(['id', 'email'])
    .where('id', '=', first.staffId)
    .executeTakeFirstOrThrow();

  // Outbound: appointflow writes both calendars. Inbound: both calendars notify appointflow.
  for (const [platform, baseUrl] of [
    ['google_calendar', `${google.url}/calendar/v3`],
    ['microsoft_graph', `${graph.url}/v1.0`],
  ] as const) {
    const res = await api(
      system,
      'PUT',
      `/api/integrations/${platform}/outbound`,
      { baseUrl, accessToken: 'tok' },
      auth,
    );
    expect(res.status).toBe(200);
  }
  expect(
    (
      await api(
        system,
        'PUT',
        '/api/integrations/google_calendar/inbound',
        {
          secrets: { channelId: CHANNEL.id, channelToken: CHANNEL.token, accessToken: 'ya29.inbound' },
          apiBase: google.url,
          options: { calendarId: staff.email },
        },
        auth,
      )
    ).status,
  ).toBe(200);
  expect(
    (
      await api(
        system,
        'PUT',
        '/api/integrations/microsoft_graph/inbound',
        { secrets: { clientState: CLIENT_STATE, accessToken: 'graph.inbound' }, apiBase: graph.url },
        auth,
      )
    ).status,
  ).toBe(200);

  // 1. Book: one event created in each calendar; their notifications are recognised as our own.
  const { id } = await bookByPhone(system, auth, {
    serviceId: service,
    slot: first,
    customer: { name: 'Echo Example', email: 'echo@example.com' },
  });
  await eventually(async () => googleEvents.size === 1 && graphEvents.size === 1);
  await quiet();

  expect(googleWrites('POST')).toHaveLength(1);
  expect(googleWrites('PUT')).toHaveLength(0);
  expect(graphWrites('POST')).toHaveLength(1);
  expect(graphWrites('PATCH')).toHaveLength(0);
  expect(await integrationTasks()).toEqual([]);
  const afterBooking = await timeline(id);
  expect(afterBooking.filter((e) => e.channel.startsWith('integration:'))).toEqual([]);
  expect(afterBooking.filter((e) => e.kind === 'rescheduled')).toEqual([]);
  const echoes = await inboundDeliveries();
  expect(echoes.map((d) => d.platform).sort()).toEqual(['google_calendar', 'microsoft_graph']);
  for (const d of echoes) expect(d.outcome).toMatch(/already linked|no change/);
  expect((await row(id)).starts_at.toISOString()).toBe(new Date(first.startsAt).toISOString());

  // 2. A real move made in Google Calendar (another free time of the same staff member).
  const target = free.find(
    (s) => s.staffId === first.staffId && Date.parse(s.startsAt) - Date.parse(first.startsAt) >= 2 * 3600_000,
  )!;
  expect(target).toBeDefined();
  const newStart = Date.parse(target.startsAt);
  const event = [...googleEvents.values()][0]!;
  Object.assign(event, {
    start: { dateTime: new Date(newStart).toISOString(), timeZone: 'UTC' },
    end: { dateTime: new Date(newStart + 30 * 60_000).toISOString(), timeZone: 'UTC' },
    updated: new Date().toISOString(),
    seq: ++googleSeq,
  });
  notifyGoogle();
  await eventually(async () => (await row(id)).starts_at.getTime() === newStart);
  await quiet();

  const moved = (await timeline(id)).filter((e) => e.kind === 'rescheduled');
  expect(moved).toHaveLength(1);
  expect(moved[0]!.channel).toBe('integration:google_calendar');
  expect((await row(id)).starts_at.getTime()).toBe(newStart);
  // Written back to Google at most once (the same time), and Outlook follows the move once.
  expect(googleWrites('PUT').length).toBeLessThanOrEqual(1);
  for (const put of googleWrites('PUT')) {
    expect(Date.parse((put.json as GoogleEvent).start.dateTime)).toBe(newStart);
  }
  expect(graphWrites('PATCH')).toHaveLength(1);
  expect(Date.parse(`${[...graphEvents.values()][0]!.start.dateTime.slice(0, 23)}Z`)).toBe(newStart);
  expect(googleWrites('POST')).toHaveLength(1);
  expect(graphWrites('POST')).toHaveLength(1);
  expect(await integrationTasks()).toEqual([]);

  // 3. A move made in appointflow while Google is briefly failing: before our write lands, a late
  // notification shows the event still at the time we wrote before. That is our own echo, not a move
  // back: nothing changes, and the retried write then lands once; Outlook follows once.
  const third = free.find(
    (s) => s.staffId === first.staffId && Math.abs(Date.parse(s.startsAt) - newStart) >= 2 * 3600_000 && s !== first,
  )!;
  const putsBefore = googlePutsApplied;
  failGooglePuts = 3;
  const res = await api(
    system,
    'POST',
    `/api/appointments/${id}/reschedule`,
    { startsAt: third.startsAt, channel: 'phone' },
    auth,
  );
  expect(res.status).toBe(200);
  event.seq = ++googleSeq; // listed again, unchanged: still at newStart
  notifyGoogle();
  await settled();
  expect((await row(id)).starts_at.toISOString()).toBe(new Date(third.startsAt).toISOString());
  await eventually(async () => googlePutsApplied === putsBefore + 1 && graphWrites('PATCH').length === 2);
  await quiet();
  expect(failGooglePuts).toBe(0);
  expect(googlePutsApplied).toBe(putsBefore + 1);
  expect(Date.parse(event.start.dateTime)).toBe(Date.parse(third.startsAt));
  expect(graphWrites('PATCH')).toHaveLength(2);
  expect((await timeline(id)).filter((e) => e.kind === 'rescheduled')).toHaveLength(2);
  expect((await row(id)).starts_at.toISOString()).toBe(new Date(third.startsAt).toISOString());
  expect(
    (await inboundDeliveries()).some((d) => /echo of appointflow's own calendar write/.test(d.outcome ?? '')),
  ).toBe(true);

  // 4. A move to another staff member in appointflow: the old Outlook event is deleted and a new one
  // created in the new staff member's calendar. The delete's notification arrives before the new event's
  // id is stored; it is our own doing and must not cancel the appointment.
  const other = free.find(
    (s) =>
      s.staffId !== first.staffId &&
      Math.abs(Date.parse(s.startsAt) - Date.parse(third.startsAt)) >= 2 * 3600_000 &&
      Math.abs(Date.parse(s.startsAt) - newStart) >= 2 * 3600_000,
  )!;
  expect(other).toBeDefined();
  graphCreateDelayMs = 1500;
  const handedOver = await api(
    system,
    'POST',
    `/api/appointments/${id}/reschedule`,
    { startsAt: other.startsAt, staffId: other.staffId, channel: 'phone' },
    auth,
  );
  expect(handedOver.status).toBe(200);
  await eventually(async () => graphWrites('POST').length === 2);
  await quiet();
  graphCreateDelayMs = 0;
  expect((await row(id)).status).toBe('scheduled');
  expect((await row(id)).staff_id).toBe(other.staffId);
  expect([...graphEvents.values()].map((e) => e.deleted)).toEqual([true, false]);
  expect((await inboundDeliveries()).some((d) => /echo of appointflow (moving|replacing)/.test(d.outcome ?? ''))).toBe(
    true,
  );
  expect(await integrationTasks()).toEqual([]);
  expect((await timeline(id)).filter((e) => e.kind === 'status:cancelled')).toHaveLength(0);

  // 5. A cancel in appointflow deletes both events; the delete notifications are echoes too.
  const cancelled = await api(
    system,
    'POST',
    `/api/appointments/${id}/cancel`,
    { reason: 'Customer called', channel: 'phone' },
    auth,
  );
  expect(cancelled.status).toBe(200);
  await eventually(
    async () =>
      [...googleEvents.values()][0]!.status === 'cancelled' && [...graphEvents.values()].every((e) => e.deleted),
  );
  await quiet();
  expect(await integrationTasks()).toEqual([]);
  expect((await timeline(id)).filter((e) => e.kind === 'status:cancelled')).toHaveLength(1);
  const outcomes = (await inboundDeliveries()).map((d) => `${d.platform} ${d.outcome}`);
  expect(outcomes.some((o) => /google_calendar .*already cancelled/.test(o))).toBe(true);
  expect(outcomes.some((o) => /microsoft_graph .*already cancelled/.test(o))).toBe(true);
  expect(outcomes.filter((o) => /unmatched|refused|failed/.test(o))).toEqual([]);
});
