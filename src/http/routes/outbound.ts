/**
 * Staff API (API key) for outbound integrations and appointflow's own webhooks:
 * - webhook subscriptions: register (the secret is shown once), list, read, update, delete;
 * - the delivery log: deliveries (webhooks and platform sync) with every attempt, and replay;
 * - recorded events;
 * - per-platform outbound configuration (Google Calendar, Microsoft Graph, ServiceTitan, Zoho CRM,
 *   HubSpot, Mailchimp).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { OutboundPlatform } from '../../db/schema';
import { replayDelivery } from '../../outbound/dispatcher';
import {
  deleteOutboundIntegration,
  deleteSubscription,
  deliveriesWithAttempts,
  findLiveSubscription,
  insertSubscription,
  liveSubscriptions,
  outboundIntegrations,
  recentEvents,
  updateSubscription,
  upsertOutboundIntegration,
} from '../../outbound/repository';
import { isValidEventFilter } from '../../outbound/events';
import { DEFAULT_BASE_URLS, OUTBOUND_PLATFORMS, PLATFORM_SETTINGS } from '../../outbound/platforms';
import { generateWebhookSecret } from '../../outbound/signature';
import { encryptSecret, type Keyring, secretHint } from '../../secrets/cipher';
import { keyringOf } from '../../secrets/keys';
import type { AppDeps } from '../app';
import { both, requireAdminRole, requireApiKey } from '../auth';
import { fieldsOf, HttpError } from '../errors';
import { httpUrl, uuid } from '../schemas';
import { isStorableText, storableJson, text } from '../text';
import { parseInput } from '../validate';

/** https anywhere; plain http only to this machine (local receivers and tests). */
export const webhookUrl = z
  .string({ error: 'expected a URL' })
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      if (url.username || url.password) return false;
      if (url.protocol === 'https:') return true;
      return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    } catch {
      return false;
    }
  }, 'expected an https:// URL (http:// only for localhost)')
  .refine(isStorableText, 'must not contain NUL or unpaired surrogate characters');

const eventFilters = z
  .array(text(100).refine(isValidEventFilter, 'unknown event type'), { error: 'expected a list of event types' })
  .min(1, 'expected at least one event type (or "*")')
  .max(50);

export const createSubscriptionBody = z.object({
  url: webhookUrl,
  events: eventFilters.default(['*']),
  description: text(500).default(''),
  secret: text(200, { min: 16, trim: false, normalize: false }).optional(),
});

export const updateSubscriptionBody = z
  .object({
    url: webhookUrl.optional(),
    events: eventFilters.optional(),
    description: text(500).optional(),
    active: z.boolean({ error: 'expected true or false' }).optional(),
  })
  .strict();

const idParams = z.object({ id: uuid });

export const deliveryQuery = z.object({
  status: z
    .enum(['pending', 'succeeded', 'failed', 'skipped'], { error: 'expected pending, succeeded, failed or skipped' })
    .optional(),
  target: text(100).optional(),
  eventId: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const eventsQuery = z.object({
  type: text(100).optional(),
  subjectId: text(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const platformParams = z.object({
  platform: z.enum(OUTBOUND_PLATFORMS, { error: `expected one of ${OUTBOUND_PLATFORMS.join(', ')}` }),
});

export const integrationBody = z.object({
  baseUrl: httpUrl('expected an absolute http(s) URL').optional(),
  accessToken: text(4000, { min: 1, trim: false, normalize: false, error: 'expected the access token or API key' }),
  enabled: z.boolean({ error: 'expected true or false' }).default(true),
  settings: z.record(text(100, { min: 1 }), storableJson).default({}),
});

type SubscriptionRow = {
  id: string;
  url: string;
  description: string;
  event_types: string[];
  secret: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
};

// The secret is stored encrypted (src/secrets/); responses carry at most its last four characters.
const subscriptionView = (s: SubscriptionRow, ring: Keyring) => ({
  id: s.id,
  url: s.url,
  description: s.description,
  events: s.event_types,
  active: s.active,
  secretHint: secretHint(s.secret, ring),
  createdAt: s.created_at,
  updatedAt: s.updated_at,
});

export function outboundRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const ring = keyringOf(deps.config.secrets);
  const view = (s: SubscriptionRow) => subscriptionView(s, ring);
  const dispatcherDeps = { db, temporal: deps.temporal, config: deps.config };
  for (const prefix of ['/api/webhooks', '/api/deliveries', '/api/events']) {
    router.use(prefix, requireApiKey(db), requireAdminRole);
  }
  // Only this router's own paths under /api/integrations (the inbound integrations own the rest).
  const authenticated = both(requireApiKey(db), requireAdminRole);

  const liveSubscription = async (id: string) => {
    const row = await findLiveSubscription(db, id);
    if (!row) throw new HttpError(404, 'not_found', `No webhook subscription ${id}`);
    return row;
  };

  router.post('/api/webhooks', async (req, res) => {
    const body = parseInput(createSubscriptionBody, req.body, 'body');
    const secret = body.secret ?? generateWebhookSecret();
    const row = await insertSubscription(db, {
      url: body.url,
      description: body.description,
      event_types: JSON.stringify(body.events),
      secret: encryptSecret(secret, ring),
    });
    // The secret is shown here, once; later reads show only its last characters.
    res.status(201).json({ subscription: view(row), secret });
  });

  router.get('/api/webhooks', async (_req, res) => {
    res.json({ subscriptions: (await liveSubscriptions(db)).map(view) });
  });

  router.get('/api/webhooks/:id', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    res.json({ subscription: view(await liveSubscription(id)) });
  });

  router.patch('/api/webhooks/:id', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(updateSubscriptionBody, req.body, 'body');
    await liveSubscription(id);
    const row = await updateSubscription(db, id, {
      ...(body.url !== undefined ? { url: body.url } : {}),
      ...(body.events !== undefined ? { event_types: JSON.stringify(body.events) } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.active !== undefined ? { active: body.active } : {}),
    });
    res.json({ subscription: view(row) });
  });

  router.delete('/api/webhooks/:id', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    await liveSubscription(id);
    // Kept (inactive) so its delivery log stays readable.
    await deleteSubscription(db, id);
    res.status(204).end();
  });

  router.get('/api/webhooks/:id/deliveries', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const query = parseInput(deliveryQuery, req.query, 'query');
    await liveSubscription(id);
    res.json({ deliveries: await deliveriesWithAttempts(db, { ...query, subscriptionId: id }) });
  });

  router.get('/api/deliveries', async (req, res) => {
    const query = parseInput(deliveryQuery, req.query, 'query');
    res.json({ deliveries: await deliveriesWithAttempts(db, query) });
  });

  router.get('/api/deliveries/:id', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const [delivery] = await deliveriesWithAttempts(db, { id, limit: 1 });
    if (!delivery) throw new HttpError(404, 'not_found', `No delivery ${id}`);
    res.json({ delivery });
  });

  router.post('/api/deliveries/:id/replay', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const replayId = await replayDelivery(dispatcherDeps, id);
    if (!replayId) throw new HttpError(404, 'not_found', `No delivery ${id}`);
    const [delivery] = await deliveriesWithAttempts(db, { id: replayId, limit: 1 });
    res.status(202).json({ delivery });
  });

  router.get('/api/events', async (req, res) => {
    const query = parseInput(eventsQuery, req.query, 'query');
    const rows = await recentEvents(db, query);
    res.json({
      events: rows.map((e) => ({
        id: e.id,
        type: e.type,
        subject: { type: e.subject_type, id: e.subject_id },
        occurredAt: e.occurred_at,
        dispatchedAt: e.dispatched_at,
        data: e.payload,
      })),
    });
  });

  const integrationView = (row: {
    platform: OutboundPlatform;
    enabled: boolean;
    base_url: string;
    access_token: string;
    settings: Record<string, unknown>;
    updated_at: Date;
  }) => ({
    platform: row.platform,
    enabled: row.enabled,
    baseUrl: row.base_url,
    accessTokenHint: secretHint(row.access_token, ring),
    settings: row.settings,
    updatedAt: row.updated_at,
  });

  router.get('/api/integrations/outbound', ...authenticated, async (_req, res) => {
    const rows = await outboundIntegrations(db);
    res.json({ integrations: rows.map(integrationView) });
  });

  router.put('/api/integrations/:platform/outbound', ...authenticated, async (req, res) => {
    const { platform } = parseInput(platformParams, req.params, 'params');
    const body = parseInput(integrationBody, req.body, 'body');
    const parsed = PLATFORM_SETTINGS[platform].safeParse(body.settings);
    if (!parsed.success) {
      const fields = fieldsOf(parsed.error, 'settings');
      const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
      throw new HttpError(400, 'validation_failed', `Invalid body: ${summary}`, {}, fields);
    }
    const settings = parsed.data;
    const values = {
      enabled: body.enabled,
      base_url: (body.baseUrl ?? DEFAULT_BASE_URLS[platform]).replace(/\/$/, ''),
      access_token: encryptSecret(body.accessToken, ring),
      settings: JSON.stringify(settings),
    };
    const row = await upsertOutboundIntegration(db, platform, values);
    res.json({ integration: integrationView(row) });
  });

  router.delete('/api/integrations/:platform/outbound', ...authenticated, async (req, res) => {
    const { platform } = parseInput(platformParams, req.params, 'params');
    await deleteOutboundIntegration(db, platform);
    res.status(204).end();
  });

  return router;
}
