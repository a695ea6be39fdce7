/**
 * OpenAPI operations of the vendor webhooks (Stripe, Twilio, SendGrid, inbound integrations): each is
 * verified by its signature or a secret in the URL, and answers 404 while its vendor is not configured.
 */
import { z } from 'zod';
import { type ApiOperation, errorSchema, json } from './api-docs';

const raw = (mediaType: string, description: string) => ({
  description,
  required: true,
  content: { [mediaType]: { schema: z.string() } },
});
const form = (fields: z.ZodObject) => ({
  required: true,
  content: { 'application/x-www-form-urlencoded': { schema: fields } },
});
const notConfigured = { description: 'Not configured', ...json(errorSchema) };
const forged = { description: 'Signature or secret does not match; nothing changed', ...json(errorSchema) };

export const webhookOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/webhooks/stripe',
    access: 'webhook',
    summary: 'Stripe events (Stripe-Signature verified, deduplicated by event id)',
    body: raw('application/json', 'The Stripe event, verified on the raw bytes'),
    responses: { 200: 'Received (or duplicate)', 404: notConfigured },
  },
  {
    method: 'post',
    path: '/webhooks/twilio/sms',
    access: 'webhook',
    summary: 'Twilio inbound SMS (X-Twilio-Signature); answers TwiML',
    body: form(z.object({ From: z.string(), Body: z.string(), MessageSid: z.string() })),
    responses: {
      200: { description: 'TwiML reply', content: { 'text/xml': { schema: z.string() } } },
      403: forged,
      404: notConfigured,
    },
  },
  {
    method: 'post',
    path: '/webhooks/twilio/whatsapp',
    access: 'webhook',
    summary: 'Twilio inbound WhatsApp message (X-Twilio-Signature); handled like an SMS reply, answers TwiML',
    description:
      "C / R / STOP / START / HELP as for SMS (STOP and START change the WhatsApp opt-in only); free text joins the customer's conversation. Each message opens or extends the 24-hour window in which free text may be sent back.",
    body: form(z.object({ From: z.string().describe('whatsapp:+E.164'), Body: z.string(), MessageSid: z.string() })),
    responses: {
      200: { description: 'TwiML reply', content: { 'text/xml': { schema: z.string() } } },
      403: forged,
      404: notConfigured,
    },
  },
  {
    method: 'post',
    path: '/webhooks/twilio/status',
    access: 'webhook',
    summary: 'Twilio message status callback (X-Twilio-Signature)',
    body: form(z.object({ MessageSid: z.string(), MessageStatus: z.string(), ErrorCode: z.string().optional() })),
    responses: { 200: 'Processed, or a redelivery that changed nothing', 403: forged, 404: notConfigured },
  },
  {
    method: 'post',
    path: '/webhooks/sendgrid/events',
    access: 'webhook',
    summary: 'SendGrid Event Webhook (ECDSA signature + timestamp headers)',
    body: raw('application/json', 'The event batch, verified on the raw bytes'),
    responses: { 200: 'Processed, or a redelivery that changed nothing', 403: forged, 404: notConfigured },
  },
  {
    method: 'post',
    path: '/webhooks/sendgrid/inbound/{secret}',
    access: 'webhook',
    summary: 'SendGrid Inbound Parse (multipart form; secret in the URL)',
    description:
      "An email reply acts (cancel, reschedule…) only when SendGrid's SPF or DKIM result passes for the sender's domain; otherwise it goes to staff as unverified.",
    params: z.object({ secret: z.string().describe('SENDGRID_INBOUND_SECRET') }),
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z.object({
            from: z.string(),
            subject: z.string().optional(),
            text: z.string().optional(),
            headers: z.string().optional(),
            envelope: z.string().optional(),
            SPF: z.string().optional(),
            dkim: z.string().optional(),
          }),
        },
      },
    },
    responses: { 200: 'Processed, or a redelivery that changed nothing', 403: forged, 404: notConfigured },
  },
  ...(['get', 'post'] as const).map((method): ApiOperation => ({
    method,
    path: '/webhooks/integrations/{platform}',
    access: 'webhook',
    summary:
      method === 'post'
        ? 'Inbound webhook of a configured platform, verified by its adapter'
        : 'Subscription handshake of platforms that validate the URL with a GET',
    params: z.object({ platform: z.string().max(50) }),
    ...(method === 'post' ? { body: raw('application/octet-stream', 'The platform’s payload, as sent') } : {}),
    responses: {
      200: { description: 'Received (per-event outcome, duplicates marked), or the handshake answer' },
      202: { description: 'Accepted for processing' },
      401: { description: 'Forged or stale delivery', ...json(errorSchema) },
      403: { description: 'Not allowed', ...json(errorSchema) },
      404: { description: 'Unknown or unconfigured platform', ...json(errorSchema) },
    },
  })),
];
