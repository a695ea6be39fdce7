/**
 * README's start command, as a newcomer runs it: `npm start` (here its command, `node --import tsx
 * src/main.ts`, in its own process group like a terminal's foreground job) brings up the dev server,
 * the embedded database with demo data, the worker and the HTTP server; Ctrl-C (SIGINT to the group)
 * stops everything with no process left and the data intact; a second start reuses the data; a bad
 * configuration value stops start-up with one line naming the variable.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database';
import type { ServerExecutable } from '../../temporal/binaries';
import { freePort } from '../support/ports';

jest.setTimeout(180_000);

const root = resolve(__dirname, '../..');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  const dev = JSON.parse(process.env.APPOINTFLOW_TEST_DEV_SERVER ?? '{}') as ServerExecutable;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      LOG_LEVEL: 'info',
      ...(dev.type === 'existing-path' ? { TEMPORAL_CLI_PATH: dev.path } : {}),
      ...env,
    },
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolvePromise) => child.on('exit', (code) => resolvePromise(code)));
  return { child, output: () => text, exited };
}

async function waitFor(url: string, started: Started, timeoutMs = 120_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`npm start exited early:\n${started.output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return response;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready: ${last}\n${started.output()}`);
}

/** Polls `url` until its body matches `pattern` (series appear as the worker does its first tasks). */
async function waitForText(url: string, pattern: RegExp, started: Started, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await (await fetch(url)).text();
    if (pattern.test(text)) return text;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} never matched ${pattern}:\n${text.slice(0, 4000)}\n${started.output()}`);
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopWithCtrlC(started: Started): Promise<number | null> {
  const pid = started.child.pid!;
  process.kill(-pid, 'SIGINT');
  const code = await started.exited;
  for (let i = 0; i < 40 && groupAlive(pid); i += 1) await new Promise((r) => setTimeout(r, 250));
  expect(groupAlive(pid)).toBe(false);
  return code;
}

async function demoCounts(dataDir: string) {
  const database = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'pglite') });
  try {
    const count = async (table: 'staff' | 'services' | 'contacts' | 'business' | 'availability_rules') =>
      (
        await database.db
          .selectFrom(table)
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    return {
      business: await count('business'),
      staff: await count('staff'),
      services: await count('services'),
      contacts: await count('contacts'),
      hours: await count('availability_rules'),
    };
  } finally {
    await database.close();
  }
}

async function confirmations(dataDir: string): Promise<string[]> {
  const database = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'pglite') });
  try {
    const rows = await database.db
      .selectFrom('messages')
      .select('channel')
      .where('template', '=', 'confirmation')
      .where('status', '=', 'sent')
      .orderBy('channel')
      .execute();
    return rows.map((r) => r.channel);
  } finally {
    await database.close();
  }
}

describe('npm start on embedded defaults', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'appointflow-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('comes up ready with demo data, stops cleanly on Ctrl-C, and reuses its data on the next start', async () => {
    const [port, temporalPort, uiPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      TEMPORAL_DEV_SERVER_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
    };

    const first = start(env);
    const ready = (await (await waitFor(`http://127.0.0.1:${port}/readyz`, first)).json()) as {
      checks: { database: { status: string; kind: string }; temporal: { status: string } };
    };
    expect(ready.checks.database).toMatchObject({ status: 'up', kind: 'pglite' });
    expect(ready.checks.temporal).toMatchObject({ status: 'up' });
    const ui = await waitFor(`http://127.0.0.1:${uiPort}/`, first);
    expect(ui.status).toBe(200);
    expect(first.output()).toContain('demo data seeded');
    // The admin app is served from the built bundle (built on first start when missing).
    const adminPage = await fetch(`http://127.0.0.1:${port}/admin/appointments/x`);
    expect(adminPage.status).toBe(200);
    expect(await adminPage.text()).toContain('<div id="root">');
    expect(first.output()).toContain(`Temporal Web UI http://localhost:${uiPort}`);
    // The first start leaves a staff API key for the newcomer, and it works.
    const demoKey = readFileSync(join(dataDir, 'demo-api-key.txt'), 'utf8').trim();
    expect(first.output()).toContain('Staff API key');
    const tasks = await fetch(`http://127.0.0.1:${port}/api/tasks`, {
      headers: { authorization: `Bearer ${demoKey}` },
    });
    expect(tasks.status).toBe(200);
    // A webhook secret is stored encrypted under the key generated into DATA_DIR on this first start.
    const webhook = await fetch(`http://127.0.0.1:${port}/api/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demoKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://hooks.example.com/appointflow', events: ['payment.*'] }),
    });
    expect(webhook.status).toBe(201);
    const hooked = (await webhook.json()) as { subscription: { id: string }; secret: string };
    expect(statSync(join(dataDir, 'secrets.key')).mode & 0o777).toBe(0o600);

    // Booking through the API: the workflow shows in the Temporal Web UI with its search attributes,
    // and the confirmation is stored in the outbox.
    const base = `http://127.0.0.1:${port}`;
    const services = (await (await fetch(`${base}/api/services`)).json()) as {
      services: Array<{ id: string; slug: string }>;
    };
    const consultation = services.services.find((s) => s.slug === 'consultation')!.id;
    const today = new Date().toISOString().slice(0, 10);
    const inAWeek = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);
    const availability = (await (
      await fetch(
        `${base}/api/services/${consultation}/availability?from=${today}&to=${inAWeek}&timeZone=America/New_York`,
      )
    ).json()) as { days: Array<{ slots: Array<{ startsAt: string }> }> };
    const startsAt = availability.days[0]!.slots[0]!.startsAt;
    const booking = await fetch(`${base}/api/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        serviceId: consultation,
        startsAt,
        timeZone: 'America/New_York',
        customer: { name: 'Pat Doe', email: 'pat@example.com', phone: '+12125550199', smsOptIn: true },
      }),
    });
    expect(booking.status).toBe(201);
    // One /metrics carries the app's series and the Temporal SDK's own (its Prometheus exporter).
    const metrics = await waitForText(
      `${base}/metrics`,
      /^temporal_workflow_task_execution_latency_seconds_count/m,
      first,
    );
    expect(metrics).toMatch(/^appointflow_bookings_total\{channel="web"\} 1$/m);
    expect(metrics).toMatch(/^temporal_sticky_cache_size\{/m);
    const { appointment } = (await booking.json()) as { appointment: { workflowId: string; stage: string } };
    const inUi = (await (
      await waitFor(
        `http://127.0.0.1:${uiPort}/api/v1/namespaces/default/workflows/${encodeURIComponent(appointment.workflowId)}`,
        first,
      )
    ).json()) as {
      workflowExecutionInfo: { status: string; searchAttributes: { indexedFields: Record<string, { data: string }> } };
    };
    expect(inUi.workflowExecutionInfo.status).toBe('WORKFLOW_EXECUTION_STATUS_RUNNING');
    const stage = JSON.parse(
      Buffer.from(
        inUi.workflowExecutionInfo.searchAttributes.indexedFields.AppointmentStage!.data,
        'base64',
      ).toString(),
    );
    expect(stage).toBe(appointment.stage);
    expect(Object.keys(inUi.workflowExecutionInfo.searchAttributes.indexedFields)).toEqual(
      expect.arrayContaining(['AppointmentStage', 'AppointmentStatus', 'StaffId', 'ContactId', 'AppointmentStartsAt']),
    );
    // The daily retention schedule is there for operators (Schedules in the Web UI), in the business's zone.
    const schedule = (await (
      await waitFor(
        `http://127.0.0.1:${uiPort}/api/v1/namespaces/default/schedules/${encodeURIComponent('appointflow-retention:appointflow')}`,
        first,
      )
    ).json()) as { schedule: { spec: { timezoneName?: string } } };
    expect(schedule.schedule.spec.timezoneName).toBe('America/New_York');
    expect(await stopWithCtrlC(first)).toBe(0);

    expect(await demoCounts(dataDir)).toEqual({ business: 1, staff: 2, services: 3, contacts: 3, hours: 10 });

    // The confirmation may still have been in flight at Ctrl-C: the workflow resumes on the next start.
    const second = start(env);
    await waitFor(`http://127.0.0.1:${port}/readyz`, second);
    const historyUrl = `http://127.0.0.1:${uiPort}/api/v1/namespaces/default/workflows/${encodeURIComponent(appointment.workflowId)}/history`;
    for (let i = 0; i < 120; i += 1) {
      const history = await (await waitFor(historyUrl, second)).text();
      const count = (text: string) => history.split(text).length - 1;
      const settled = count('EVENT_TYPE_ACTIVITY_TASK_COMPLETED') >= count('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
      if (history.includes('sendAppointmentMessages') && settled) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(second.output()).not.toContain('demo data seeded');
    // The generated key was read again: the secret stored by the first start still decrypts.
    const shown = await fetch(`http://127.0.0.1:${port}/api/webhooks/${hooked.subscription.id}`, {
      headers: { authorization: `Bearer ${demoKey}` },
    });
    expect(((await shown.json()) as { subscription: { secretHint: string } }).subscription.secretHint).toBe(
      `…${hooked.secret.slice(-4)}`,
    );
    expect(await stopWithCtrlC(second)).toBe(0);
    expect(await demoCounts(dataDir)).toEqual({ business: 1, staff: 2, services: 3, contacts: 3, hours: 10 });
    expect(await confirmations(dataDir)).toEqual(['email', 'sms']);
  });

  it('refuses a bad configuration value with one line naming the variable', async () => {
    const started = start({ DATA_DIR: dataDir, PORT: 'abc' });
    expect(await started.exited).toBe(1);
    const lines = started.output().trim().split('\n');
    expect(lines).toEqual(['Invalid configuration: PORT: expected a port number (got "abc")']);
  });
});
