/**
 * One booking is one trace: with tracing on (an in-memory exporter standing in for OTLP), the public
 * `POST /api/bookings` request's server span is the root; under it the Temporal client's workflow start,
 * the workflow's run (in the sandbox; its own span is exported through the sink when the workflow
 * ends), the confirmation activity it starts (exported from the sandbox) and runs, and the email
 * provider call that activity makes. The worker runs the traced workflow
 * bundle picked next to the configured one, as a production worker would.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { seedDemoData } from '../../src/db/seed';
import { createApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import { closeServer, listen } from '../../src/server';
import { clientTracingInterceptors, startTracing, TRACING_WORKFLOW_MODULE } from '../../src/tracing';
import { bundleFor, createWorker } from '../../src/worker';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { devServerEnv, workflowBundle } from '../support/temporal';

jest.setTimeout(240_000);

const exporter = new InMemorySpanExporter();
let stopTracing: (() => Promise<void>) | undefined;
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let server: Server;
let worker: Worker;
let running: Promise<void>;
let baseUrl: string;
let bundlePath: string;

beforeAll(async () => {
  // The lean bundle of the run, and the traced one beside it, as `npm run build` writes them.
  const dir = mkdtempSync(join(tmpdir(), 'appointflow-tracing-'));
  bundlePath = join(dir, 'workflow-bundle.js');
  copyFileSync(workflowBundle().codePath, bundlePath);
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    workflowInterceptorModules: [TRACING_WORKFLOW_MODULE],
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  });
  writeFileSync(join(dir, 'workflow-bundle.traced.js'), code);

  stopTracing = startTracing({ ops: { tracing: undefined } } as never, {
    spanProcessor: new SimpleSpanProcessor(exporter),
  });
  env = await devServerEnv();
  database = await createTestDatabase();
  await seedDemoData(database.db);
  const config = loadConfig(
    {
      PORT: '1',
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: `appointflow-tracing-${process.pid}`,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      LOG_LEVEL: 'warn',
    },
    tmpdir(),
  );
  config.http.port = 0;
  const logger = createLogger(config);
  const temporal = new Client({ connection: env.connection, interceptors: { workflow: clientTracingInterceptors() } });
  server = await listen(createApp({ config, database, temporal, logger }), config);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config.http.publicBaseUrl = baseUrl;
  worker = await createWorker({ config, connection: env.nativeConnection, database, logger });
  running = worker.run();
});

afterAll(async () => {
  if (server) await closeServer(server);
  worker?.shutdown();
  await running;
  await database?.drop();
  await env?.teardown();
  await stopTracing?.();
});

async function eventually<T>(check: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('picks the traced bundle next to the configured one', () => {
  expect(bundleFor(bundlePath)).toBe(bundlePath.replace(/\.js$/, '.traced.js'));
});

it('follows a booking from the HTTP request to the confirmation activity and its email', async () => {
  const services = (await (await fetch(`${baseUrl}/api/services`)).json()) as {
    services: Array<{ id: string; slug: string }>;
  };
  const consultation = services.services.find((s) => s.slug === 'consultation')!.id;
  const from = new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10);
  const availability = (await (
    await fetch(`${baseUrl}/api/services/${consultation}/availability?from=${from}&to=${to}&timeZone=America/New_York`)
  ).json()) as { days: Array<{ slots: Array<{ startsAt: string }> }> };
  const startsAt = availability.days.flatMap((d) => d.slots)[0]!.startsAt;
  const booked = await fetch(`${baseUrl}/api/bookings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      serviceId: consultation,
      startsAt,
      timeZone: 'America/New_York',
      customer: { name: 'Trace Person', email: 'trace.person@example.com', smsOptIn: false },
    }),
  });
  expect(booked.status).toBe(201);

  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  const named = (name: string) => spans().find((s) => s.name === name);
  const http = await eventually(() => named('POST /api/bookings'));
  const email = await eventually(() => named('email.send'));

  const start = await eventually(() => named('StartActivity:sendAppointmentMessages'));
  const run = named('RunActivity:sendAppointmentMessages')!;
  const startWorkflow = named('StartWorkflow:appointmentWorkflow')!;
  const parentOf = (span: ReadableSpan) => span.parentSpanId;

  // One trace: request → workflow start → (the workflow's run) → activity start → activity run → email.
  for (const span of [startWorkflow, start, run, email]) {
    expect(span.spanContext().traceId).toBe(http.spanContext().traceId);
  }
  expect(parentOf(startWorkflow)).toBe(http.spanContext().spanId);
  expect(parentOf(email)).toBe(run.spanContext().spanId);
  expect(parentOf(run)).toBe(start.spanContext().spanId);
  // The activity was started under the workflow's run span (exported when the workflow ends, days
  // later), not directly under a span of the API process.
  const runWorkflowSpanId = parentOf(start);
  expect(runWorkflowSpanId).toBeDefined();
  expect([http, startWorkflow].map((s) => s.spanContext().spanId)).not.toContain(runWorkflowSpanId);
  expect(email.attributes.provider).toBe('outbox');
  expect(http.attributes['http.route']).toBe('/api/bookings');
  expect(http.attributes['http.response.status_code']).toBe(201);
});
