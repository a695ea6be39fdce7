/** What the processes log when PostgreSQL drops a connection (the pool replaces it on the next use). */
import type { Logger } from '../logger';
import type { PoolEvents } from './pg-pool';

export function databaseEvents(logger: Pick<Logger, 'warn'>): PoolEvents {
  return {
    onConnectionError: (error) =>
      logger.warn({ err: error }, 'database connection lost; the pool reconnects on the next query'),
  };
}
