/**
 * Customer feedback through HTTP against a real database (no Temporal needed: the feedback API does not
 * touch the workflow). The feedbackRequest message is stored by the real messaging activity, and its
 * link is what the customer opens:
 * - the link carries a feedback token, not the appointment id; the old bare-id form answers 410, an
 *   unknown token 404, and a manage token does not open the feedback form (nor a feedback token the
 *   manage page);
 * - GET shows service, staff first name and the date in the customer's zone;
 * - POST validates naming the field, stores one answer (same answer again → 200, different → 409),
 *   writes the timeline entry (channel web, actor the customer) and the appointment.feedback_received
 *   event once;
 * - a low rating posts a Slack alert and opens a follow-up task, visible with the answer to staff.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import type { Client } from '@temporalio/client';
import { notificationActivities } from '../../activities/notifications';
import { createApiKey } from '../../src/auth/api-keys';
import { availableSlots } from '../../src/availability/service';
import { book } from '../../src/booking/service';
import { loadConfig } from '../../src/config';
import { seedDemoData } from '../../src/db/seed';
import { createApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import { createManageToken } from '../../src/manage/tokens';
import { localProviders } from '../../src/messaging/providers';
import { closeServer, listen } from '../../src/server';
import { type CaptureServer, startCaptureServer } from '../support/capture-server';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let server: Server;
let baseUrl: string;
let slack: CaptureServer;
let auth: Record<string, string>;
const noTemporal = {
  workflow: {
    start: async () => undefined,
    getHandle: () => ({
      query: async () => {
        throw new Error('no Temporal here');
      },
    }),
  },
} as unknown as Client;

beforeAll(async () => {
  slack = await startCaptureServer(() => ({ status: 200, body: { ok: true, ts: '1700000000.000100', channel: 'C1' } }));
  database = await createTestDatabase();
  await seedDemoData(database.db);
  const config = loadConfig(
    { PORT: '1', LOG_LEVEL: 'silent', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_CHANNEL: 'C1', SLACK_API_BASE: slack.url },
    tmpdir(),
  );
  config.http.port = 0;
  server = await listen(createApp({ config, database, temporal: noTemporal, logger: createLogger(config) }), config);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config.http.publicBaseUrl = baseUrl;
  auth = { authorization: `Bearer ${(await createApiKey(database.db, 'Back office')).key}` };
});
afterAll(async () => {
  if (server) await closeServer(server);
  await database?.drop();
  await slack?.stop();
});

async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

let visits = 0;
/** A visit that is over and paid, and the feedbackRequest message the activity stored for it. */
async function closedVisit(name: string, email: string) {
  visits += 1;
  const config = loadConfig({}, tmpdir());
  config.http.publicBaseUrl = baseUrl;
  const service = await database.db
    .selectFrom('services')
    .select('id')
    .where('slug', '=', 'consultation')
    .executeTakeFirstOrThrow();
  const now = Date.now();
  const slot = (
    await availableSlots(database.db, {
      serviceId: service.id,
      from: now + visits * 86400_000,
      to: now + (visits + 7) * 86400_000,
      now,
    })
  )[0]!;
  const { appointmentId } = await book(
    { db: database.db, temporal: noTemporal, config },
    {
      serviceId: service.id,
      startsAt: slot.startsAt,
      timeZone: 'America/Los_Angeles',
      customer: { name, email, smsOptIn: false },
      actor: { kind: 'customer', name },
      channel: 'web',
    },
  );
  await database.db
    .updateTable('appointments')
    .set({ status: 'done', stage: 'Paid Won' })
    .where('id', '=', appointmentId)
    .execute();
  const messaging = notificationActivities({
    db: database.db,
    config,
    providers: localProviders(),
    payments: { simulated: true },
  });
  await messaging.sendAppointmentMessages({
    appointmentId,
    workflowId: `appointment:${appointmentId}`,
    audience: 'customer',
    event: 'feedbackRequest',
    step: 'feedback',
    revision: 1,
    onlyIfCurrent: false,
  });
  const message = await database.db
    .selectFrom('messages')
    .select(['body', 'html'])
    .where('appointment_id', '=', appointmentId)
    .where('template', '=', 'feedbackRequest')
    .executeTakeFirstOrThrow();
  const link = /\/feedback\/([A-Za-z0-9_-]+)/.exec(message.body)?.[1];
  if (!link) throw new Error(`no feedback link in ${message.body}`);
  return { appointmentId, token: link, startsAt: slot.startsAt };
}

it('the message links a feedback token; GET shows the visit in the customer zone; old, unknown and manage links do not open it', async () => {
  const { appointmentId, token, startsAt } = await closedVisit('Dana Whitfield', 'dana.whitfield@example.com');
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(token).not.toContain(appointmentId);
  const stored = await database.db
    .selectFrom('manage_tokens')
    .select(['purpose', 'token_hash'])
    .where('appointment_id', '=', appointmentId)
    .execute();
  expect(stored.filter((t) => t.purpose === 'feedback')).toHaveLength(1);
  expect(stored.map((t) => t.token_hash)).not.toContain(token); // only the hash is kept

  const shown = await call<{
    service: { name: string };
    staff: { firstName: string };
    when: string;
    timeZone: string;
    startsAt: string;
    answered: unknown;
  }>('GET', `/api/feedback/${token}`);
  expect(shown.status).toBe(200);
  expect(shown.body.service.name).toBe('Consultation');
  expect(shown.body.staff.firstName).not.toContain(' ');
  expect(shown.body.staff.firstName.length).toBeGreaterThan(0);
  expect(shown.body.timeZone).toBe('America/Los_Angeles');
  expect(shown.body.startsAt).toBe(new Date(startsAt).toISOString());
  expect(shown.body.when).toMatch(/P[SD]T$/);
  expect(shown.body.answered).toBeNull();

  const old = await call<{ error: { code: string; reason: string; message: string } }>(
    'GET',
    `/api/feedback/${appointmentId}`,
  );
  expect(old.status).toBe(410);
  expect(old.body.error).toMatchObject({ code: 'link_dead', reason: 'expired' });
  expect((await call('POST', `/api/feedback/${appointmentId}`, { rating: 5, mayPublish: true })).status).toBe(410);

  expect((await call('GET', `/api/feedback/${'x'.repeat(43)}`)).status).toBe(404);
  // A manage token is not a feedback token, and the other way round.
  const manage = await createManageToken(database.db, appointmentId, new Date(Date.now() + 86400_000));
  expect((await call('GET', `/api/feedback/${manage}`)).status).toBe(404);
  expect((await call('GET', `/api/manage/${token}/invoice`)).status).toBe(404);
  expect((await call('GET', `/api/manage/${token}`)).status).toBe(404);

  // An expired feedback token says so.
  await database.db
    .updateTable('manage_tokens')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('appointment_id', '=', appointmentId)
    .where('purpose', '=', 'feedback')
    .execute();
  const expired = await call<{ error: { reason: string } }>('GET', `/api/feedback/${token}`);
  expect(expired.status).toBe(410);
  expect(expired.body.error.reason).toBe('expired');
});

it('validates naming the field, takes one answer, writes the timeline entry and the event once', async () => {
  const { appointmentId, token } = await closedVisit('Eli Moreno', 'eli.moreno@example.com');
  const bad = await call<{ error: { fields: Array<{ field: string }> } }>('POST', `/api/feedback/${token}`, {
    rating: 6,
    comment: 'x'.repeat(2001),
    mayPublish: 'yes',
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.fields.map((f) => f.field).sort()).toEqual(['comment', 'mayPublish', 'rating']);
  const fractional = await call<{ error: { fields: Array<{ field: string }> } }>('POST', `/api/feedback/${token}`, {
    rating: 4.5,
    mayPublish: false,
  });
  expect(fractional.status).toBe(400);
  expect(fractional.body.error.fields.map((f) => f.field)).toEqual(['rating']);
  expect(
    await database.db.selectFrom('feedback').selectAll().where('appointment_id', '=', appointmentId).execute(),
  ).toEqual([]);

  const answer = { rating: 5, comment: '  Quick and friendly, thank you!  ', mayPublish: true };
  const first = await call<{ answer: { rating: number; comment: string; mayPublish: boolean } }>(
    'POST',
    `/api/feedback/${token}`,
    answer,
  );
  expect(first.status).toBe(201);
  expect(first.body.answer).toMatchObject({ rating: 5, comment: 'Quick and friendly, thank you!', mayPublish: true });

  // The same answer again (a double tap) is fine; a different one is refused.
  expect((await call('POST', `/api/feedback/${token}`, answer)).status).toBe(200);
  const changed = await call<{ error: { code: string; answer: { rating: number } } }>(
    'POST',
    `/api/feedback/${token}`,
    { rating: 1, mayPublish: false },
  );
  expect(changed.status).toBe(409);
  expect(changed.body.error).toMatchObject({ code: 'already_answered', answer: { rating: 5 } });

  const shown = await call<{ answered: { rating: number; comment: string } }>('GET', `/api/feedback/${token}`);
  expect(shown.body.answered).toMatchObject({ rating: 5, comment: 'Quick and friendly, thank you!' });

  const rows = await database.db
    .selectFrom('feedback')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .execute();
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ rating: 5, may_publish: true, follow_up_task_id: null });

  const timeline = await database.db
    .selectFrom('timeline_events')
    .select(['actor', 'channel', 'summary'])
    .where('appointment_id', '=', appointmentId)
    .where('kind', '=', 'feedback:received')
    .execute();
  expect(timeline).toEqual([
    { actor: 'Eli Moreno', channel: 'web', summary: 'Feedback: 5 stars — “Quick and friendly, thank you!”' },
  ]);
  const events = await database.db
    .selectFrom('events')
    .select(['type', 'payload'])
    .where('subject_id', '=', appointmentId)
    .where('type', '=', 'appointment.feedback_received')
    .execute();
  expect(events).toHaveLength(1);
  expect(events[0]!.payload).toMatchObject({
    appointment: { id: appointmentId },
    feedback: { rating: 5, comment: 'Quick and friendly, thank you!', mayPublish: true },
  });
  // No follow-up for a good rating.
  const tasks = await database.db
    .selectFrom('tasks')
    .select('kind')
    .where('appointment_id', '=', appointmentId)
    .execute();
  expect(tasks.filter((t) => t.kind === 'reach_out')).toEqual([]);
});

it('a low rating alerts staff on Slack and opens a follow-up task, once; staff see the answer on the appointment', async () => {
  const { appointmentId, token } = await closedVisit('Frankie Lowe', 'frankie.lowe@example.com');
  const before = slack.requests.length;
  const posted = await call('POST', `/api/feedback/${token}`, {
    rating: 2,
    comment: 'Started 40 minutes late.',
    mayPublish: false,
  });
  expect(posted.status).toBe(201);
  expect(
    (
      await call('POST', `/api/feedback/${token}`, {
        rating: 2,
        comment: 'Started 40 minutes late.',
        mayPublish: false,
      })
    ).status,
  ).toBe(200);

  const alerts = slack.requests.slice(before);
  expect(alerts).toHaveLength(1);
  expect(alerts[0]!.path).toBe('/chat.postMessage');
  expect(JSON.parse(alerts[0]!.body).text).toContain('Frankie Lowe rated Consultation 2/5');
  const tasks = await database.db
    .selectFrom('tasks')
    .select(['id', 'kind', 'status', 'title'])
    .where('appointment_id', '=', appointmentId)
    .where('kind', '=', 'reach_out')
    .execute();
  expect(tasks).toHaveLength(1);
  expect(tasks[0]).toMatchObject({ status: 'open' });
  expect(tasks[0]!.title).toContain('Started 40 minutes late.');

  const card = await call<{ feedback: { rating: number; comment: string; followUpTaskId: string } }>(
    'GET',
    `/api/appointments/${appointmentId}`,
    undefined,
    auth,
  );
  expect(card.status).toBe(200);
  expect(card.body.feedback).toMatchObject({
    rating: 2,
    comment: 'Started 40 minutes late.',
    followUpTaskId: tasks[0]!.id,
  });
  const extras = await call<{ feedback: { rating: number } }>(
    'GET',
    `/api/admin/appointments/${appointmentId}/extras`,
    undefined,
    auth,
  );
  expect(extras.body.feedback).toMatchObject({ rating: 2, mayPublish: false });
});
