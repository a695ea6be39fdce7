/**
 * Memberships (issue 5): each plan's visit policy (late-cancel window, whether a late cancel or a
 * no-show forfeits the visit, the expiry reminder), the counters the `membership:<id>` workflow keeps
 * on the membership row, the purchase's idempotency key, and one purchase invoice per membership.
 */
import { type Kysely, sql } from 'kysely';

const up_statements = [
  `ALTER TABLE membership_plans
     ADD COLUMN description text NOT NULL DEFAULT '',
     ADD COLUMN late_cancel_hours integer NOT NULL DEFAULT 24 CHECK (late_cancel_hours >= 0),
     ADD COLUMN late_cancel_forfeits boolean NOT NULL DEFAULT true,
     ADD COLUMN no_show_forfeits boolean NOT NULL DEFAULT true,
     ADD COLUMN expiry_reminder_days integer NOT NULL DEFAULT 7 CHECK (expiry_reminder_days >= 0)`,
  `ALTER TABLE memberships
     ADD COLUMN visits_forfeited integer NOT NULL DEFAULT 0 CHECK (visits_forfeited >= 0),
     ADD COLUMN visits_returned integer NOT NULL DEFAULT 0 CHECK (visits_returned >= 0),
     ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC',
     ADD COLUMN purchase_key text UNIQUE,
     ADD COLUMN expired_at timestamptz,
     ADD COLUMN workflow_started_at timestamptz`,
  `CREATE INDEX memberships_contact_idx ON memberships (contact_id)`,
  `CREATE INDEX appointments_membership_idx ON appointments (membership_id) WHERE membership_id IS NOT NULL`,
  `CREATE UNIQUE INDEX invoices_membership_purchase_key ON invoices (membership_id) WHERE appointment_id IS NULL`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    'DROP INDEX IF EXISTS invoices_membership_purchase_key',
    'DROP INDEX IF EXISTS appointments_membership_idx',
    'DROP INDEX IF EXISTS memberships_contact_idx',
    `ALTER TABLE memberships DROP COLUMN IF EXISTS visits_forfeited, DROP COLUMN IF EXISTS visits_returned,
       DROP COLUMN IF EXISTS time_zone, DROP COLUMN IF EXISTS purchase_key, DROP COLUMN IF EXISTS expired_at,
       DROP COLUMN IF EXISTS workflow_started_at`,
    `ALTER TABLE membership_plans DROP COLUMN IF EXISTS description, DROP COLUMN IF EXISTS late_cancel_hours,
       DROP COLUMN IF EXISTS late_cancel_forfeits, DROP COLUMN IF EXISTS no_show_forfeits,
       DROP COLUMN IF EXISTS expiry_reminder_days`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
