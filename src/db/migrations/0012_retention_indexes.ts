/**
 * Indexes for retention (src/retention/prune.ts): finding old dispatched events, a delivery's replays
 * and an event's deliveries, and old inbound logs, without scanning whole tables once per row.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `CREATE INDEX events_dispatched_idx ON events (dispatched_at) WHERE dispatched_at IS NOT NULL`,
  `CREATE INDEX deliveries_event_idx ON deliveries (event_id)`,
  `CREATE INDEX deliveries_replay_of_idx ON deliveries (replay_of) WHERE replay_of IS NOT NULL`,
  `CREATE INDEX integration_deliveries_age_idx ON integration_deliveries (received_at)`,
  `CREATE INDEX inbound_events_age_idx ON inbound_events (received_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    'events_dispatched_idx',
    'deliveries_event_idx',
    'deliveries_replay_of_idx',
    'integration_deliveries_age_idx',
    'inbound_events_age_idx',
  ]) {
    await sql.raw(`DROP INDEX IF EXISTS ${name}`).execute(db);
  }
}
