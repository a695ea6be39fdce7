/**
 * HTTP metrics, recorded by one middleware when each response finishes: request count and latency by
 * method, route pattern (`/api/appointments/:id/reschedule`, never the raw URL, so ids and tokens stay
 * out of the labels) and status; and inbound webhook deliveries (`/webhooks/...`) as verified (2xx),
 * refused (401/403: signature or secret did not check out) or rejected (another 4xx/5xx).
 */
import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram } from 'prom-client';
import { registry } from './registry';

const requests = new Counter({
  name: 'appointflow_http_requests_total',
  help: 'HTTP requests, by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'],
  registers: [registry],
});
const duration = new Histogram({
  name: 'appointflow_http_request_duration_seconds',
  help: 'HTTP request latency, by method and route pattern',
  labelNames: ['method', 'route'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});
const inbound = new Counter({
  name: 'appointflow_inbound_events_total',
  help: 'Inbound webhook deliveries, by source (stripe, twilio, sendgrid, or the integration platform) and outcome (verified, refused, rejected)',
  labelNames: ['source', 'outcome'],
  registers: [registry],
});

/** The route pattern that answered, e.g. `/api/appointments/:id`; `unmatched` when none did. */
export function routeOf(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (!route || route.path === undefined) return 'unmatched';
  const path = Array.isArray(route.path) ? route.path.map(String).join(',') : String(route.path);
  return `${req.baseUrl}${path}`;
}

/** `/webhooks/stripe` → stripe, `/webhooks/integrations/calendly` → calendly, `/webhooks/twilio/sms` → twilio. */
function inboundSource(req: Request, route: string): string | undefined {
  if (!route.startsWith('/webhooks/')) return undefined;
  const platform = (req.params as Record<string, unknown>).platform;
  if (route.startsWith('/webhooks/integrations/') && typeof platform === 'string' && /^[a-z_]{1,40}$/.test(platform)) {
    return platform;
  }
  return route.split('/')[2] ?? 'unknown';
}

function inboundOutcome(status: number): string {
  if (status < 300) return 'verified';
  if (status === 401 || status === 403) return 'refused';
  return 'rejected';
}

export function httpMetrics() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = routeOf(req);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      duration.observe({ method: req.method, route }, seconds);
      const source = inboundSource(req, route);
      if (source) inbound.inc({ source, outcome: inboundOutcome(res.statusCode) });
    });
    next();
  };
}
