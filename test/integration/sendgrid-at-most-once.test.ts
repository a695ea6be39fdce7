/**
 * Email at most once where SendGrid can tell, at the wire level: the real `@sendgrid/mail` /
 * `@sendgrid/client` against a local SendGrid-like server (Mail Send and the Email Activity API), through
 * the messaging activity. An attempt that handed the email over and died before recording it is
 * followed by a retry that waits while SendGrid's records may lag, then adopts the email found by our
 * `message_id` custom argument (or finds the row marked sent by the Event Webhook) — one Mail Send in
 * all. An attempt that never reached SendGrid is sent once after the wait. Without the Activity API or
 * the Event Webhook the email goes again (at least once, as documented).
 */
import { tmpdir } from 'node:os';
import type { Client } from '@temporalio/client';
import { notificationActivities } from '../../activities/notifications';
import { availableSlots } from '../../src/availability/service';
import { book } from '../../src/booking/service';
import { loadConfig } from '../../src/config';
import { seedDemoData } from '../../src/db/seed';
import { advanceStatus } from '../../src/messaging/delivery-status';
import type { MessageProvider, OutgoingMessage } from '../../src/messaging/providers';
import { SendGridEmailProvider, SendOutcomePendingError, type SendGridOptions } from '../../src/messaging/sendgrid';
import { SimulatedGateway } from '../../src/payments/simulated-gateway';
import { type CaptureServer, sendgridWithActivity, startCaptureServer } from '../support/capture-server';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
const config = loadConfig({}, tmpdir());
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoData(database.db);
});
afterAll(async () => {
  await database.drop();
});

let booked = 0;
/** A booking whose confirmation goes by email only. */
async function bookOne() {
  booked += 1;
  const service = await database.db
    .selectFrom('services')
    .select('id')
    .where('slug', '=', 'consultation')
    .executeTakeFirstOrThrow();
  const now = Date.now();
  const [slot] = await availableSlots(database.db, {
    serviceId: service.id,
    from: now + (2 + booked * 2) * 86400_000,
    to: now + (9 + booked * 2) * 86400_000,
    now,
  });
  const noTemporal = { workflow: { start: async () => undefined } } as unknown as Client;
  const name = `Casey Once ${booked}`;
  const result = await book(
    { db: database.db, temporal: noTemporal, config },
    {
      serviceId: service.id,
      startsAt: slot!.startsAt,
      timeZone: 'America/New_York',
      customer: { name, email: `casey.${booked}@example.com`, smsOptIn: false },
      actor: { kind: 'customer', name },
      channel: 'web',
    },
  );
  return {
    appointmentId: result.appointmentId,
    workflowId: result.workflowId,
    audience: 'customer' as const,
    event: 'confirmation' as const,
    step: 'booked',
    revision: 1,
    onlyIfCurrent: false,
  };
}

function messaging(email: MessageProvider) {
  return notificationActivities({
    db: database.db,
    config,
    providers: { email, sms: email },
    payments: new SimulatedGateway(),
  });
}

/** The provider of an attempt that dies: before the call, or after SendGrid accepted the email. */
function dying(real: MessageProvider, when: 'before' | 'after'): MessageProvider {
  return {
    name: 'sendgrid',
    async send(message: OutgoingMessage) {
      if (when === 'before') throw new Error('connection reset before the request was sent');
      await real.send(message);
      throw new Error('worker lost before the outcome was recorded');
    },
  };
}

const emailOf = (appointmentId: string) =>
  database.db
    .selectFrom('messages')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .where('channel', '=', 'email')
    .executeTakeFirstOrThrow();

let server: CaptureServer;
let sendgrid: ReturnType<typeof sendgridWithActivity>;
let offsetMs = 0;
beforeEach(async () => {
  sendgrid = sendgridWithActivity();
  server = await startCaptureServer(sendgrid.handler);
  offsetMs = 0;
});
afterEach(() => server.stop());

function provider(options: Partial<SendGridOptions>): SendGridEmailProvider {
  return new SendGridEmailProvider({
    apiKey: 'SG.test-key',
    fromEmail: 'hello@studio.example.com',
    apiBase: server.url,
    settleMs: 600_000,
    now: () => Date.now() + offsetMs,
    ...options,
  });
}

const mailSends = () => server.requests.filter((r) => r.method === 'POST' && r.path === '/v3/mail/send');

it('with the Email Activity API: the retry waits for SendGrid to show the email, then adopts it', async () => {
  const input = await bookOne();
  const real = provider({ activityLookup: true });
  await expect(messaging(dying(real, 'after')).sendAppointmentMessages(input)).rejects.toThrow('worker lost');
  expect((await emailOf(input.appointmentId)).send_started_at).toBeInstanceOf(Date);

  // SendGrid's feed does not show it yet: the retry waits instead of sending a second copy.
  await expect(messaging(real).sendAppointmentMessages(input)).rejects.toBeInstanceOf(SendOutcomePendingError);
  const lookup = server.requests.find((r) => r.method === 'GET')!;
  expect(lookup.headers.authorization).toBe('Bearer SG.test-key');
  expect(new URL(lookup.path, 'http://x').searchParams.get('query')).toBe(
    `unique_args['message_id']="${(await emailOf(input.appointmentId)).id}"`,
  );

  sendgrid.feed.visible = true;
  await messaging(real).sendAppointmentMessages(input);
  const email = await emailOf(input.appointmentId);
  expect({ status: email.status, provider: email.provider_message_id }).toEqual({
    status: 'sent',
    provider: 'sg1abc.filter0001',
  });
  expect(mailSends()).toHaveLength(1);
});

it('with the Event Webhook only: the retry waits; the processed event marks it sent; nothing is sent twice', async () => {
  const input = await bookOne();
  const real = provider({ eventWebhook: true });
  await expect(messaging(dying(real, 'after')).sendAppointmentMessages(input)).rejects.toThrow('worker lost');
  await expect(messaging(real).sendAppointmentMessages(input)).rejects.toBeInstanceOf(SendOutcomePendingError);

  // SendGrid's `processed` event for our message id (what /webhooks/sendgrid/events does with it).
  await advanceStatus(database.db, await emailOf(input.appointmentId), 'sent');
  await messaging(real).sendAppointmentMessages(input);
  expect((await emailOf(input.appointmentId)).status).toBe('sent');
  expect(mailSends()).toHaveLength(1);
});

it('an attempt that never reached SendGrid: after the settle time the lookup finds nothing and it is sent once', async () => {
  const input = await bookOne();
  const real = provider({ activityLookup: true });
  await expect(messaging(dying(real, 'before')).sendAppointmentMessages(input)).rejects.toThrow('connection reset');
  await expect(messaging(real).sendAppointmentMessages(input)).rejects.toBeInstanceOf(SendOutcomePendingError);
  expect(mailSends()).toHaveLength(0);

  offsetMs = 600_001; // the settle time has passed (injected clock)
  sendgrid.feed.visible = true;
  await messaging(real).sendAppointmentMessages(input);
  expect(mailSends()).toHaveLength(1);
  expect((await emailOf(input.appointmentId)).status).toBe('sent');
});

it('without the Activity API or the Event Webhook SendGrid cannot tell: the email goes again (at least once)', async () => {
  const input = await bookOne();
  const real = provider({});
  await expect(messaging(dying(real, 'after')).sendAppointmentMessages(input)).rejects.toThrow('worker lost');
  await messaging(real).sendAppointmentMessages(input);
  expect(mailSends()).toHaveLength(2);
  expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(0);
});
