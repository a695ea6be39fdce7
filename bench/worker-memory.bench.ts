/**
 * Worker memory per sleeping workflow, without a database: appointflow's workflow bundle with the
 * in-memory activities of the workflow tests, and the bare sleeper, each in a worker process of its
 * own on one dev server. Prints RSS and V8 heap at 0 and at each `--workflows` count, with every
 * workflow cached (`--cache`, default: all of them) — the cost of a cached workflow — and the bare
 * ratio. `npm run bench -- worker-memory --workflows=1000,5000` measures the sizes;
 * `--cache=2000` shows the same run with the configured cache (evicted workflows cost nothing until
 * they wake).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { resolveDevServer } from '../temporal/binaries';
import { ALL_SEARCH_ATTRIBUTES } from '../temporal/search-attributes';
import { snapshotAt } from '../test/support/fake-activities';
import { pool, round, until, WorkerProcess } from './engine.bench';
import type { BenchResult } from './run';

const log = (message: string) => process.stderr.write(`[worker-memory] ${message}\n`);

export async function run(argv: string[] = process.argv.slice(2)): Promise<BenchResult> {
  const flag = (name: string, fallback: string) =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
  const sizes = flag('workflows', '300,1000').split(',').map(Number);
  const cache = flag('cache', String(Math.max(...sizes) + 10));
  const executable = await resolveDevServer(process.env, log);
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable, searchAttributes: [...ALL_SEARCH_ATTRIBUTES], log: { format: 'pretty', level: 'error' } },
  });
  const dir = mkdtempSync(join(tmpdir(), 'appointflow-memory-'));
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => log(m), log() {} };
  const appBundle = join(dir, 'workflow-bundle.js');
  const bareBundle = join(dir, 'bare-bundle.js');
  const appCode = (await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quiet })).code;
  writeFileSync(appBundle, appCode);
  writeFileSync(
    bareBundle,
    (await bundleWorkflowCode({ workflowsPath: require.resolve('./engine/bare-workflows'), logger: quiet })).code,
  );
  const base = {
    TEMPORAL_ADDRESS: env.address,
    LOG_LEVEL: 'warn',
    WORKER_MAX_CACHED_WORKFLOWS: cache,
    BENCH_APP_BUNDLE: appBundle,
    BENCH_BARE_BUNDLE: bareBundle,
  };
  const client = new Client({ connection: env.connection });
  const figures: Record<string, number | string> = {
    'workflow bundle KiB': Math.round(appCode.length / 1024),
    'worker cache (maxCachedWorkflows)': cache,
  };
  const workers: WorkerProcess[] = [];
  try {
    const app = await WorkerProcess.start('fake', { ...base, TEMPORAL_TASK_QUEUE: 'memory-app' });
    const bare = await WorkerProcess.start('bare', { ...base, TEMPORAL_TASK_QUEUE: 'memory-bare' });
    workers.push(app, bare);
    const measure = async (label: string) => {
      const [a, b] = [await app.memory(), await bare.memory()];
      figures[`${label}: RSS MiB app / bare`] = `${a.rss} / ${b.rss}`;
      figures[`${label}: heap MiB app / bare`] = `${a.heap} / ${b.heap}`;
      return { app: a, bare: b };
    };
    const zero = await measure('0 sleeping');
    let started = 0;
    const startsAt = Date.now() + 60 * 24 * 3600_000;
    for (const size of sizes) {
      const more = size - started;
      await pool(more, 16, async (i) => {
        const n = started + i;
        await client.workflow.start('appointmentWorkflow', {
          taskQueue: 'memory-app',
          workflowId: `memory-app-${n}-${Date.now()}`,
          args: [
            {
              appointment: snapshotAt(startsAt + n * 60_000, { appointmentId: `m${n}` }),
              bookedBy: { actor: { kind: 'system', name: 'bench' }, channel: 'api' },
            },
          ],
        });
        await client.workflow.start('bareSleeper', {
          taskQueue: 'memory-bare',
          workflowId: `memory-bare-${n}-${Date.now()}`,
          args: [startsAt],
        });
      });
      started = size;
      await until(`${size} bare sleepers`, async () => (await bare.firstTasks()) >= size, 1_800_000);
      // The appointment workflows are asleep once their first tasks and activities are done.
      await until(
        `${size} appointment workflows asleep`,
        async () => {
          const open = await client.workflowService.describeTaskQueue({
            namespace: 'default',
            taskQueue: { name: 'memory-app' },
            reportStats: true,
          });
          const backlog = open.stats?.approximateBacklogCount;
          return Number(backlog ?? 0) === 0;
        },
        1_200_000,
      );
      await new Promise((r) => setTimeout(r, 3000));
      const at = await measure(`${size} sleeping`);
      figures[`${size} sleeping: KiB per workflow app / bare`] =
        `${round(((at.app.rss - zero.app.rss) * 1024) / size, 0)} / ${round(((at.bare.rss - zero.bare.rss) * 1024) / size, 0)}`;
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop().catch(() => undefined)));
    await env.teardown();
  }
  return { name: 'worker memory: cached appointflow workflows vs bare sleepers (in-memory activities)', figures };
}
