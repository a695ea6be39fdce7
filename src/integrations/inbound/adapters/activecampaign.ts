/**
 * ActiveCampaign webhooks: a form POST (`type`, `date_time`, `initiated_by`, `deal[id]`,
 * `deal[stage_title]` …) that is never retried. No signature: the secret travels in the URL
 * (`?secret=…`), compared in constant time. A deal moved to a stage named like "Missed" (seed 003) is a
 * no-show, "Cancel…" a cancel (options `statusMap` overrides). Dedupe: type, deal id and date_time.
 */
import { z } from 'zod';
import { safeEqual } from '../crypto';
import type { InboundAdapter } from '../types';
import { statusToType } from './custom';

export const activeCampaignForm = z.object({
  type: z.string().min(1),
  date_time: z.string().min(1),
  'deal[id]': z.string().min(1),
  'deal[stage_title]': z.string().optional(),
  'deal[stage]': z.string().optional(),
});

export const activeCampaign: InboundAdapter = {
  platform: 'activecampaign',
  requiredSecrets: ['sharedSecret'],
  verify(req, settings) {
    const given = req.query.secret;
    if (given === undefined) return { ok: false, reason: 'missing secret parameter' };
    return safeEqual(given, settings.secrets.sharedSecret ?? '')
      ? { ok: true }
      : { ok: false, reason: 'secret mismatch' };
  },
  parse(req, settings) {
    const form = activeCampaignForm.parse(Object.fromEntries(new URLSearchParams(req.rawBody.toString('utf8'))));
    const stage = form['deal[stage_title]'] ?? form['deal[stage]'] ?? '';
    const type = form.type.startsWith('deal') && stage ? statusToType(stage, settings, false) : 'ignored';
    return [
      {
        event: {
          type,
          vendorEventId: `${form.type}:${form['deal[id]']}:${form.date_time}`,
          externalId: form['deal[id]'],
          status: stage,
          reason: `ActiveCampaign deal moved to "${stage}"`,
          description: `ActiveCampaign deal ${form['deal[id]']} moved to "${stage}"`,
        },
      },
    ];
  },
};
