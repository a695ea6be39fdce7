/**
 * Staff API for inbound integrations (API key): configure a platform (secrets, vendor API base,
 * options), link an external id to an appointment, and list the deliveries that came in — verified or
 * not, duplicate or not, with their outcome — so operators can see what each platform sent.
 */
import { Router } from 'express';
import { z } from 'zod';
import { INBOUND_ADAPTERS, adapterFor } from '../../integrations/inbound/registry';
import { linkExternal, saveSettings } from '../../integrations/inbound/store';
import { keyringOf } from '../../secrets/keys';
import { requireAdminRole, requireApiKey } from '../auth';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { httpUrl, uuid } from '../schemas';
import { storableJson, text } from '../text';
import { parseInput } from '../validate';

export const platformName = z.enum(Object.keys(INBOUND_ADAPTERS) as [string, ...string[]], {
  error: `expected one of ${Object.keys(INBOUND_ADAPTERS).join(', ')}`,
});

export const inboundSettingsBody = z.object({
  secrets: z.record(text(100, { min: 1 }), text(4000, { min: 1, trim: false, normalize: false })),
  apiBase: httpUrl('expected an absolute URL of the vendor API').nullish(),
  options: z.record(text(100, { min: 1 }), storableJson).optional(),
  enabled: z.boolean().optional(),
});

export const externalLinkBody = z.object({
  platform: platformName,
  externalId: text(500, { min: 1, error: 'expected the platform’s id' }),
  appointmentId: uuid,
});

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const deliveriesQuery = z.object({
  platform: platformName.optional(),
  verified: bool.optional(),
  duplicate: bool.optional(),
  outcome: text(200, { min: 1 }).optional(),
  appointmentId: uuid.optional(),
  since: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time' }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function integrationsRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  router.use('/api/integrations', requireApiKey(db), requireAdminRole);

  router.get('/api/integrations', async (_req, res) => {
    const rows = await db
      .selectFrom('inbound_integrations')
      .select(['platform', 'enabled', 'api_base', 'options', 'updated_at'])
      .orderBy('platform')
      .execute();
    res.json({ platforms: Object.keys(INBOUND_ADAPTERS), configured: rows });
  });

  router.put('/api/integrations/:platform/inbound', async (req, res) => {
    const { platform } = parseInput(z.object({ platform: platformName }), req.params, 'params');
    const body = parseInput(inboundSettingsBody, req.body, 'body');
    const adapter = adapterFor(platform)!;
    const missing = adapter.requiredSecrets.filter((name) => !body.secrets[name]);
    if (missing.length) {
      throw new HttpError(
        400,
        'validation_failed',
        `Invalid body: secrets.${missing[0]}: required for ${platform}`,
        {},
        missing.map((name) => ({ field: `secrets.${name}`, message: `required for ${platform}` })),
      );
    }
    const problems = adapter.checkSettings?.({ secrets: body.secrets, options: body.options ?? {} }) ?? [];
    if (problems.length) {
      throw new HttpError(
        400,
        'validation_failed',
        `Invalid body: ${problems[0]!.field}: ${problems[0]!.message}`,
        {},
        problems,
      );
    }
    await saveSettings(
      db,
      platform,
      {
        secrets: body.secrets,
        apiBase: body.apiBase ?? null,
        ...(body.options ? { options: body.options } : {}),
        ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
      },
      keyringOf(deps.config.secrets),
    );
    res.json({ platform, webhookUrl: `${deps.config.http.publicBaseUrl}/webhooks/integrations/${platform}` });
  });

  router.post('/api/integrations/links', async (req, res) => {
    const body = parseInput(externalLinkBody, req.body, 'body');
    const exists = await db
      .selectFrom('appointments')
      .select('id')
      .where('id', '=', body.appointmentId)
      .executeTakeFirst();
    if (!exists) throw new HttpError(404, 'not_found', `Appointment ${body.appointmentId} does not exist.`);
    await linkExternal(db, body.platform, body.externalId, body.appointmentId);
    res.status(201).json(body);
  });

  router.get('/api/integrations/deliveries', async (req, res) => {
    const q = parseInput(deliveriesQuery, req.query, 'query');
    let query = db
      .selectFrom('integration_deliveries')
      .select([
        'id',
        'platform',
        'vendor_event_id',
        'received_at',
        'verified',
        'duplicate',
        'event_type',
        'external_id',
        'appointment_id',
        'outcome',
        'error',
        'processed_at',
      ])
      .orderBy('received_at', 'desc')
      .orderBy('id')
      .limit(q.limit);
    if (q.platform) query = query.where('platform', '=', q.platform);
    if (q.verified !== undefined) query = query.where('verified', '=', q.verified);
    if (q.duplicate !== undefined) query = query.where('duplicate', '=', q.duplicate);
    if (q.outcome) query = query.where('outcome', 'like', `${q.outcome}%`);
    if (q.appointmentId) query = query.where('appointment_id', '=', q.appointmentId);
    if (q.since) query = query.where('received_at', '>=', new Date(q.since));
    res.json({ deliveries: await query.execute() });
  });

  return router;
}
