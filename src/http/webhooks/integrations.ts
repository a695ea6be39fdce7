/**
 * `POST /webhooks/integrations/:platform` (and GET for platforms that handshake that way): inbound
 * webhooks of calendars, CRMs, helpdesks and scheduling tools, verified on the raw body by the
 * platform's adapter (src/integrations/inbound) and turned into workflow updates. Mounted before the
 * JSON parser so the body arrives as bytes.
 */
import express, { Router, type Request, type Response } from 'express';
import { receiveInbound } from '../../integrations/inbound/receive';
import type { InboundRequest } from '../../integrations/inbound/types';
import type { AppDeps } from '../app';

function toInbound(req: Request, publicBaseUrl: string): InboundRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const query: Record<string, string | undefined> = {};
  for (const [name, value] of new URL(req.originalUrl, 'http://x').searchParams) query[name] = value;
  return {
    method: req.method,
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    headers,
    originalUrl: req.originalUrl,
    url: `${publicBaseUrl}${req.originalUrl}`,
    query,
  };
}

export function integrationWebhooksRouter(deps: AppDeps): Router {
  const router = Router();
  const handle = async (req: Request, res: Response) => {
    const answer = await receiveInbound(
      { db: deps.database.db, temporal: deps.temporal, config: deps.config },
      String(req.params.platform),
      toInbound(req, deps.config.http.publicBaseUrl),
    );
    res.status(answer.status);
    if (answer.contentType) res.type(answer.contentType);
    res.send(answer.body);
  };
  const raw = express.raw({ type: () => true, limit: '1mb' });
  router.post('/webhooks/integrations/:platform', raw, handle);
  router.get('/webhooks/integrations/:platform', handle);
  return router;
}
