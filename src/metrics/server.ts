/**
 * The standalone worker's metrics listener (`METRICS_PORT`, default 9464): `GET /metrics` only. The
 * API process serves `/metrics` on its own port instead, so `npm start` needs no second listener.
 */
import { createServer, type Server } from 'node:http';
import type { Config } from '../config';
import { metricsHandler } from './endpoint';

export async function startMetricsServer(config: Config): Promise<Server | undefined> {
  if (config.ops.metricsPort === 0) return undefined;
  const handle = metricsHandler({ token: config.ops.metricsToken });
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') handle(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(config.ops.metricsPort, config.http.host, () => resolveListen());
  });
  return server;
}
