/**
 * The local Temporal dev server that `npm start` runs when TEMPORAL_ADDRESS is not set: the `temporal`
 * CLI resolved by temporal/binaries.ts, persisting to a SQLite file under DATA_DIR, Web UI on
 * TEMPORAL_UI_PORT, namespace from config, and appointflow's search attributes registered at start.
 * The SDK's ephemeral-server support owns the child process and stops it on shutdown.
 */
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Config } from '../config';
import { describeDevServer, resolveDevServer } from '../../temporal/binaries';
import { ALL_SEARCH_ATTRIBUTES } from '../../temporal/search-attributes';
import type { Logger } from '../logger';

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

export async function startDevServer(config: Config, logger: Logger): Promise<DevServer> {
  const executable = await resolveDevServer(process.env, (message) => logger.info(message));
  const dbFilename = join(config.dataDir, 'temporal.sqlite');
  logger.info({ executable: describeDevServer(executable), dbFilename }, 'starting the Temporal dev server');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable,
      ip: '127.0.0.1',
      port: config.temporal.devServerPort,
      ui: true,
      uiPort: config.temporal.uiPort,
      dbFilename,
      namespace: config.temporal.namespace,
      searchAttributes: [...ALL_SEARCH_ATTRIBUTES],
      log: { format: 'pretty', level: 'error' },
    },
  });
  return {
    address: env.address,
    uiUrl: config.temporal.uiUrl,
    stop: () => env.teardown(),
  };
}
