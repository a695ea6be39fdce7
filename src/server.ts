/**
 * The HTTP server process: API, webhooks, admin app and customer pages. `npm start` runs it in-process
 * next to the worker; in production it runs on its own (`node dist/src/server.js`), as many replicas
 * as needed.
 */
import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import { startReconciler } from './booking/reconciler';
import { type Config, ConfigError, loadConfig } from './config';
import { openDatabase } from './db/database';
import { createApp } from './http/app';
import { createLogger } from './logger';
import { lazyClient, targetFromConfig } from './temporal/connection';
import { databaseEvents } from './db/events';
import { startEventDispatcher } from './outbound/dispatcher';
import { ensureRetentionScheduleLogged } from './retention/schedule';
import { ensureUnbookedDepositScheduleLogged } from './payments/unbooked-deposit-schedule';
import { startTracing } from './tracing';

export function listen(app: Express, config: Config): Promise<Server> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer(app);
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => {
      server.off('error', reject);
      resolvePromise(server);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolvePromise) => {
    server.close(() => resolvePromise());
    server.closeIdleConnections();
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'appointflow-api');
  const stopTracing = startTracing(config, { serviceName: `${config.ops.tracing?.serviceName ?? 'appointflow'}-api` });
  const database = await openDatabase(config.database, { events: databaseEvents(logger) });
  const temporal = lazyClient(targetFromConfig(config, config.temporal.address ?? 'localhost:7233'));
  const reconciler = startReconciler({ db: database.db, temporal, config }, logger);
  const dispatcher = startEventDispatcher({ db: database.db, temporal, config }, logger);
  // In the background: start-up does not wait on it, and a failure is only logged.
  void ensureRetentionScheduleLogged({ client: temporal, config, db: database.db }, logger);
  void ensureUnbookedDepositScheduleLogged({ client: temporal, config }, logger);
  const server = await listen(createApp({ config, database, temporal, logger }), config);
  logger.info({ url: config.http.publicBaseUrl }, 'HTTP server listening');
  const stop = async () => {
    await closeServer(server);
    await reconciler.stop();
    await dispatcher.stop();
    await temporal.connection.close();
    await database.close();
    await stopTracing?.();
  };
  const onSignal = () => {
    stop().catch((error: unknown) => logger.error({ err: error }, 'shutdown failed'));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  });
}
