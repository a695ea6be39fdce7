/**
 * Outbound integrations and appointflow's own webhooks (issue 7, outbound half):
 * - `events`: the domain-event outbox, written in the same transaction as the change it describes,
 *   unique per source change (`source_key`), fanned out by the dispatcher (`dispatched_at`);
 * - `webhook_subscriptions`: subscriber URL, signing secret (kept: it signs every delivery), event filter;
 * - `outbound_integrations`: per-platform configuration (Google Calendar, Microsoft Graph, ServiceTitan,
 *   Zoho CRM, HubSpot, Mailchimp); a platform without a row costs nothing;
 * - `deliveries` / `delivery_attempts`: one delivery per event and target (webhook subscription or
 *   platform), every attempt with its status code, latency and error;
 * - `outbound_links`: the record a platform keeps for an appointment (calendar event id, CRM record id).
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `CREATE TABLE events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    type text NOT NULL CHECK (type ~ '^[a-z_]+\\.[a-z_.*]+$'),
    subject_type text NOT NULL,
    subject_id text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}'::jsonb,
    source_key text NOT NULL UNIQUE,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    dispatched_at timestamptz
  )`,
  `CREATE INDEX events_pending_idx ON events (occurred_at) WHERE dispatched_at IS NULL`,
  `CREATE INDEX events_subject_idx ON events (subject_type, subject_id, occurred_at)`,

  `CREATE TABLE webhook_subscriptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    url text NOT NULL CHECK (url ~ '^https?://'),
    description text NOT NULL DEFAULT '',
    event_types jsonb NOT NULL DEFAULT '["*"]'::jsonb,
    secret text NOT NULL CHECK (length(secret) >= 16),
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
  )`,

  `CREATE TABLE outbound_integrations (
    platform text PRIMARY KEY CHECK (platform IN ('google_calendar','microsoft_graph','servicetitan','zoho_crm','hubspot','mailchimp')),
    enabled boolean NOT NULL DEFAULT true,
    base_url text NOT NULL CHECK (base_url ~ '^https?://'),
    access_token text NOT NULL,
    settings jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,

  `CREATE TABLE deliveries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid NOT NULL REFERENCES events(id),
    target text NOT NULL,
    subscription_id uuid REFERENCES webhook_subscriptions(id),
    workflow_id text NOT NULL UNIQUE,
    replay_of uuid REFERENCES deliveries(id),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','succeeded','failed','skipped')),
    attempts integer NOT NULL DEFAULT 0,
    last_status_code integer,
    last_error text,
    outcome text,
    created_at timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz
  )`,
  `CREATE UNIQUE INDEX deliveries_first_idx ON deliveries (event_id, target) WHERE replay_of IS NULL`,
  `CREATE INDEX deliveries_subscription_idx ON deliveries (subscription_id, created_at)`,
  `CREATE INDEX deliveries_status_idx ON deliveries (status, created_at)`,

  `CREATE TABLE delivery_attempts (
    id bigserial PRIMARY KEY,
    delivery_id uuid NOT NULL REFERENCES deliveries(id),
    attempt integer NOT NULL CHECK (attempt >= 1),
    started_at timestamptz NOT NULL,
    status_code integer,
    latency_ms integer NOT NULL,
    ok boolean NOT NULL,
    error text,
    UNIQUE (delivery_id, attempt)
  )`,

  `CREATE TABLE outbound_links (
    platform text NOT NULL,
    appointment_id uuid NOT NULL REFERENCES appointments(id),
    external_id text NOT NULL,
    data jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, appointment_id)
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'outbound_links',
    'delivery_attempts',
    'deliveries',
    'outbound_integrations',
    'webhook_subscriptions',
    'events',
  ]) {
    await sql.raw(`DROP TABLE IF EXISTS ${table} CASCADE`).execute(db);
  }
}
