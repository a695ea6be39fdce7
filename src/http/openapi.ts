/**
 * The OpenAPI 3.1 document, served at /api/openapi.json: every operation from the same zod schemas the
 * routes validate with (src/http/api-docs.ts adds the responses and security every operation of its
 * kind has). A new route adds its `ApiOperation` to one of the lists below (or a new list next to its
 * router); test/integration/openapi.test.ts fails when a route is missing or the document is invalid.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { type ApiOperation, registerOperations, registerSecuritySchemes } from './api-docs';
import { customerPageOperations } from './openapi-customer';
import { feedbackOperations } from './openapi-feedback';
import { outboundOperations } from './openapi-outbound';
import { paymentOperations } from './openapi-payments';
import { portalOperations } from './openapi-portal';
import { publicOperations } from './openapi-public';
import { staffOperations } from './openapi-staff';
import { staffAppOperations } from './openapi-staff-app';
import { webhookOperations } from './openapi-webhooks';
import { schedulingOperations } from './openapi-scheduling';

/** Every documented operation. */
export function apiOperations(): ApiOperation[] {
  return [
    ...publicOperations,
    ...customerPageOperations,
    ...feedbackOperations,
    ...staffOperations,
    ...staffAppOperations,
    ...outboundOperations,
    ...webhookOperations,
    ...schedulingOperations,
    ...paymentOperations,
    ...portalOperations,
    {
      method: 'get',
      path: '/api/openapi.json',
      access: 'public',
      summary: 'This document',
      responses: { 200: 'The OpenAPI 3.1 document' },
    },
    {
      method: 'get',
      path: '/healthz',
      access: 'public',
      summary: 'Liveness: answers while the process runs',
      responses: { 200: 'ok' },
    },
    {
      method: 'get',
      path: '/readyz',
      access: 'public',
      summary: 'Readiness: the database and Temporal both answer',
      responses: { 200: 'Ready', 503: 'Not ready, with the check that failed' },
    },
    {
      method: 'get',
      path: '/metrics',
      access: 'public',
      summary: 'Prometheus metrics (text format): HTTP, lifecycle and delivery counters, task and stage gauges',
      description:
        'With METRICS_TOKEN set, send it as `Authorization: Bearer <token>`. In `npm start` the worker and the Temporal SDK series (`temporal_…`) are included. See docs/architecture.md, Operations.',
      responses: {
        200: {
          description: 'The series in the Prometheus text exposition format 0.0.4',
          content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: z.string() } },
        },
        401: {
          description: 'METRICS_TOKEN is set and the bearer token is missing or wrong',
          content: { 'text/plain': { schema: z.string() } },
        },
      },
    },
  ];
}

export function openApiDocument(): object {
  const registry = new OpenAPIRegistry();
  const schemes = registerSecuritySchemes(registry);
  registerOperations(registry, schemes, apiOperations());
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'appointflow API',
      version: '0.1.0',
      description: 'Booking, manage links and the appointment lifecycle.',
    },
  });
}
