/**
 * Inbound integrations (issue 7): per-platform settings (secrets, vendor API base, options, sync
 * state), every delivery received (verified or not, duplicate or not, with its outcome) and the links
 * from a platform's external ids to appointments.
 *
 * A verified, first-seen delivery claims its vendor event id: the partial unique index makes a second
 * claim of the same id fail, so a redelivery is stored as a duplicate and changes nothing. A delivery
 * whose processing failed releases its claim, so the vendor's retry is processed.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `CREATE TABLE inbound_integrations (
    platform text PRIMARY KEY,
    enabled boolean NOT NULL DEFAULT true,
    secrets jsonb NOT NULL DEFAULT '{}'::jsonb,
    api_base text,
    options jsonb NOT NULL DEFAULT '{}'::jsonb,
    state jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE integration_deliveries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    platform text NOT NULL,
    vendor_event_id text,
    received_at timestamptz NOT NULL DEFAULT now(),
    verified boolean NOT NULL,
    duplicate boolean NOT NULL DEFAULT false,
    event_type text,
    external_id text,
    appointment_id uuid REFERENCES appointments(id),
    outcome text NOT NULL DEFAULT 'received',
    error text,
    payload text NOT NULL DEFAULT '',
    processed_at timestamptz
  )`,
  `CREATE UNIQUE INDEX integration_deliveries_event_uq ON integration_deliveries (platform, vendor_event_id)
    WHERE vendor_event_id IS NOT NULL AND verified AND NOT duplicate AND outcome NOT IN ('failed', 'fetch_failed')`,
  `CREATE INDEX integration_deliveries_received_idx ON integration_deliveries (platform, received_at DESC)`,
  `CREATE TABLE external_links (
    platform text NOT NULL,
    external_id text NOT NULL,
    appointment_id uuid NOT NULL REFERENCES appointments(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, external_id)
  )`,
  `CREATE INDEX external_links_appointment_idx ON external_links (appointment_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['external_links', 'integration_deliveries', 'inbound_integrations'])
    await sql.raw(`DROP TABLE IF EXISTS ${table} CASCADE`).execute(db);
}
