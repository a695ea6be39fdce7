/**
 * OpenAPI paths of invoices and payments (issue 13): staff's invoice (lines, outside payments,
 * refunds, void / write-off, PDF), from the schemas the routes validate with.
 */
import type { OpenAPIRegistry, ResponseConfig, ZodRequestBody } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { extraLineSchema } from '../billing/invoice';
import { recordPaymentBody, refundBody, statusBody } from './routes/invoices';

export function registerPaymentPaths(
  registry: OpenAPIRegistry,
  common: {
    secured: Array<Record<string, string[]>>;
    errors: Record<number, ResponseConfig>;
    json: (schema: z.ZodType) => ZodRequestBody;
  },
): void {
  const { secured, errors, json } = common;
  const tags = ['Invoices'];
  const id = z.object({ id: z.uuid() });
  const invoice = {
    description: 'The invoice with its lines, payments, refunds and balance',
    ...json(z.object({ invoice: z.object({}).loose() })),
  };
  registry.registerPath({
    method: 'get',
    path: '/api/appointments/{id}/invoice',
    tags,
    security: secured,
    summary: "The appointment's invoice (404 until there is one)",
    request: { params: id },
    responses: { 200: invoice, ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/appointments/{id}/invoice/lines',
    tags,
    security: secured,
    summary: 'Add a part, extra time, a fee, a discount or another line before charging (a draft before delivery)',
    request: { params: id, body: json(extraLineSchema) },
    responses: { 201: invoice, ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/invoices/{id}',
    tags,
    security: secured,
    summary: 'An invoice with its lines, payments, refunds and balance',
    request: { params: id },
    responses: { 200: invoice, ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/invoices/{id}/pdf',
    tags,
    security: secured,
    summary: 'The invoice (a receipt once paid) as a PDF download',
    request: { params: id },
    responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string() } } }, ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/invoices/{id}/payments',
    tags,
    security: secured,
    summary: 'Record a payment taken outside Stripe (cash, cheque, bank transfer, other) with who and when',
    request: { params: id, body: json(recordPaymentBody) },
    responses: { 201: invoice, 200: invoice, ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/invoices/{id}/refunds',
    tags,
    security: secured,
    summary: 'Refund card payments, fully or partly, through the gateway (idempotent by idempotencyKey)',
    request: { params: id, body: json(refundBody) },
    responses: {
      201: invoice,
      503: {
        description: 'The provider could not be reached; send the same request again',
        ...json(z.object({}).loose()),
      },
      ...errors,
    },
  });
  for (const to of ['void', 'uncollectible'] as const) {
    registry.registerPath({
      method: 'post',
      path: `/api/invoices/{id}/${to}`,
      tags,
      security: secured,
      summary: to === 'void' ? 'Void an invoice with nothing paid' : 'Write an open invoice off as uncollectible',
      request: { params: id, body: json(statusBody) },
      responses: { 200: invoice, ...errors },
    });
  }
}
