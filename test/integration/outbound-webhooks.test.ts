/**
 * appointflow's own webhooks and outbound platform sync end to end: the staff API registers a
 * subscriber (a local server) and configures Google Calendar and Mailchimp (local servers answering
 * like the vendors); lifecycle changes driven through the real API and the appointment workflow (dev
 * server) reach the subscriber as signed events that verify with the documented scheme, once each,
 * and keep the staff calendar in step. A failing subscriber is retried with backoff and every attempt
 * is in the delivery log; one that never recovers is marked failed with a staff task, and replay
 * delivers it again.
 */
import { appointmentActivities } from '../../activities/appointments';
import { createApiKey } from '../../src/auth/api-keys';
import { verifyAppointflowSignature } from '../../src/outbound/signature';
import { type RecordedRequest, type RecordingServer, startRecordingServer } from '../support/recording-server';
import {
  api,
  bookByPhone,
  eventually as waitUntil,
  freeSlots,
  serviceIdBySlug,
  type Slot,
  startSystem,
  type System,
  startService,
} from '../support/system';

/** `eventually`, naming what did not happen. */
async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T> {
  const where = new Error().stack?.split('\n')[2]?.trim() ?? '';
  return waitUntil(check, timeoutMs).catch((error: unknown) => {
    throw new Error(`${(error as Error).message} (${where})`);
  });
}

jest.setTimeout(180_000);

let system: System;
let auth: Record<string, string>;
let subscriber: RecordingServer;
let google: RecordingServer;
let mailchimp: RecordingServer;

beforeAll(async () => {
  subscriber = await startRecordingServer();
  google = await startRecordingServer(() => ({ status: 200, body: { kind: 'calendar#event' } }));
  mailchimp = await startRecordingServer(() => ({ status: 204 }));
  system = await startSystem({
    OUTBOUND_RETRY_INITIAL_MS: '300',
    OUTBOUND_RETRY_MAX_INTERVAL_MS: '2000',
    OUTBOUND_MAX_ATTEMPTS: '4',
    OUTBOUND_DISPATCH_INTERVAL_MS: '200',
  });
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Integrations')).key}` };
});
afterAll(async () => {
  await system?.stop();
  await Promise.all([subscriber?.close(), google?.close(), mailchimp?.close()]);
});

interface Delivery {
  id: string;
  event: { id: string; type: string; subject: { id: string } };
  target: string;
  status: string;
  replayOf: string | null;
  attemptCount: number;
  attempts: Array<{
    attempt: number;
    at: string;
    ok: boolean;
    statusCode: number | null;
    latencyMs: number;
    error: string | null;
  }>;
}

interface WebhookBody {
  id: string;
  type: string;
  createdAt: string;
  data: {
    appointment: { id: string; status: string; stage: string; startsAt: string; staff: { id: string } };
    change: Record<string, unknown>;
  };
}

async function slotsFor(slug: string, daysAhead = 3): Promise<{ service: string; slots: Slot[] }> {
  const service = await serviceIdBySlug(system, slug);
  return { service, slots: await freeSlots(system, service, daysAhead, daysAhead + 7) };
}

async function book(service: string, slot: Slot, email: string): Promise<{ id: string; workflowId: string }> {
  return bookByPhone(system, auth, { serviceId: service, slot, customer: { name: 'Casey Brook', email } });
}

const received = (server: RecordingServer, appointmentId?: string) =>
  server.requests
    .map((r) => ({ request: r, body: r.json as WebhookBody }))
    .filter((r) => !appointmentId || r.body.data.appointment.id === appointmentId);

async function deliveriesOf(path: string): Promise<Delivery[]> {
  const response = await api<{ deliveries: Delivery[] }>(system, 'GET', path, undefined, auth);
  expect(response.status).toBe(200);
  return response.body.deliveries;
}

function expectVerified(request: RecordedRequest, secret: string) {
  const header = request.headers['appointflow-signature'];
  expect(typeof header).toBe('string');
  expect(verifyAppointflowSignature({ header: header as string, rawBody: request.rawBody, secret })).toMatchObject({
    ok: true,
  });
  // The same request is refused with another secret or a changed body.
  expect(
    verifyAppointflowSignature({ header: header as string, rawBody: request.rawBody, secret: `${secret}x` }).ok,
  ).toBe(false);
  expect(
    verifyAppointflowSignature({ header: header as string, rawBody: request.rawBody.replace('"id"', '"Id"'), secret })
      .ok,
  ).toBe(false);
  const body = request.json as WebhookBody;
  expect(request.headers['appointflow-event-id']).toBe(body.id);
  expect(request.headers['appointflow-event-type']).toBe(body.type);
  expect(request.headers['content-type']).toBe('application/json');
}

it('validates subscriptions and shows the secret only once', async () => {
  const bad = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'POST',
    '/api/webhooks',
    { url: 'http://example.com/hook', events: ['appointment.moved'], secret: 'short' },
    auth,
  );
  expect(bad.status).toBe(400);
  expect(bad.body.error.fields.map((f) => f.field).sort()).toEqual(['events.0', 'secret', 'url']);
  expect((await api(system, 'POST', '/api/webhooks', { url: 'https://example.com/hook' })).status).toBe(401);
  expect((await api(system, 'PUT', '/api/integrations/hubspot/outbound', { accessToken: 'pat-x' })).status).toBe(401);
  expect((await api(system, 'GET', '/api/integrations/outbound')).status).toBe(401);
  expect((await api(system, 'GET', '/api/deliveries')).status).toBe(401);
  expect(
    (
      await api<{ error: { fields: Array<{ field: string }> } }>(
        system,
        'PUT',
        '/api/integrations/calendly/outbound',
        { accessToken: 'x' },
        auth,
      )
    ).body.error.fields.map((f) => f.field),
  ).toEqual(['platform']);

  const created = await api<{ subscription: { id: string; secretHint: string }; secret: string }>(
    system,
    'POST',
    '/api/webhooks',
    { url: 'https://hooks.example.com/appointflow', events: ['payment.*'], description: 'Accounting' },
    auth,
  );
  expect(created.status).toBe(201);
  expect(created.body.secret).toMatch(/^whsec_/);
  const { id } = created.body.subscription;
  const listed = await api<{ subscriptions: Array<Record<string, unknown>> }>(
    system,
    'GET',
    '/api/webhooks',
    undefined,
    auth,
  );
  const shown = listed.body.subscriptions.find((s) => s.id === id)!;
  expect(shown).toMatchObject({ events: ['payment.*'], active: true, secretHint: `…${created.body.secret.slice(-4)}` });
  expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);

  const patched = await api<{ subscription: { active: boolean; events: string[] } }>(
    system,
    'PATCH',
    `/api/webhooks/${id}`,
    { active: false, events: ['payment.failed'] },
    auth,
  );
  expect(patched.body.subscription).toMatchObject({ active: false, events: ['payment.failed'] });
  expect((await api(system, 'PATCH', `/api/webhooks/${id}`, { nope: 1 }, auth)).status).toBe(400);
  expect((await api(system, 'DELETE', `/api/webhooks/${id}`, undefined, auth)).status).toBe(204);
  expect((await api(system, 'GET', `/api/webhooks/${id}`, undefined, auth)).status).toBe(404);

  const openapi = await api<{ paths: Record<string, unknown> }>(system, 'GET', '/api/openapi.json');
  expect(Object.keys(openapi.body.paths)).toEqual(
    expect.arrayContaining([
      '/api/webhooks',
      '/api/webhooks/{id}/deliveries',
      '/api/deliveries/{id}/replay',
      '/api/integrations/{platform}/outbound',
    ]),
  );
});

it('delivers a signed event for each lifecycle change and keeps the staff calendar in step', async () => {
  const sub = await api<{ subscription: { id: string }; secret: string }>(
    system,
    'POST',
    '/api/webhooks',
    { url: `${subscriber.url}/hooks/appointflow`, events: ['*'] },
    auth,
  );
  const secret = sub.body.secret;
  const googleConfig = await api(
    system,
    'PUT',
    '/api/integrations/google_calendar/outbound',
    { baseUrl: `${google.url}/calendar/v3`, accessToken: 'ya29.test-token' },
    auth,
  );
  expect(googleConfig.status).toBe(200);
  expect(
    (
      await api<{ error: { fields: Array<{ field: string }> } }>(
        system,
        'PUT',
        '/api/integrations/mailchimp/outbound',
        { accessToken: 'key-us1', settings: { journeyId: 'j' } },
        auth,
      )
    ).body.error.fields.map((f) => f.field),
  ).toEqual(['settings.stepId']);
  expect(
    (
      await api(
        system,
        'PUT',
        '/api/integrations/mailchimp/outbound',
        { baseUrl: `${mailchimp.url}/3.0`, accessToken: 'key-us1', settings: { journeyId: '81', stepId: '1017' } },
        auth,
      )
    ).status,
  ).toBe(200);

  // Appointment A: booked, rescheduled, cancelled.
  const massage = await slotsFor('deep-tissue-massage');
  const first = massage.slots[0]!;
  const later = massage.slots.find((s) => Date.parse(s.startsAt) >= Date.parse(first.startsAt) + 24 * 3600_000)!;
  const a = await book(massage.service, first, 'casey.a@example.com');
  await eventually(async () => received(subscriber, a.id).some((r) => r.body.type === 'appointment.booked'));
  await eventually(async () => google.requests.length >= 1 && google.requests);
  const moved = await api(
    system,
    'POST',
    `/api/appointments/${a.id}/reschedule`,
    { startsAt: later.startsAt, staffId: first.staffId, channel: 'phone' },
    auth,
  );
  expect(moved.status).toBe(200);
  await eventually(async () => received(subscriber, a.id).some((r) => r.body.type === 'appointment.rescheduled'));
  await eventually(async () => google.requests.length >= 2 && google.requests);
  const cancelled = await api(
    system,
    'POST',
    `/api/appointments/${a.id}/cancel`,
    { reason: 'Client is ill', channel: 'phone' },
    auth,
  );
  expect(cancelled.status).toBe(200);
  await eventually(async () => received(subscriber, a.id).some((r) => r.body.type === 'appointment.cancelled'));
  await eventually(async () => mailchimp.requests.length >= 1 && google.requests.length >= 3);

  // The staff calendar followed: insert, update, delete of the same deterministic event id.
  const staffEmail = (
    await system.database.db
      .selectFrom('staff')
      .select('email')
      .where('id', '=', first.staffId)
      .executeTakeFirstOrThrow()
  ).email;
  const eventId = `af${a.id.replace(/-/g, '')}`;
  const calendar = `/calendar/v3/calendars/${encodeURIComponent(staffEmail)}/events`;
  expect(google.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    `POST ${calendar}?sendUpdates=none`,
    `PUT ${calendar}/${eventId}?sendUpdates=none`,
    `DELETE ${calendar}/${eventId}?sendUpdates=none`,
  ]);
  expect(google.requests.every((r) => r.headers.authorization === 'Bearer ya29.test-token')).toBe(true);
  expect(google.requests[0]!.json).toMatchObject({ id: eventId, start: { dateTime: first.startsAt } });
  expect(google.requests[1]!.json).toMatchObject({ id: eventId, start: { dateTime: later.startsAt } });
  expect(mailchimp.requests.map((r) => [r.method, r.path, r.json])).toEqual([
    ['POST', '/3.0/customer-journeys/journeys/81/steps/1017/actions/trigger', { email_address: 'casey.a@example.com' }],
  ]);
  expect(
    await system.database.db.selectFrom('outbound_links').selectAll().where('appointment_id', '=', a.id).execute(),
  ).toEqual([]);

  // Appointment B: booked, deliver task completed → charge declined (no card) → card saved → paid, done.
  const consultation = await slotsFor('consultation', 2);
  const b = await book(consultation.service, consultation.slots[0]!, 'casey.b@example.com');
  const deliver = await eventually(async () =>
    system.database.db
      .selectFrom('tasks')
      .select('id')
      .where('appointment_id', '=', b.id)
      .where('kind', '=', 'deliver_service')
      .executeTakeFirst(),
  );
  await startService(system, auth, b.id);
  // The workflow learns the task id when its activity returns, a moment after the row exists.
  await eventually(
    async () =>
      (
        await api(
          system,
          'POST',
          `/api/tasks/${deliver.id}/complete`,
          { form: { minutes: 30 }, channel: 'in_person' },
          auth,
        )
      ).status === 200,
  );
  await eventually(async () => received(subscriber, b.id).some((r) => r.body.type === 'payment.failed'));
  const notice = await eventually(async () =>
    system.database.db
      .selectFrom('messages')
      .select('body')
      .where('appointment_id', '=', b.id)
      .where('template', '=', 'paymentLink') // no card on file: a pay link (patch appointment-pay-links-v1)
      .where('channel', '=', 'email')
      .executeTakeFirst(),
  );
  const token = /\/manage\/([A-Za-z0-9_-]{43})\/pay/.exec(notice.body)![1]!;
  expect((await api(system, 'POST', `/api/manage/${token}/card`, { paymentMethodId: 'pm_card_visa' })).status).toBe(
    200,
  );
  await eventually(async () => received(subscriber, b.id).some((r) => r.body.type === 'appointment.completed'));
  await eventually(async () => received(subscriber, b.id).some((r) => r.body.type === 'payment.succeeded'));

  // Appointment C: the service's "tomorrow" mark set to fire seconds after booking → stage change.
  const repair = await slotsFor('on-site-repair');
  const slotC = repair.slots[0]!;
  const hoursAhead = (Date.parse(slotC.startsAt) - Date.now()) / 3600_000;
  await system.database.db
    .updateTable('services')
    .set({ lifecycle_policy: JSON.stringify({ tomorrowHoursBefore: hoursAhead - 8 / 3600, todayHoursBefore: 1 }) })
    .where('id', '=', repair.service)
    .execute();
  const c = await book(repair.service, slotC, 'casey.c@example.com');
  const stage = await eventually(
    async () => received(subscriber, c.id).find((r) => r.body.type === 'appointment.stage_changed'),
    30_000,
  );
  expect(stage.body.data.appointment.stage).toBe('Appointment Tomorrow');
  expect(stage.body.data.change).toMatchObject({
    kind: 'stage',
    from: 'Appointment Scheduled',
    to: 'Appointment Tomorrow',
  });

  // A no-show needs the appointment to have started, which real time cannot reach here: the same
  // activity the workflow runs for it writes the status and, in its transaction, the event.
  await appointmentActivities({ db: system.database.db }).applyStatusChange({
    appointmentId: c.id,
    status: 'no_show',
    stage: 'Missed',
    reason: 'customer did not turn up',
    actor: { kind: 'technician', name: 'Jordan Patel' },
    channel: 'phone',
    idempotencyKey: `test:${c.id}:no-show`,
  });
  const noShow = await eventually(async () =>
    received(subscriber, c.id).find((r) => r.body.type === 'appointment.no_show'),
  );
  expect(noShow.body.data.appointment).toMatchObject({ status: 'no_show', stage: 'Missed' });

  // Every request verifies with the documented scheme; each event arrived exactly once.
  for (const { request } of received(subscriber)) expectVerified(request, secret);
  const types = (id: string) => received(subscriber, id).map((r) => r.body.type);
  expect(types(a.id)).toEqual(['appointment.booked', 'appointment.rescheduled', 'appointment.cancelled']);
  expect(new Set(types(b.id))).toEqual(
    new Set([
      'appointment.booked',
      'appointment.completed',
      'payment.failed',
      'payment.succeeded',
      'appointment.stage_changed',
    ]),
  );
  expect(types(b.id)).toHaveLength(5);
  const paidWon = received(subscriber, b.id).find((r) => r.body.type === 'appointment.stage_changed')!.body;
  expect(paidWon.data.change).toMatchObject({ kind: 'stage', to: 'Paid Won' });
  expect(types(c.id)).toEqual(['appointment.booked', 'appointment.stage_changed', 'appointment.no_show']);
  const ids = received(subscriber).map((r) => r.body.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(subscriber.requests.every((r) => r.method === 'POST' && r.path === '/hooks/appointflow')).toBe(true);

  const rescheduled = received(subscriber, a.id).find((r) => r.body.type === 'appointment.rescheduled')!.body;
  expect(rescheduled.data.appointment.startsAt).toBe(later.startsAt);
  expect(rescheduled.data.change).toMatchObject({ from: first.startsAt, to: later.startsAt, channel: 'phone' });
  const cancelledBody = received(subscriber, a.id).find((r) => r.body.type === 'appointment.cancelled')!.body;
  expect(cancelledBody.data.appointment).toMatchObject({ status: 'cancelled', stage: 'Closed Lost' });

  // The delivery log: one successful attempt per event, and nothing for platforms not configured.
  const log = await deliveriesOf(`/api/webhooks/${sub.body.subscription.id}/deliveries`);
  expect(log).toHaveLength(ids.length);
  for (const d of log) {
    expect(d).toMatchObject({ status: 'succeeded', attemptCount: 1 });
    expect(d.attempts).toEqual([expect.objectContaining({ attempt: 1, ok: true, statusCode: 200, error: null })]);
  }
  const all = await deliveriesOf('/api/deliveries?limit=500');
  expect(new Set(all.map((d) => d.target))).toEqual(
    new Set([`webhook:${sub.body.subscription.id}`, 'google_calendar', 'mailchimp']),
  );
  expect(
    all
      .filter((d) => d.target === 'google_calendar')
      .map((d) => d.event.type)
      .sort(),
  ).toEqual([
    'appointment.booked',
    'appointment.booked',
    'appointment.booked',
    'appointment.cancelled',
    'appointment.rescheduled',
  ]);
  await api(system, 'DELETE', `/api/webhooks/${sub.body.subscription.id}`, undefined, auth);
  await api(system, 'DELETE', '/api/integrations/google_calendar/outbound', undefined, auth);
  await api(system, 'DELETE', '/api/integrations/mailchimp/outbound', undefined, auth);
});

it('retries a failing subscriber with backoff, logs every attempt, fails visibly when the budget is spent, and replays', async () => {
  let flakyCalls = 0;
  const flaky = await startRecordingServer(() => {
    flakyCalls += 1;
    return flakyCalls <= 2 ? { status: 500, body: { error: 'deploying' } } : { status: 200, body: { ok: true } };
  });
  let downUp = false;
  const down = await startRecordingServer(() => (downUp ? { status: 200, body: {} } : { status: 503, body: {} }));
  // A platform that refuses the token: a 401 is not retried, the delivery fails at once.
  const hubspot = await startRecordingServer(() => ({
    status: 401,
    body: { status: 'error', category: 'INVALID_AUTHENTICATION' },
  }));
  try {
    const subscribe = async (url: string) =>
      (
        await api<{ subscription: { id: string }; secret: string }>(
          system,
          'POST',
          '/api/webhooks',
          { url, events: ['appointment.booked'] },
          auth,
        )
      ).body;
    const flakySub = await subscribe(`${flaky.url}/hook`);
    const downSub = await subscribe(`${down.url}/hook`);

    const { service, slots } = await slotsFor('deep-tissue-massage', 5);
    expect(
      (
        await api(
          system,
          'PUT',
          '/api/integrations/hubspot/outbound',
          { baseUrl: hubspot.url, accessToken: 'pat-expired' },
          auth,
        )
      ).status,
    ).toBe(200);
    const d = await book(service, slots[0]!, 'casey.d@example.com');

    const [recovered] = await eventually(async () => {
      const list = await deliveriesOf(`/api/webhooks/${flakySub.subscription.id}/deliveries`);
      return list[0]?.status === 'succeeded' && list;
    }, 30_000);
    expect(recovered!.event.subject.id).toBe(d.id);
    expect(recovered!.attempts.map((a) => [a.attempt, a.ok, a.statusCode])).toEqual([
      [1, false, 500],
      [2, false, 500],
      [3, true, 200],
    ]);
    expect(recovered!.attempts[0]!.error).toContain('subscriber answered 500');
    const at = recovered!.attempts.map((a) => Date.parse(a.at));
    // Exponential backoff: 300 ms, then 600 ms.
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(250);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(550);
    for (const request of flaky.requests) expectVerified(request, flakySub.secret);
    expect(new Set(flaky.requests.map((r) => r.headers['appointflow-event-id'])).size).toBe(1);

    const [failed] = await eventually(async () => {
      const list = await deliveriesOf(`/api/webhooks/${downSub.subscription.id}/deliveries`);
      return list[0]?.status === 'failed' && list;
    }, 30_000);
    expect(failed!.attempts.map((a) => [a.attempt, a.ok, a.statusCode])).toEqual([
      [1, false, 503],
      [2, false, 503],
      [3, false, 503],
      [4, false, 503],
    ]);
    const tasks = await api<{ tasks: Array<{ title: string; appointment_id: string }> }>(
      system,
      'GET',
      '/api/tasks',
      undefined,
      auth,
    );
    expect(
      tasks.body.tasks.filter((t) => t.title.startsWith('Outbound delivery failed') && t.title.includes('webhook:')),
    ).toEqual([expect.objectContaining({ appointment_id: d.id })]);

    const [refused] = await eventually(async () => {
      const list = await deliveriesOf(`/api/deliveries?target=hubspot`);
      return list[0]?.status === 'failed' && list;
    }, 30_000);
    expect(refused!.attempts.map((a) => [a.attempt, a.ok, a.statusCode])).toEqual([[1, false, 401]]);
    expect(refused!.attempts[0]!.error).toContain('INVALID_AUTHENTICATION');
    expect(hubspot.requests).toHaveLength(1);
    expect(hubspot.requests[0]!.headers.authorization).toBe('Bearer pat-expired');
    await api(system, 'DELETE', '/api/integrations/hubspot/outbound', undefined, auth);

    downUp = true;
    const replay = await api<{ delivery: Delivery }>(
      system,
      'POST',
      `/api/deliveries/${failed!.id}/replay`,
      undefined,
      auth,
    );
    expect(replay.status).toBe(202);
    expect(replay.body.delivery).toMatchObject({ replayOf: failed!.id, target: `webhook:${downSub.subscription.id}` });
    const replayed = await eventually(async () => {
      const one = await api<{ delivery: Delivery }>(
        system,
        'GET',
        `/api/deliveries/${replay.body.delivery.id}`,
        undefined,
        auth,
      );
      return one.body.delivery.status === 'succeeded' && one.body.delivery;
    });
    expect(replayed.attempts).toEqual([expect.objectContaining({ attempt: 1, ok: true, statusCode: 200 })]);
    expect(down.requests).toHaveLength(5);
    const last = down.requests[4]!;
    expectVerified(last, downSub.secret);
    expect(last.headers['appointflow-event-id']).toBe(failed!.event.id);
    // The failed delivery stays failed and visible beside its replay.
    expect((await deliveriesOf(`/api/deliveries?status=failed`)).map((x) => x.id)).toContain(failed!.id);
    expect(
      (await api(system, 'POST', '/api/deliveries/00000000-0000-4000-8000-000000000000/replay', undefined, auth))
        .status,
    ).toBe(404);
  } finally {
    await flaky.close();
    await down.close();
    await hubspot.close();
  }
});
