/**
 * Lighthouse (the `lighthouse` package, default mobile emulation and simulated throttling) on the
 * booking page `/book` and a manage page, with Debian's chromium (`CHROMIUM_PATH`, else `chromium` on
 * PATH). Starts the whole system the way `npm start` does (its own data directory and free ports, the
 * production web bundle), books one appointment through the public API for the manage link, and
 * prints the four category scores of each page. Measures; asserts nothing.
 * Run alone: `npm run bench -- lighthouse`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchResult } from './run';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

function chromium(): string {
  return process.env.CHROMIUM_PATH ?? execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
}

async function waitForReady(base: string, app: ChildProcess): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) throw new Error(`npm start exited with ${app.exitCode}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the system did not become ready in 5 minutes');
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A manage link: the first free slot of the first service, booked as a guest. */
async function manageLink(base: string): Promise<string> {
  const { services } = await json<{ services: Array<{ id: string }> }>(`${base}/api/services`);
  const serviceId = services[0]!.id;
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const { days } = await json<{ days: Array<{ slots: Array<{ startsAt: string; staffId: string }> }> }>(
    `${base}/api/services/${serviceId}/availability?from=${day(1)}&to=${day(14)}&timeZone=America/New_York`,
  );
  const slot = days.flatMap((d) => d.slots)[0]!;
  const booked = await json<{ manageUrl: string }>(`${base}/api/bookings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      serviceId,
      staffId: slot.staffId,
      startsAt: slot.startsAt,
      timeZone: 'America/New_York',
      customer: { name: 'Lighthouse Bench', email: 'lighthouse.bench@example.com' },
    }),
  });
  return new URL(booked.manageUrl).pathname;
}

type LighthouseFn = (
  url: string,
  flags: Record<string, unknown>,
) => Promise<
  | {
      lhr: {
        categories: Record<string, { score: number | null }>;
        audits: Record<string, { numericValue?: number }>;
      };
    }
  | undefined
>;

/** The timings behind the performance score (milliseconds; CLS unitless). */
const METRICS = {
  'first-contentful-paint': 'FCP ms',
  'largest-contentful-paint': 'LCP ms',
  'total-blocking-time': 'TBT ms',
  'speed-index': 'Speed Index ms',
  'cumulative-layout-shift': 'CLS',
} as const;

export async function run(): Promise<BenchResult> {
  const root = resolve(__dirname, '..');
  const dataDir = mkdtempSync(join(tmpdir(), 'appointflow-lighthouse-'));
  const [port, temporalPort, uiPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const base = `http://127.0.0.1:${port}`;
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-web.ts', '--quiet'], {
    cwd: root,
    stdio: 'inherit',
  });
  const app = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      PUBLIC_BASE_URL: base,
      DATA_DIR: dataDir,
      TEMPORAL_DEV_SERVER_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const load = new Function('s', 'return import(s)') as (s: string) => Promise<Record<string, unknown>>;
  const lighthouse = (await load('lighthouse')).default as LighthouseFn;
  const launcher = (await load('chrome-launcher')) as {
    launch(o: Record<string, unknown>): Promise<{ port: number; kill(): void }>;
  };
  let chrome: { port: number; kill(): void } | undefined;
  try {
    await waitForReady(base, app);
    const pages = { '/book': '/book', 'manage page': await manageLink(base) };
    chrome = await launcher.launch({
      chromePath: chromium(),
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    const figures: Record<string, number | string> = {};
    for (const [name, path] of Object.entries(pages)) {
      const result = await lighthouse(`${base}${path}`, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: [...CATEGORIES],
      });
      for (const category of CATEGORIES) {
        const score = result?.lhr.categories[category]?.score;
        figures[`${name}: ${category}`] = score === null || score === undefined ? 'n/a' : Math.round(score * 100);
      }
      // LIGHTHOUSE_REPORT_DIR=<dir>: keep each full report (JSON) for a closer look.
      if (process.env.LIGHTHOUSE_REPORT_DIR && result) {
        const file = join(process.env.LIGHTHOUSE_REPORT_DIR, `${name.replace(/\W+/g, '-')}.json`);
        writeFileSync(file, JSON.stringify(result.lhr, null, 1));
      }
      for (const [audit, label] of Object.entries(METRICS)) {
        const value = result?.lhr.audits[audit]?.numericValue;
        figures[`${name}: ${label}`] =
          value === undefined ? 'n/a' : audit === 'cumulative-layout-shift' ? value.toFixed(3) : Math.round(value);
      }
    }
    return { name: 'Lighthouse (mobile emulation, simulated throttling), scores out of 100', figures };
  } finally {
    chrome?.kill();
    app.kill('SIGINT');
    await new Promise((r) => app.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
