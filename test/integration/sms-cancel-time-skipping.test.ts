/**
 * A reminder is never sent after an SMS cancel, proven under time skipping: the whole app (HTTP
 * server, real activities, database, the Twilio SDK pointed at a local server) runs against the
 * time-skipping test server. Two appointments are booked; one is cancelled by SMS (C, YES); then days
 * of workflow time pass in seconds, past both appointments' 48 h and 12 h marks. The one left booked
 * gets its reminders — so the marks really fired — and the cancelled one gets none, only its
 * cancellation and, 24 h later, the rebook follow-up — which offers the waitlist, joined by replying W.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import twilio from 'twilio';
import { createApiKey } from '../../src/auth/api-keys';
import { loadConfig } from '../../src/config';
import { seedDemoData } from '../../src/db/seed';
import { HOUR_MS } from '../../src/domain/time';
import { createApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import { closeServer, listen } from '../../src/server';
import { createWorker } from '../../src/worker';
import { type CaptureServer, fakeMessageSid, startCaptureServer, twilioLike } from '../support/capture-server';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../support/system';
import { timeSkippingEnv, workflowBundle } from '../support/temporal';

jest.setTimeout(240_000);

const ACCOUNT = `AC${'d4'.repeat(16)}`;
const TOKEN = 'time-skipping-token';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let twilioApi: CaptureServer;
let server: Server;
let worker: Worker;
let running: Promise<void>;
let baseUrl: string;
let auth: Record<string, string>;

beforeAll(async () => {
  env = await timeSkippingEnv();
  database = await createTestDatabase();
  await seedDemoData(database.db);
  twilioApi = await startCaptureServer(twilioLike);
  const config = loadConfig(
    {
      PORT: '1',
      TEMPORAL_TASK_QUEUE: `appointflow-${randomUUID()}`,
      WORKFLOW_BUNDLE_PATH: workflowBundle().codePath,
      LOG_LEVEL: 'warn',
      TWILIO_ACCOUNT_SID: ACCOUNT,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_FROM_NUMBER: '+12125550100',
      TWILIO_API_BASE: twilioApi.url,
    },
    tmpdir(),
  );
  config.http.port = 0;
  const logger = createLogger(config);
  server = await listen(createApp({ config, database, temporal: env.client, logger }), config);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config.http.publicBaseUrl = baseUrl;
  worker = await createWorker({ config, connection: env.nativeConnection, database, logger });
  running = worker.run();
  const { key } = await createApiKey(database.db, 'time skipping');
  auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
});

afterAll(async () => {
  if (server) await closeServer(server);
  worker?.shutdown();
  await running;
  await database?.drop();
  await twilioApi?.stop();
  await env?.teardown();
});

async function http<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: auth,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as T;
}

async function textUs(from: string, body: string): Promise<string> {
  const params = { MessageSid: fakeMessageSid(), AccountSid: ACCOUNT, From: from, To: '+12125550100', Body: body };
  const url = `${baseUrl}/webhooks/twilio/sms`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, url, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  expect(response.status).toBe(200);
  return response.text();
}

const smsTemplatesTo = async (appointmentId: string) =>
  (
    await database.db
      .selectFrom('messages')
      .select(['template', 'channel', 'status'])
      .where('appointment_id', '=', appointmentId)
      .orderBy('created_at')
      .execute()
  ).map((m) => `${m.channel}:${m.template}:${m.status}`);

it('after C + YES, no reminder is ever sent for the cancelled appointment, while the other one gets its reminders', async () => {
  const { services } = await http<{ services: Array<{ id: string; slug: string }> }>('GET', '/api/services');
  const service = services.find((s) => s.slug === 'deep-tissue-massage')!.id;
  const zone = 'America/New_York';
  const from = DateTime.now().setZone(zone).plus({ days: 4 }).toISODate();
  const to = DateTime.now().setZone(zone).plus({ days: 10 }).toISODate();
  const { days } = await http<{ days: Array<{ slots: Array<{ startsAt: string; staffId: string }> }> }>(
    'GET',
    `/api/services/${service}/availability?from=${from}&to=${to}&timeZone=${zone}`,
  );
  const slots = days.flatMap((d) => d.slots);
  const book = (phone: string, slot: { startsAt: string; staffId: string }) =>
    http<{ appointment: { id: string; workflowId?: string } }>('POST', '/api/appointments', {
      serviceId: service,
      staffId: slot.staffId,
      startsAt: slot.startsAt,
      timeZone: zone,
      channel: 'phone',
      customer: { name: `Client ${phone.slice(-4)}`, email: `c${phone.slice(-4)}@example.com`, phone, smsOptIn: true },
    });
  const cancelPhone = '+19175550901';
  const keepPhone = '+19175550902';
  const cancelled = (await book(cancelPhone, slots[0]!)).appointment.id;
  const kept = (await book(keepPhone, slots[8]!)).appointment.id;
  const workflowIds = (
    await database.db.selectFrom('appointments').select(['workflow_id']).where('id', 'in', [cancelled, kept]).execute()
  ).map((r) => r.workflow_id);
  try {
    await eventually(async () => (await smsTemplatesTo(cancelled)).includes('sms:confirmation:sent'));

    expect(await textUs(cancelPhone, 'C')).toContain('Reply YES to confirm');
    await textUs(cancelPhone, 'yes');
    await eventually(async () => (await smsTemplatesTo(cancelled)).includes('sms:cancelled:sent'));

    // Skip past both appointments' start (and so every mark) plus the 24 h rebook window.
    const latestStart = Math.max(...[slots[0]!, slots[8]!].map((s) => Date.parse(s.startsAt)));
    const skip = latestStart - (await env.currentTimeMs()) + 30 * HOUR_MS;
    await env.sleep(skip);

    const keptMessages = await eventually(async () => {
      const m = await smsTemplatesTo(kept);
      return m.includes('sms:reminder12h:sent') && m;
    });
    expect(keptMessages).toEqual(expect.arrayContaining(['sms:reminder48h:sent', 'email:reminder48h:sent']));
    const cancelledMessages = await eventually(async () => {
      const m = await smsTemplatesTo(cancelled);
      return m.some((t) => t.includes('rebookFollowUp')) && m;
    });
    expect(cancelledMessages.filter((t) => /reminder|staffBrief/.test(t))).toEqual([]);
    const remindersOverTheWire = twilioApi.requests
      .map((r) => new URLSearchParams(r.body))
      .filter((p) => p.get('To') === cancelPhone)
      .map((p) => p.get('Body') ?? '')
      .filter((b) => /reminder|tomorrow|today/i.test(b));
    expect(remindersOverTheWire).toEqual([]);
    // The follow-up offers the waitlist, and replying W joins it for the cancelled visit's service.
    const followUp = await database.db
      .selectFrom('messages')
      .select(['channel', 'body'])
      .where('appointment_id', '=', cancelled)
      .where('template', '=', 'rebookFollowUp')
      .execute();
    expect(followUp.find((m) => m.channel === 'sms')?.body).toContain('Reply W to join the waitlist.');
    expect(followUp.find((m) => m.channel === 'email')?.body).toContain(`?staff=${slots[0]!.staffId}&waitlist=1`);
    expect(await textUs(cancelPhone, 'W')).toContain('on the waitlist for Deep Tissue Massage');
  } finally {
    for (const id of workflowIds) {
      const handle = env.client.workflow.getHandle(id);
      if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test finished');
    }
  }
});
