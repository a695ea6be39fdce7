/**
 * Twilio webhooks, each verified with the SDK's own `validateRequest` (X-Twilio-Signature: HMAC-SHA1
 * of the public URL plus the sorted POST parameters, keyed with the auth token) against
 * PUBLIC_BASE_URL + the request path, and deduplicated in `inbound_events` before anything happens:
 *
 * - `POST /webhooks/twilio/sms`: an inbound SMS. Its reply intent (C, YES, R, 1-3, STOP…, START, HELP)
 *   runs the conversation (src/messaging/conversations.ts); the answer goes back as TwiML and is stored
 *   in `messages` (provider `twilio_twiml`) so the appointment shows the whole exchange.
 * - `POST /webhooks/twilio/whatsapp`: an inbound WhatsApp message (`From: whatsapp:+…`), handled exactly
 *   like an SMS (src/messaging/inbound-sms.ts); it also opens the 24-hour window for free text.
 * - `POST /webhooks/twilio/status`: the status callback of a message we sent; moves its status forward
 *   (queued → sent → delivered, or failed) and handles a permanent failure (flag, timeline, staff alert).
 *
 * A forged or tampered request gets 403 and changes nothing; a redelivery (same MessageSid / same
 * status) is answered 200 and changes nothing. Without TWILIO_AUTH_TOKEN both answer 404.
 */
import express, { type Request, Router } from 'express';
import twilio from 'twilio';
import { z } from 'zod';
import { type Config } from '../../config';
import { messageProvidersFromConfig } from '../../messaging/from-config';
import { advanceStatus, recordPermanentFailure } from '../../messaging/delivery-status';
import { receiveSms } from '../../messaging/inbound-sms';
import { TWILIO_UNSUBSCRIBED } from '../../messaging/twilio';
import { PERMANENT_WHATSAPP_ERRORS, whatsappNumber } from '../../messaging/whatsapp';
import { mediaOf, twilioMediaLoader } from '../../messaging/twilio-media';
import { attachmentStorageFromConfig } from '../../conversations/storage';
import type { MessageStatus } from '../../db/schema';
import { claimInboundEvent, finishInboundEvent } from '../../inbound-events/store';
import type { AppDeps } from '../app';
import { HttpError } from '../errors';
import { parseInput } from '../validate';

const inboundSms = z.object({
  MessageSid: z.string().regex(/^[SM]M[0-9a-fA-F]{32}$/, 'expected a Twilio message SID'),
  From: z.string().min(1, 'expected the sender'),
  To: z.string().optional(),
  Body: z.string().default(''),
});

const inboundWhatsapp = inboundSms.extend({
  From: z
    .string()
    .regex(/^whatsapp:\+[1-9]\d{6,14}$/, 'expected the sender as a WhatsApp address such as whatsapp:+12125550123'),
});

const statusCallback = z.object({
  MessageSid: z.string().regex(/^[SM]M[0-9a-fA-F]{32}$/, 'expected a Twilio message SID'),
  MessageStatus: z.enum(
    [
      'accepted',
      'scheduled',
      'queued',
      'sending',
      'sent',
      'receiving',
      'received',
      'delivered',
      'undelivered',
      'failed',
      'read',
      'canceled',
      'partially_delivered',
    ],
    { error: 'expected a Twilio message status' },
  ),
  ErrorCode: z.string().optional(),
});

const STATUS_MAP: Partial<Record<string, MessageStatus>> = {
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/** The URL Twilio signed: the public base URL (what Twilio was configured with) + path and query. */
function signedUrl(config: Config, req: Request): string {
  return `${config.http.publicBaseUrl}${req.originalUrl}`;
}

function verify(deps: AppDeps, req: Request): Record<string, string> {
  const token = deps.config.messaging.twilio?.authToken;
  if (!token) throw new HttpError(404, 'not_configured', 'Twilio webhooks are not configured (TWILIO_AUTH_TOKEN).');
  const signature = req.get('x-twilio-signature');
  const params = (req.body ?? {}) as Record<string, string>;
  if (!signature || !twilio.validateRequest(token, signature, signedUrl(deps.config, req), params)) {
    throw new HttpError(403, 'signature_invalid', 'X-Twilio-Signature is missing or does not match.');
  }
  return params;
}

function twiml(message: string | null): string {
  const response = new twilio.twiml.MessagingResponse();
  if (message) response.message(message);
  return response.toString();
}

export function twilioWebhookRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const providers = messageProvidersFromConfig(deps.config);
  const form = express.urlencoded({ extended: false, limit: '100kb' });
  // Photos sent by MMS or WhatsApp join the conversation as attachments (fetched from Twilio's API host).
  const account = deps.config.messaging.twilio;
  const attachments = account?.accountSid
    ? {
        load: twilioMediaLoader({
          accountSid: account.accountSid,
          authToken: account.authToken,
          apiBase: account.apiBase,
        }),
        storage: attachmentStorageFromConfig(deps.config.attachments),
      }
    : undefined;

  router.post('/webhooks/twilio/sms', form, async (req, res) => {
    const params = verify(deps, req);
    const sms = parseInput(inboundSms, params, 'body');
    const result = await receiveSms(
      { db, config: deps.config, providers, temporal: deps.temporal },
      {
        from: sms.From,
        body: sms.Body,
        messageId: sms.MessageSid,
        via: 'twilio',
        media: mediaOf(params),
        ...(attachments ? { attachments } : {}),
      },
    );
    res.type('text/xml');
    res.send(twiml(result.duplicate ? null : result.reply));
  });

  router.post('/webhooks/twilio/whatsapp', form, async (req, res) => {
    const params = verify(deps, req);
    const message = parseInput(inboundWhatsapp, params, 'body');
    const result = await receiveSms(
      { db, config: deps.config, providers, temporal: deps.temporal },
      {
        from: whatsappNumber(message.From),
        body: message.Body,
        messageId: message.MessageSid,
        via: 'twilio',
        channel: 'whatsapp',
        media: mediaOf(params),
        ...(attachments ? { attachments } : {}),
      },
    );
    res.type('text/xml');
    res.send(twiml(result.duplicate ? null : result.reply));
  });

  router.post('/webhooks/twilio/status', form, async (req, res) => {
    const params = verify(deps, req);
    const callback = parseInput(statusCallback, params, 'body');
    const stored = await claimInboundEvent(db, {
      provider: 'twilio_status',
      eventId: `${callback.MessageSid}:${callback.MessageStatus}`,
      payload: params,
    });
    if (!stored) {
      res.json({ received: true, duplicate: true });
      return;
    }
    const message = await db
      .selectFrom('messages')
      .selectAll()
      .where('provider', 'in', ['twilio', 'twilio_whatsapp'])
      .where('provider_message_id', '=', callback.MessageSid)
      .executeTakeFirst();
    let outcome = 'no matching message';
    const status = STATUS_MAP[callback.MessageStatus];
    if (message && status === 'failed') {
      const code = callback.ErrorCode ? Number(callback.ErrorCode) : undefined;
      const known = code !== undefined ? PERMANENT_WHATSAPP_ERRORS.get(code) : undefined;
      await recordPermanentFailure({ db, config: deps.config, providers }, message, {
        status: 'failed',
        reason: `Twilio reports ${callback.MessageStatus}${code !== undefined ? ` (${code}${known ? `: ${known}` : ''})` : ''}`,
        optedOut: code === TWILIO_UNSUBSCRIBED,
        flagContact: known !== undefined,
        source: 'twilio',
      });
      outcome = 'failed';
    } else if (message && status) {
      outcome = (await advanceStatus(db, message, status)) ? status : `unchanged (${message.status})`;
    } else if (message) {
      outcome = `ignored ${callback.MessageStatus}`;
    }
    await finishInboundEvent(db, stored, outcome, message ? 'processed' : 'unmatched');
    res.json({ received: true, outcome });
  });

  return router;
}
