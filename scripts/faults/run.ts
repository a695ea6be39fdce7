/**
 * Fault injection as an operator would see it: PostgreSQL (a cluster of its own), a standalone Temporal
 * dev server, and appointflow's worker and HTTP server as separate processes; a SendGrid-like server
 * (slow, with the Email Activity API) receives the email. While customers book, staff reschedule and
 * cancel, and customers buy memberships (charges), the worker is SIGKILLed every few seconds, the HTTP
 * server once, PostgreSQL is restarted and Temporal is restarted. Every request carries an
 * `Idempotency-Key` and is retried with it after a lost answer (client time-outs, dropped connections,
 * 5xx) until it is answered. Then it checks and counts:
 *   - lost: an acknowledged booking without its row or workflow, an acknowledged cancel or reschedule
 *     not in the database, an acknowledged booking whose confirmation email never went out;
 *   - duplicated: more than one appointment or membership per customer, an email accepted by the
 *     provider more than once, more than one succeeded payment per invoice;
 *   - skipped due marks: a reminder mark due after its booking/reschedule that the workflow skipped or
 *     had not fired once it was due (with the short lifecycle policy, marks fall within the run);
 *   - retried requests answered differently from the first answer received.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { createApiKey } from '../../src/auth/api-keys';
import { openDatabase, type AppDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';
import { seedDemoData } from '../../src/db/seed';
import { appointmentWorkflowId, stateQuery } from '../../workflows/appointment/messages';
import { freePort } from '../../test/support/ports';
import {
  type AppProcess,
  startAppProcess,
  startPostgresCluster,
  startTemporalServer,
  waitForHttp,
} from '../../test/support/standalone';

export interface FaultOptions {
  /** How long requests are sent. */
  loadMs: number;
  /** How many bookings over that time (plus reschedules, cancels and purchases in proportion). */
  bookings: number;
  /** The worker is SIGKILLed after a random pause in this range, then started again. */
  killEveryMs: [number, number];
  /**
   * At least this many worker kills: on a slow machine the load can end before the pauses above add up
   * to them, so the chaos goes on (after the load) until they happened.
   */
  minWorkerKills?: number;
  workflowBundlePath: string;
  temporalCli: string;
  log?: (line: string) => void;
}

export interface FaultCounts {
  bookings: number;
  reschedules: number;
  cancels: number;
  purchases: number;
  requests: number;
  retries: number;
  workerKills: number;
  serverKills: number;
  postgresRestarts: number;
  temporalRestarts: number;
  emailsAccepted: number;
  marksDue: number;
  marksFired: number;
  lost: number;
  duplicated: number;
  skippedDueMarks: number;
  answeredDifferently: number;
}

export interface FaultReport {
  counts: FaultCounts;
  problems: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);
const MINUTE = 60_000;
/** The short lifecycle: reminders 150 s and 90 s before the start (marks fall within the run). */
const SHORT_POLICY = { tomorrowHoursBefore: 150 / 3600, todayHoursBefore: 90 / 3600, closeOutHoursAfterEnd: 0 };
const STAFF_COUNT = 10;

/** A SendGrid-like server: slow Mail Send, counted per message id, and the Email Activity API. */
async function startSendGrid(): Promise<{ url: string; accepted: Map<string, number>; close: () => Promise<void> }> {
  const accepted = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://sendgrid.local');
      if (req.method === 'POST' && url.pathname === '/v3/mail/send') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { custom_args?: { message_id?: string } };
        const id = body.custom_args?.message_id ?? 'unknown';
        // Accepted at once, answered after a while: a worker killed meanwhile never learns the outcome.
        accepted.set(id, (accepted.get(id) ?? 0) + 1);
        setTimeout(() => res.writeHead(202, { 'x-message-id': `sg-${id}` }).end(), between(200, 1200));
        return;
      }
      if (req.method === 'GET' && url.pathname === '/v3/messages') {
        const id = /message_id'\]="([^"]+)"/.exec(url.searchParams.get('query') ?? '')?.[1] ?? '';
        const messages = accepted.has(id) ? [{ msg_id: `sg-${id}.filter0001`, status: 'processed' }] : [];
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messages }));
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A service every test staff member performs around the clock, bookable minutes ahead. */
async function seedFaultService(database: AppDatabase): Promise<string> {
  const { db } = database;
  const service = await db
    .insertInto('services')
    .values({
      slug: 'fault-check',
      name: 'Fault Check',
      duration_minutes: 5,
      slot_interval_minutes: 5,
      min_notice_minutes: 0,
      booking_horizon_days: 2,
      currency: 'USD',
      pricing: 'fixed',
      price_minor: 1000,
      lifecycle_policy: JSON.stringify(SHORT_POLICY),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < STAFF_COUNT; i += 1) {
    const staff = await db
      .insertInto('staff')
      .values({ name: `Fault Staff ${i + 1}`, email: `fault-${i + 1}@example.com`, role: 'staff', time_zone: 'UTC' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('staff_services').values({ staff_id: staff.id, service_id: service.id }).execute();
    await db
      .insertInto('availability_rules')
      .values(
        [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
          staff_id: staff.id,
          weekday,
          start_time: '00:00',
          end_time: '23:59',
        })),
      )
      .execute();
  }
  return service.id;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

const describe = (answer: Answer | undefined) =>
  answer ? `${answer.status} ${JSON.stringify(answer.body.error ?? '')}` : 'nothing in 5 minutes';

export async function runFaultInjection(options: FaultOptions): Promise<FaultReport> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const counts: FaultCounts = {
    bookings: 0,
    reschedules: 0,
    cancels: 0,
    purchases: 0,
    requests: 0,
    retries: 0,
    workerKills: 0,
    serverKills: 0,
    postgresRestarts: 0,
    temporalRestarts: 0,
    emailsAccepted: 0,
    marksDue: 0,
    marksFired: 0,
    lost: 0,
    duplicated: 0,
    skippedDueMarks: 0,
    answeredDifferently: 0,
  };
  const problems: string[] = [];
  const problem = (kind: 'lost' | 'duplicated' | 'skippedDueMarks' | 'answeredDifferently', text: string) => {
    counts[kind] += 1;
    problems.push(`${kind}: ${text}`);
  };

  const dir = mkdtempSync(join(tmpdir(), 'appointflow-faults-'));
  const cluster = await startPostgresCluster('faults');
  const database = await openDatabase(
    { kind: 'postgres', url: cluster.url, poolMax: 3 },
    { events: { onConnectionError: () => undefined } },
  );
  const sendgrid = await startSendGrid();
  let temporal: Awaited<ReturnType<typeof startTemporalServer>> | undefined;
  let worker: AppProcess | undefined;
  let server: AppProcess | undefined;
  let client: Client | undefined;
  try {
    await migrateToLatest(database.db);
    await seedDemoData(database.db);
    const serviceId = await seedFaultService(database);
    const { key: apiKey } = await createApiKey(database.db, 'fault injection');
    temporal = await startTemporalServer(join(dir, 'temporal.sqlite'), options.temporalCli);
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: cluster.url,
      DATABASE_POOL_MAX: '5',
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'appointflow-faults',
      WORKFLOW_BUNDLE_PATH: options.workflowBundlePath,
      PORT: String(port),
      PUBLIC_BASE_URL: baseUrl,
      LOG_LEVEL: 'error',
      SENDGRID_API_KEY: 'SG.fault-injection',
      SENDGRID_FROM_EMAIL: 'hello@maplestreet.example',
      SENDGRID_API_BASE: sendgrid.url,
      SENDGRID_EMAIL_ACTIVITY: 'true',
      // The fake's activity feed is immediate: a short wait before resending what never arrived.
      SENDGRID_SETTLE_SECONDS: '10',
      // A request cut off by the HTTP server's death is run again by its retry after 15 s, not 60.
      IDEMPOTENCY_LEASE_SECONDS: '15',
    };
    const startWorker = () => (worker = startAppProcess('worker', env));
    const startServer = () => (server = startAppProcess('server', env));
    startWorker();
    startServer();
    await waitForHttp(
      `${baseUrl}/readyz`,
      (status) => status === 200,
      120_000,
      () => server?.output() ?? '',
    );
    client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    log(`fault injection: ${options.bookings} bookings over ${Math.round(options.loadMs / 1000)} s`);

    // ---- the client side: every request keyed and retried until answered ---------------------------
    const answersByKey = new Map<string, Answer[]>();
    async function request(path: string, body: unknown, auth: boolean): Promise<Answer | undefined> {
      const key = randomUUID();
      counts.requests += 1;
      const answers: Answer[] = [];
      answersByKey.set(key, answers);
      const deadline = Date.now() + 5 * MINUTE;
      for (let attempt = 0; Date.now() < deadline; attempt += 1) {
        if (attempt > 0) counts.retries += 1;
        try {
          // The first attempts may give up early: an answer lost on the way back.
          const timeout = attempt < 2 && Math.random() < 0.3 ? between(50, 800) : 30_000;
          const response = await fetch(`${baseUrl}${path}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'idempotency-key': key,
              ...(auth ? { authorization: `Bearer ${apiKey}` } : {}),
            },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(timeout),
          });
          const answer = { status: response.status, body: (await response.json()) as Record<string, unknown> };
          const code = (answer.body.error as { code?: string } | undefined)?.code;
          if (answer.status >= 500 || code === 'request_in_progress') {
            await sleep(500);
            continue;
          }
          answers.push(answer);
          // Once answered, ask again as a client that lost this answer would: it must be the same.
          if (answers.length === 1 && Math.random() < 0.5) continue;
          return answers[0];
        } catch {
          await sleep(between(100, 600)); // timed out or refused: the answer was lost
        }
      }
      return answers[0];
    }

    type Slot = { startsAt: string; staffId: string };
    const usedSlots = new Set<string>();
    async function freeSlot(minLeadMs: number): Promise<Slot | undefined> {
      const today = new Date().toISOString().slice(0, 10);
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      try {
        const response = await fetch(
          `${baseUrl}/api/services/${serviceId}/availability?from=${today}&to=${tomorrow}&timeZone=UTC`,
          { signal: AbortSignal.timeout(10_000) },
        );
        if (!response.ok) return undefined;
        const days = ((await response.json()) as { days: Array<{ slots: Slot[] }> }).days;
        return days
          .flatMap((d) => d.slots)
          .find(
            (s) => Date.parse(s.startsAt) >= Date.now() + minLeadMs && !usedSlots.has(`${s.staffId}@${s.startsAt}`),
          );
      } catch {
        return undefined;
      }
    }

    interface Booked {
      id: string;
      email: string;
      acknowledgedAt: number;
      cancelled: boolean;
      startsAt: string;
    }
    const booked: Booked[] = [];
    const membershipsBought: string[] = [];
    const plans = (await (await fetch(`${baseUrl}/api/membership-plans`)).json()) as { plans: Array<{ id: string }> };
    const planId = plans.plans[0]!.id;

    async function bookOne(n: number): Promise<void> {
      let slot: Slot | undefined;
      for (let i = 0; i < 60 && !slot; i += 1) slot = (await freeSlot(160_000)) ?? (await sleep(1000), undefined);
      if (!slot) return void problems.push(`setup: no free slot for booking ${n}`);
      usedSlots.add(`${slot.staffId}@${slot.startsAt}`);
      const email = `fault-customer-${n}@example.com`;
      const answer = await request(
        '/api/bookings',
        {
          serviceId,
          staffId: slot.staffId,
          startsAt: slot.startsAt,
          timeZone: 'UTC',
          customer: { name: `Fault Customer ${n}`, email },
        },
        false,
      );
      if (answer?.status !== 201)
        return void problems.push(`setup: booking ${n} answered ${answer?.status ?? 'nothing'}`);
      counts.bookings += 1;
      const id = (answer.body.appointment as { id: string }).id;
      booked.push({ id, email, acknowledgedAt: Date.now(), cancelled: false, startsAt: slot.startsAt });
    }

    async function rescheduleOne(): Promise<void> {
      const target = booked.find((b) => !b.cancelled && Date.parse(b.startsAt) > Date.now() + 4 * MINUTE);
      if (!target) return;
      const slot = await freeSlot(Date.parse(target.startsAt) - Date.now() + 5 * MINUTE);
      if (!slot) return;
      usedSlots.add(`${slot.staffId}@${slot.startsAt}`);
      const answer = await request(
        `/api/appointments/${target.id}/reschedule`,
        { startsAt: slot.startsAt, staffId: slot.staffId, channel: 'phone' },
        true,
      );
      if (answer?.status === 200) {
        counts.reschedules += 1;
        target.startsAt = slot.startsAt;
      } else {
        problems.push(`setup: reschedule of ${target.id} answered ${describe(answer)}`);
      }
    }

    async function cancelOne(): Promise<void> {
      const target = booked.find((b) => !b.cancelled && b.acknowledgedAt < Date.now() - 5000);
      if (!target) return;
      target.cancelled = true;
      const answer = await request(
        `/api/appointments/${target.id}/cancel`,
        { reason: 'Fault injection cancel', channel: 'phone' },
        true,
      );
      if (answer?.status === 200) counts.cancels += 1;
      else {
        target.cancelled = false;
        problems.push(`setup: cancel of ${target.id} answered ${describe(answer)}`);
      }
    }

    async function buyOne(n: number): Promise<void> {
      const email = `fault-member-${n}@example.com`;
      const answer = await request(
        '/api/memberships',
        {
          planId,
          timeZone: 'UTC',
          customer: { name: `Fault Member ${n}`, email },
          paymentMethodId: 'pm_card_visa',
          idempotencyKey: `fault-membership-${n}`,
        },
        false,
      );
      if (answer && answer.status < 300) {
        counts.purchases += 1;
        membershipsBought.push(email);
      }
    }

    // ---- chaos ---------------------------------------------------------------------------------------
    const started = Date.now();
    let chaosOn = true;
    const chaos = (async () => {
      let postgresDone = false;
      let temporalDone = false;
      let serverDone = false;
      const more = () => chaosOn || counts.workerKills < (options.minWorkerKills ?? 0);
      while (more()) {
        await sleep(between(...options.killEveryMs));
        if (!more()) break;
        const elapsed = (Date.now() - started) / options.loadMs;
        if (!postgresDone && elapsed > 0.35) {
          postgresDone = true;
          log('  restarting PostgreSQL');
          await cluster.restart();
          counts.postgresRestarts += 1;
        } else if (!serverDone && elapsed > 0.1) {
          serverDone = true;
          log('  killing the HTTP server');
          await server?.kill('SIGKILL');
          counts.serverKills += 1;
          startServer();
        } else if (!temporalDone && elapsed > 0.6) {
          temporalDone = true;
          log('  restarting Temporal');
          await temporal!.stop();
          await sleep(2000);
          await temporal!.start();
          counts.temporalRestarts += 1;
        } else {
          await worker?.kill('SIGKILL');
          counts.workerKills += 1;
          await sleep(between(300, 1500));
          startWorker();
        }
      }
    })();

    // ---- load ------------------------------------------------------------------------------------------
    const operations: Array<Promise<void>> = [];
    const gap = options.loadMs / options.bookings;
    for (let n = 1; n <= options.bookings; n += 1) {
      operations.push(bookOne(n));
      if (n % 3 === 0) operations.push(buyOne(n));
      if (n % 4 === 0) operations.push(rescheduleOne());
      if (n % 5 === 0) operations.push(cancelOne());
      await sleep(gap);
    }
    await Promise.all(operations);
    chaosOn = false;
    await chaos;
    if (!worker?.alive()) startWorker();
    if (!server?.alive()) startServer();
    await waitForHttp(
      `${baseUrl}/readyz`,
      (status) => status === 200,
      120_000,
      () => server?.output() ?? '',
    );
    log(`  load done after ${Math.round((Date.now() - started) / 1000)} s; settling`);

    // ---- settle: the marks due by the cutoff (the last booking's reminders, at most 150 s from now, but
    // never before the first reminder: slots lie on a 5-minute grid, so where the run starts on that grid
    // decides how far the first reminder is) ------------------------------------------------------------
    const kept = booked.filter((b) => !b.cancelled).map((b) => Date.parse(b.startsAt));
    const lastReminder = Math.max(...kept.map((at) => at - SHORT_POLICY.todayHoursBefore * 3_600_000));
    const firstReminder = Math.min(...kept.map((at) => at - SHORT_POLICY.tomorrowHoursBefore * 3_600_000));
    const cutoff = Math.min(lastReminder + 1000, Math.max(Date.now() + 150_000, firstReminder + 1000));
    await sleep(Math.max(0, cutoff - Date.now()));

    /** The reminder marks of one appointment due by the cutoff, after its booking / last move, before a cancel. */
    async function dueMarks(b: Booked) {
      const state = await client!.workflow.getHandle(appointmentWorkflowId(b.id)).query(stateQuery);
      const changes = await database.db
        .selectFrom('timeline_events')
        .select(['kind', 'occurred_at'])
        .where('appointment_id', '=', b.id)
        .where('kind', 'in', ['booked', 'rescheduled', 'status:cancelled'])
        .orderBy('occurred_at')
        .execute();
      const cancelledAt = changes.find((c) => c.kind === 'status:cancelled')?.occurred_at.getTime() ?? Infinity;
      const revisedAt = Math.max(
        ...changes.filter((c) => c.kind !== 'status:cancelled').map((c) => c.occurred_at.getTime()),
      );
      const due = state.marks.filter(
        (m) => m.kind !== 'closeOut' && m.at > revisedAt && m.at < cancelledAt && m.at <= cutoff,
      );
      return { due, revisedAt };
    }
    const quiet = async () => {
      const queued = await database.db
        .selectFrom('messages')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('status', '=', 'queued')
        .executeTakeFirstOrThrow();
      if (queued.n > 0) return false;
      const confirmed = await database.db
        .selectFrom('messages')
        .select(sql<number>`count(*)::int`.as('n'))
        .where(
          'appointment_id',
          'in',
          booked.map((b) => b.id),
        )
        .where('template', '=', 'confirmation')
        .where('channel', '=', 'email')
        .where('status', '!=', 'queued')
        .executeTakeFirstOrThrow();
      if (confirmed.n < booked.length) return false;
      for (const b of booked) {
        const { due } = await dueMarks(b).catch(() => ({ due: [{ state: 'pending' }] }));
        if (due.some((m) => m.state === 'pending')) return false;
      }
      return true;
    };
    const settleUntil = Date.now() + 3 * MINUTE;
    while (Date.now() < settleUntil && !(await quiet())) await sleep(2000);
    log(`  settled after ${Math.round((Date.now() - cutoff) / 1000)} s`);

    // ---- checks -----------------------------------------------------------------------------------------
    for (const b of booked) {
      const row = await database.db
        .selectFrom('appointments')
        .select(['id', 'status', 'starts_at', 'workflow_started_at', 'created_at'])
        .where('id', '=', b.id)
        .executeTakeFirst();
      if (!row) {
        problem('lost', `acknowledged booking ${b.id} has no row`);
        continue;
      }
      if (b.cancelled !== (row.status === 'cancelled')) {
        problem('lost', `appointment ${b.id}: acknowledged cancelled=${b.cancelled}, database says ${row.status}`);
      }
      if (row.starts_at.toISOString() !== new Date(b.startsAt).toISOString()) {
        problem(
          'lost',
          `appointment ${b.id}: acknowledged start ${b.startsAt}, database says ${row.starts_at.toISOString()}`,
        );
      }
      const perCustomer = await database.db
        .selectFrom('appointments as a')
        .innerJoin('contacts as c', 'c.id', 'a.contact_id')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('c.email', '=', b.email)
        .executeTakeFirstOrThrow();
      if (perCustomer.n !== 1) problem('duplicated', `${b.email} has ${perCustomer.n} appointments`);
      const confirmation = await database.db
        .selectFrom('messages')
        .select(['status'])
        .where('appointment_id', '=', b.id)
        .where('template', '=', 'confirmation')
        .where('channel', '=', 'email')
        .executeTakeFirst();
      if (!confirmation || confirmation.status === 'queued') {
        problem('lost', `appointment ${b.id}: confirmation ${confirmation?.status ?? 'never composed'}`);
      }
      let marks;
      try {
        marks = await dueMarks(b);
      } catch (error) {
        problem('lost', `appointment ${b.id}: workflow not queryable (${(error as Error).message})`);
        continue;
      }
      if (process.env.FAULTS_DEBUG) {
        const state = await client.workflow.getHandle(appointmentWorkflowId(b.id)).query(stateQuery);
        log(
          `  debug ${b.id} revised ${new Date(marks.revisedAt).toISOString()} cutoff ${new Date(cutoff).toISOString()} marks ${JSON.stringify(state.marks)}`,
        );
      }
      for (const mark of marks.due) {
        counts.marksDue += 1;
        if (mark.state === 'fired') counts.marksFired += 1;
        else {
          problem(
            'skippedDueMarks',
            `appointment ${b.id}: mark ${mark.kind} due ${new Date(mark.at).toISOString()} is ${mark.state} (booked or moved ${new Date(marks.revisedAt).toISOString()}, workflow started ${row.workflow_started_at?.toISOString() ?? 'never'})`,
          );
        }
      }
    }
    for (const email of membershipsBought) {
      const n = await database.db
        .selectFrom('memberships as m')
        .innerJoin('contacts as c', 'c.id', 'm.contact_id')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('c.email', '=', email)
        .executeTakeFirstOrThrow();
      if (n.n !== 1) problem('duplicated', `${email} has ${n.n} memberships`);
    }
    const doubleCharges = await database.db
      .selectFrom('payment_attempts')
      .select(['invoice_id', sql<number>`count(*)::int`.as('n')])
      .where('status', '=', 'succeeded')
      .groupBy('invoice_id')
      .having(sql<number>`count(*)`, '>', 1)
      .execute();
    for (const charge of doubleCharges) problem('duplicated', `invoice ${charge.invoice_id} charged ${charge.n} times`);
    for (const [messageId, times] of sendgrid.accepted) {
      counts.emailsAccepted += 1;
      if (times > 1) problem('duplicated', `email ${messageId} accepted by the provider ${times} times`);
    }
    for (const [key, answers] of answersByKey) {
      const [first, ...rest] = answers;
      for (const other of rest) {
        if (JSON.stringify(other) !== JSON.stringify(first)) {
          problem('answeredDifferently', `key ${key}: ${first!.status} then ${other.status}`);
        }
      }
    }
    return { counts, problems };
  } finally {
    await server?.kill('SIGKILL');
    await worker?.kill('SIGKILL');
    await client?.connection.close().catch(() => undefined);
    await temporal?.stop();
    await sendgrid.close();
    await database.close();
    await cluster.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
