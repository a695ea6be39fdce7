/**
 * The process's one Prometheus registry. The HTTP server and the worker record into it; in `npm start`'s
 * single process one `/metrics` serves both. Process metrics (CPU, memory, event-loop lag, GC) come
 * from prom-client's defaults, under the same `appointflow_` prefix.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'appointflow_' });
