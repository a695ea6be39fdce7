/**
 * One inbound delivery, from the raw request to the answer the platform expects:
 *   1. an unknown or unconfigured platform → 404, nothing stored;
 *   2. a handshake (Graph `validationToken`) is answered as the platform requires;
 *   3. verification on the raw body (constant time, staleness where signed) — a failure is stored as
 *      an unverified delivery and answered 401 / 403, with no change;
 *   4. the body is parsed with the vendor's zod schema (400 naming the problem when it does not fit);
 *   5. each item is stored, claiming its vendor event id: a redelivery is stored as a duplicate and
 *      changes nothing;
 *   6. events are applied at once (workflow updates are quick); id-only items start the fetch workflow
 *      and the platform gets its answer without waiting for the vendor API.
 */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { ZodError } from 'zod';
import type { Config } from '../../config';
import type { Database } from '../../db/schema';
import {
  INBOUND_FETCH_WORKFLOW_TYPE,
  type InboundFetchInput,
  inboundFetchWorkflowId,
} from '../../../workflows/integration-inbound/messages';
import type { inboundFetchWorkflow } from '../../../workflows/integration-inbound/workflow';
import { applyEvent } from './apply';
import { adapterFor } from './registry';
import { finishDelivery, loadSettings, recordRejected, recordVerified } from './store';
import { keyringOf } from '../../secrets/keys';
import type { HttpAnswer, InboundItem, InboundRequest } from './types';

export interface ReceiveDeps {
  db: Kysely<Database>;
  temporal: Client;
  config: Config;
}

const json = (status: number, body: unknown): HttpAnswer => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(body),
});

const errorAnswer = (status: number, code: string, message: string) => json(status, { error: { code, message } });

export async function receiveInbound(
  deps: ReceiveDeps,
  platform: string,
  req: InboundRequest,
  now = Date.now(),
): Promise<HttpAnswer> {
  const adapter = adapterFor(platform);
  const settings = adapter ? await loadSettings(deps.db, platform, keyringOf(deps.config.secrets)) : undefined;
  if (!adapter || !settings) {
    return errorAnswer(404, 'not_configured', `Inbound integration "${platform}" is not configured.`);
  }
  const handshake = adapter.handshake?.(req, settings);
  if (handshake) return handshake;

  const payload = req.rawBody.toString('utf8');
  const verified = adapter.verify(req, settings, now);
  if (!verified.ok) {
    await recordRejected(deps.db, platform, verified.reason, payload);
    return errorAnswer(verified.status ?? 401, 'unverified', `Delivery not verified: ${verified.reason}.`);
  }

  let items: InboundItem[];
  try {
    items = adapter.parse(req, settings);
  } catch (error) {
    const message =
      error instanceof ZodError
        ? error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')
        : (error as Error).message;
    await recordRejected(deps.db, platform, message, payload, 'invalid');
    return errorAnswer(400, 'invalid_payload', `Payload not understood: ${message}`);
  }

  const results: Array<{ vendorEventId: string | null; duplicate: boolean; outcome: string }> = [];
  for (const item of items) {
    if ('event' in item) {
      const event = item.event;
      const stored = await recordVerified(
        deps.db,
        platform,
        { vendorEventId: event.vendorEventId, eventType: event.type, externalId: event.externalId },
        payload,
      );
      if (stored.duplicate) {
        results.push({ vendorEventId: event.vendorEventId, duplicate: true, outcome: 'duplicate' });
        continue;
      }
      try {
        const applied = await applyEvent(deps, settings, event);
        await finishDelivery(deps.db, stored.id, applied);
        results.push({ vendorEventId: event.vendorEventId, duplicate: false, outcome: applied.outcome });
      } catch (error) {
        // Releases the claim (see the migration's index), so the vendor's retry is processed.
        await finishDelivery(deps.db, stored.id, { outcome: 'failed', error: (error as Error).message });
        throw error;
      }
    } else {
      const ref = item.fetch;
      const claimAfterFetch = ref.dedupeAfterFetch === true;
      const stored = await recordVerified(
        deps.db,
        platform,
        {
          vendorEventId: claimAfterFetch ? null : ref.vendorEventId,
          eventType: `fetch:${ref.hint}`,
          externalId: ref.externalId,
        },
        payload,
      );
      if (stored.duplicate) {
        results.push({ vendorEventId: ref.vendorEventId, duplicate: true, outcome: 'duplicate' });
        continue;
      }
      const input: InboundFetchInput = { platform, deliveryId: stored.id, refs: [ref], claimAfterFetch };
      try {
        await deps.temporal.workflow.start<typeof inboundFetchWorkflow>(INBOUND_FETCH_WORKFLOW_TYPE, {
          workflowId: inboundFetchWorkflowId(platform, stored.id),
          taskQueue: deps.config.temporal.taskQueue,
          args: [input],
          staticSummary: `${platform}: fetch ${ref.hint} ${ref.externalId}`,
        });
      } catch (error) {
        // Releases the claim (see the migration's index), so the vendor's retry is processed.
        await finishDelivery(deps.db, stored.id, { outcome: 'failed', error: (error as Error).message });
        throw error;
      }
      await finishDelivery(deps.db, stored.id, { outcome: 'fetching details' });
      results.push({ vendorEventId: ref.vendorEventId, duplicate: false, outcome: 'fetching details' });
    }
  }
  return adapter.acknowledge?.(items) ?? json(200, { received: true, results });
}
