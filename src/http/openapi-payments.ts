/**
 * OpenAPI operations of invoices and payments (issue 13): staff's invoice (lines, outside payments,
 * refunds, void / write-off, PDF), the customer pages' card and pay steps — from the schemas the
 * routes validate with.
 */
import { z } from 'zod';
import type { ApiOperation } from './api-docs';
import { extraLineSchema } from '../billing/extra-lines';
import { recordPaymentBody, refundBody, statusBody } from './routes/invoices';
import { tokenParams } from './routes/manage';
import { bookingSetupBody, depositIntentBody, simulatedConfirmBody } from './routes/payments';
import { completeBody } from './routes/manage-pay';

const id = z.object({ id: z.uuid() });
const invoice = 'The invoice with its lines, payments (who, when, how), refunds and balance';
const tags = ['Invoices'];
const pay = ['Payments (customer pages)'];

export const paymentOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/appointments/{id}/invoice',
    access: 'staff',
    tags,
    summary: "The appointment's invoice (404 until there is one)",
    params: id,
    responses: { 200: invoice },
  },
  {
    method: 'post',
    path: '/api/appointments/{id}/invoice/lines',
    access: 'staff',
    tags,
    summary: 'Add a part, extra time, a fee, a discount or another line before charging (a draft before delivery)',
    params: id,
    body: extraLineSchema,
    responses: {
      201: invoice,
      409: 'The invoice is paid, void or uncollectible',
      422: 'The discounts exceed the rest',
    },
  },
  {
    method: 'get',
    path: '/api/invoices/{id}',
    access: 'staff',
    tags,
    summary: 'An invoice with its lines, payments, refunds and balance',
    params: id,
    responses: { 200: invoice },
  },
  {
    method: 'get',
    path: '/api/invoices/{id}/pdf',
    access: 'staff',
    tags,
    summary: 'The invoice (a receipt once paid) as a PDF download',
    params: id,
    responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string() } } } },
  },
  {
    method: 'post',
    path: '/api/invoices/{id}/payments',
    access: 'staff',
    tags,
    summary: 'Record a payment taken outside Stripe (cash, cheque, bank transfer, other) with who and when',
    params: id,
    body: recordPaymentBody,
    responses: {
      201: invoice,
      200: 'The same payment again (same idempotencyKey): credited once',
      409: 'Paid in full, void or a draft',
      422: 'More than is owed, or received in the future',
    },
  },
  {
    method: 'post',
    path: '/api/invoices/{id}/refunds',
    access: 'staff',
    tags,
    summary: 'Refund card payments, fully or partly, through the gateway (idempotent by idempotencyKey)',
    params: id,
    body: refundBody,
    responses: {
      201: invoice,
      409: 'No card payment left to refund',
      422: 'More than can be refunded',
      503: 'The provider could not be reached; send the same request again',
    },
  },
  ...(['void', 'uncollectible'] as const).map((to): ApiOperation => ({
    method: 'post',
    path: `/api/invoices/{id}/${to}`,
    access: 'staff',
    tags,
    summary: to === 'void' ? 'Void an invoice with nothing paid' : 'Write an open invoice off as uncollectible',
    params: id,
    body: statusBody,
    responses: { 200: invoice, 409: 'Not allowed in the invoice’s state' },
  })),
  {
    method: 'get',
    path: '/api/payments/config',
    access: 'public',
    tags: pay,
    summary: 'The gateway (stripe or simulated), with the publishable key and the Stripe.js URL for Stripe',
    responses: { 200: 'Payment configuration for the pages' },
  },
  {
    method: 'post',
    path: '/api/payments/setup-intents',
    access: 'public',
    tags: pay,
    summary: "A SetupIntent (usage off_session) for the booking page's card step, on the email's Stripe customer",
    body: bookingSetupBody,
    responses: { 201: 'The SetupIntent id and client secret' },
  },
  {
    method: 'post',
    path: '/api/payments/deposit-intents',
    access: 'public',
    tags: pay,
    summary:
      "A PaymentIntent for the service's deposit (confirmed on the booking page; saves the card when the service keeps one)",
    body: depositIntentBody,
    responses: { 201: 'The PaymentIntent id, client secret and the deposit', 422: 'The service takes no deposit' },
  },
  {
    method: 'post',
    path: '/api/payments/simulated/confirm',
    access: 'public',
    tags: pay,
    summary: 'Simulated payments only: confirm a SetupIntent or PaymentIntent with a Stripe test card',
    body: simulatedConfirmBody,
    responses: { 200: 'Confirmed', 422: 'The test card declines' },
  },
  {
    method: 'get',
    path: '/api/manage/{token}/pay',
    access: 'token',
    tags: pay,
    summary: 'The invoice to pay on the pay page, with what is owed',
    params: tokenParams,
    responses: { 200: 'The invoice', 410: 'Dead link' },
  },
  {
    method: 'post',
    path: '/api/manage/{token}/pay',
    access: 'token',
    tags: pay,
    summary: 'A PaymentIntent for what is owed (cards and wallets), one per invoice and amount',
    params: tokenParams,
    responses: { 201: 'The PaymentIntent id and client secret', 409: 'Nothing is owed', 410: 'Dead link' },
  },
  {
    method: 'post',
    path: '/api/manage/{token}/pay/complete',
    access: 'token',
    tags: pay,
    summary: 'Report a confirmed PaymentIntent: read back, credited once, the workflow woken',
    params: tokenParams,
    body: completeBody,
    responses: {
      200: 'Paid',
      202: 'Still processing',
      410: 'Dead link',
      422: 'Not confirmed, or for another invoice',
    },
  },
];
