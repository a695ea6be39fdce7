/**
 * The system as an operator runs it, for fault tests: a PostgreSQL cluster of its own (`.ci/postgres.sh`
 * style, restartable), a standalone Temporal dev server (the `temporal` CLI as a child process,
 * restartable on the same port and SQLite file), and the worker and HTTP server as separate Node
 * processes (`src/worker.ts`, `src/server.ts`), each of which can be killed and started again.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { SearchAttributeType } from '@temporalio/common';
import type { ServerExecutable } from '../../temporal/binaries';
import { ALL_SEARCH_ATTRIBUTES } from '../../temporal/search-attributes';
import { freePort } from './ports';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------
// PostgreSQL

export interface PostgresCluster {
  /** postgres:// URL of the `appointflow` database. */
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops (fast: every session is terminated "due to administrator command") and starts again. */
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

function pgBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  const last = versions.at(-1);
  if (!last) throw new Error('PostgreSQL is not installed (run .ci/postgres.sh start once)');
  return join('/usr/lib/postgresql', last, 'bin');
}

function asOwner(command: string, args: string[]) {
  return process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);
}

/** A new cluster in `/tmp/appointflow-pg-<name>` on a free port. */
export async function startPostgresCluster(name: string): Promise<PostgresCluster> {
  const port = await freePort();
  const dir = `/tmp/appointflow-pg-${name}-${port}`;
  const env = { ...process.env, PGCI_DIR: dir, PGCI_PORT: String(port) };
  const { stdout } = await run(join(root, '.ci/postgres.sh'), ['start'], { env });
  const url = stdout.trim().split('\n').at(-1)!;
  const data = join(dir, 'data');
  const pgCtl = join(pgBin(), 'pg_ctl');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const cluster: PostgresCluster = {
    url,
    port,
    stop: async () => {
      await asOwner(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
    start: async () => {
      await asOwner(pgCtl, ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
    },
    restart: async () => {
      await cluster.stop();
      await cluster.start();
    },
    destroy: async () => {
      await run(join(root, '.ci/postgres.sh'), ['stop'], { env }).catch(() => undefined);
      await run('rm', ['-rf', dir]);
    },
  };
  return cluster;
}

// ---------------------------------------------------------------------------------------------------
// Temporal

export interface TemporalServer {
  address: string;
  start(): Promise<void>;
  /** SIGTERM, as an orchestrator stops it; the SQLite file keeps every workflow. */
  stop(): Promise<void>;
  restart(): Promise<void>;
}

const SEARCH_ATTRIBUTE_TYPES: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

function cliPath(): string {
  const raw = process.env.APPOINTFLOW_TEST_DEV_SERVER;
  const executable = raw ? (JSON.parse(raw) as ServerExecutable) : undefined;
  if (executable?.type !== 'existing-path') throw new Error('a standalone Temporal server needs the temporal CLI');
  return executable.path;
}

/** A standalone dev server persisting to `dbFile`, on a free port. */
export async function startTemporalServer(dbFile: string, cli = cliPath()): Promise<TemporalServer> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const args = [
    'server',
    'start-dev',
    '--headless',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--db-filename',
    dbFile,
    '--namespace',
    'default',
    '--log-level',
    'error',
    ...ALL_SEARCH_ATTRIBUTES.flatMap((key) => [
      '--search-attribute',
      `${key.name}=${SEARCH_ATTRIBUTE_TYPES[key.type]}`,
    ]),
  ];
  const server: TemporalServer = {
    address,
    start: async () => {
      const started = spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let errors = '';
      started.stderr?.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
      child = started;
      const deadline = Date.now() + 60_000;
      while (!(await reachable(port))) {
        if (started.exitCode !== null) throw new Error(`temporal dev server exited: ${errors}`);
        if (Date.now() > deadline) throw new Error(`temporal dev server not up: ${errors}`);
        await sleep(200);
      }
    },
    stop: async () => {
      const stopping = child;
      child = undefined;
      if (!stopping || stopping.exitCode !== null) return;
      const exited = new Promise((r) => stopping.once('exit', r));
      stopping.kill('SIGTERM');
      await exited;
    },
    restart: async () => {
      await server.stop();
      await server.start();
    },
  };
  await server.start();
  return server;
}

async function reachable(port: number): Promise<boolean> {
  const { Connection } = await import('@temporalio/client');
  try {
    const connection = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 1000 });
    try {
      await connection.withDeadline(Date.now() + 2000, () =>
        connection.workflowService.describeNamespace({ namespace: 'default' }),
      );
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------
// appointflow's processes

export interface AppProcess {
  child: ChildProcess;
  output(): string;
  alive(): boolean;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | string | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `src/worker.ts` or `src/server.ts` as its own process, configured by `env`. Rate limits are off (as in
 * test/support/system.ts): every request comes from one address, and these runs are not about limits.
 * The worker's metrics listener is off unless `env` names a port: its default (9464) is one fixed port,
 * and two suites running workers side by side would take it from each other (EADDRINUSE kills the worker).
 */
export function startAppProcess(kind: 'worker' | 'server', env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `src/${kind}.ts`], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', RATE_LIMITS: 'off', METRICS_PORT: '0', ...env },
  });
  let text = '';
  const keep = (chunk: Buffer) => (text = (text + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string | null>((r) => child.once('exit', (code, signal) => r(code ?? signal)));
  return {
    child,
    output: () => text,
    alive: () => child.exitCode === null && child.signalCode === null,
    exited,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

/** Polls `url` until `accept` says yes. */
export async function waitForHttp(
  url: string,
  accept: (status: number, body: unknown) => boolean,
  timeoutMs = 60_000,
  describe: () => string = () => '',
): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      const body: unknown = await response.json().catch(() => undefined);
      if (accept(response.status, body)) return body;
      last = `${response.status} ${JSON.stringify(body)}`;
    } catch (error) {
      last = String(error);
    }
    await sleep(250);
  }
  throw new Error(`${url}: condition not met in time (last: ${last})\n${describe()}`);
}
