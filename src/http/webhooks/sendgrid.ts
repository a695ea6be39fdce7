/**
 * SendGrid webhooks.
 *
 * `POST /webhooks/sendgrid/events` — the Event Webhook. Verified with node:crypto exactly as SendGrid's
 * published algorithm: an ECDSA P-256 / SHA-256 signature (base64 DER,
 * `X-Twilio-Email-Event-Webhook-Signature`) over `X-Twilio-Email-Event-Webhook-Timestamp` + the raw
 * body, against the endpoint's public key (SENDGRID_EVENT_PUBLIC_KEY, base64 DER as SendGrid shows
 * it). Timestamps more than 5 minutes away are refused (400), so an old capture cannot be replayed; a
 * replay inside that window is recognised by its signature and changes nothing, and every event is
 * deduplicated by `sg_event_id`. Events find their message by the `message_id` custom argument we set
 * on every email: processed → sent, delivered → delivered, bounce → bounced, dropped → failed (both
 * flag the contact's address and alert staff).
 *
 * `POST /webhooks/sendgrid/inbound/:secret` — Inbound Parse (multipart form: from, to, subject, text,
 * headers, envelope). The secret in the URL authenticates it (SendGrid signs nothing here). A reply
 * asking to cancel or reschedule runs the same conversation as SMS (C / cancel → YES; R / reschedule →
 * 1-3), anything else goes to staff; our answer is sent back by email through the email provider.
 */
import { createHash, createPublicKey, timingSafeEqual, verify as verifySignature, type KeyObject } from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import type { Database, Message } from '../../db/schema';
import { handleReply } from '../../messaging/conversations';
import { advanceStatus, recordPermanentFailure } from '../../messaging/delivery-status';
import { messageProvidersFromConfig } from '../../messaging/from-config';
import { parseEmailReply } from '../../messaging/replies';
import { claimInboundEvent, finishInboundEvent, releaseInboundEvent } from '../../inbound-events/store';
import type { AppDeps } from '../app';
import { HttpError } from '../errors';
import { checkSender } from '../../messaging/sender-authentication';
import { storableText } from '../text';
import type { Kysely } from 'kysely';

export const SENDGRID_SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature';
export const SENDGRID_TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp';
const TOLERANCE_S = 300;

const sendgridEvent = z.object({
  sg_event_id: z.string().min(1),
  event: z.string().min(1),
  email: z.string().optional(),
  timestamp: z.number().optional(),
  sg_message_id: z.string().optional(),
  message_id: z.string().optional(),
  reason: z.string().optional(),
  response: z.string().optional(),
  type: z.string().optional(),
});

/** SendGrid's Event Webhook signature check (ECDSA P-256, SHA-256, DER signature). */
export function verifySendGridSignature(
  publicKey: KeyObject,
  rawBody: Buffer,
  signature: string,
  timestamp: string,
): boolean {
  try {
    return verifySignature(
      'sha256',
      Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]),
      publicKey,
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}

function publicKeyFrom(base64OrPem: string): KeyObject {
  return base64OrPem.includes('BEGIN PUBLIC KEY')
    ? createPublicKey(base64OrPem)
    : createPublicKey({ key: Buffer.from(base64OrPem, 'base64'), format: 'der', type: 'spki' });
}

async function findMessage(db: Kysely<Database>, event: z.infer<typeof sendgridEvent>): Promise<Message | undefined> {
  if (event.message_id && /^[0-9a-f-]{36}$/i.test(event.message_id)) {
    const byId = await db.selectFrom('messages').selectAll().where('id', '=', event.message_id).executeTakeFirst();
    if (byId) return byId;
  }
  const providerId = event.sg_message_id?.split('.')[0];
  if (!providerId) return undefined;
  return db
    .selectFrom('messages')
    .selectAll()
    .where('provider', '=', 'sendgrid')
    .where('provider_message_id', '=', providerId)
    .executeTakeFirst();
}

/** `Jane <jane@example.com>` → `jane@example.com`. */
function addressOf(from: string): string {
  const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(from);
  return (angle?.[1] ?? from).trim().toLowerCase();
}

export function sendgridWebhookRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const providers = messageProvidersFromConfig(deps.config);
  const configuredKey = deps.config.messaging.sendgridEventPublicKey;
  const publicKey = configuredKey ? publicKeyFrom(configuredKey) : undefined;

  router.post('/webhooks/sendgrid/events', express.raw({ type: '*/*', limit: '5mb' }), async (req, res) => {
    if (!publicKey)
      throw new HttpError(
        404,
        'not_configured',
        'The SendGrid Event Webhook is not configured (SENDGRID_EVENT_PUBLIC_KEY).',
      );
    const signature = req.get(SENDGRID_SIGNATURE_HEADER);
    const timestamp = req.get(SENDGRID_TIMESTAMP_HEADER);
    if (!signature || !timestamp || !Buffer.isBuffer(req.body))
      throw new HttpError(
        400,
        'signature_missing',
        `Missing ${SENDGRID_SIGNATURE_HEADER} / ${SENDGRID_TIMESTAMP_HEADER} or body.`,
      );
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_S)
      throw new HttpError(
        400,
        'timestamp_stale',
        `The ${SENDGRID_TIMESTAMP_HEADER} is not within ${TOLERANCE_S} s of now.`,
      );
    if (!verifySendGridSignature(publicKey, req.body, signature, timestamp))
      throw new HttpError(403, 'signature_invalid', 'The SendGrid event signature does not match.');

    const delivery = await claimInboundEvent(db, {
      provider: 'sendgrid_delivery',
      eventId: createHash('sha256').update(signature).digest('hex'),
      payload: { timestamp },
      processedOutcome: 'verified',
    });
    if (!delivery) {
      res.json({ received: true, duplicate: true });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'invalid_json', 'The body is not JSON.');
    }
    const events = z.array(sendgridEvent).safeParse(parsed);
    if (!events.success) {
      throw new HttpError(
        400,
        'validation_failed',
        `Invalid body: ${events.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    const outcomes: Record<string, string> = {};
    for (const event of events.data) {
      const stored = await claimInboundEvent(db, { provider: 'sendgrid', eventId: event.sg_event_id, payload: event });
      if (!stored) {
        outcomes[event.sg_event_id] = 'duplicate';
        continue;
      }
      const message = await findMessage(db, event);
      let outcome = 'no matching message';
      if (message) {
        const reason = [event.reason, event.response, event.type].filter(Boolean).join('; ') || event.event;
        switch (event.event) {
          case 'processed':
            outcome = (await advanceStatus(db, message, 'sent')) ? 'sent' : 'unchanged';
            break;
          case 'delivered':
            outcome = (await advanceStatus(db, message, 'delivered')) ? 'delivered' : 'unchanged';
            break;
          case 'bounce':
          case 'dropped':
            await recordPermanentFailure({ db, config: deps.config, providers }, message, {
              status: event.event === 'bounce' ? 'bounced' : 'failed',
              reason: `SendGrid ${event.event}: ${reason}`,
              source: 'sendgrid',
            });
            outcome = event.event === 'bounce' ? 'bounced' : 'failed';
            break;
          default:
            outcome = `ignored ${event.event}`;
        }
      }
      await finishInboundEvent(db, stored, outcome, message ? 'processed' : 'unmatched');
      outcomes[event.sg_event_id] = outcome;
    }
    res.json({ received: true, events: outcomes });
  });

  router.post('/webhooks/sendgrid/inbound/:secret', express.raw({ type: '*/*', limit: '10mb' }), async (req, res) => {
    const secret = deps.config.messaging.sendgridInboundSecret;
    if (!secret)
      throw new HttpError(404, 'not_configured', 'Inbound Parse is not configured (SENDGRID_INBOUND_SECRET).');
    const given = Buffer.from(String(req.params.secret));
    const expected = Buffer.from(secret);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new HttpError(403, 'secret_invalid', 'Unknown Inbound Parse URL.');
    const contentType = req.get('content-type') ?? '';
    if (!contentType.startsWith('multipart/form-data') || !Buffer.isBuffer(req.body))
      throw new HttpError(415, 'unsupported_media_type', 'Inbound Parse posts multipart/form-data.');
    let form: FormData;
    try {
      // undici's multipart parser marks itself "not recommended" for servers because it buffers the whole
      // body; here the body is already buffered and capped by the raw-body limit, so that cost is paid.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      form = await new Response(new Uint8Array(req.body), { headers: { 'content-type': contentType } }).formData();
    } catch {
      throw new HttpError(400, 'invalid_body', 'The multipart body could not be parsed.');
    }
    const field = (name: string) => {
      const v = form.get(name);
      // Email text is kept as sent, less what PostgreSQL cannot store (NUL, unpaired surrogates).
      return typeof v === 'string' ? storableText(v) : '';
    };
    let from = field('from');
    let envelopeFrom: string | undefined;
    try {
      const envelope = JSON.parse(field('envelope') || '{}') as { from?: unknown };
      if (typeof envelope.from === 'string' && envelope.from.includes('@')) from = envelopeFrom = envelope.from;
    } catch {
      // the From header is used
    }
    if (!from.includes('@'))
      throw new HttpError(400, 'validation_failed', 'Invalid body: from: expected the sender address', {}, [
        { field: 'from', message: 'expected the sender address' },
      ]);
    const address = addressOf(from);
    // Only a sender SPF or DKIM vouches for may cancel or reschedule; anything else goes to staff.
    const sender = checkSender({ address, envelopeFrom, spf: field('SPF'), dkim: field('dkim') });
    const messageIdHeader = /^message-id:\s*(.+)$/im.exec(field('headers'))?.[1]?.trim();
    const inboundId = messageIdHeader ?? createHash('sha256').update(req.body).digest('hex');
    const stored = await claimInboundEvent(db, {
      provider: 'sendgrid_inbound',
      eventId: inboundId,
      payload: {
        from: address,
        subject: field('subject'),
        text: field('text').slice(0, 10_000),
        sender: { verified: sender.verified, checks: sender.summary },
      },
    });
    if (!stored) {
      res.json({ received: true, duplicate: true });
      return;
    }
    const text = field('text') || field('subject');
    let intent = parseEmailReply(text);
    if (intent.kind === 'other') intent = parseEmailReply(field('subject').replace(/^(re|aw|fwd?):\s*/i, ''));
    let result;
    try {
      result = await handleReply(
        { db, config: deps.config, providers, temporal: deps.temporal },
        {
          channel: 'email',
          address,
          text,
          intent,
          inboundId,
          ...(sender.verified ? {} : { unverified: sender.summary }),
        },
      );
    } catch (error) {
      await releaseInboundEvent(db, stored);
      throw error;
    }
    if (result.reply) {
      const key = `sendgrid_inbound:${inboundId}:reply`;
      const contact = await db
        .selectFrom('contacts')
        .select('id')
        .where((eb) => eb(eb.fn('lower', ['email']), '=', address))
        .executeTakeFirst();
      await db
        .insertInto('messages')
        .values({
          appointment_id: result.appointmentId,
          contact_id: contact?.id ?? null,
          channel: 'email',
          template: 'emailReply',
          recipient: address,
          subject: `Re: ${field('subject') || 'your appointment'}`.slice(0, 200),
          body: result.reply,
          provider: providers.email.name,
          idempotency_key: key,
        })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .execute();
      const message = await db
        .selectFrom('messages')
        .selectAll()
        .where('idempotency_key', '=', key)
        .executeTakeFirstOrThrow();
      try {
        const { providerMessageId } = await providers.email.send({
          id: message.id,
          channel: 'email',
          to: address,
          subject: message.subject,
          text: result.reply,
          html: null,
          attachments: [],
          idempotencyKey: key,
          template: 'emailReply',
        });
        await db
          .updateTable('messages')
          .set({ status: 'sent', provider_message_id: providerMessageId, sent_at: new Date(), updated_at: new Date() })
          .where('id', '=', message.id)
          .execute();
      } catch (error) {
        await db
          .updateTable('messages')
          .set({ status: 'failed', error: (error as Error).message.slice(0, 1000), updated_at: new Date() })
          .where('id', '=', message.id)
          .execute();
      }
    }
    await finishInboundEvent(db, stored, result.outcome);
    res.json({ received: true, outcome: result.outcome });
  });

  return router;
}
