/**
 * The waitlist (src/waitlist/): who waits for what (service, optional staff member, a window of dates,
 * weekdays and times in their zone), and the offers made to them — an open offer is a hold: its slot
 * is not offered to anyone else until it is claimed or expires.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE waitlist_entries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contact_id uuid NOT NULL REFERENCES contacts(id),
    service_id uuid NOT NULL REFERENCES services(id),
    staff_id uuid REFERENCES staff(id),
    from_date date NOT NULL,
    to_date date NOT NULL CHECK (to_date >= from_date),
    weekdays integer[] NOT NULL DEFAULT '{}',
    time_from time NOT NULL DEFAULT '00:00',
    time_to time NOT NULL DEFAULT '24:00',
    time_zone text NOT NULL,
    status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'booked', 'left')),
    source text NOT NULL,
    created_by text NOT NULL,
    appointment_id uuid REFERENCES appointments(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`CREATE INDEX waitlist_entries_waiting_idx ON waitlist_entries (service_id, created_at) WHERE status = 'waiting'`.execute(
    db,
  );
  await sql`CREATE TABLE waitlist_offers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entry_id uuid NOT NULL REFERENCES waitlist_entries(id),
    workflow_id text NOT NULL,
    staff_id uuid NOT NULL REFERENCES staff(id),
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    blocked_from timestamptz NOT NULL,
    blocked_until timestamptz NOT NULL,
    token_hash text NOT NULL UNIQUE,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'claiming', 'claimed', 'expired')),
    expires_at timestamptz NOT NULL,
    appointment_id uuid REFERENCES appointments(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workflow_id, entry_id)
  )`.execute(db);
  await sql`CREATE INDEX waitlist_offers_holds_idx ON waitlist_offers (staff_id, blocked_until) WHERE status IN ('open', 'claiming')`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS waitlist_offers`.execute(db);
  await sql`DROP TABLE IF EXISTS waitlist_entries`.execute(db);
}
