/**
 * The database side of inbound integrations: per-platform settings, the delivery log (with the claim
 * of a vendor event id that makes redeliveries duplicates) and the external-id → appointment links.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { decryptSecrets, encryptSecrets, type Keyring } from '../../secrets/cipher';
import type { PlatformSettings } from './types';

type Db = Kysely<Database>;

/**
 * The platform's settings, or undefined when it is not configured (or disabled). Its secrets are
 * stored encrypted (src/secrets/) and come back in plain text; legacy plain-text values read as-is.
 */
export async function loadSettings(db: Db, platform: string, ring: Keyring): Promise<PlatformSettings | undefined> {
  const row = await db
    .selectFrom('inbound_integrations')
    .selectAll()
    .where('platform', '=', platform)
    .where('enabled', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    platform,
    secrets: decryptSecrets(row.secrets, ring),
    apiBase: row.api_base,
    options: row.options,
    state: row.state,
  };
}

export async function saveSettings(
  db: Db,
  platform: string,
  input: {
    secrets: Record<string, string>;
    apiBase?: string | null;
    options?: Record<string, unknown>;
    enabled?: boolean;
  },
  ring: Keyring,
): Promise<void> {
  const values = {
    platform,
    secrets: JSON.stringify(encryptSecrets(input.secrets, ring)),
    api_base: input.apiBase ?? null,
    options: JSON.stringify(input.options ?? {}),
    enabled: input.enabled ?? true,
  };
  await db
    .insertInto('inbound_integrations')
    .values(values)
    .onConflict((oc) =>
      oc.column('platform').doUpdateSet({
        secrets: values.secrets,
        api_base: values.api_base,
        options: values.options,
        enabled: values.enabled,
        updated_at: new Date(),
      }),
    )
    .execute();
}

export async function saveState(db: Db, platform: string, state: Record<string, unknown>): Promise<void> {
  await db
    .updateTable('inbound_integrations')
    .set({ state: JSON.stringify(state), updated_at: new Date() })
    .where('platform', '=', platform)
    .execute();
}

const PAYLOAD_LIMIT = 64 * 1024;

/** Stores a delivery that changes nothing: unverified (`rejected`) or verified but not understood (`invalid`). */
export async function recordRejected(
  db: Db,
  platform: string,
  reason: string,
  payload: string,
  outcome: 'rejected' | 'invalid' = 'rejected',
): Promise<string> {
  const row = await db
    .insertInto('integration_deliveries')
    .values({
      platform,
      verified: outcome === 'invalid',
      outcome,
      error: reason,
      payload: payload.slice(0, PAYLOAD_LIMIT),
      processed_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === '23505' || /integration_deliveries_event_uq|duplicate key/.test(e?.message ?? '');
}

/**
 * Stores a verified delivery item. With a vendor event id, the first delivery claims it; a later one
 * with the same id is stored as a duplicate (outcome `duplicate`) and must change nothing.
 */
export async function recordVerified(
  db: Db,
  platform: string,
  item: { vendorEventId: string | null; eventType: string; externalId: string },
  payload: string,
): Promise<{ id: string; duplicate: boolean }> {
  const base = {
    platform,
    verified: true,
    event_type: item.eventType,
    external_id: item.externalId || null,
    payload: payload.slice(0, PAYLOAD_LIMIT),
  };
  try {
    const row = await db
      .insertInto('integration_deliveries')
      .values({ ...base, vendor_event_id: item.vendorEventId })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, duplicate: false };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const row = await db
      .insertInto('integration_deliveries')
      .values({
        ...base,
        vendor_event_id: item.vendorEventId,
        duplicate: true,
        outcome: 'duplicate',
        processed_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, duplicate: true };
  }
}

/** Claims a vendor event id known only after a fetch; false (and the row marked duplicate) if taken. */
export async function claimLate(db: Db, deliveryId: string, vendorEventId: string): Promise<boolean> {
  try {
    await db
      .updateTable('integration_deliveries')
      .set({ vendor_event_id: vendorEventId })
      .where('id', '=', deliveryId)
      .execute();
    return true;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await db
      .updateTable('integration_deliveries')
      .set({ vendor_event_id: vendorEventId, duplicate: true, outcome: 'duplicate', processed_at: new Date() })
      .where('id', '=', deliveryId)
      .execute();
    return false;
  }
}

export async function finishDelivery(
  db: Db,
  deliveryId: string,
  result: {
    outcome: string;
    appointmentId?: string | null;
    error?: string | null;
    eventType?: string;
    externalId?: string;
  },
): Promise<void> {
  await db
    .updateTable('integration_deliveries')
    .set({
      outcome: result.outcome.slice(0, 500),
      appointment_id: result.appointmentId ?? null,
      error: result.error ?? null,
      processed_at: new Date(),
      ...(result.eventType ? { event_type: result.eventType } : {}),
      ...(result.externalId ? { external_id: result.externalId } : {}),
    })
    .where('id', '=', deliveryId)
    .execute();
}

export async function linkExternal(db: Db, platform: string, externalId: string, appointmentId: string): Promise<void> {
  await db
    .insertInto('external_links')
    .values({ platform, external_id: externalId, appointment_id: appointmentId })
    .onConflict((oc) => oc.columns(['platform', 'external_id']).doNothing())
    .execute();
}

/**
 * Outbound Google Calendar sync gives the events it creates the id `af` + the appointment uuid's hex
 * (`googleEventId` in src/outbound/platforms.ts), so such an event names its appointment even after
 * the outbound link was removed (the echo of our own delete).
 */
export function appointmentIdOfGoogleEvent(eventId: string): string | undefined {
  const m = /^af([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/.exec(eventId);
  return m ? m.slice(1).join('-') : undefined;
}

export async function findAppointmentById(db: Db, appointmentId: string) {
  if (!UUID.test(appointmentId)) return undefined;
  return db
    .selectFrom('appointments as a')
    .select(['a.id', 'a.workflow_id', 'a.status', 'a.starts_at', 'a.contact_id'])
    .where('a.id', '=', appointmentId)
    .executeTakeFirst();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The appointment an external id refers to: a link in `external_links`, an entry in the appointment's
 * `external_refs` under the platform's name, or (for admin-written bodies) an appointflow appointment id.
 */
export async function findAppointment(db: Db, platform: string, externalId: string) {
  if (!externalId) return undefined;
  const select = ['a.id', 'a.workflow_id', 'a.status', 'a.starts_at', 'a.contact_id'] as const;
  const linked = await db
    .selectFrom('external_links as l')
    .innerJoin('appointments as a', 'a.id', 'l.appointment_id')
    .select(select)
    .where('l.platform', '=', platform)
    .where('l.external_id', '=', externalId)
    .executeTakeFirst();
  if (linked) return linked;
  // An event appointflow's own outbound calendar sync created (its echo must find our appointment).
  const ours = await db
    .selectFrom('outbound_links as o')
    .innerJoin('appointments as a', 'a.id', 'o.appointment_id')
    .select(select)
    .where('o.platform', '=', platform)
    .where('o.external_id', '=', externalId)
    .executeTakeFirst();
  if (ours) return ours;
  const googleId = platform === 'google_calendar' ? appointmentIdOfGoogleEvent(externalId) : undefined;
  if (googleId) {
    const byGoogleId = await db
      .selectFrom('appointments as a')
      .select(select)
      .where('a.id', '=', googleId)
      .executeTakeFirst();
    if (byGoogleId) return byGoogleId;
  }
  const byRef = await db
    .selectFrom('appointments as a')
    .select(select)
    .where((eb) => eb(eb.ref('a.external_refs', '->>').key(platform), '=', externalId))
    .executeTakeFirst();
  if (byRef) return byRef;
  if (UUID.test(externalId)) {
    return db.selectFrom('appointments as a').select(select).where('a.id', '=', externalId).executeTakeFirst();
  }
  return undefined;
}
