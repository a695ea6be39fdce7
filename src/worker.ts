/**
 * The Temporal worker: runs appointflow's workflows and activities on the task queue. `npm start` runs
 * it in-process; in production it runs on its own (`node dist/src/worker.js`) with a prebuilt
 * workflow bundle (WORKFLOW_BUNDLE_PATH, from `npm run build`), so replicas start fast and run exactly
 * the code that was reviewed.
 */
import { type NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { type Config, ConfigError, loadConfig } from './config';
import { type AppDatabase, openDatabase } from './db/database';
import { createLogger, type Logger } from './logger';
import type { MessageProviders } from './messaging/providers';
import { messageProvidersFromConfig } from './messaging/from-config';
import { paymentGatewayFromConfig } from './payments/from-config';
import type { PaymentGateway } from './payments/gateway';
import { connectWorker, targetFromConfig } from './temporal/connection';
import { installTemporalRuntime, startMetricsServer } from './metrics';

export interface WorkerDeps {
  config: Config;
  connection: NativeConnection;
  database: AppDatabase;
  logger: Logger;
  /** Message providers; the local outbox when unset. */
  providers?: MessageProviders;
  /** Payment gateway; from configuration (Stripe or simulated) when unset. */
  payments?: PaymentGateway;
}

export function workflowSource(config: Config): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  if (config.workflowBundlePath) return { workflowBundle: { codePath: config.workflowBundlePath } };
  if (config.env === 'production') {
    throw new ConfigError('Invalid configuration: WORKFLOW_BUNDLE_PATH: required in production (run `npm run build`)');
  }
  return { workflowsPath: require.resolve('../workflows') };
}

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  const activities = createActivities({
    db: deps.database.db,
    config: deps.config,
    logger: deps.logger.child({ component: 'activities' }),
    providers: deps.providers ?? messageProvidersFromConfig(deps.config),
    payments: deps.payments ?? paymentGatewayFromConfig(deps.config),
  });
  return Worker.create({
    connection: deps.connection,
    namespace: deps.config.temporal.namespace,
    taskQueue: deps.config.temporal.taskQueue,
    activities,
    ...workflowSource(deps.config),
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'appointflow-worker');
  await installTemporalRuntime(config, 'WARN');
  const metrics = await startMetricsServer(config);
  const address = config.temporal.address ?? 'localhost:7233';
  const connection = await connectWorker(targetFromConfig(config, address));
  const database = await openDatabase(config.database);
  const worker = await createWorker({ config, connection, database, logger });
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  logger.info({ address, taskQueue: config.temporal.taskQueue }, 'worker running');
  await worker.run();
  metrics?.close();
  await connection.close();
  await database.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  });
}
