/**
 * One delivery = one event to one target (a webhook subscription or an outbound platform). `attempt`
 * performs it once and records the attempt (status code, latency, error) in `delivery_attempts`; the
 * delivery workflow retries it with backoff and, when the budget is spent, `fail` marks it failed and
 * opens a staff task — a delivery is never dropped silently.
 */
import type { Kysely } from 'kysely';
import { appendTimeline } from '../appointments/repository';
import type { Database, DeliveryStatus, OutboundPlatform } from '../db/schema';
import { decryptSecret, type Keyring, SecretsError } from '../secrets/cipher';
import { type AppointmentEventView, appointmentEventView } from './events';
import { findLink } from './links';
import { expectStatus, fetchHttp, type Http, type HttpResponse, OutboundError } from './http';
import { type IntegrationConfig, OUTBOUND_PLATFORMS, PLATFORM_SYNC, type SyncResult } from './platforms';
import { DELIVERY_ID_HEADER, EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature';
import { countDelivery } from '../metrics';
import { withSpan } from '../tracing';

export interface DeliveryDeps {
  db: Kysely<Database>;
  /** The HTTP client (tests may wrap it). */
  http?: Http;
  /** Reads the stored (encrypted) webhook secrets and platform tokens (src/secrets/). */
  secrets: Keyring;
}

export interface AttemptResult {
  status: DeliveryStatus;
  outcome: string;
}

/** The body subscribers receive: the event as recorded. */
export function webhookBody(event: { id: string; type: string; occurred_at: Date; payload: unknown }): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.occurred_at.toISOString(),
    data: event.payload,
  });
}

export const isPlatform = (target: string): target is OutboundPlatform =>
  (OUTBOUND_PLATFORMS as readonly string[]).includes(target);

async function loadDelivery(db: Kysely<Database>, deliveryId: string) {
  return db
    .selectFrom('deliveries as d')
    .innerJoin('events as e', 'e.id', 'd.event_id')
    .select([
      'd.id',
      'd.target',
      'd.subscription_id',
      'd.status',
      'd.outcome',
      'e.id as event_id',
      'e.type',
      'e.subject_type',
      'e.subject_id',
      'e.payload',
      'e.occurred_at',
    ])
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadDelivery>>>;

/** A stored secret in plain text; one that cannot be read fails the delivery without retries. */
function readSecret(stored: string, ring: Keyring, what: string): string {
  try {
    return decryptSecret(stored, ring);
  } catch (error) {
    if (error instanceof SecretsError) throw new OutboundError(`${what}: ${error.message}`, null, false);
    throw error;
  }
}

async function deliverWebhook(
  db: Kysely<Database>,
  http: Http,
  row: Loaded,
  ring: Keyring,
): Promise<SyncResult & { skipped?: boolean }> {
  const subscription = row.subscription_id
    ? await db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', row.subscription_id).executeTakeFirst()
    : undefined;
  if (!subscription || subscription.deleted_at || !subscription.active) {
    return { outcome: 'subscription disabled or deleted; not sent', skipped: true };
  }
  const body = webhookBody({ id: row.event_id, type: row.type, occurred_at: row.occurred_at, payload: row.payload });
  const request = {
    method: 'POST' as const,
    url: subscription.url,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'appointflow-webhooks/1',
      [EVENT_ID_HEADER]: row.event_id,
      [EVENT_TYPE_HEADER]: row.type,
      [DELIVERY_ID_HEADER]: row.id,
      [SIGNATURE_HEADER]: signatureHeader(readSecret(subscription.secret, ring, 'webhook secret'), body),
    },
    body,
  };
  const response = await http(request);
  if (response.status < 200 || response.status >= 300) {
    // Any non-2xx is retried: the subscriber may be deploying or overloaded.
    throw new OutboundError(
      `subscriber answered ${response.status}${response.text ? `: ${response.text.slice(0, 200)}` : ''}`,
      response.status,
      true,
    );
  }
  expectStatus(response, request);
  return { outcome: `delivered (${response.status})`, statusCode: response.status };
}

async function deliverToPlatform(
  db: Kysely<Database>,
  http: Http,
  row: Loaded,
  platform: OutboundPlatform,
  ring: Keyring,
): Promise<SyncResult & { skipped?: boolean }> {
  const configRow = await db
    .selectFrom('outbound_integrations')
    .selectAll()
    .where('platform', '=', platform)
    .executeTakeFirst();
  if (!configRow?.enabled) return { outcome: `${platform} is not configured; not sent`, skipped: true };
  if (row.subject_type !== 'appointment') return { outcome: 'not an appointment event', skipped: true };
  const config: IntegrationConfig = {
    platform,
    baseUrl: configRow.base_url,
    accessToken: readSecret(configRow.access_token, ring, `${platform} access token`),
    settings: configRow.settings,
  };
  const payload = row.payload as { change?: Record<string, unknown> };
  // The platform is made to match the appointment as it is now. If it changed while we were talking to
  // the platform (another delivery of this appointment may have run in between), sync again, so the
  // last writer is always the latest state.
  let appointment = await appointmentEventView(db, row.subject_id);
  if (!appointment) return { outcome: 'appointment not found', skipped: true };
  let result: SyncResult = { outcome: '' };
  for (let pass = 1; pass <= 3; pass += 1) {
    result = await syncOnce(db, http, platform, config, row.type, payload.change ?? {}, appointment);
    const now = await appointmentEventView(db, row.subject_id);
    if (!now || syncedFieldsOf(now) === syncedFieldsOf(appointment)) break;
    appointment = now;
  }
  return result;
}

const syncedFieldsOf = (a: AppointmentEventView) => JSON.stringify([a.status, a.startsAt, a.endsAt, a.staff.id]);

async function syncOnce(
  db: Kysely<Database>,
  http: Http,
  platform: OutboundPlatform,
  config: IntegrationConfig,
  eventType: string,
  change: Record<string, unknown>,
  appointment: AppointmentEventView,
): Promise<SyncResult> {
  const link = await findLink(db, platform, appointment.id);
  const result = await PLATFORM_SYNC[platform]({
    eventType,
    appointment,
    change,
    link,
    config,
    http,
  });
  if (result.link === null) {
    await db
      .deleteFrom('outbound_links')
      .where('platform', '=', platform)
      .where('appointment_id', '=', appointment.id)
      .execute();
  } else if (result.link) {
    const now = new Date();
    if (CALENDAR_PLATFORMS.includes(platform)) {
      // What we wrote, so the inbound side knows the calendar's notification about it for our own echo
      // (src/integrations/inbound/echo.ts), and the event stays linked to the appointment after a cancel.
      result.link = {
        ...result.link,
        data: { ...result.link.data, syncedStartsAt: appointment.startsAt, syncedEndsAt: appointment.endsAt },
      };
      await db
        .insertInto('external_links')
        .values({ platform, external_id: result.link.externalId, appointment_id: appointment.id })
        .onConflict((oc) => oc.columns(['platform', 'external_id']).doNothing())
        .execute();
    }
    await db
      .insertInto('outbound_links')
      .values({
        platform,
        appointment_id: appointment.id,
        external_id: result.link.externalId,
        data: JSON.stringify(result.link.data),
      })
      .onConflict((oc) =>
        oc.columns(['platform', 'appointment_id']).doUpdateSet({
          external_id: result.link!.externalId,
          data: JSON.stringify(result.link!.data),
          updated_at: now,
        }),
      )
      .execute();
  }
  return result;
}

/** Calendars appointflow writes to and also listens to (inbound push notifications). */
const CALENDAR_PLATFORMS: readonly OutboundPlatform[] = ['google_calendar', 'microsoft_graph'];

/**
 * Performs delivery `deliveryId` once (attempt number `attempt`) and logs the attempt. A delivery
 * already succeeded is not sent again (idempotency guard for a retried activity). Throws an
 * OutboundError when the attempt failed.
 */
export async function attemptDelivery(deps: DeliveryDeps, deliveryId: string, attempt: number): Promise<AttemptResult> {
  const { db } = deps;
  const row = await loadDelivery(db, deliveryId);
  if (!row) throw new OutboundError(`delivery ${deliveryId} does not exist`, null, false);
  if (row.status === 'succeeded' || row.status === 'skipped') return { status: row.status, outcome: row.outcome ?? '' };
  let lastStatus: number | null = null;
  const baseHttp = deps.http ?? fetchHttp();
  const http: Http = async (request): Promise<HttpResponse> => {
    const response = await baseHttp(request);
    lastStatus = response.status;
    return response;
  };
  const startedAt = new Date();
  const t0 = performance.now();
  const latency = () => Math.round(performance.now() - t0);
  const logAttempt = (ok: boolean, statusCode: number | null, error: string | null) =>
    db
      .insertInto('delivery_attempts')
      .values({
        delivery_id: deliveryId,
        attempt,
        started_at: startedAt,
        status_code: statusCode,
        latency_ms: latency(),
        ok,
        error,
      })
      .onConflict((oc) =>
        oc
          .columns(['delivery_id', 'attempt'])
          .doUpdateSet({ status_code: statusCode, latency_ms: latency(), ok, error }),
      )
      .execute();
  try {
    const result = await withSpan(`delivery ${row.target}`, { type: row.type }, () =>
      isPlatform(row.target)
        ? deliverToPlatform(db, http, row, row.target, deps.secrets)
        : deliverWebhook(db, http, row, deps.secrets),
    );
    const status: DeliveryStatus = result.skipped ? 'skipped' : 'succeeded';
    await logAttempt(true, lastStatus, null);
    await db
      .updateTable('deliveries')
      .set({
        status,
        attempts: attempt,
        last_status_code: lastStatus,
        last_error: null,
        outcome: result.outcome,
        completed_at: new Date(),
      })
      .where('id', '=', deliveryId)
      .execute();
    countDelivery(isPlatform(row.target) ? 'platform' : 'webhook', status);
    return { status, outcome: result.outcome };
  } catch (error) {
    const failure =
      error instanceof OutboundError
        ? error
        : new OutboundError((error as Error).message ?? String(error), lastStatus, true);
    const statusCode = failure.statusCode ?? lastStatus;
    await logAttempt(false, statusCode, failure.message);
    countDelivery(isPlatform(row.target) ? 'platform' : 'webhook', 'attempt_failed');
    await db
      .updateTable('deliveries')
      .set({ attempts: attempt, last_status_code: statusCode, last_error: failure.message })
      .where('id', '=', deliveryId)
      .execute();
    throw failure;
  }
}

/** The retry budget is spent (or the failure cannot be retried): the delivery is failed, and staff get a task. */
export async function failDelivery(deps: Pick<DeliveryDeps, 'db'>, deliveryId: string, error: string): Promise<void> {
  const { db } = deps;
  const row = await loadDelivery(db, deliveryId);
  if (!row) return;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('deliveries')
      .set({ status: 'failed', completed_at: new Date(), outcome: error.slice(0, 500) })
      .where('id', '=', deliveryId)
      .where('status', '=', 'pending')
      .execute();
    countDelivery(isPlatform(row.target) ? 'platform' : 'webhook', 'failed');
    const appointmentId = row.subject_type === 'appointment' ? row.subject_id : null;
    const exists = appointmentId
      ? await trx.selectFrom('appointments').select('id').where('id', '=', appointmentId).executeTakeFirst()
      : undefined;
    const title = `Outbound delivery failed: ${row.type} to ${row.target} (${error.slice(0, 120)}) — replay it from the delivery log`;
    await trx
      .insertInto('tasks')
      .values({
        appointment_id: exists ? exists.id : null,
        kind: 'other',
        title,
        assignee_staff_id: null,
        due_at: null,
        idempotency_key: `delivery:${deliveryId}:failed`,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
    if (exists) {
      await appendTimeline(trx, {
        appointmentId: exists.id,
        kind: 'delivery:failed',
        actor: 'appointflow',
        channel: 'system',
        summary: title,
        data: { deliveryId, target: row.target, eventId: row.event_id },
        idempotencyKey: `delivery:${deliveryId}:failed:timeline`,
      });
    }
  });
}
