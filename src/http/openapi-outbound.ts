/**
 * OpenAPI paths of the outbound API (webhook subscriptions, delivery log and replay, events, platform
 * configuration), from the schemas its routes validate with.
 */
import type { OpenAPIRegistry, ResponseConfig, RouteConfig, ZodRequestBody } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  createSubscriptionBody,
  deliveryQuery,
  integrationBody,
  platformParams,
  updateSubscriptionBody,
} from './routes/outbound';

export function registerOutboundPaths(
  registry: OpenAPIRegistry,
  common: {
    secured: Array<Record<string, string[]>>;
    errors: Record<number, ResponseConfig>;
    ok: (description: string) => Record<number, ResponseConfig>;
    json: (schema: z.ZodType) => ZodRequestBody;
  },
): void {
  const { secured, errors, ok, json } = common;
  const id = z.object({ id: z.uuid() });
  const noContent = { 204: { description: 'Done' } };
  const tag = ['Outbound webhooks and integrations'];
  const paths: Array<Omit<RouteConfig, 'security' | 'tags'>> = [
    {
      method: 'post',
      path: '/api/webhooks',
      summary: 'Register a webhook subscriber; the signing secret is in this answer only (see docs/webhooks.md)',
      request: { body: json(createSubscriptionBody) },
      responses: { 201: { description: 'Subscription and its secret' }, ...errors },
    },
    { method: 'get', path: '/api/webhooks', summary: 'Webhook subscriptions', responses: ok('Subscriptions') },
    {
      method: 'get',
      path: '/api/webhooks/{id}',
      request: { params: id },
      responses: { ...ok('Subscription'), ...errors },
    },
    {
      method: 'patch',
      path: '/api/webhooks/{id}',
      summary: 'Change the URL, event filter, description or active flag',
      request: { params: id, body: json(updateSubscriptionBody) },
      responses: { ...ok('Subscription'), ...errors },
    },
    {
      method: 'delete',
      path: '/api/webhooks/{id}',
      summary: 'Delete a subscription (its delivery log stays)',
      request: { params: id },
      responses: { ...noContent, ...errors },
    },
    {
      method: 'get',
      path: '/api/webhooks/{id}/deliveries',
      summary: "A subscription's deliveries with every attempt",
      request: { params: id, query: deliveryQuery },
      responses: { ...ok('Deliveries'), ...errors },
    },
    {
      method: 'get',
      path: '/api/deliveries',
      summary: 'All deliveries (webhooks and platform sync) with every attempt',
      request: { query: deliveryQuery },
      responses: { ...ok('Deliveries'), ...errors },
    },
    {
      method: 'get',
      path: '/api/deliveries/{id}',
      request: { params: id },
      responses: { ...ok('Delivery'), ...errors },
    },
    {
      method: 'post',
      path: '/api/deliveries/{id}/replay',
      summary: 'Deliver the same event to the same target again, as a new delivery',
      request: { params: id },
      responses: { 202: { description: 'The new delivery' }, ...errors },
    },
    { method: 'get', path: '/api/events', summary: 'Recorded domain events, newest first', responses: ok('Events') },
    {
      method: 'get',
      path: '/api/integrations/outbound',
      summary: 'Outbound platform configuration',
      responses: ok('Integrations'),
    },
    {
      method: 'put',
      path: '/api/integrations/{platform}/outbound',
      summary: 'Configure an outbound platform (token, base URL, settings)',
      request: { params: platformParams, body: json(integrationBody) },
      responses: { ...ok('Integration'), ...errors },
    },
    {
      method: 'delete',
      path: '/api/integrations/{platform}/outbound',
      summary: 'Stop syncing to a platform',
      request: { params: platformParams },
      responses: noContent,
    },
  ];
  for (const path of paths) registry.registerPath({ ...path, security: secured, tags: tag });
}
