/**
 * Pipedrive webhooks v2: `{ meta: { action, entity, id, entity_id, timestamp, attempt, … }, data,
 * previous }` for activities. Authenticity: the HTTP Basic credentials set on the webhook (Pipedrive
 * signs nothing). `delete` → cancel; a changed `due_date` / `due_time` (UTC) → reschedule; an activity
 * marked not done after being done ("marked incomplete", seed 003) → no-show. Dedupe on `meta.id`.
 */
import { z } from 'zod';
import { basicAuthMatches } from '../crypto';
import type { InboundAdapter, NormalisedEvent } from '../types';

const activity = z
  .object({
    id: z.union([z.number(), z.string()]),
    due_date: z.string().nullish(),
    due_time: z.string().nullish(),
    done: z.boolean().nullish(),
    subject: z.string().nullish(),
  })
  .partial({ due_date: true, due_time: true, done: true });

export const pipedriveBody = z.object({
  meta: z.object({
    action: z.enum(['create', 'change', 'delete']),
    entity: z.string(),
    id: z.string().min(1),
    entity_id: z.union([z.string(), z.number()]).transform(String),
    timestamp: z.string().optional(),
    attempt: z.number().optional(),
  }),
  data: activity.nullish(),
  previous: activity.partial({ id: true }).nullish(),
});

function startOf(a: {
  due_date?: string | null | undefined;
  due_time?: string | null | undefined;
}): number | undefined {
  if (!a.due_date || !a.due_time) return undefined;
  const time = a.due_time.length === 5 ? `${a.due_time}:00` : a.due_time;
  return Date.parse(`${a.due_date}T${time}Z`);
}

export const pipedrive: InboundAdapter = {
  platform: 'pipedrive',
  requiredSecrets: ['basicUser', 'basicPassword'],
  verify(req, settings) {
    return basicAuthMatches(
      req.headers.authorization,
      settings.secrets.basicUser ?? '',
      settings.secrets.basicPassword ?? '',
    )
      ? { ok: true }
      : { ok: false, reason: 'Basic auth mismatch' };
  },
  parse(req) {
    const body = pipedriveBody.parse(JSON.parse(req.rawBody.toString('utf8')));
    const base = { vendorEventId: body.meta.id, externalId: body.meta.entity_id };
    let event: NormalisedEvent;
    if (body.meta.entity !== 'activity') event = { ...base, type: 'ignored' };
    else if (body.meta.action === 'delete')
      event = { ...base, type: 'cancelled', reason: 'Activity deleted in Pipedrive' };
    else if (body.meta.action === 'create') event = { ...base, type: 'ignored' };
    else {
      const now = body.data ? startOf(body.data) : undefined;
      const before = body.previous ? startOf({ ...body.data, ...body.previous }) : undefined;
      if (body.previous?.done === true && body.data?.done === false) {
        event = { ...base, type: 'no_show', reason: 'Activity marked incomplete in Pipedrive' };
      } else if (now !== undefined && before !== undefined && now !== before) {
        event = { ...base, type: 'rescheduled', startsAt: now };
      } else event = { ...base, type: 'ignored' };
    }
    return [{ event }];
  },
};
