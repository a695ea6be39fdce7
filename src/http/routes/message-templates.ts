/**
 * Staff API for message templates (API key): list every event and channel with whether staff
 * overrode it; read one (its variables, the override, the built-in default rendered with sample data);
 * save an override (validated: unknown variables, disallowed helpers and an SMS over two segments are
 * refused with 422 naming the field and the problem); preview a draft or the current template; reset to
 * the default. Messages rendered after a save use the override.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { callerActor, requireAdminRole, requireApiKey } from '../auth';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { parseInput } from '../validate';
import { allOverrides, deleteOverride, findOverride, saveOverride } from '../../messaging/template-overrides';
import { text } from '../text';
import {
  TEMPLATE_REGISTRY,
  type TemplateChannel,
  type TemplateEntry,
  type TemplateOverride,
  renderTemplate,
  smsSeptets,
  validateOverride,
  variablePaths,
} from '../../messaging/template-registry';

export const templateParams = z.object({
  event: text(64, { min: 1 }),
  channel: z.enum(['email', 'sms'], { error: 'expected email or sms' }),
});

export const templateBody = z.object({
  subject: text(300, { trim: false }).nullable().optional(),
  body: text(20_000, { min: 1, trim: false, error: 'expected the template text' }),
});

export const previewBody = z.object({
  subject: text(300, { trim: false }).nullable().optional(),
  body: text(20_000, { trim: false }).optional(),
});

function entryFor(event: string, channel: TemplateChannel): TemplateEntry {
  const entry = TEMPLATE_REGISTRY.get(event);
  if (!entry) throw new HttpError(404, 'not_found', `There is no message template for the event "${event}".`);
  if (!entry.channels.includes(channel))
    throw new HttpError(404, 'not_found', `The event "${event}" has no ${channel} template.`);
  return entry;
}

/** The business in previews is the real one (name, contact details), not the sample's (issue 15). */
type RealBusiness = { name: string; email: string; phone: string | null; address: string | null } | undefined;

function sampleFor(entry: TemplateEntry, business: RealBusiness): ReturnType<TemplateEntry['sample']> {
  const sample = entry.sample();
  const ctx = sample as { business?: Record<string, unknown> };
  if (business && ctx.business) {
    ctx.business = {
      ...ctx.business,
      name: business.name,
      email: business.email,
      ...(business.phone ? { phone: business.phone } : {}),
      ...(business.address && 'address' in ctx.business ? { address: business.address } : {}),
    };
  }
  return sample;
}

function preview(
  entry: TemplateEntry,
  channel: TemplateChannel,
  override: TemplateOverride | null,
  business?: RealBusiness,
) {
  const rendered = renderTemplate(entry, channel, sampleFor(entry, business), override);
  return channel === 'email'
    ? {
        source: rendered.source,
        subject: rendered.email!.subject,
        text: rendered.email!.text,
        html: rendered.email!.html,
      }
    : {
        source: rendered.source,
        text: rendered.sms!,
        septets: smsSeptets(rendered.sms!),
        segments: Math.max(1, Math.ceil(smsSeptets(rendered.sms!) / (smsSeptets(rendered.sms!) > 160 ? 153 : 160))),
      };
}

function refuse(problems: Array<{ field: string; message: string }>): never {
  throw new HttpError(
    422,
    'invalid_template',
    `Invalid template: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
    {},
    problems,
  );
}

function editor(res: Response): string {
  const actor = callerActor(res);
  return actor.kind === 'integration' ? `api_key:${actor.name}` : `${actor.kind}:${actor.name}`;
}

export function messageTemplatesRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const realBusiness = (): Promise<RealBusiness> =>
    db.selectFrom('business').select(['name', 'email', 'phone', 'address']).executeTakeFirst();
  router.use('/api/message-templates', requireApiKey(db), requireAdminRole);

  const loadOverride = (event: string, channel: TemplateChannel) => findOverride(db, event, channel);

  router.get('/api/message-templates', async (_req, res) => {
    const overrides = await allOverrides(db);
    const templates = [...TEMPLATE_REGISTRY.values()].flatMap((entry) =>
      entry.channels.map((channel) => {
        const o = overrides.find((x) => x.event === entry.event && x.channel === channel);
        return {
          event: entry.event,
          channel,
          audience: entry.audience,
          description: entry.description,
          overridden: o !== undefined,
          updatedAt: o?.updated_at ?? null,
          updatedBy: o?.updated_by ?? null,
        };
      }),
    );
    res.json({ templates });
  });

  router.get('/api/message-templates/:event/:channel', async (req, res) => {
    const { event, channel } = parseInput(templateParams, req.params, 'params');
    const entry = entryFor(event, channel);
    const o = await loadOverride(event, channel);
    res.json({
      event,
      channel,
      audience: entry.audience,
      description: entry.description,
      variables: variablePaths(entry.variables(entry.sample())),
      override: o ? { subject: o.subject, body: o.body, updatedAt: o.updated_at, updatedBy: o.updated_by } : null,
      default: preview(entry, channel, null, await realBusiness()),
      current: preview(entry, channel, o ? { subject: o.subject, body: o.body } : null, await realBusiness()),
    });
  });

  router.put('/api/message-templates/:event/:channel', async (req, res) => {
    const { event, channel } = parseInput(templateParams, req.params, 'params');
    const entry = entryFor(event, channel);
    const body = parseInput(templateBody, req.body, 'body');
    const override: TemplateOverride = { subject: body.subject ?? null, body: body.body };
    const problems = validateOverride(entry, channel, override);
    if (problems.length > 0) refuse(problems);
    await saveOverride(db, { event, channel }, { ...override, updatedBy: editor(res), at: new Date() });
    res.json({ event, channel, override, preview: preview(entry, channel, override, await realBusiness()) });
  });

  router.post('/api/message-templates/:event/:channel/preview', async (req, res) => {
    const { event, channel } = parseInput(templateParams, req.params, 'params');
    const entry = entryFor(event, channel);
    const body = parseInput(previewBody, req.body, 'body');
    let override: TemplateOverride | null;
    if (body.body !== undefined) {
      override = { subject: body.subject ?? null, body: body.body };
      const problems = validateOverride(entry, channel, override);
      if (problems.length > 0) refuse(problems);
    } else {
      const o = await loadOverride(event, channel);
      override = o ? { subject: o.subject, body: o.body } : null;
    }
    res.json(preview(entry, channel, override, await realBusiness()));
  });

  router.delete('/api/message-templates/:event/:channel', async (req, res) => {
    const { event, channel } = parseInput(templateParams, req.params, 'params');
    entryFor(event, channel);
    await deleteOverride(db, event, channel);
    res.status(204).end();
  });

  return router;
}
