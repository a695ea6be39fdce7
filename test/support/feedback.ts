/**
 * Customer feedback in tests: an HTTP server on a fresh database without Temporal (the feedback API and
 * pages do not touch the workflow), and a visit that is over and paid with the feedbackRequest message
 * the real messaging activity stored for it — the link the customer opens.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { notificationActivities } from '../../activities/notifications';
import { availableSlots } from '../../src/availability/service';
import { book } from '../../src/booking/service';
import { type Config, loadConfig } from '../../src/config';
import type { Database } from '../../src/db/schema';
import { seedDemoData } from '../../src/db/seed';
import { createApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import { localProviders } from '../../src/messaging/providers';
import { closeServer, listen } from '../../src/server';
import { createTestDatabase, type TestDatabase } from './database';

export const noTemporal = {
  workflow: {
    start: async () => undefined,
    getHandle: () => ({
      query: async () => {
        throw new Error('no Temporal here');
      },
    }),
  },
} as unknown as Client;

export interface FeedbackServer {
  baseUrl: string;
  config: Config;
  database: TestDatabase;
  stop(): Promise<void>;
}

export async function startFeedbackServer(env: Record<string, string> = {}): Promise<FeedbackServer> {
  const database = await createTestDatabase();
  await seedDemoData(database.db);
  const config = loadConfig({ PORT: '1', LOG_LEVEL: 'silent', ...env }, tmpdir());
  config.http.port = 0;
  const server: Server = await listen(
    createApp({ config, database, temporal: noTemporal, logger: createLogger(config) }),
    config,
  );
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config.http.publicBaseUrl = baseUrl;
  return {
    baseUrl,
    config,
    database,
    async stop() {
      await closeServer(server);
      await database.drop();
    },
  };
}

let visits = 0;

/** A visit that is over and paid, and the feedback link from the feedbackRequest message stored for it. */
export async function closedVisit(
  db: Kysely<Database>,
  config: Config,
  customer: { name: string; email: string; timeZone?: string },
): Promise<{ appointmentId: string; token: string; path: string; startsAt: number }> {
  visits += 1;
  const service = await db
    .selectFrom('services')
    .select('id')
    .where('slug', '=', 'consultation')
    .executeTakeFirstOrThrow();
  const now = Date.now();
  const slot = (
    await availableSlots(db, {
      serviceId: service.id,
      from: now + visits * 86400_000,
      to: now + (visits + 7) * 86400_000,
      now,
    })
  )[0]!;
  const { appointmentId } = await book(
    { db, temporal: noTemporal, config },
    {
      serviceId: service.id,
      startsAt: slot.startsAt,
      timeZone: customer.timeZone ?? 'America/Los_Angeles',
      customer: { name: customer.name, email: customer.email, smsOptIn: false },
      actor: { kind: 'customer', name: customer.name },
      channel: 'web',
    },
  );
  await db
    .updateTable('appointments')
    .set({ status: 'done', stage: 'Paid Won' })
    .where('id', '=', appointmentId)
    .execute();
  const messaging = notificationActivities({ db, config, providers: localProviders(), payments: { simulated: true } });
  await messaging.sendAppointmentMessages({
    appointmentId,
    workflowId: `appointment:${appointmentId}`,
    audience: 'customer',
    event: 'feedbackRequest',
    step: 'feedback',
    revision: 1,
    onlyIfCurrent: false,
  });
  const message = await db
    .selectFrom('messages')
    .select(['body'])
    .where('appointment_id', '=', appointmentId)
    .where('template', '=', 'feedbackRequest')
    .executeTakeFirstOrThrow();
  const match = /(\/feedback\/([A-Za-z0-9_-]+))/.exec(message.body);
  if (!match) throw new Error(`no feedback link in ${message.body}`);
  return { appointmentId, path: match[1]!, token: match[2]!, startsAt: slot.startsAt };
}
