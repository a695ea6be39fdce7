/**
 * The dispatcher: fans each recorded event out to its targets (matching webhook subscriptions and
 * configured platforms) as one delivery row and one delivery workflow per target, then marks the event
 * dispatched. Runs beside the booking reconciler (every API process and `npm start`), polls every
 * OUTBOUND_DISPATCH_INTERVAL_MS and is nudged after each event recorded in this process. Safe on any
 * number of replicas at once: delivery rows are unique per (event, target) and workflow ids are
 * deterministic (`delivery:<eventId>:<target>`, duplicates rejected), so an event is never delivered
 * twice by the dispatcher. A platform that is not configured gets no row and no workflow.
 */
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import type { Logger } from '../logger';
import { DELIVERY_WORKFLOW_TYPE, type DeliveryInput, type deliveryWorkflow } from '../../workflows/delivery/workflow';
import { eventMatches, onEventRecorded } from './events';
import { findLink } from './links';
import { deliveryTargets, LINK_REQUIRED } from './platforms';
import { offerFreedSlotToWaitlist } from '../waitlist/hook';
import { offerPendingFreedTime } from '../waitlist/freed-time-outbox';

export interface DispatcherDeps {
  db: Kysely<Database>;
  temporal: Client;
  config: Config;
}

export const deliveryWorkflowId = (eventId: string, target: string) => `delivery:${eventId}:${target}`;

/** Starts the workflow of a delivery row; an already started (or finished) one is left as it is. */
export async function startDeliveryWorkflow(
  deps: DispatcherDeps,
  delivery: { id: string; workflow_id: string },
): Promise<void> {
  const { outbound } = deps.config;
  try {
    await deps.temporal.workflow.start<typeof deliveryWorkflow>(DELIVERY_WORKFLOW_TYPE, {
      workflowId: delivery.workflow_id,
      taskQueue: deps.config.temporal.taskQueue,
      args: [
        {
          deliveryId: delivery.id,
          retry: {
            initialIntervalMs: outbound.retryInitialMs,
            maximumIntervalMs: outbound.retryMaxIntervalMs,
            maximumAttempts: outbound.maxAttempts,
          },
        } satisfies DeliveryInput,
      ],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/** Dispatches up to `limit` pending events; returns how many deliveries it started. */
export async function dispatchPendingEvents(deps: DispatcherDeps, limit = 100): Promise<number> {
  const { db } = deps;
  const events = await db
    .selectFrom('events')
    .select(['id', 'type', 'subject_type', 'subject_id', 'payload'])
    .where('dispatched_at', 'is', null)
    .orderBy('occurred_at')
    .limit(limit)
    .execute();
  if (events.length === 0) return 0;
  const subscriptions = (
    await db
      .selectFrom('webhook_subscriptions')
      .select(['id', 'event_types'])
      .where('active', '=', true)
      .where('deleted_at', 'is', null)
      .execute()
  ).map((s) => ({ id: s.id, eventTypes: s.event_types }));
  const platforms = await db.selectFrom('outbound_integrations').select(['platform', 'enabled']).execute();
  let started = 0;
  for (const event of events) {
    const linked = new Set<string>();
    if (event.subject_type === 'appointment') {
      for (const { platform, enabled } of platforms) {
        if (enabled && LINK_REQUIRED.includes(platform) && (await findLink(db, platform, event.subject_id))) {
          linked.add(platform);
        }
      }
    }
    const targets = deliveryTargets({
      eventType: event.type,
      subjectType: event.subject_type,
      subscriptions,
      platforms,
      linkedPlatforms: linked,
      matches: eventMatches,
    });
    for (const target of targets) {
      await db
        .insertInto('deliveries')
        .values({
          event_id: event.id,
          target,
          subscription_id: target.startsWith('webhook:') ? target.slice('webhook:'.length) : null,
          workflow_id: deliveryWorkflowId(event.id, target),
        })
        .onConflict((oc) => oc.column('workflow_id').doNothing())
        .execute();
      const delivery = await db
        .selectFrom('deliveries')
        .select(['id', 'workflow_id'])
        .where('workflow_id', '=', deliveryWorkflowId(event.id, target))
        .executeTakeFirstOrThrow();
      await startDeliveryWorkflow(deps, delivery);
      started += 1;
    }
    // A cancel, no-show or move freed a slot: the waitlist offers it (src/waitlist/hook.ts).
    await offerFreedSlotToWaitlist(deps, event);
    await db.updateTable('events').set({ dispatched_at: new Date() }).where('id', '=', event.id).execute();
  }
  return started;
}

/** Replays a delivery: a new delivery row of the same event and target, with its own workflow. */
export async function replayDelivery(deps: DispatcherDeps, deliveryId: string): Promise<string | undefined> {
  const original = await deps.db.selectFrom('deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirst();
  if (!original) return undefined;
  const id = globalThis.crypto.randomUUID();
  const workflowId = `delivery-replay:${id}`;
  await deps.db
    .insertInto('deliveries')
    .values({
      id,
      event_id: original.event_id,
      target: original.target,
      subscription_id: original.subscription_id,
      workflow_id: workflowId,
      replay_of: original.id,
    })
    .execute();
  await startDeliveryWorkflow(deps, { id, workflow_id: workflowId });
  return id;
}

export function startEventDispatcher(
  deps: DispatcherDeps,
  logger: Logger,
): { stop: () => Promise<void>; nudge: () => void } {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  let again = false;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    // Events first, then time freed by staff changes (the waitlist's outbox, src/waitlist/freed-time-outbox.ts).
    running = dispatchPendingEvents(deps)
      .then(async (count) => (await offerPendingFreedTime(deps), count))
      .then(
        (count) => {
          if (count) logger.debug({ deliveries: count }, 'events dispatched');
        },
        (error: unknown) => logger.warn({ err: error }, 'event dispatcher could not run; will retry'),
      )
      .finally(() => {
        busy = false;
        if (again) {
          again = false;
          tick();
        }
      });
  };
  tick();
  const timer = setInterval(tick, deps.config.outbound.dispatchIntervalMs);
  timer.unref();
  const unsubscribe = onEventRecorded(tick);
  return {
    nudge: tick,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await running;
    },
  };
}
