/**
 * The HTTP server span of each request: started when the request arrives (a `traceparent` header from
 * the caller continues its trace), made current for everything the handlers do, named after the route
 * pattern (`POST /api/bookings`) and closed with the status when the response finishes.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { routeOf } from '../metrics/http';
import { tracingEnabled } from './index';

export function httpTracing() {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!tracingEnabled()) {
      next();
      return;
    }
    const parent = propagation.extract(context.active(), req.headers);
    const span = trace
      .getTracer('appointflow')
      .startSpan(`${req.method}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent);
    res.once('finish', () => {
      const route = routeOf(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
