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
import { createApiKey } from '../../src/auth/api-keys';
import { createManageToken } from '../../src/manage/tokens';
import { type CaptureServer, startCaptureServer } from '../support/capture-server';
import { type FeedbackServer, closedVisit as closedVisitIn, startFeedbackServer } from '../support/feedback';

let system: FeedbackServer;
let baseUrl: string;
let slack: CaptureServer;
let auth: Record<string, string>;
let database: FeedbackServer['database'];

beforeAll(async () => {
  slack = await startCaptureServer(() => ({ status: 200, body: { ok: true, ts: '1700000000.000100', channel: 'C1' } }));
  system = await startFeedbackServer({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_CHANNEL: 'C1', SLACK_API_BASE: slack.url });
  ({ baseUrl, database } = system);
  auth = { authorization: `Bearer ${(await createApiKey(database.db, 'Back office')).key}` };
});
afterAll(async () => {
  await system?.stop();
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

const closedVisit = (name: string, email: string) => closedVisitIn(database.db, system.config, { name, email });

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

it('documents the feedback endpoints in the OpenAPI document', async () => {
  const doc = await call<{ paths: Record<string, Record<string, { requestBody?: unknown }>> }>(
    'GET',
    '/api/openapi.json',
  );
  expect(Object.keys(doc.body.paths['/api/feedback/{token}']!).sort()).toEqual(['get', 'post']);
  expect(JSON.stringify(doc.body.paths['/api/feedback/{token}']!.post!.requestBody)).toContain('mayPublish');
});
