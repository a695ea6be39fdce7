/**
 * `GET /metrics` in Prometheus text format: this process's registry (HTTP, business counters, process
 * metrics, and — given the database — the task and stage gauges), followed by the Temporal SDK's own
 * metrics when its exporter is installed. With `METRICS_TOKEN` set it asks for that bearer token.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { refreshDatabaseGauges } from './database-gauges';
import { registry } from './registry';
import { scrapeTemporalCore } from './temporal-runtime';

export interface MetricsSource {
  /** The API process reads the task and stage gauges from it; the standalone worker has none. */
  db?: Kysely<Database> | undefined;
  token?: string | undefined;
  /** How long database gauges are reused (default 15 s). */
  dbCacheMs?: number;
}

function authorised(header: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function renderMetrics(source: MetricsSource): Promise<string> {
  if (source.db) await refreshDatabaseGauges(source.db, Date.now(), source.dbCacheMs);
  const [own, core] = await Promise.all([registry.metrics(), scrapeTemporalCore()]);
  return core ? `${own}\n${core}` : own;
}

/** A plain Node handler, usable from Express and from the worker's own listener. */
export function metricsHandler(source: MetricsSource) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!authorised(req.headers.authorization, source.token)) {
      res
        .writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' })
        .end('metrics: bearer token required\n');
      return;
    }
    renderMetrics(source).then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(text);
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics: ${(error as Error).message}\n`);
      },
    );
  };
}
