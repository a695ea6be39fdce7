/**
 * OpenAPI operations of the outbound API (webhook subscriptions, delivery log and replay, events,
 * platform configuration), from the schemas its routes validate with.
 */
import { z } from 'zod';
import { type ApiOperation, noContent } from './api-docs';
import {
  createSubscriptionBody,
  deliveryQuery,
  eventsQuery,
  integrationBody,
  platformParams,
  updateSubscriptionBody,
} from './routes/outbound';

const id = z.object({ id: z.uuid() });
const tags = ['Outbound webhooks and integrations'];

const operations: Array<Omit<ApiOperation, 'access' | 'tags'>> = [
  {
    method: 'post',
    path: '/api/webhooks',
    summary: 'Register a webhook subscriber; the signing secret is in this answer only (see docs/webhooks.md)',
    body: createSubscriptionBody,
    responses: { 201: 'Subscription and its secret' },
  },
  { method: 'get', path: '/api/webhooks', summary: 'Webhook subscriptions', responses: { 200: 'Subscriptions' } },
  { method: 'get', path: '/api/webhooks/{id}', params: id, responses: { 200: 'Subscription' } },
  {
    method: 'patch',
    path: '/api/webhooks/{id}',
    summary: 'Change the URL, event filter, description or active flag',
    params: id,
    body: updateSubscriptionBody,
    responses: { 200: 'Subscription' },
  },
  {
    method: 'delete',
    path: '/api/webhooks/{id}',
    summary: 'Delete a subscription (its delivery log stays)',
    params: id,
    responses: { 204: noContent('Deleted') },
  },
  {
    method: 'get',
    path: '/api/webhooks/{id}/deliveries',
    summary: "A subscription's deliveries with every attempt",
    params: id,
    query: deliveryQuery,
    responses: { 200: 'Deliveries' },
  },
  {
    method: 'get',
    path: '/api/deliveries',
    summary: 'All deliveries (webhooks and platform sync) with every attempt',
    query: deliveryQuery,
    responses: { 200: 'Deliveries' },
  },
  { method: 'get', path: '/api/deliveries/{id}', params: id, responses: { 200: 'Delivery' } },
  {
    method: 'post',
    path: '/api/deliveries/{id}/replay',
    summary: 'Deliver the same event to the same target again, as a new delivery',
    params: id,
    responses: { 202: 'The new delivery' },
  },
  {
    method: 'get',
    path: '/api/events',
    summary: 'Recorded domain events, newest first',
    query: eventsQuery,
    responses: { 200: 'Events' },
  },
  {
    method: 'get',
    path: '/api/integrations/outbound',
    summary: 'Outbound platform configuration',
    responses: { 200: 'Integrations' },
  },
  {
    method: 'put',
    path: '/api/integrations/{platform}/outbound',
    summary: 'Configure an outbound platform (token, base URL, settings)',
    params: platformParams,
    body: integrationBody,
    responses: { 200: 'Integration' },
  },
  {
    method: 'delete',
    path: '/api/integrations/{platform}/outbound',
    summary: 'Stop syncing to a platform',
    params: platformParams,
    responses: { 204: noContent('Stopped') },
  },
];

export const outboundOperations: ApiOperation[] = operations.map((op) => ({ ...op, access: 'staff', tags }));
