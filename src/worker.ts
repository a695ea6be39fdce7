/**
 * The Temporal worker: runs appointflow's workflows and activities on the task queue. `npm start` runs
 * it in-process; in production it runs on its own (`node dist/src/worker.js`) with a prebuilt
 * workflow bundle (WORKFLOW_BUNDLE_PATH, from `npm run build`), so replicas start fast and run exactly
 * the code that was reviewed.
 */
import { existsSync } from 'node:fs';
import { bundleWorkflowCode, type NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { type Config, ConfigError, loadConfig } from './config';
import { type AppDatabase, openDatabase } from './db/database';
import { createLogger, type Logger } from './logger';
import type { MessageProviders } from './messaging/providers';
import { messageProvidersFromConfig } from './messaging/from-config';
import { paymentGatewayFromConfig } from './payments/from-config';
import type { PaymentGateway } from './payments/gateway';
import { connectWorker, type TemporalTarget, targetFromConfig } from './temporal/connection';
import { type SupervisedWorker, superviseWorker } from './temporal/worker-supervisor';
import { databaseEvents } from './db/events';
import { installTemporalRuntime, startMetricsServer } from './metrics';
import { startTracing, tracingEnabled, workerTracingOptions } from './tracing';
import { tracedGateway, tracedProviders } from './tracing/providers';

export interface WorkerDeps {
  config: Config;
  connection: NativeConnection;
  database: AppDatabase;
  logger: Logger;
  /** Message providers; the local outbox when unset. */
  providers?: MessageProviders;
  /** Payment gateway; from configuration (Stripe or simulated) when unset. */
  payments?: PaymentGateway;
  /** The workflow code, when already bundled (a restarted worker reuses it); from config when unset. */
  workflows?: WorkflowSource;
}

export type WorkflowSource = { workflowBundle: { codePath: string } | { code: string } } | { workflowsPath: string };

export function workflowSource(config: Config): WorkflowSource {
  if (config.workflowBundlePath) return { workflowBundle: { codePath: bundleFor(config.workflowBundlePath) } };
  if (config.env === 'production') {
    throw new ConfigError('Invalid configuration: WORKFLOW_BUNDLE_PATH: required in production (run `npm run build`)');
  }
  return { workflowsPath: require.resolve('../workflows') };
}

/**
 * With tracing on, the bundle built with the tracing interceptors next to the configured one
 * (`workflow-bundle.traced.js`, written by `npm run build`) when it exists; otherwise the configured
 * bundle (activities and client calls are still traced, workflow spans are not).
 */
export function bundleFor(path: string): string {
  if (!tracingEnabled()) return path;
  const traced = path.replace(/\.js$/, '') + '.traced.js';
  return existsSync(traced) ? traced : path;
}

/**
 * The worker's cache and concurrency from configuration (docs/architecture.md, "Worker sizing"): how
 * many workflows stay cached (sticky) in memory, how many workflow tasks and activities run at once,
 * and how long the server waits for this worker's sticky queue before handing a task to any worker.
 */
export function workerTuning(config: Config) {
  const w = config.ops.worker;
  return {
    maxCachedWorkflows: w.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: w.maxConcurrentWorkflowTaskExecutions,
    maxConcurrentActivityTaskExecutions: w.maxConcurrentActivityTaskExecutions,
    stickyQueueScheduleToStartTimeout: w.stickyQueueScheduleToStartTimeoutMs,
  };
}

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  const activities = createActivities({
    db: deps.database.db,
    config: deps.config,
    logger: deps.logger.child({ component: 'activities' }),
    providers: tracedProviders(deps.providers ?? messageProvidersFromConfig(deps.config)),
    payments: tracedGateway(deps.payments ?? paymentGatewayFromConfig(deps.config)),
  });
  const source = deps.workflows ?? workflowSource(deps.config);
  return Worker.create({
    connection: deps.connection,
    namespace: deps.config.temporal.namespace,
    taskQueue: deps.config.temporal.taskQueue,
    activities,
    ...source,
    ...workerTuning(deps.config),
    // Tracing's workflow interceptors go into a bundle made here; a prebuilt bundle has them (or not).
    ...workerTracingOptions('workflowsPath' in source),
  });
}

/**
 * The worker under supervision (src/temporal/worker-supervisor.ts): a new connection and worker after
 * each failure, so a Temporal outage of any length pauses the work instead of ending the process. The
 * workflow code is bundled once (in development) and reused by every restart.
 */
export async function superviseWorkerFor(
  deps: Omit<WorkerDeps, 'connection' | 'workflows'> & { target: TemporalTarget },
): Promise<SupervisedWorker> {
  let workflows = workflowSource(deps.config);
  if ('workflowsPath' in workflows) {
    const { code } = await bundleWorkflowCode({
      workflowsPath: workflows.workflowsPath,
      workflowInterceptorModules: workerTracingOptions(true).interceptors?.workflowModules ?? [],
      logger: quietBundler,
    });
    workflows = { workflowBundle: { code } };
  }
  const source = workflows;
  return superviseWorker({
    logger: deps.logger.child({ component: 'worker' }),
    start: async () => {
      const connection = await connectWorker(deps.target);
      try {
        return { connection, worker: await createWorker({ ...deps, connection, workflows: source }) };
      } catch (error) {
        await connection.close();
        throw error;
      }
    },
  });
}

const quietBundler = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  log: () => undefined,
  warn: (message: string) => process.stderr.write(`[workflow bundle] ${message}\n`),
  error: (message: string) => process.stderr.write(`[workflow bundle] ${message}\n`),
};

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'appointflow-worker');
  await installTemporalRuntime(config, 'WARN');
  const stopTracing = startTracing(config, {
    serviceName: `${config.ops.tracing?.serviceName ?? 'appointflow'}-worker`,
  });
  const metrics = await startMetricsServer(config);
  const address = config.temporal.address ?? 'localhost:7233';
  const database = await openDatabase(config.database, { events: databaseEvents(logger) });
  const worker = await superviseWorkerFor({ config, database, logger, target: targetFromConfig(config, address) });
  const stop = () => {
    void worker.shutdown().then(async () => {
      metrics?.close();
      await stopTracing?.();
      await database.close();
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await worker.started;
  logger.info({ address, taskQueue: config.temporal.taskQueue }, 'worker running');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  });
}
