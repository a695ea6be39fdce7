/**
 * The whole system for integration tests: a dev server, a fresh database (PostgreSQL when
 * DATABASE_URL is set), the worker with the real activities and the run's workflow bundle, and the
 * HTTP server on a random port, all wired exactly as `npm start` wires them.
 */
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type Config, loadConfig } from '../../src/config';
import { seedDemoData } from '../../src/db/seed';
import { createApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import { closeServer, listen } from '../../src/server';
import { createWorker } from '../../src/worker';
import { paymentGatewayFromConfig } from '../../src/payments/from-config';
import type { PaymentGateway } from '../../src/payments/gateway';
import { startEventDispatcher } from '../../src/outbound/dispatcher';
import { createPortalSession } from '../../src/portal/sessions';
import { createApiKey } from '../../src/auth/api-keys';
import { createTestDatabase, type TestDatabase } from './database';
import { devServerEnv, workflowBundle } from './temporal';

export interface System {
  baseUrl: string;
  config: Config;
  database: TestDatabase;
  env: TestWorkflowEnvironment;
  stop(): Promise<void>;
}

export async function startSystem(
  env: Record<string, string> = {},
  options: { payments?: PaymentGateway } = {},
): Promise<System> {
  const temporal = await devServerEnv();
  const database = await createTestDatabase();
  await seedDemoData(database.db);
  const config = loadConfig(
    {
      PORT: '1',
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: `appointflow-${randomUUID()}`,
      WORKFLOW_BUNDLE_PATH: workflowBundle().codePath,
      LOG_LEVEL: 'warn',
      // Many requests from one address in a few seconds; test/integration/rate-limits.test.ts sets its own.
      RATE_LIMITS: 'off',
      ...env,
    },
    tmpdir(),
  );
  config.http.port = 0;
  const logger = createLogger(config);
  // One gateway for the pages and the worker, as `npm start` has (the simulated one keeps intents in memory).
  const payments = options.payments ?? paymentGatewayFromConfig(config);
  const server: Server = await listen(
    createApp({ config, database, temporal: temporal.client, logger, payments }),
    config,
  );
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  config.http.publicBaseUrl = baseUrl;
  const worker = await createWorker({ config, connection: temporal.nativeConnection, database, logger, payments });
  const running = worker.run();
  const dispatcher = startEventDispatcher({ db: database.db, temporal: temporal.client, config }, logger);
  return {
    baseUrl,
    config,
    database,
    env: temporal,
    async stop() {
      await closeServer(server);
      await dispatcher.stop();
      worker.shutdown();
      await running;
      await database.drop();
      await temporal.teardown();
    },
  };
}

export async function api<T = Record<string, unknown>>(
  system: System,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${system.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

/** Polls `check` until it returns a value, for effects the workflow produces asynchronously. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts the appointment's service (`POST /api/appointments/{id}/start`), as staff do when the customer
 * arrives: the deliver task can then be completed although the appointment (booked days ahead in these
 * real-time tests) has not reached its time (src/domain/delivery.ts). Retried until the workflow runs;
 * an appointment already started is fine.
 */
export async function startService(system: System, auth: Record<string, string>, appointmentId: string): Promise<void> {
  await eventually(async () => {
    const started = await api<{ error?: { message: string } }>(
      system,
      'POST',
      `/api/appointments/${appointmentId}/start`,
      { channel: 'in_person' },
      auth,
    );
    // 409 "… is in_progress and cannot be started": started already (a second call in the same test).
    return started.status === 200 || (started.status === 409 && /in_progress/.test(started.body.error?.message ?? ''));
  });
}

/** A free slot as the availability API lists it. */
export interface Slot {
  startsAt: string;
  staffId: string;
}

/** The id of a seeded service, by its slug (`deep-tissue-massage`, `consultation`, `on-site-repair`). */
export async function serviceIdBySlug(system: System, slug: string): Promise<string> {
  const { body } = await api<{ services: Array<{ id: string; slug: string }> }>(system, 'GET', '/api/services');
  const service = body.services.find((s) => s.slug === slug);
  if (!service) throw new Error(`no service ${slug}`);
  return service.id;
}

/** Every free slot of a service from `fromDays` to `toDays` days ahead, as seen from `timeZone`. */
export async function freeSlots(
  system: System,
  serviceId: string,
  fromDays: number,
  toDays: number,
  timeZone = 'America/New_York',
): Promise<Slot[]> {
  const day = (days: number) => DateTime.now().setZone(timeZone).plus({ days }).toISODate();
  const { body } = await api<{ days: Array<{ slots: Slot[] }> }>(
    system,
    'GET',
    `/api/services/${serviceId}/availability?from=${day(fromDays)}&to=${day(toDays)}&timeZone=${encodeURIComponent(timeZone)}`,
  );
  return body.days.flatMap((d) => d.slots);
}

/** Books `slot` as staff taking a caller's booking (`POST /api/appointments`, channel phone); expects 201. */
export async function bookByPhone(
  system: System,
  auth: Record<string, string>,
  booking: {
    serviceId: string;
    slot: Slot;
    customer: { name: string; email: string; phone?: string; smsOptIn?: boolean };
    timeZone?: string;
  },
): Promise<{ id: string; workflowId: string }> {
  const booked = await api<{ appointment: { id: string; workflowId: string } }>(
    system,
    'POST',
    '/api/appointments',
    {
      serviceId: booking.serviceId,
      staffId: booking.slot.staffId,
      startsAt: booking.slot.startsAt,
      timeZone: booking.timeZone ?? 'America/New_York',
      channel: 'phone',
      customer: { smsOptIn: false, ...booking.customer },
    },
    auth,
  );
  if (booked.status !== 201) throw new Error(`booking refused: ${booked.status} ${JSON.stringify(booked.body)}`);
  return booked.body.appointment;
}

/**
 * The customer with this email signed in to the portal (the sign-in itself is tested in portal.test.ts):
 * their contact id and the headers (session cookie and CSRF token) their requests carry.
 */
export async function portalSignedIn(
  system: System,
  email: string,
): Promise<{ contactId: string; headers: Record<string, string> }> {
  const contact = await system.database.db
    .selectFrom('contacts')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  const session = await createPortalSession(system.database.db, contact.id, 'email_link');
  return {
    contactId: contact.id,
    headers: { cookie: `af_portal=${session.sessionId}`, 'x-csrf-token': session.csrfToken },
  };
}

/** A suite's system with the front desk's API key and the seeded consultation service (`useFrontDesk`). */
export interface FrontDesk {
  system: System;
  /** `authorization` header of a front-desk API key. */
  auth: Record<string, string>;
  consultation: string;
}

/**
 * The usual start of an integration suite, registered as its `beforeAll` / `afterAll`: the whole system
 * (with `env`), a front-desk API key and the consultation service's id. Read the fields inside tests.
 */
export function useFrontDesk(env: Record<string, string> = {}): FrontDesk {
  const desk = {} as FrontDesk;
  beforeAll(async () => {
    desk.system = await startSystem(env);
    desk.auth = { authorization: `Bearer ${(await createApiKey(desk.system.database.db, 'Front desk')).key}` };
    desk.consultation = await serviceIdBySlug(desk.system, 'consultation');
  });
  afterAll(async () => {
    await desk.system?.stop();
  });
  return desk;
}
