/**
 * The worker and the HTTP server, as separate processes, outlive their dependencies restarting:
 * PostgreSQL restarted under them (every session "terminated due to administrator command") and the
 * Temporal dev server stopped and started again. While a dependency is down `/readyz` answers 503
 * naming it; afterwards it is 200 again, both processes are still the same processes, and a booking
 * made then is confirmed by the worker (its confirmation email recorded as sent).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { openDatabase, type AppDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';
import { seedDemoData } from '../../src/db/seed';
import { freePort } from '../support/ports';
import {
  type AppProcess,
  type PostgresCluster,
  type TemporalServer,
  startAppProcess,
  startPostgresCluster,
  startTemporalServer,
  waitForHttp,
} from '../support/standalone';
import { workflowBundle } from '../support/temporal';

jest.setTimeout(300_000);

let cluster: PostgresCluster;
let temporal: TemporalServer;
let database: AppDatabase;
let worker: AppProcess;
let server: AppProcess;
let baseUrl: string;
let dir: string;

const outputs = () => `--- worker ---\n${worker?.output()}\n--- server ---\n${server?.output()}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'appointflow-restarts-'));
  cluster = await startPostgresCluster('restarts');
  database = await openDatabase({ kind: 'postgres', url: cluster.url, poolMax: 2 });
  await migrateToLatest(database.db);
  await seedDemoData(database.db);
  temporal = await startTemporalServer(join(dir, 'temporal.sqlite'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: cluster.url,
    DATABASE_POOL_MAX: '4',
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'appointflow-restarts',
    WORKFLOW_BUNDLE_PATH: workflowBundle().codePath,
    PORT: String(port),
    PUBLIC_BASE_URL: baseUrl,
  };
  worker = startAppProcess('worker', env);
  server = startAppProcess('server', env);
  await waitForHttp(`${baseUrl}/readyz`, (status) => status === 200, 120_000, outputs);
});

afterAll(async () => {
  await server?.kill();
  await worker?.kill();
  await database?.close();
  await temporal?.stop();
  await cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

let booked = 0;
/** Books the next free consultation through the public API; resolves once its confirmation is sent. */
async function bookAndConfirm(): Promise<string> {
  const services = (await (await fetch(`${baseUrl}/api/services`)).json()) as {
    services: Array<{ id: string; slug: string }>;
  };
  const serviceId = services.services.find((s) => s.slug === 'consultation')!.id;
  const zone = 'America/New_York';
  const from = DateTime.now().setZone(zone).plus({ days: 3 }).toISODate();
  const to = DateTime.now().setZone(zone).plus({ days: 12 }).toISODate();
  const availability = (await (
    await fetch(`${baseUrl}/api/services/${serviceId}/availability?from=${from}&to=${to}&timeZone=${zone}`)
  ).json()) as { days: Array<{ slots: Array<{ startsAt: string; staffId: string }> }> };
  const slot = availability.days.flatMap((d) => d.slots)[booked * 3]!;
  booked += 1;
  const response = await post('/api/bookings', {
    serviceId,
    staffId: slot.staffId,
    startsAt: slot.startsAt,
    timeZone: zone,
    customer: { name: `Restart ${booked}`, email: `restart-${booked}@example.com` },
  });
  expect(response.status).toBe(201);
  const id = (response.body.appointment as { id: string }).id;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const sent = await database.db
      .selectFrom('messages')
      .select('id')
      .where('appointment_id', '=', id)
      .where('status', '=', 'sent')
      .executeTakeFirst();
    if (sent) return id;
    if (Date.now() > deadline) throw new Error(`no confirmation sent for ${id}\n${outputs()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('a PostgreSQL restart: /readyz names the database while it is down, both processes carry on', async () => {
  await bookAndConfirm();
  const workerPid = worker.child.pid;
  const serverPid = server.child.pid;

  // Every session (the pools' idle and in-use clients) is terminated by the fast shutdown.
  await cluster.stop();
  const down = (await waitForHttp(`${baseUrl}/readyz`, (status) => status === 503, 30_000, outputs)) as {
    down: string[];
    checks: { database: { status: string } };
  };
  expect(down.down).toEqual(['database']);
  expect(down.checks.database.status).toBe('down');
  await cluster.start();
  await waitForHttp(`${baseUrl}/readyz`, (status) => status === 200, 60_000, outputs);

  expect(worker.alive()).toBe(true);
  expect(server.alive()).toBe(true);
  expect([worker.child.pid, server.child.pid]).toEqual([workerPid, serverPid]);
  await bookAndConfirm();
  expect(worker.output()).toMatch(/database connection lost/);
});

test('a Temporal restart: /readyz names Temporal while it is down, the worker reconnects', async () => {
  await temporal.stop();
  const down = (await waitForHttp(`${baseUrl}/readyz`, (status) => status === 503, 30_000, outputs)) as {
    down: string[];
  };
  expect(down.down).toEqual(['temporal']);
  await temporal.start();
  await waitForHttp(`${baseUrl}/readyz`, (status) => status === 200, 60_000, outputs);
  expect(worker.alive()).toBe(true);
  expect(server.alive()).toBe(true);
  await bookAndConfirm();
});
