/**
 * One worker of the engine bench in a process of its own, so its RSS is its own: `bare` runs
 * bare-workflows.ts, `app` runs appointflow's worker exactly as `npm run start:worker` builds it
 * (configuration from the environment), `fake` runs appointflow's workflow bundle with the in-memory
 * activities of the workflow tests (what the cached workflows themselves cost, without a database). It reports its RSS (after a GC) and, for `bare`, how many
 * workflows ran their first task, when the parent asks over IPC.
 */
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import { createWorker, workerTuning } from '../../src/worker';
import { fakeWorld, snapshotAt } from '../../test/support/fake-activities';

type Ask = { type: 'rss' } | { type: 'firstTasks' } | { type: 'stop' };

async function main(): Promise<void> {
  const kind = process.argv[2];
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('ERROR') });
  const config = loadConfig();
  const connection = await NativeConnection.connect({ address: config.temporal.address! });
  let firstTasks = 0;
  let close = async () => {};
  let worker: Worker;
  if (kind === 'fake') {
    // appointflow's workflow bundle with in-memory activities: what cached workflows themselves cost.
    worker = await Worker.create({
      connection,
      taskQueue: config.temporal.taskQueue,
      workflowBundle: { codePath: process.env.BENCH_APP_BUNDLE! },
      activities: fakeWorld(snapshotAt(Date.now() + 90 * 24 * 3600_000)).activities,
      ...workerTuning(config),
    });
  } else if (kind === 'bare') {
    worker = await Worker.create({
      connection,
      taskQueue: config.temporal.taskQueue,
      workflowBundle: { codePath: process.env.BENCH_BARE_BUNDLE! },
      sinks: { bench: { firstTask: { fn: () => void (firstTasks += 1), callDuringReplay: false } } },
      ...workerTuning(config),
    });
  } else {
    const database = await openDatabase(config.database);
    close = () => database.close();
    worker = await createWorker({ config, connection, database, logger: createLogger(config, 'bench-worker') });
  }
  const running = worker.run();
  process.on('message', (ask: Ask) => {
    if (ask.type === 'rss') {
      (globalThis as { gc?: () => void }).gc?.();
      process.send!({ type: 'rss', rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed });
    } else if (ask.type === 'firstTasks') {
      process.send!({ type: 'firstTasks', count: firstTasks });
    } else {
      worker.shutdown();
    }
  });
  process.send!({ type: 'ready' });
  await running;
  await close();
  await connection.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
