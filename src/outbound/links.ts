/**
 * The record a platform keeps for an appointment. Outbound sync writes its own links (`outbound_links`:
 * calendar event ids, CRM record ids it created). Platforms that only update a record appointflow did
 * not create (ServiceTitan, Zoho CRM) also find it where the rest of appointflow keeps external ids:
 * the appointment's `external_refs` (`{ "<platform>": "<id>" }`, e.g. set when it was imported) and the
 * inbound integrations' `external_links` table (platform, external id → appointment), when present.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, OutboundPlatform } from '../db/schema';
import { LINK_REQUIRED, type LinkState } from './platforms';

type Db = Kysely<Database> | Transaction<Database>;

const withInboundLinks = new WeakSet<object>();

/** Whether the inbound integrations' `external_links` table exists (once it does, it stays). */
async function hasInboundLinks(db: Db): Promise<boolean> {
  if (withInboundLinks.has(db)) return true;
  const { rows } = await sql<{
    present: boolean;
  }>`select to_regclass('public.external_links') is not null as present`.execute(db);
  const present = rows[0]?.present === true;
  if (present) withInboundLinks.add(db);
  return present;
}

export async function findLink(db: Db, platform: string, appointmentId: string): Promise<LinkState | undefined> {
  const own = await db
    .selectFrom('outbound_links')
    .select(['external_id', 'data'])
    .where('platform', '=', platform)
    .where('appointment_id', '=', appointmentId)
    .executeTakeFirst();
  if (own) return { externalId: own.external_id, data: own.data };
  // Calendars and HubSpot create their own record; only update-only platforms look further.
  if (!LINK_REQUIRED.includes(platform as OutboundPlatform)) return undefined;
  const appointment = await db
    .selectFrom('appointments')
    .select('external_refs')
    .where('id', '=', appointmentId)
    .executeTakeFirst();
  const refs = appointment?.external_refs ?? {};
  const ref = refs[platform];
  // ServiceTitan cancels the job: its id may sit beside the appointment's (`servicetitan_job`).
  const extra = refs[`${platform}_job`] ? { jobId: refs[`${platform}_job`] } : {};
  if (typeof ref === 'string' && ref) return { externalId: ref, data: extra };
  if (!(await hasInboundLinks(db))) return undefined;
  const inbound = await sql<{ external_id: string }>`
    select external_id from external_links
    where platform = ${platform} and appointment_id = ${appointmentId}
    order by created_at desc limit 1`.execute(db);
  const linked = inbound.rows[0];
  return linked ? { externalId: linked.external_id, data: extra } : undefined;
}
