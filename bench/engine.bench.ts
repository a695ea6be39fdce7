/**
 * Engine figures: appointflow against a bare Temporal workflow on the same dev server, in the same run.
 * It starts its own dev server, PostgreSQL (`DATABASE_URL`, or a throwaway cluster from
 * `.ci/postgres.sh`), the HTTP app in this process, and two worker processes of their own (appointflow's
 * worker as `npm run start:worker` builds it, and a bare worker), then measures:
 *   - bookings/s to confirmation (staff API, `--concurrency`) vs bare start+complete/s;
 *   - update round trip p50/p99: a reschedule through the API vs a bare workflow update;
 *   - timer lateness p50/p99: `--fire` workflows whose mark (the 48 h reminder, a bare sleep) falls on the
 *     same instant, among `--sleepers` sleeping ones;
 *   - worker RSS with 0 / `--rss` sleeping workflows (each worker process on its own).
 * Short defaults run in a few minutes on a laptop; `npm run bench -- engine --bookings=500
 * --concurrency=8 --sleepers=10000 --rss=1000,10000 --fire=500` is the full size.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { sql } from 'kysely';
import { createApiKey } from '../src/auth/api-keys';
import { startAppointmentWorkflow } from '../src/booking/service';
import { loadConfig } from '../src/config';
import { type AppDatabase, openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { seedDemoData } from '../src/db/seed';
import { createApp } from '../src/http/app';
import { createLogger } from '../src/logger';
import { closeServer, listen } from '../src/server';
import { resolveDevServer } from '../temporal/binaries';
import { ALL_SEARCH_ATTRIBUTES } from '../temporal/search-attributes';
import { pingUpdate } from './engine/bare-workflows';
import type { BenchResult } from './run';

const root = resolve(__dirname, '..');
const HOUR = 3600_000;

interface Options {
  bookings: number;
  concurrency: number;
  updates: number;
  sleepers: number;
  fire: number;
  rss: number[];
}

function options(argv: string[]): Options {
  const flag = (name: string, fallback: string) =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
  return {
    bookings: Number(flag('bookings', '60')),
    concurrency: Number(flag('concurrency', '8')),
    updates: Number(flag('updates', '40')),
    sleepers: Number(flag('sleepers', '1000')),
    fire: Number(flag('fire', '100')),
    rss: flag('rss', '500,1000')
      .split(',')
      .map(Number)
      .filter((n) => n > 0),
  };
}

const log = (message: string) => process.stderr.write(`[engine] ${message}\n`);

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const ratio = (app: number, bare: number) => (bare > 0 ? round(app / bare, 2) : NaN);

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      server.close(() => resolvePort(port));
    });
  });
}

export async function until<T>(
  what: string,
  check: () => Promise<T | false | undefined>,
  timeoutMs = 600_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`engine bench: ${what} did not happen in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs `task(i)` for i < n with at most `concurrency` at once. */
export async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      for (let i = next++; i < n; i = next++) await task(i);
    }),
  );
}

export class WorkerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly exited: Promise<void>,
  ) {}

  static async start(kind: 'app' | 'bare' | 'fake', env: Record<string, string>): Promise<WorkerProcess> {
    const child = fork(join(__dirname, 'engine', 'worker-child.ts'), [kind], {
      cwd: root,
      execArgv: ['--expose-gc', '--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const worker = new WorkerProcess(child, exited);
    await worker.ask('ready');
    return worker;
  }

  private ask<T>(type: string): Promise<T> {
    return new Promise((resolveAnswer, reject) => {
      const onMessage = (message: { type: string }) => {
        if (message.type !== type) return;
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        resolveAnswer(message as T);
      };
      const onExit = () => reject(new Error(`engine bench: the ${type} worker exited`));
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      if (type !== 'ready') this.child.send({ type });
    });
  }

  async memory(): Promise<{ rss: number; heap: number }> {
    const { rss, heapUsed } = await this.ask<{ rss: number; heapUsed: number }>('rss');
    return { rss: round(rss / 1024 / 1024, 0), heap: round(heapUsed / 1024 / 1024, 0) };
  }

  async rssMiB(): Promise<number> {
    const { rss } = await this.ask<{ rss: number }>('rss');
    return round(rss / 1024 / 1024, 0);
  }

  async firstTasks(): Promise<number> {
    return (await this.ask<{ count: number }>('firstTasks')).count;
  }

  async stop(): Promise<void> {
    this.child.send({ type: 'stop' });
    await this.exited;
  }
}

async function database(): Promise<{ url: string; stop: () => void }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: () => {} };
  const port = String(await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'appointflow-bench-pg-'));
  const env = { ...process.env, PGCI_DIR: dir, PGCI_PORT: port };
  const out = execFileSync(join(root, '.ci/postgres.sh'), ['start'], { env, encoding: 'utf8' });
  const url = out.trim().split('\n').at(-1)!;
  return { url, stop: () => execFileSync(join(root, '.ci/postgres.sh'), ['stop'], { env, stdio: 'ignore' }) };
}

interface Ids {
  serviceId: string;
  staff: string[];
  contactId: string;
}

/**
 * Appointment rows for sleeping workflows, inserted directly (the booking path is measured on its own):
 * one-minute appointments one minute apart, alternating between the two staff members.
 */
async function insertRows(
  db: AppDatabase['db'],
  ids: Ids,
  startsAt: (i: number) => number,
  n: number,
  tag: string,
  lengthMs = 60_000,
) {
  const rows: string[] = [];
  for (let from = 0; from < n; from += 500) {
    const values = Array.from({ length: Math.min(500, n - from) }, (_, k) => {
      const i = from + k;
      const start = new Date(startsAt(i));
      const end = new Date(startsAt(i) + lengthMs);
      return {
        contact_id: ids.contactId,
        staff_id: ids.staff[i % ids.staff.length]!,
        service_id: ids.serviceId,
        starts_at: start,
        ends_at: end,
        blocked_from: start,
        blocked_until: end,
        time_zone: 'America/New_York',
        stage: 'Appointment Scheduled' as const,
        price_minor: 0,
        currency: 'USD',
        source: 'api' as const,
        workflow_id: `bench-${tag}-${i}`,
        client_note: '',
      };
    });
    const inserted = await db.insertInto('appointments').values(values).returning('id').execute();
    rows.push(...inserted.map((r) => r.id));
  }
  await db
    .updateTable('appointments')
    .set({ workflow_id: sql<string>`'appointment:' || id` })
    .where('workflow_id', 'like', `bench-${tag}-%`)
    .execute();
  return rows;
}

export async function run(argv: string[] = process.argv.slice(2)): Promise<BenchResult> {
  const opts = options(argv);
  log(`options ${JSON.stringify(opts)}`);
  const pg = await database();
  const executable = await resolveDevServer(process.env, log);
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable, searchAttributes: [...ALL_SEARCH_ATTRIBUTES], log: { format: 'pretty', level: 'error' } },
  });
  const dir = mkdtempSync(join(tmpdir(), 'appointflow-bench-'));
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => log(m), log() {} };
  const appBundle = join(dir, 'workflow-bundle.js');
  const bareBundle = join(dir, 'bare-bundle.js');
  writeFileSync(
    appBundle,
    (await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quiet })).code,
  );
  writeFileSync(
    bareBundle,
    (await bundleWorkflowCode({ workflowsPath: require.resolve('./engine/bare-workflows'), logger: quiet })).code,
  );
  const baseEnv = {
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: env.address,
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    SEED_DEMO_DATA: 'false',
    METRICS_PORT: '0',
    TEMPORAL_METRICS_ADDRESS: 'off',
    NODE_ENV: 'development',
  };
  const appQueue = 'bench-appointflow';
  const bareQueue = 'bench-bare';
  const config = loadConfig({ ...baseEnv, TEMPORAL_TASK_QUEUE: appQueue, PORT: '1' }, dir);
  config.http.port = 0;
  const db = await openDatabase(config.database);
  await migrateToLatest(db.db);
  await db.db
    .deleteFrom('appointments')
    .execute()
    .catch(() => undefined);
  if (!(await db.db.selectFrom('business').select('id').executeTakeFirst())) await seedDemoData(db.db);
  const client = new Client({ connection: env.connection });
  const server: Server = await listen(
    createApp({ config, database: db, temporal: client, logger: createLogger(config) }),
    config,
  );
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config.http.publicBaseUrl = base;
  const auth = {
    authorization: `Bearer ${(await createApiKey(db.db, 'Engine bench')).key}`,
    'content-type': 'application/json',
  };
  const workers: WorkerProcess[] = [];
  const figures: Record<string, number | string> = {};
  try {
    const app = await WorkerProcess.start('app', {
      ...baseEnv,
      TEMPORAL_TASK_QUEUE: appQueue,
      WORKFLOW_BUNDLE_PATH: appBundle,
      PUBLIC_BASE_URL: base,
    });
    const bare = await WorkerProcess.start('bare', {
      ...baseEnv,
      TEMPORAL_TASK_QUEUE: bareQueue,
      BENCH_BARE_BUNDLE: bareBundle,
    });
    workers.push(app, bare);
    figures['worker RSS MiB, 0 sleeping (app / bare)'] = `${await app.rssMiB()} / ${await bare.rssMiB()}`;

    const consultation = await db.db
      .selectFrom('services')
      .select('id')
      .where('slug', '=', 'consultation')
      .executeTakeFirstOrThrow();
    const staff = (await db.db.selectFrom('staff').select('id').orderBy('name').execute()).map((s) => s.id);
    const contact = await db.db
      .insertInto('contacts')
      .values({
        name: 'Bench Sleeper',
        email: 'bench.sleeper@example.com',
        time_zone: 'America/New_York',
        sms_opt_in: false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ids: Ids = { serviceId: consultation.id, staff, contactId: contact.id };

    // 1. Bookings to confirmation vs bare start+complete.
    const slots = await freeSlotsApart(base, consultation.id, opts.bookings + 2);
    const [spareA, spareB] = [slots.pop()!, slots.pop()!];
    const booked: string[] = [];
    const latencies: number[] = [];
    let started = performance.now();
    await pool(slots.length, opts.concurrency, async (i) => {
      const t0 = performance.now();
      const response = await fetch(`${base}/api/appointments`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          serviceId: consultation.id,
          staffId: slots[i]!.staffId,
          startsAt: slots[i]!.startsAt,
          timeZone: 'America/New_York',
          channel: 'phone',
          customer: { name: `Bench Booker ${i}`, email: `bench.${i}@example.com`, smsOptIn: false },
        }),
      });
      const body = (await response.json()) as { appointment?: { id: string } };
      if (response.status !== 201 || !body.appointment)
        throw new Error(`booking refused: ${response.status} ${JSON.stringify(body)}`);
      latencies.push(performance.now() - t0);
      booked.push(body.appointment.id);
    });
    await until('confirmations', async () => {
      const row = await db.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('template', '=', 'confirmation')
        .where('channel', '=', 'email')
        .where('appointment_id', 'in', booked)
        .executeTakeFirstOrThrow();
      return Number(row.n) >= booked.length;
    });
    const appRate = booked.length / ((performance.now() - started) / 1000);
    started = performance.now();
    await pool(booked.length, opts.concurrency, async (i) => {
      await client.workflow.execute('bareStartComplete', {
        taskQueue: bareQueue,
        workflowId: `bare-start-${i}-${Date.now()}`,
      });
    });
    const bareRate = booked.length / ((performance.now() - started) / 1000);
    figures[`bookings/s to confirmation (c=${opts.concurrency}, n=${booked.length})`] = round(appRate);
    figures['bare start+complete/s'] = round(bareRate);
    figures['bookings ratio to bare'] = ratio(appRate, bareRate);
    figures['booking HTTP p50 / p99 ms'] =
      `${round(percentile(latencies, 50), 0)} / ${round(percentile(latencies, 99), 0)}`;

    // 2. Update round trip: a reschedule back and forth vs a bare update.
    const moving = await fetch(`${base}/api/appointments`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        serviceId: consultation.id,
        staffId: spareA.staffId,
        startsAt: spareA.startsAt,
        timeZone: 'America/New_York',
        channel: 'phone',
        customer: { name: 'Bench Mover', email: 'bench.mover@example.com', smsOptIn: false },
      }),
    });
    const movingId = ((await moving.json()) as { appointment: { id: string } }).appointment.id;
    const appUpdates: number[] = [];
    for (let i = 0; i < opts.updates; i += 1) {
      const to = i % 2 === 0 ? spareB : spareA;
      const t0 = performance.now();
      const response = await fetch(`${base}/api/appointments/${movingId}/reschedule`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ startsAt: to.startsAt, staffId: to.staffId, channel: 'phone', reminders: false }),
      });
      await response.text();
      if (response.status !== 200) throw new Error(`reschedule refused: ${response.status}`);
      appUpdates.push(performance.now() - t0);
    }
    const updatable = await client.workflow.start('bareUpdatable', {
      taskQueue: bareQueue,
      workflowId: `bare-updatable-${Date.now()}`,
    });
    const bareUpdates: number[] = [];
    for (let i = 0; i < opts.updates; i += 1) {
      const t0 = performance.now();
      await updatable.executeUpdate(pingUpdate, { args: [i] });
      bareUpdates.push(performance.now() - t0);
    }
    await updatable.executeUpdate(pingUpdate, { args: [-1] });
    const [a50, a99, b50, b99] = [
      percentile(appUpdates, 50),
      percentile(appUpdates, 99),
      percentile(bareUpdates, 50),
      percentile(bareUpdates, 99),
    ];
    figures[`reschedule round trip p50 / p99 ms (n=${opts.updates})`] = `${round(a50, 0)} / ${round(a99, 0)}`;
    figures['bare update p50 / p99 ms'] = `${round(b50, 0)} / ${round(b99, 0)}`;
    figures['update ratio p50 / p99'] = `${ratio(a50, b50)} / ${ratio(a99, b99)}`;

    // 3 + 4. Sleeping workflows (RSS at each size), then marks that fire together among them.
    const sizes = [...opts.rss, opts.sleepers].filter((n, i, all) => all.indexOf(n) === i).sort((x, y) => x - y);
    let appSleeping = 0;
    let bareSleeping = 0;
    const farFuture = Date.now() + 30 * 24 * HOUR;
    for (const size of sizes) {
      const more = size - appSleeping;
      const rowIds = await insertRows(
        db.db,
        ids,
        // Far beyond the booked slots (from 3 days ahead): a sleeper never collides with a booking.
        (i) => Date.now() + 90 * 24 * HOUR + (appSleeping + i) * 60_000,
        more,
        `s${size}`,
      );
      const t0 = performance.now();
      await pool(rowIds.length, 16, (i) =>
        startAppointmentWorkflow({ db: db.db, temporal: client, config }, rowIds[i]!, {
          actor: { kind: 'system', name: 'bench' },
          channel: 'api',
        }),
      );
      await until(`${size} appointment workflows at their first sleep`, async () => {
        const row = await db.db
          .selectFrom('messages')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('template', '=', 'confirmation')
          .where('recipient', '=', 'bench.sleeper@example.com')
          .executeTakeFirstOrThrow();
        return Number(row.n) >= size;
      });
      const appStartRate = more / ((performance.now() - t0) / 1000);
      appSleeping = size;
      const t1 = performance.now();
      const bareBefore = await bare.firstTasks();
      await pool(size - bareSleeping, 32, async (i) => {
        await client.workflow.start('bareSleeper', {
          taskQueue: bareQueue,
          workflowId: `bare-sleeper-${size}-${i}-${Date.now()}`,
          args: [farFuture],
        });
      });
      await until(`${size} bare sleepers`, async () => (await bare.firstTasks()) - bareBefore >= size - bareSleeping);
      const bareStartRate = (size - bareSleeping) / ((performance.now() - t1) / 1000);
      bareSleeping = size;
      await new Promise((r) => setTimeout(r, 2000));
      if (opts.rss.includes(size)) {
        figures[`worker RSS MiB, ${size} sleeping (app / bare)`] = `${await app.rssMiB()} / ${await bare.rssMiB()}`;
      }
      figures[`sleepers started/s up to ${size} (app / bare)`] = `${round(appStartRate)} / ${round(bareStartRate)}`;
    }

    // Timer lateness: `fire` 48 h marks within seconds of each other (50 ms apart; the appointments
    // are 50 ms long, alternating staff), among the sleepers; the bare sleepers wake at the same instants.
    const fireAt = Date.now() + 20_000 + opts.fire * 60;
    const markOf = (i: number) => fireAt + i * 50;
    const firing = await insertRows(db.db, ids, (i) => markOf(i) + 48 * HOUR, opts.fire, 'fire', 50);
    await pool(firing.length, 16, (i) =>
      startAppointmentWorkflow({ db: db.db, temporal: client, config }, firing[i]!, {
        actor: { kind: 'system', name: 'bench' },
        channel: 'api',
      }),
    );
    const bareHandles = await Promise.all(
      Array.from({ length: opts.fire }, (_, i) =>
        client.workflow.start('bareSleeper', {
          taskQueue: bareQueue,
          workflowId: `bare-fire-${i}-${Date.now()}`,
          args: [markOf(i)],
        }),
      ),
    );
    if (Date.now() > fireAt) log('warning: the firing workflows were still starting at their mark');
    const woke = await Promise.all(bareHandles.map((h) => h.result() as Promise<number>));
    const bareLate = woke.map((t, i) => t - markOf(i));
    const reminders = await until('reminders at the mark', async () => {
      const rows = await db.db
        .selectFrom('messages as m')
        .innerJoin('appointments as a', 'a.id', 'm.appointment_id')
        .select(['m.created_at', 'a.starts_at'])
        .where('m.template', '=', 'reminder48h')
        .where('m.channel', '=', 'email')
        .where('m.appointment_id', 'in', firing)
        .execute();
      return rows.length >= firing.length && rows;
    });
    const appLate = reminders.map((r) => r.created_at.getTime() - (r.starts_at.getTime() - 48 * HOUR));
    const [l50, l99, m50, m99] = [
      percentile(appLate, 50),
      percentile(appLate, 99),
      percentile(bareLate, 50),
      percentile(bareLate, 99),
    ];
    figures[
      `timer lateness p50 / p99 ms (${opts.fire} marks in ${Math.ceil((opts.fire * 50) / 1000)} s, ${opts.sleepers} sleeping)`
    ] = `${round(l50, 0)} / ${round(l99, 0)}`;
    figures['bare timer lateness p50 / p99 ms'] = `${round(m50, 0)} / ${round(m99, 0)}`;
    figures['timer lateness ratio p50 / p99'] = `${ratio(l50, m50)} / ${ratio(l99, m99)}`;
    figures[`worker RSS MiB after the marks (app / bare)`] = `${await app.rssMiB()} / ${await bare.rssMiB()}`;
  } finally {
    await Promise.all(workers.map((w) => w.stop().catch(() => undefined)));
    await closeServer(server);
    await db.close();
    await env.teardown();
    pg.stop();
  }
  return { name: 'engine: appointflow vs a bare Temporal workflow (same dev server, same run)', figures };
}

/** Free consultation slots at least an hour apart per staff member, from 3 days ahead. */
async function freeSlotsApart(
  base: string,
  serviceId: string,
  n: number,
): Promise<Array<{ startsAt: string; staffId: string }>> {
  const picked: Array<{ startsAt: string; staffId: string }> = [];
  const lastByStaff = new Map<string, number>();
  for (let week = 0; picked.length < n && week < 52; week += 1) {
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const response = await fetch(
      `${base}/api/services/${serviceId}/availability?from=${day(3 + week * 7)}&to=${day(9 + week * 7)}&timeZone=America/New_York`,
    );
    const body = (await response.json()) as { days?: Array<{ slots: Array<{ startsAt: string; staffId: string }> }> };
    if (!body.days) break;
    for (const slot of body.days.flatMap((d) => d.slots)) {
      const at = Date.parse(slot.startsAt);
      if (at - (lastByStaff.get(slot.staffId) ?? 0) < HOUR) continue;
      lastByStaff.set(slot.staffId, at);
      picked.push(slot);
      if (picked.length >= n) break;
    }
  }
  if (picked.length < n) throw new Error(`engine bench: only ${picked.length} free slots for ${n} bookings`);
  return picked;
}
