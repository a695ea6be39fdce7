/**
 * OpenAPI paths of invoices and payments (issue 13): staff's invoice (lines, outside payments,
 * refunds, void / write-off, PDF), from the schemas the routes validate with.
 */
import type { OpenAPIRegistry, ResponseConfig, ZodRequestBody } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { extraLineSchema } from '../billing/invoice';
import { recordPaymentBody, refundBody, statusBody } from './routes/invoices';
import { bookingSetupBody, simulatedConfirmBody } from './routes/payments';

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
  const pay = ['Payments (customer pages)'];
  const token = z.object({ token: z.string() });
  const loose = (description: string) => ({ description, ...json(z.object({}).loose()) });
  registry.registerPath({
    method: 'get',
    path: '/api/payments/config',
    tags: pay,
    summary: 'The gateway (stripe or simulated), with the publishable key and the Stripe.js URL for Stripe',
    responses: { 200: loose('Payment configuration for the pages') },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/payments/setup-intents',
    tags: pay,
    summary: "A SetupIntent (usage off_session) for the booking page's card step, on the email's Stripe customer",
    request: { body: json(bookingSetupBody) },
    responses: { 201: loose('The SetupIntent id and client secret'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/payments/simulated/confirm',
    tags: pay,
    summary: 'Simulated payments only: confirm a SetupIntent or PaymentIntent with a Stripe test card',
    request: { body: json(simulatedConfirmBody) },
    responses: { 200: loose('Confirmed'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/manage/{token}/pay',
    tags: pay,
    summary: 'The invoice to pay on the pay page, with what is owed',
    request: { params: token },
    responses: { 200: loose('The invoice'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/manage/{token}/pay',
    tags: pay,
    summary: 'A PaymentIntent for what is owed (cards and wallets), one per invoice and amount',
    request: { params: token },
    responses: { 201: loose('The PaymentIntent id and client secret'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/manage/{token}/pay/complete',
    tags: pay,
    summary: 'Report a confirmed PaymentIntent: read back, credited once, the workflow woken',
    request: { params: token, body: json(z.object({ paymentIntentId: z.string() })) },
    responses: { 200: loose('Paid'), 202: loose('Still processing'), ...errors },
  });
}
