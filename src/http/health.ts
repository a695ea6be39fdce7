/**
 * Liveness and readiness. `/healthz` answers while the process runs; `/readyz` answers 200 only when
 * the database and Temporal both answer, and says which one is down otherwise (503, `down: ['database']`),
 * for as long as the outage lasts: both probes are bounded (2 s) and the next request asks again.
 */
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { AppDatabase } from '../db/database';
import { checkTemporal } from '../temporal/connection';

async function probe(check: () => Promise<void>): Promise<{ status: 'up' | 'down'; error?: string }> {
  try {
    await check();
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  }
}

export function healthRouter(deps: { database: AppDatabase; temporal: Client }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, temporal] = await Promise.all([
      probe(() => deps.database.ping()),
      probe(() => checkTemporal(deps.temporal)),
    ]);
    const ready = database.status === 'up' && temporal.status === 'up';
    const down = [
      ...(database.status === 'down' ? ['database'] : []),
      ...(temporal.status === 'down' ? ['temporal'] : []),
    ];
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      ...(ready ? {} : { message: `Unavailable: ${down.join(' and ')}.`, down }),
      checks: { database: { ...database, kind: deps.database.kind }, temporal },
    });
  });
  return router;
}
