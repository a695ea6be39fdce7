/**
 * The messaging activity with a staff-edited reschedule message, against a real database: the edited
 * email goes as written with the manage link filled in, the SMS renders from the template when only the
 * email was edited, the public note given with the reschedule shows in a rendered email, an edited SMS
 * that somehow arrives over two segments is replaced by the template, and a retry sends nothing twice.
 */
import { tmpdir } from 'node:os';
import type { Client } from '@temporalio/client';
import { notificationActivities } from '../../activities/notifications';
import { availableSlots } from '../../src/availability/service';
import { book } from '../../src/booking/service';
import { loadConfig } from '../../src/config';
import { seedDemoData } from '../../src/db/seed';
import type { MessageProvider, OutgoingMessage } from '../../src/messaging/providers';
import { SimulatedGateway } from '../../src/payments/simulated-gateway';
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

async function bookOne(email: string, dayOffset: number) {
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
  return book(
    { db: database.db, temporal: noTemporal, config },
    {
      serviceId: service.id,
      startsAt: slot.startsAt,
      timeZone: 'America/New_York',
      customer: { name: 'Robin Park', email, phone: '+13125550199', smsOptIn: true },
      actor: { kind: 'customer', name: 'Robin Park' },
      channel: 'web',
    },
  );
}

function capture() {
  const sent: OutgoingMessage[] = [];
  const provider: MessageProvider = {
    name: 'capture',
    async send(message) {
      sent.push(message);
      return { providerMessageId: `p:${message.id}` };
    },
  };
  const messaging = notificationActivities({
    db: database.db,
    config,
    providers: { email: provider, sms: provider },
    payments: new SimulatedGateway(),
  });
  return { sent, messaging };
}

const base = {
  audience: 'customer' as const,
  event: 'rescheduled' as const,
  step: 'rescheduled',
  revision: 1,
  onlyIfCurrent: false,
};

it('sends the edited email as written with the manage link; the SMS from the template; a retry sends nothing twice', async () => {
  const { appointmentId, workflowId } = await bookOne('robin.edit@example.com', 3);
  const { sent, messaging } = capture();
  const input = {
    ...base,
    appointmentId,
    workflowId,
    previousStartsAt: Date.now() + 86400_000,
    edited: { email: { subject: 'New time for your consultation', body: 'See you then.\n\nManage: {manage-link}' } },
  };
  await messaging.sendAppointmentMessages(input);
  await messaging.sendAppointmentMessages(input); // a retry
  expect(sent).toHaveLength(2);
  const email = sent.find((m) => m.channel === 'email')!;
  const sms = sent.find((m) => m.channel === 'sms')!;
  expect(email.subject).toBe('New time for your consultation');
  expect(email.text).toMatch(
    new RegExp(`^See you then\\.\\n\\nManage: ${config.http.publicBaseUrl}/manage/[\\w-]{43}\\n$`),
  );
  expect(email.attachments.map((a) => a.filename)).toEqual(['appointment.ics']);
  expect(sms.text).toMatch(/has moved from .* to /); // the template
  expect(sms.text).not.toContain('{manage-link}');
});

it('shows the public note in a rendered email, and replaces an over-long edited SMS by the template', async () => {
  const { appointmentId, workflowId } = await bookOne('robin.note@example.com', 5);
  const { sent, messaging } = capture();
  await messaging.sendAppointmentMessages({
    ...base,
    appointmentId,
    workflowId,
    publicNote: 'Please use the side entrance.',
    edited: { sms: `${'Moved. '.repeat(60)}{manage-link}` },
  });
  const email = sent.find((m) => m.channel === 'email')!;
  const sms = sent.find((m) => m.channel === 'sms')!;
  expect(email.text).toContain('Please use the side entrance.');
  expect(email.html).toContain('Please use the side entrance.');
  expect(sms.text.startsWith('Moved. Moved.')).toBe(false);
  expect(sms.text).toMatch(/has moved to /);
});
