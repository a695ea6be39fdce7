/**
 * Failures no retry can fix are non-retryable, typed failures of the real activities (issue 18): a
 * PostgreSQL data exception (a NUL byte in a cancel reason, SQLSTATE 22021) is an `InvalidRequest`
 * refusal, and a staff template that does not render is `MessageRenderFailed`; the message the workflow
 * then gives up on is marked failed, on the timeline, and staff get a task.
 */
import { tmpdir } from 'node:os';
import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { createActivities } from '../../activities';
import { availableSlots } from '../../src/availability/service';
import { book } from '../../src/booking/service';
import { loadConfig } from '../../src/config';
import { seedDemoData } from '../../src/db/seed';
import { createLogger } from '../../src/logger';
import type { MessageProvider, OutgoingMessage } from '../../src/messaging/providers';
import { SimulatedGateway } from '../../src/payments/simulated-gateway';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
const sent: OutgoingMessage[] = [];
const provider: MessageProvider = {
  name: 'outbox',
  async send(message) {
    sent.push(message);
    return { providerMessageId: `test:${message.id}` };
  },
};
const config = loadConfig({}, tmpdir());

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoData(database.db);
});
afterAll(async () => {
  await database.drop();
});

const activities = () =>
  createActivities({
    db: database.db,
    config,
    logger: createLogger({ logLevel: 'silent' }),
    providers: { email: provider, sms: provider },
    payments: new SimulatedGateway(),
  });

async function bookOne(email: string) {
  const service = await database.db
    .selectFrom('services')
    .select('id')
    .where('slug', '=', 'consultation')
    .executeTakeFirstOrThrow();
  const now = Date.now();
  const slot = (
    await availableSlots(database.db, {
      serviceId: service.id,
      from: now + 3 * 86400_000,
      to: now + 10 * 86400_000,
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
      customer: { name: 'Riley Fox', email, phone: '+12025550143', smsOptIn: true },
      actor: { kind: 'customer', name: 'Riley Fox' },
      channel: 'web',
    },
  );
}

it('a NUL byte in a cancel reason is a non-retryable InvalidRequest, not a retry for ever', async () => {
  const { appointmentId, workflowId } = await bookOne('riley.fox@example.com');
  const failure = await activities()
    .applyStatusChange({
      appointmentId,
      status: 'cancelled',
      stage: 'Closed Lost',
      reason: 'a\u0000b',
      actor: { kind: 'customer', name: 'Riley Fox' },
      channel: 'manage_link',
      idempotencyKey: `${workflowId}:status:cancelled`,
    })
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({ type: 'InvalidRequest', nonRetryable: true });
  expect((failure as Error).message).toMatch(/SQLSTATE 22/);
  const row = await database.db
    .selectFrom('appointments')
    .select('status')
    .where('id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  expect(row.status).toBe('scheduled');
});

it('a template that does not render fails once (MessageRenderFailed); recorded as failed with a staff task', async () => {
  const { appointmentId, workflowId } = await bookOne('jamie.ortiz@example.com');
  await database.db
    .insertInto('message_templates')
    .values({
      event: 'reminder48h',
      channel: 'email',
      subject: 'Tomorrow',
      body: 'Hi {{#if contact.name}}',
      updated_by: 'test',
    })
    .execute();
  try {
    const input = {
      appointmentId,
      workflowId,
      audience: 'customer' as const,
      event: 'reminder48h' as const,
      step: 'reminder48h',
      revision: 1,
      onlyIfCurrent: true,
    };
    const failure = await activities()
      .sendAppointmentMessages(input)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toMatchObject({ type: 'MessageRenderFailed', nonRetryable: true });

    const reason = (failure as Error).message;
    await activities().recordMessageFailure({ ...input, reason });
    await activities().recordMessageFailure({ ...input, reason }); // a retry records nothing twice
    const messages = await database.db
      .selectFrom('messages')
      .select(['status', 'error', 'template'])
      .where('appointment_id', '=', appointmentId)
      .where('template', '=', 'reminder48h')
      .execute();
    expect(messages).toEqual([{ status: 'failed', error: reason, template: 'reminder48h' }]);
    const timeline = await database.db
      .selectFrom('timeline_events')
      .select(['kind', 'summary'])
      .where('appointment_id', '=', appointmentId)
      .where('kind', '=', 'message:failed')
      .execute();
    expect(timeline).toHaveLength(1);
    expect(timeline[0]!.summary).toContain('reminder48h');
    const tasks = await database.db
      .selectFrom('tasks')
      .select(['kind', 'title', 'status'])
      .where('appointment_id', '=', appointmentId)
      .where('kind', '=', 'reach_out')
      .execute();
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.title).toContain('was not sent');
  } finally {
    await database.db.deleteFrom('message_templates').where('event', '=', 'reminder48h').execute();
  }
});
