/**
 * The messaging activity's delivery rules against a real database: a transient provider error is
 * thrown for Temporal to retry (the message stays queued); an SMS stored before the contact opted out
 * is suppressed on that retry, never sent; a permanent refusal fails the message, flags the contact,
 * records it and opens a staff task (no Slack configured), and later messages skip the number. An SMS
 * that Twilio accepted just before an attempt died is found at Twilio on the retry, not sent twice.
 */
import { tmpdir } from 'node:os';
import type { Client } from '@temporalio/client';
import { notificationActivities } from '../../activities/notifications';
import { availableSlots } from '../../src/availability/service';
import { book } from '../../src/booking/service';
import { loadConfig } from '../../src/config';
import { seedDemoData } from '../../src/db/seed';
import { type MessageProvider, type OutgoingMessage, PermanentSendError } from '../../src/messaging/providers';
import { SimulatedGateway } from '../../src/payments/simulated-gateway';
import { TwilioSmsProvider } from '../../src/messaging/twilio';
import { startCaptureServer, twilioWithHistory } from '../support/capture-server';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoData(database.db);
});
afterAll(async () => {
  await database.drop();
});

const config = loadConfig({}, tmpdir());

async function bookOne(email: string, phone: string, dayOffset: number) {
  const service = await database.db
    .selectFrom('services')
    .select('id')
    .where('slug', '=', 'consultation')
    .executeTakeFirstOrThrow();
  const now = Date.now();
  const slot = (
    await availableSlots(database.db, {
      serviceId: service.id,
      from: now + dayOffset * 86400_000,
      to: now + (dayOffset + 7) * 86400_000,
      now,
    })
  )[0]!;
  const noTemporal = { workflow: { start: async () => undefined } } as unknown as Client;
  const result = await book(
    { db: database.db, temporal: noTemporal, config },
    {
      serviceId: service.id,
      startsAt: slot.startsAt,
      timeZone: 'America/New_York',
      customer: { name: 'Robin Park', email, phone, smsOptIn: true },
      actor: { kind: 'customer', name: 'Robin Park' },
      channel: 'web',
    },
  );
  return { appointmentId: result.appointmentId, workflowId: result.workflowId };
}

function scripted(behaviour: (m: OutgoingMessage) => 'ok' | 'transient' | 'permanent') {
  const sent: OutgoingMessage[] = [];
  const provider: MessageProvider = {
    name: 'scripted',
    async send(message) {
      const what = behaviour(message);
      if (what === 'transient') throw new Error('503 from the provider');
      if (what === 'permanent')
        throw new PermanentSendError('Twilio refused the SMS (21211: invalid "To" phone number)', '21211');
      sent.push(message);
      return { providerMessageId: `p:${message.id}` };
    },
  };
  return { provider, sent };
}

const messagesOf = (appointmentId: string) =>
  database.db
    .selectFrom('messages')
    .select(['id', 'channel', 'template', 'status', 'error'])
    .where('appointment_id', '=', appointmentId)
    .orderBy('created_at')
    .execute();

it('a transient error is retried; an SMS queued before an opt-out is suppressed on the retry', async () => {
  const { appointmentId, workflowId } = await bookOne('robin.one@example.com', '+13125550111', 3);
  let smsDown = true;
  const { provider, sent } = scripted((m) => (m.channel === 'sms' && smsDown ? 'transient' : 'ok'));
  const messaging = notificationActivities({
    db: database.db,
    config,
    providers: { email: provider, sms: provider },
    payments: new SimulatedGateway(),
  });
  const input = {
    appointmentId,
    workflowId,
    audience: 'customer' as const,
    event: 'confirmation' as const,
    step: 'booked',
    revision: 1,
    onlyIfCurrent: false,
  };
  await expect(messaging.sendAppointmentMessages(input)).rejects.toThrow('503 from the provider');
  expect((await messagesOf(appointmentId)).map((m) => `${m.channel}:${m.status}`).sort()).toEqual([
    'email:sent',
    'sms:queued',
  ]);

  await database.db
    .updateTable('contacts')
    .set({ sms_opted_out_at: new Date(), sms_opt_out_source: 'sms:STOP' })
    .where('phone', '=', '+13125550111')
    .execute();
  smsDown = false;
  await messaging.sendAppointmentMessages(input);
  const after = await messagesOf(appointmentId);
  expect(after.map((m) => `${m.channel}:${m.status}`).sort()).toEqual(['email:sent', 'sms:suppressed']);
  expect(after.find((m) => m.channel === 'sms')?.error).toBe('contact opted out of SMS');
  expect(sent.filter((m) => m.channel === 'sms')).toEqual([]);
  expect(sent.filter((m) => m.channel === 'email')).toHaveLength(1);
});

it('with no channel left (email bounced, SMS opted out) a queued SMS is still suppressed, not left waiting', async () => {
  const { appointmentId, workflowId } = await bookOne('robin.three@example.com', '+13125550133', 7);
  let smsDown = true;
  const { provider, sent } = scripted((m) => (m.channel === 'sms' && smsDown ? 'transient' : 'ok'));
  const messaging = notificationActivities({
    db: database.db,
    config,
    providers: { email: provider, sms: provider },
    payments: new SimulatedGateway(),
  });
  const input = {
    appointmentId,
    workflowId,
    audience: 'customer' as const,
    event: 'confirmation' as const,
    step: 'booked',
    revision: 1,
    onlyIfCurrent: false,
  };
  await expect(messaging.sendAppointmentMessages(input)).rejects.toThrow();
  await database.db
    .updateTable('contacts')
    .set({ sms_opted_out_at: new Date(), email_bounced_at: new Date() })
    .where('phone', '=', '+13125550133')
    .execute();
  smsDown = false;
  const result = await messaging.sendAppointmentMessages(input);
  expect(result.messageIds).toHaveLength(2);
  expect((await messagesOf(appointmentId)).map((m) => `${m.channel}:${m.status}`).sort()).toEqual([
    'email:sent',
    'sms:suppressed',
  ]);
  expect(sent.filter((m) => m.channel === 'sms')).toEqual([]);
  const nothing = await messaging.sendAppointmentMessages({ ...input, event: 'reminder48h', step: 'mark:reminder48h' });
  expect(nothing).toEqual({ messageIds: [], skipped: 'no_recipient' });
});

it('a permanent refusal fails the message, flags the number, tells staff, and later messages skip SMS', async () => {
  const { appointmentId, workflowId } = await bookOne('robin.two@example.com', '+13125550122', 5);
  const { provider } = scripted((m) => (m.channel === 'sms' ? 'permanent' : 'ok'));
  const messaging = notificationActivities({
    db: database.db,
    config,
    providers: { email: provider, sms: provider },
    payments: new SimulatedGateway(),
  });
  const base = { appointmentId, workflowId, audience: 'customer' as const, revision: 1, onlyIfCurrent: false };
  await messaging.sendAppointmentMessages({ ...base, event: 'confirmation', step: 'booked' });
  const first = await messagesOf(appointmentId);
  expect(first.map((m) => `${m.channel}:${m.status}`).sort()).toEqual(['email:sent', 'sms:failed']);
  expect(first.find((m) => m.channel === 'sms')?.error).toContain('21211');
  const contact = await database.db
    .selectFrom('contacts')
    .select(['sms_failed_at', 'sms_failed_reason', 'sms_opted_out_at'])
    .where('phone', '=', '+13125550122')
    .executeTakeFirstOrThrow();
  expect(contact.sms_failed_at).not.toBeNull();
  expect(contact.sms_opted_out_at).toBeNull();
  const tasks = await database.db
    .selectFrom('tasks')
    .select(['kind', 'title'])
    .where('appointment_id', '=', appointmentId)
    .execute();
  expect(tasks).toEqual([{ kind: 'reach_out', title: expect.stringContaining('No more SMS go to Robin Park') }]);
  const timeline = await database.db
    .selectFrom('timeline_events')
    .select(['kind', 'channel'])
    .where('appointment_id', '=', appointmentId)
    .execute();
  expect(timeline).toContainEqual({ kind: 'message:failed', channel: 'sms' });

  await messaging.sendAppointmentMessages({ ...base, event: 'reminder48h', step: 'mark:reminder48h' });
  const later = (await messagesOf(appointmentId)).filter((m) => m.template === 'reminder48h');
  expect(later.map((m) => m.channel)).toEqual(['email']);
});

it('an SMS Twilio accepted just before the attempt died is adopted on the retry, not sent twice', async () => {
  const { appointmentId, workflowId } = await bookOne('robin.four@example.com', '+13125550144', 9);
  const twilio = twilioWithHistory();
  const server = await startCaptureServer(twilio.handler);
  try {
    const real = new TwilioSmsProvider({
      accountSid: `AC${'c3'.repeat(16)}`,
      authToken: 'twilio-auth-token-456',
      from: { number: '+13125550100' },
      statusCallbackUrl: 'https://book.example.com/webhooks/twilio/status',
      apiBase: server.url,
    });
    // The first attempt hands the SMS to Twilio, then dies before recording it (a crash, a timeout).
    const dying: MessageProvider = {
      name: 'twilio',
      async send(message) {
        await real.send(message);
        throw new Error('worker lost before the outcome was recorded');
      },
    };
    const { provider: email } = scripted(() => 'ok');
    const input = {
      appointmentId,
      workflowId,
      audience: 'customer' as const,
      event: 'confirmation' as const,
      step: 'booked',
      revision: 1,
      onlyIfCurrent: false,
    };
    const first = notificationActivities({
      db: database.db,
      config,
      providers: { email, sms: dying },
      payments: new SimulatedGateway(),
    });
    await expect(first.sendAppointmentMessages(input)).rejects.toThrow('worker lost');
    const handedOver = await database.db
      .selectFrom('messages')
      .select(['status', 'send_started_at'])
      .where('appointment_id', '=', appointmentId)
      .where('channel', '=', 'sms')
      .executeTakeFirstOrThrow();
    expect(handedOver.status).toBe('queued');
    expect(handedOver.send_started_at).toBeInstanceOf(Date);

    // The retry asks Twilio first and adopts the message that went out.
    const retry = notificationActivities({
      db: database.db,
      config,
      providers: { email, sms: real },
      payments: new SimulatedGateway(),
    });
    await retry.sendAppointmentMessages(input);
    const posts = server.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    const sid = (twilio.created[0] as { sid: string }).sid;
    const sms = await database.db
      .selectFrom('messages')
      .select(['status', 'provider_message_id'])
      .where('appointment_id', '=', appointmentId)
      .where('channel', '=', 'sms')
      .executeTakeFirstOrThrow();
    expect(sms).toEqual({ status: 'sent', provider_message_id: sid });

    // An attempt that died before its call reached Twilio: the retry finds nothing there and sends once.
    const again = await bookOne('robin.five@example.com', '+13125550155', 11);
    const lost = notificationActivities({
      db: database.db,
      config,
      providers: {
        email,
        sms: {
          name: 'twilio',
          send: () => Promise.reject(new Error('connection reset before the request was sent')),
        },
      },
      payments: new SimulatedGateway(),
    });
    const againInput = { ...input, appointmentId: again.appointmentId, workflowId: again.workflowId };
    await expect(lost.sendAppointmentMessages(againInput)).rejects.toThrow('connection reset');
    await retry.sendAppointmentMessages(againInput);
    const toAgain = server.requests.filter(
      (r) => r.method === 'POST' && new URLSearchParams(r.body).get('To') === '+13125550155',
    );
    expect(toAgain).toHaveLength(1);
    expect((await messagesOf(again.appointmentId)).map((m) => `${m.channel}:${m.status}`).sort()).toEqual([
      'email:sent',
      'sms:sent',
    ]);
  } finally {
    await server.stop();
  }
});
