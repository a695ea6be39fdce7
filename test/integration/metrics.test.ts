/**
 * Prometheus metrics through `GET /metrics` after a scripted lifecycle on the whole system (dev server,
 * database, worker, HTTP): three bookings, a reschedule, a cancel, a charge declined on
 * a card and then paid, messages sent, a webhook delivered to a local subscriber, one inbound delivery
 * verified and one refused. Counters are compared before and after (the registry belongs to the
 * process); the gauges read from this run's own database.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { fixture, signCalendly } from '../support/inbound-signing';
import { type RecordingServer, startRecordingServer } from '../support/recording-server';
import {
  api,
  bookByPhone,
  eventually,
  freeSlots,
  serviceIdBySlug,
  startService,
  startSystem,
  type System,
} from '../support/system';

jest.setTimeout(180_000);

let system: System;
let auth: Record<string, string>;
let subscriber: RecordingServer;

beforeAll(async () => {
  subscriber = await startRecordingServer();
  system = await startSystem({ METRICS_DB_CACHE_MS: '0', OUTBOUND_DISPATCH_INTERVAL_MS: '200' });
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Metrics')).key}` };
});
afterAll(async () => {
  await system?.stop();
  await subscriber?.close();
});

type Series = Map<string, number>;

/** Prometheus text format → `name{a="x",b="y"}` (labels sorted) → value. */
function parse(text: string): Series {
  const series: Series = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}="${v}"`).sort();
    series.set(`${match[1]}{${labels.join(',')}}`, Number(match[3]));
  }
  return series;
}

const key = (name: string, labels: Record<string, string> = {}) =>
  `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',')}}`;

async function scrape(): Promise<Series> {
  const response = await fetch(`${system.baseUrl}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return parse(await response.text());
}

const delta = (before: Series, after: Series, name: string, labels: Record<string, string> = {}) =>
  (after.get(key(name, labels)) ?? 0) - (before.get(key(name, labels)) ?? 0);

it('exposes HTTP, lifecycle, message, charge, delivery and inbound series with the values of the run', async () => {
  const before = await scrape();
  const consultation = await serviceIdBySlug(system, 'consultation');
  const slots = await freeSlots(system, consultation, 3, 10);
  // Slots two hours apart, so no booking overlaps another's time or buffers.
  const distinct: typeof slots = [];
  for (const slot of slots) {
    const last = distinct.at(-1);
    if (!last || Date.parse(slot.startsAt) - Date.parse(last.startsAt) >= 2 * 3600_000) distinct.push(slot);
  }
  expect(distinct.length).toBeGreaterThan(5);

  const hook = await api(
    system,
    'POST',
    '/api/webhooks',
    { url: `${subscriber.url}/hook`, events: ['appointment.cancelled'] },
    auth,
  );
  expect(hook.status).toBe(201);
  const configured = await api(
    system,
    'PUT',
    '/api/integrations/calendly/inbound',
    { secrets: { signingKey: 'calendly-signing-key' }, options: { serviceId: consultation } },
    auth,
  );
  expect(configured.status).toBe(200);

  const book = (i: number) =>
    bookByPhone(system, auth, {
      serviceId: consultation,
      slot: distinct[i]!,
      customer: { name: `Metrics Person ${i}`, email: `metrics.${i}@example.com` },
    });
  const moved = await book(0);
  const cancelled = await book(1);
  const paid = await book(2);

  const rescheduled = await api(
    system,
    'POST',
    `/api/appointments/${moved.id}/reschedule`,
    { startsAt: distinct[3]!.startsAt, staffId: distinct[3]!.staffId, channel: 'phone' },
    auth,
  );
  expect(rescheduled.status).toBe(200);
  expect(
    (
      await api(
        system,
        'POST',
        `/api/appointments/${cancelled.id}/cancel`,
        { reason: 'Moving away', channel: 'phone' },
        auth,
      )
    ).status,
  ).toBe(200);

  // Billing: the deliver task completed → the automatic charge declines (a card on file that the bank
  // declines; without a card the customer would get a pay link instead).
  const { contact_id: payerId } = await system.database.db
    .selectFrom('appointments')
    .select('contact_id')
    .where('id', '=', paid.id)
    .executeTakeFirstOrThrow();
  await system.database.db
    .updateTable('contacts')
    .set({ default_payment_method_id: 'pm_card_visa_chargeDeclined' })
    .where('id', '=', payerId)
    .execute();
  const deliver = await eventually(() =>
    system.database.db
      .selectFrom('tasks')
      .select('id')
      .where('appointment_id', '=', paid.id)
      .where('kind', '=', 'deliver_service')
      .executeTakeFirst(),
  );
  // Delivery follows the appointment: the service is started first.
  await startService(system, auth, paid.id);
  const completed = await api(
    system,
    'POST',
    `/api/tasks/${deliver.id}/complete`,
    { form: { minutes: 30 }, channel: 'in_person' },
    auth,
  );
  expect(completed.status).toBe(200);
  const notice = await eventually(() =>
    system.database.db
      .selectFrom('messages')
      .select('body')
      .where('appointment_id', '=', paid.id)
      .where('template', '=', 'paymentDeclined')
      .where('channel', '=', 'email')
      .where('status', '=', 'sent')
      .executeTakeFirst(),
  );
  const token = /\/manage\/([A-Za-z0-9_-]{43})\/card/.exec(notice.body)?.[1];
  expect((await api(system, 'POST', `/api/manage/${token}/card`, { paymentMethodId: 'pm_card_visa' })).status).toBe(
    200,
  );
  await eventually(() =>
    system.database.db
      .selectFrom('appointments')
      .select('stage')
      .where('id', '=', paid.id)
      .where('stage', '=', 'Paid Won')
      .executeTakeFirst(),
  );

  // Inbound: one delivery signed with the configured key (an invitee we do not know), one forged.
  const body = fixture('calendly', 'invitee.canceled.json');
  const deliver1 = await fetch(`${system.baseUrl}/webhooks/integrations/calendly`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signCalendly('calendly-signing-key', body) },
    body,
  });
  expect(deliver1.status).toBeLessThan(300);
  const forged = await fetch(`${system.baseUrl}/webhooks/integrations/calendly`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signCalendly('not-the-key', body) },
    body,
  });
  expect(forged.status).toBe(401);

  await eventually(async () => subscriber.requests.length >= 1);
  // Every email this run sent (the database is this run's own), as the counter must have counted them.
  const emailsSent = async () =>
    Number(
      (
        await system.database.db
          .selectFrom('messages')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('channel', '=', 'email')
          .where('sent_at', 'is not', null)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const after = await eventually(async () => {
    const now = await scrape();
    // Deliveries and messages finish asynchronously: wait until the counters caught up with the database.
    const ready =
      delta(before, now, 'appointflow_webhook_deliveries_total', { kind: 'webhook', outcome: 'succeeded' }) >= 1 &&
      delta(before, now, 'appointflow_messages_total', { channel: 'email', status: 'sent' }) === (await emailsSent());
    return ready && now;
  });
  expect(await emailsSent()).toBeGreaterThanOrEqual(6); // confirmations, reschedule, cancel, decline, receipt…

  // HTTP by route pattern (never the raw URL) and status.
  expect(
    delta(before, after, 'appointflow_http_requests_total', {
      method: 'POST',
      route: '/api/appointments',
      status: '201',
    }),
  ).toBe(3);
  expect(
    delta(before, after, 'appointflow_http_requests_total', {
      method: 'POST',
      route: '/api/appointments/:id/reschedule',
      status: '200',
    }),
  ).toBe(1);
  expect(
    delta(before, after, 'appointflow_http_request_duration_seconds_count', {
      method: 'POST',
      route: '/api/appointments',
    }),
  ).toBe(3);
  expect([...after.keys()].some((k) => k.includes(moved.id))).toBe(false);

  // The lifecycle.
  expect(delta(before, after, 'appointflow_bookings_total', { channel: 'phone' })).toBe(3);
  expect(delta(before, after, 'appointflow_reschedules_total', { channel: 'phone' })).toBe(1);
  expect(delta(before, after, 'appointflow_cancellations_total', { channel: 'phone' })).toBe(1);
  expect(delta(before, after, 'appointflow_charges_total', { outcome: 'declined' })).toBe(1);
  expect(delta(before, after, 'appointflow_charges_total', { outcome: 'succeeded' })).toBe(1);
  expect(delta(before, after, 'appointflow_webhook_deliveries_total', { kind: 'webhook', outcome: 'succeeded' })).toBe(
    1,
  );
  expect(delta(before, after, 'appointflow_inbound_events_total', { source: 'calendly', outcome: 'verified' })).toBe(1);
  expect(delta(before, after, 'appointflow_inbound_events_total', { source: 'calendly', outcome: 'refused' })).toBe(1);

  // Gauges from this run's database: the moved appointment's deliver task is the one still open.
  expect(after.get(key('appointflow_tasks_open', { kind: 'deliver_service' }))).toBe(1);
  expect(after.get(key('appointflow_tasks_overdue', { kind: 'deliver_service' }))).toBe(0);
  expect(after.get(key('appointflow_appointments', { stage: 'Appointment Scheduled' }))).toBe(1);
  expect(after.get(key('appointflow_appointments', { stage: 'Closed Lost' }))).toBe(1);
  expect(after.get(key('appointflow_appointments', { stage: 'Missed' }))).toBe(0);
  expect(after.get(key('appointflow_appointments', { stage: 'Paid Won' }))).toBe(1);
  expect(after.get(key('appointflow_marks_overdue', { mark: 'tomorrow' }))).toBe(0);
  expect(after.get(key('appointflow_process_resident_memory_bytes'))).toBeGreaterThan(0);

  // A row whose 48 h mark passed an hour ago while it still says "Scheduled": the workflow is behind.
  await system.database.db
    .updateTable('appointments')
    .set({
      starts_at: new Date(Date.now() + 47 * 3600_000),
      ends_at: new Date(Date.now() + 48 * 3600_000),
      blocked_from: new Date(Date.now() + 47 * 3600_000),
      blocked_until: new Date(Date.now() + 48 * 3600_000),
    })
    .where('id', '=', moved.id)
    .execute();
  const late = await scrape();
  expect(late.get(key('appointflow_marks_overdue', { mark: 'tomorrow' }))).toBe(1);
  expect(late.get(key('appointflow_marks_overdue', { mark: 'today' }))).toBe(0);
});
