/**
 * `npm start`: the whole system on embedded defaults, in one process tree.
 *   1. a Temporal dev server (unless TEMPORAL_ADDRESS points at a cluster), SQLite under DATA_DIR;
 *   2. the database (PostgreSQL if DATABASE_URL, else PGlite under DATA_DIR), migrated, demo data on
 *      first start;
 *   3. the worker and the HTTP server;
 * then prints where everything is. Ctrl-C (or SIGTERM) stops the HTTP server, drains the worker, closes
 * the database cleanly and stops the dev server, leaving no process behind.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import { createApiKey } from './auth/api-keys';
import { startReconciler } from './booking/reconciler';
import { ConfigError, loadConfig } from './config';
import { type AppDatabase, openDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';
import { seedDemoData } from './db/seed';
import { createApp } from './http/app';
import { createLogger } from './logger';
import { closeServer, listen } from './server';
import { buildWebBundle, webBundleBuilt } from './web/bundle';
import { connectClient, targetFromConfig } from './temporal/connection';
import { type DevServer, startDevServer } from './temporal/dev-server';
import { superviseWorkerFor } from './worker';
import { databaseEvents } from './db/events';
import { startEventDispatcher } from './outbound/dispatcher';
import { ensureRetentionScheduleLogged } from './retention/schedule';
import { ensureUnbookedDepositScheduleLogged } from './payments/unbooked-deposit-schedule';
import { paymentGatewayFromConfig } from './payments/from-config';
import { keyringOf } from './secrets/keys';
import { encryptStoredSecretsLogged } from './secrets/stored';
import { installTemporalRuntime } from './metrics';
import { startTracing } from './tracing';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  // This process owns shutdown; the Temporal runtime must not react to signals on its own.
  // Its own logs (workflow bundling, worker state) only from warnings up, unless debugging; its
  // metrics served through /metrics (src/metrics/temporal-runtime.ts).
  await installTemporalRuntime(config, config.logLevel === 'debug' || config.logLevel === 'trace' ? 'DEBUG' : 'WARN');
  mkdirSync(config.dataDir, { recursive: true });
  const stopTracing = startTracing(config);

  const cleanups: Array<{ name: string; run: () => Promise<void> }> = [];
  if (stopTracing) cleanups.push({ name: 'tracing', run: stopTracing });
  let stopping = false;
  const shutdown = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    for (const { name, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (error) {
        logger.warn({ err: error, step: name }, 'shutdown step failed');
      }
    }
    logger.info('stopped');
  };
  // Ctrl-C reaches this process both from the terminal and relayed by `npm`, so a repeat within two
  // seconds is the same keypress; a later one means "stop now".
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      if (Date.now() - firstSignalAt < 2000) return;
      logger.warn(`${signal} again: exiting immediately`);
      process.exit(130);
    }
    firstSignalAt = Date.now();
    void shutdown(signal).then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    let address = config.temporal.address;
    let devServer: DevServer | undefined;
    if (!address) {
      devServer = await startDevServer(config, logger);
      cleanups.push({ name: 'temporal dev server', run: () => devServer!.stop() });
      address = devServer.address;
    }
    const target = targetFromConfig(config, address);

    const database: AppDatabase = await openDatabase(config.database, { events: databaseEvents(logger) });
    cleanups.push({ name: 'database', run: () => database.close() });
    const applied = await migrateToLatest(database.db);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    await encryptStoredSecretsLogged(database.db, keyringOf(config.secrets), (level, fields, msg) =>
      logger[level](fields, msg),
    );
    const demoKeyFile = join(config.dataDir, 'demo-api-key.txt');
    if (config.seedDemoData && (await seedDemoData(database.db))) {
      logger.info('demo data seeded');
      // The embedded database belongs to this process, so `npm run api-key` cannot run beside it:
      // the first start leaves a key for the staff API here, readable only by this user.
      const { key } = await createApiKey(database.db, 'Demo (local)');
      writeFileSync(demoKeyFile, `${key}\n`, { mode: 0o600 });
    }

    const client: Client = await connectClient(target);
    cleanups.push({ name: 'temporal client', run: () => client.connection.close() });

    // Supervised: a failed worker (a long Temporal outage) is replaced with backoff, not fatal.
    // One gateway for the worker and the pages: the simulated one keeps its PaymentIntents in memory, and
    // the unbooked-deposit sweep reads back the deposits the booking page made.
    const payments = paymentGatewayFromConfig(config);
    const worker = await superviseWorkerFor({ config, database, logger, target, payments });
    cleanups.push({ name: 'worker', run: () => worker.shutdown() });
    await worker.started;

    const reconciler = startReconciler({ db: database.db, temporal: client, config }, logger);
    cleanups.push({ name: 'booking reconciler', run: () => reconciler.stop() });
    const dispatcher = startEventDispatcher({ db: database.db, temporal: client, config }, logger);
    cleanups.push({ name: 'event dispatcher', run: () => dispatcher.stop() });
    // In the background: start-up does not wait on it, and a failure is only logged.
    void ensureRetentionScheduleLogged({ client, config, db: database.db }, logger);
    void ensureUnbookedDepositScheduleLogged({ client, config }, logger);

    if (!webBundleBuilt()) {
      logger.info('building the web app (first start)');
      await buildWebBundle({ quiet: true });
    }
    const server: Server = await listen(createApp({ config, database, temporal: client, logger, payments }), config);
    cleanups.push({ name: 'http server', run: () => closeServer(server) });

    const lines = [
      '',
      'appointflow is running',
      `  App and API     ${config.http.publicBaseUrl}`,
      `  Readiness       ${config.http.publicBaseUrl}/readyz`,
      `  Temporal        ${address} (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`,
      ...(devServer ? [`  Temporal Web UI ${devServer.uiUrl}`] : []),
      `  Database        ${database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
      ...(existsSync(demoKeyFile)
        ? [`  Staff API key   in ${demoKeyFile} (send as "Authorization: Bearer <key>")`]
        : []),
      `  Admin app       ${config.http.publicBaseUrl}/admin (demo sign-in: see README)`,
      'Press Ctrl-C to stop.',
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } catch (error) {
    await shutdown('start-up failed');
    throw error;
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  }
  process.exit(1);
});
