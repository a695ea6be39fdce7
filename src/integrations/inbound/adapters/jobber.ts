/**
 * Jobber webhooks (developer.getjobber.com, "Setting up Webhooks"): a POST of the `webHookEvent`
 * query's result, `{ data: { webHookEvent: { topic, appId, accountId, itemId, occurredAt } } }` — ids
 * only; apps created before Dec. 8, 2023 receive the timestamp as `occuredAt`. At-least-once, to be
 * answered within 1 second. Signature: `X-Jobber-Hmac-SHA256` = base64 HMAC-SHA256(the app's OAuth
 * client secret, raw body). Jobber signs no timestamp. Dedupe: topic, item and occurredAt.
 *
 * A deleted visit (`VISIT_DESTROY`) cancels the linked appointment. Any other visit topic carries no
 * details: with an `accessToken` configured, the visit is fetched through Jobber's GraphQL API
 * (`POST /api/graphql`, `Authorization: Bearer`, `X-JOBBER-GRAPHQL-VERSION`, `visit(id:) { startAt endAt
 * visitStatus isComplete }`) in the fetch activity, and its start becomes a reschedule (applying is
 * state-aware: an unchanged start changes nothing). A completed, unscheduled or vanished visit — or any
 * visit topic when no access token is configured — becomes a status change: a timeline note and a staff
 * task to check the visit.
 */
import { z } from 'zod';
import { hmac, safeEqual } from '../crypto';
import type { InboundAdapter, NormalisedEvent } from '../types';

export const jobberBody = z.object({
  data: z.object({
    webHookEvent: z
      .object({
        topic: z.string().min(1),
        appId: z.string().optional(),
        accountId: z.string().optional(),
        itemId: z.string().min(1),
        occurredAt: z.string().min(1).optional(),
        /** The field's name for apps created before Dec. 8, 2023. */
        occuredAt: z.string().min(1).optional(),
      })
      .refine((e) => e.occurredAt !== undefined || e.occuredAt !== undefined, {
        message: 'expected occurredAt',
        path: ['occurredAt'],
      }),
  }),
});

/** The visit as the GraphQL API answers it (fields of Jobber's `Visit` type). */
export const jobberVisitAnswer = z.object({
  data: z
    .object({
      visit: z
        .object({
          id: z.string(),
          startAt: z.string().nullable(),
          endAt: z.string().nullable().optional(),
          visitStatus: z.string().optional(),
          isComplete: z.boolean().optional(),
        })
        .nullable(),
    })
    .nullable()
    .optional(),
  errors: z.array(z.object({ message: z.string() })).optional(),
});

export const JOBBER_API_BASE = 'https://api.getjobber.com';
/** Sent when option `graphqlVersion` is not set; Jobber requires one of its active versions. */
export const JOBBER_DEFAULT_GRAPHQL_VERSION = '2025-04-16';

export const JOBBER_VISIT_QUERY =
  'query AppointflowVisit($id: EncodedId!) { visit(id: $id) { id startAt endAt visitStatus isComplete } }';

export const jobber: InboundAdapter = {
  platform: 'jobber',
  requiredSecrets: ['clientSecret'],
  defaultApiBase: JOBBER_API_BASE,
  verify(req, settings) {
    const signature = req.headers['x-jobber-hmac-sha256'];
    if (!signature) return { ok: false, reason: 'missing X-Jobber-Hmac-SHA256' };
    const expected = hmac('sha256', settings.secrets.clientSecret ?? '', req.rawBody, 'base64');
    return safeEqual(signature, expected) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
  },
  parse(req, settings) {
    const e = jobberBody.parse(JSON.parse(req.rawBody.toString('utf8'))).data.webHookEvent;
    const occurredAt = e.occurredAt ?? e.occuredAt ?? '';
    const base = { vendorEventId: `${e.topic}:${e.itemId}:${occurredAt}`, externalId: e.itemId };
    if (e.topic === 'VISIT_DESTROY') {
      return [{ event: { ...base, type: 'cancelled', reason: 'Visit deleted in Jobber' } }];
    }
    if (e.topic.startsWith('VISIT_')) {
      if (settings.secrets.accessToken) {
        return [{ fetch: { ...base, hint: e.topic } }];
      }
      const what = e.topic.slice('VISIT_'.length).toLowerCase();
      return [
        {
          event: {
            ...base,
            type: 'status_changed',
            status: what,
            description: `Jobber visit ${e.itemId} ${what} at ${occurredAt}: check its time and status`,
          },
        },
      ];
    }
    return [{ event: { ...base, type: 'ignored' } }];
  },
  async fetchDetails(refs, settings, fetcher) {
    const base = (settings.apiBase ?? JOBBER_API_BASE).replace(/\/$/, '');
    const version =
      typeof settings.options.graphqlVersion === 'string'
        ? settings.options.graphqlVersion
        : JOBBER_DEFAULT_GRAPHQL_VERSION;
    const events: NormalisedEvent[] = [];
    for (const ref of refs) {
      const response = await fetcher(`${base}/api/graphql`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${settings.secrets.accessToken ?? ''}`,
          'content-type': 'application/json',
          accept: 'application/json',
          'x-jobber-graphql-version': version,
        },
        body: JSON.stringify({ query: JOBBER_VISIT_QUERY, variables: { id: ref.externalId } }),
      });
      if (!response.ok) throw new Error(`Jobber answered ${response.status} for visit ${ref.externalId}`);
      const answer = jobberVisitAnswer.parse(await response.json());
      const visit = answer.data?.visit;
      if (visit === undefined) {
        // No data at all: a GraphQL error (throttled, token, version) — retried by the activity's policy.
        throw new Error(
          `Jobber GraphQL error for visit ${ref.externalId}: ${answer.errors?.[0]?.message ?? 'no data'}`,
        );
      }
      const common = { vendorEventId: ref.vendorEventId, externalId: ref.externalId };
      const what = ref.hint.replace(/^VISIT_/, '').toLowerCase();
      const check = (status: string, detail: string): NormalisedEvent => ({
        ...common,
        type: 'status_changed',
        status,
        description: `Jobber visit ${ref.externalId} ${detail}: check its time and status`,
      });
      if (visit === null) {
        events.push(check('not_found', `${what} but no longer found`));
      } else if (ref.hint === 'VISIT_COMPLETE' || visit.isComplete) {
        events.push(check('completed', 'completed'));
      } else if (!visit.startAt) {
        events.push(check('unscheduled', `${what}: now unscheduled`));
      } else {
        const startsAt = Date.parse(visit.startAt);
        if (!Number.isFinite(startsAt)) throw new Error(`Jobber visit ${ref.externalId}: startAt ${visit.startAt}`);
        const endsAt = visit.endAt ? Date.parse(visit.endAt) : Number.NaN;
        events.push({
          ...common,
          type: 'rescheduled',
          startsAt,
          ...(Number.isFinite(endsAt) ? { endsAt } : {}),
          description: `Jobber visit ${ref.externalId} ${what}: starts ${visit.startAt}`,
        });
      }
    }
    return { events };
  },
};
