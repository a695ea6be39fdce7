/**
 * The whole data model of the brief. Runs unchanged on PostgreSQL and on PGlite (which ships
 * btree_gist, so the double-booking exclusion constraint is the same on both).
 *
 * Conventions: money in integer minor units (bigint, parsed to number); instants as timestamptz;
 * time zones as IANA names; enumerations as CHECK constraints; secrets (API keys, manage tokens) only
 * as SHA-256 hashes; JSON as jsonb written from JSON.stringify.
 */
import { type Kysely, sql } from 'kysely';

const STAGES = `'Appointment Scheduled','Appointment Tomorrow','Appointment Today','Paid Won','Closed Lost','Missed'`;
const MEMBERSHIP_STAGES = `'Appointment Unscheduled','Appointment Scheduled','Appointment Tomorrow','Appointment Today','Membership Expired'`;

const statements = [
  `CREATE EXTENSION IF NOT EXISTS btree_gist`,

  `CREATE TABLE staff (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(trim(name)) > 0),
    email text NOT NULL,
    phone text CHECK (phone IS NULL OR phone ~ '^\\+[1-9][0-9]{6,14}$'),
    role text NOT NULL CHECK (role IN ('admin','staff','technician')),
    time_zone text NOT NULL,
    password_hash text,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE UNIQUE INDEX staff_email_key ON staff (lower(email))`,

  `CREATE TABLE business (
    id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    name text NOT NULL,
    time_zone text NOT NULL,
    currency char(3) NOT NULL DEFAULT 'USD',
    tax_rate_bps integer NOT NULL DEFAULT 0 CHECK (tax_rate_bps BETWEEN 0 AND 10000),
    email text NOT NULL,
    phone text,
    address text,
    billing_owner_staff_id uuid REFERENCES staff(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,

  `CREATE TABLE services (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 1440),
    buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 480),
    buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 480),
    slot_interval_minutes integer NOT NULL DEFAULT 15 CHECK (slot_interval_minutes BETWEEN 5 AND 240),
    min_notice_minutes integer NOT NULL DEFAULT 120 CHECK (min_notice_minutes >= 0),
    booking_horizon_days integer NOT NULL DEFAULT 60 CHECK (booking_horizon_days BETWEEN 1 AND 730),
    currency char(3) NOT NULL,
    pricing text NOT NULL CHECK (pricing IN ('fixed','hourly')),
    price_minor bigint NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
    hourly_rate_minor bigint NOT NULL DEFAULT 0 CHECK (hourly_rate_minor >= 0),
    billing_increment_minutes integer NOT NULL DEFAULT 15 CHECK (billing_increment_minutes BETWEEN 1 AND 240),
    billing_policy text NOT NULL DEFAULT 'manual' CHECK (billing_policy IN ('manual','auto')),
    tax_rate_bps integer CHECK (tax_rate_bps IS NULL OR tax_rate_bps BETWEEN 0 AND 10000),
    lifecycle_policy jsonb NOT NULL DEFAULT '{}'::jsonb,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,

  `CREATE TABLE staff_services (
    staff_id uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    service_id uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, service_id)
  )`,

  `CREATE TABLE availability_rules (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    staff_id uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_time time NOT NULL,
    end_time time NOT NULL,
    CHECK (start_time < end_time)
  )`,
  `CREATE INDEX availability_rules_staff_idx ON availability_rules (staff_id, weekday)`,

  `CREATE TABLE time_off (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    staff_id uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    reason text NOT NULL DEFAULT '',
    CHECK (starts_at < ends_at)
  )`,
  `CREATE INDEX time_off_staff_idx ON time_off (staff_id, starts_at)`,

  `CREATE TABLE contacts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(trim(name)) > 0),
    email text NOT NULL,
    phone text CHECK (phone IS NULL OR phone ~ '^\\+[1-9][0-9]{6,14}$'),
    time_zone text,
    address text,
    notes text NOT NULL DEFAULT '',
    sms_opt_in boolean NOT NULL DEFAULT false,
    sms_opt_in_at timestamptz,
    sms_opt_in_source text,
    sms_opted_out_at timestamptz,
    sms_opt_out_source text,
    email_bounced_at timestamptz,
    stripe_customer_id text,
    default_payment_method_id text,
    card_brand text,
    card_last4 text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE UNIQUE INDEX contacts_email_key ON contacts (lower(email))`,

  `CREATE TABLE membership_plans (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    visits_total integer CHECK (visits_total IS NULL OR visits_total > 0),
    validity_days integer NOT NULL CHECK (validity_days > 0),
    price_minor bigint NOT NULL CHECK (price_minor >= 0),
    currency char(3) NOT NULL,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE membership_plan_services (
    plan_id uuid NOT NULL REFERENCES membership_plans(id) ON DELETE CASCADE,
    service_id uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    PRIMARY KEY (plan_id, service_id)
  )`,
  `CREATE TABLE memberships (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plan_id uuid NOT NULL REFERENCES membership_plans(id),
    contact_id uuid NOT NULL REFERENCES contacts(id),
    certificate_number text NOT NULL UNIQUE,
    visits_total integer CHECK (visits_total IS NULL OR visits_total > 0),
    visits_used integer NOT NULL DEFAULT 0 CHECK (visits_used >= 0),
    valid_from timestamptz NOT NULL,
    valid_until timestamptz NOT NULL,
    stage text NOT NULL DEFAULT 'Appointment Unscheduled' CHECK (stage IN (${MEMBERSHIP_STAGES})),
    workflow_id text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_from < valid_until),
    CHECK (visits_total IS NULL OR visits_used <= visits_total)
  )`,

  `CREATE TABLE appointments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contact_id uuid NOT NULL REFERENCES contacts(id),
    staff_id uuid NOT NULL REFERENCES staff(id),
    service_id uuid NOT NULL REFERENCES services(id),
    membership_id uuid REFERENCES memberships(id),
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    blocked_from timestamptz NOT NULL,
    blocked_until timestamptz NOT NULL,
    during tstzrange GENERATED ALWAYS AS (tstzrange(blocked_from, blocked_until, '[)')) STORED,
    time_zone text NOT NULL,
    status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','in_progress','done','cancelled','no_show')),
    stage text NOT NULL DEFAULT 'Appointment Scheduled' CHECK (stage IN (${STAGES})),
    price_minor bigint NOT NULL CHECK (price_minor >= 0),
    currency char(3) NOT NULL,
    billable_minutes integer CHECK (billable_minutes IS NULL OR billable_minutes > 0),
    client_note text NOT NULL DEFAULT '',
    public_notes text NOT NULL DEFAULT '',
    internal_notes text NOT NULL DEFAULT '',
    source text NOT NULL,
    external_refs jsonb NOT NULL DEFAULT '{}'::jsonb,
    workflow_id text NOT NULL UNIQUE,
    workflow_started_at timestamptz,
    revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
    cancelled_at timestamptz,
    cancel_reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at),
    CHECK (blocked_from <= starts_at AND blocked_until >= ends_at),
    CONSTRAINT appointments_no_double_booking
      EXCLUDE USING gist (staff_id WITH =, during WITH &&) WHERE (status IN ('scheduled','in_progress'))
  )`,
  `CREATE INDEX appointments_contact_idx ON appointments (contact_id, starts_at)`,
  `CREATE INDEX appointments_staff_idx ON appointments (staff_id, starts_at)`,
  `CREATE INDEX appointments_starts_at_idx ON appointments (starts_at)`,
  `CREATE INDEX appointments_workflow_pending_idx ON appointments (created_at) WHERE workflow_started_at IS NULL`,

  `CREATE TABLE tasks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    appointment_id uuid REFERENCES appointments(id),
    membership_id uuid REFERENCES memberships(id),
    kind text NOT NULL CHECK (kind IN ('deliver_service','charge_customer','reach_out','payment_follow_up','unmatched_event','other')),
    title text NOT NULL,
    assignee_staff_id uuid REFERENCES staff(id),
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','cancelled')),
    due_at timestamptz,
    form_result jsonb,
    completed_by text,
    completed_at timestamptz,
    idempotency_key text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX tasks_assignee_idx ON tasks (assignee_staff_id, status, due_at)`,
  `CREATE INDEX tasks_appointment_idx ON tasks (appointment_id)`,

  `CREATE TABLE messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    appointment_id uuid REFERENCES appointments(id),
    membership_id uuid REFERENCES memberships(id),
    contact_id uuid REFERENCES contacts(id),
    staff_id uuid REFERENCES staff(id),
    channel text NOT NULL CHECK (channel IN ('email','sms','slack')),
    template text NOT NULL,
    recipient text NOT NULL,
    subject text,
    body text NOT NULL,
    html text,
    attachments jsonb NOT NULL DEFAULT '[]'::jsonb,
    status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','sent','delivered','bounced','failed','suppressed')),
    provider text NOT NULL,
    provider_message_id text,
    error text,
    idempotency_key text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX messages_appointment_idx ON messages (appointment_id, created_at)`,
  `CREATE INDEX messages_contact_idx ON messages (contact_id, created_at)`,

  `CREATE SEQUENCE invoice_number_seq START WITH 1001`,
  `CREATE TABLE invoices (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    appointment_id uuid UNIQUE REFERENCES appointments(id),
    membership_id uuid REFERENCES memberships(id),
    contact_id uuid NOT NULL REFERENCES contacts(id),
    number bigint NOT NULL UNIQUE DEFAULT nextval('invoice_number_seq'),
    currency char(3) NOT NULL,
    lines jsonb NOT NULL DEFAULT '[]'::jsonb,
    subtotal_minor bigint NOT NULL DEFAULT 0,
    tax_rate_bps integer NOT NULL DEFAULT 0,
    tax_minor bigint NOT NULL DEFAULT 0,
    total_minor bigint NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','open','paid','void')),
    issued_at timestamptz,
    paid_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (total_minor = subtotal_minor + tax_minor)
  )`,
  `CREATE TABLE payment_attempts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    invoice_id uuid NOT NULL REFERENCES invoices(id),
    attempt integer NOT NULL CHECK (attempt >= 1),
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    currency char(3) NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','succeeded','declined','requires_action','failed')),
    gateway text NOT NULL CHECK (gateway IN ('stripe','simulated')),
    provider_payment_id text,
    decline_code text,
    error text,
    idempotency_key text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (invoice_id, attempt)
  )`,

  `CREATE TABLE timeline_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    appointment_id uuid REFERENCES appointments(id),
    membership_id uuid REFERENCES memberships(id),
    contact_id uuid REFERENCES contacts(id),
    kind text NOT NULL,
    actor text NOT NULL,
    channel text NOT NULL,
    summary text NOT NULL,
    data jsonb NOT NULL DEFAULT '{}'::jsonb,
    idempotency_key text UNIQUE,
    occurred_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX timeline_events_appointment_idx ON timeline_events (appointment_id, id)`,
  `CREATE INDEX timeline_events_membership_idx ON timeline_events (membership_id, id)`,
  `CREATE FUNCTION timeline_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'timeline_events is append-only';
    END
  $$`,
  `CREATE TRIGGER timeline_events_append_only BEFORE UPDATE OR DELETE ON timeline_events
    FOR EACH ROW EXECUTE FUNCTION timeline_events_append_only()`,

  `CREATE TABLE inbound_events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    provider text NOT NULL,
    event_id text NOT NULL,
    status text NOT NULL DEFAULT 'received' CHECK (status IN ('received','processed','duplicate','rejected','unmatched','failed')),
    payload jsonb NOT NULL DEFAULT '{}'::jsonb,
    outcome text,
    received_at timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    UNIQUE (provider, event_id)
  )`,

  `CREATE TABLE api_keys (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    prefix text NOT NULL,
    key_hash text NOT NULL UNIQUE,
    scopes jsonb NOT NULL DEFAULT '[]'::jsonb,
    created_by_staff_id uuid REFERENCES staff(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz
  )`,

  `CREATE TABLE manage_tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    appointment_id uuid NOT NULL REFERENCES appointments(id),
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
  )`,
  `CREATE INDEX manage_tokens_appointment_idx ON manage_tokens (appointment_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    'manage_tokens',
    'api_keys',
    'inbound_events',
    'timeline_events',
    'payment_attempts',
    'invoices',
    'messages',
    'tasks',
    'appointments',
    'memberships',
    'membership_plan_services',
    'membership_plans',
    'contacts',
    'time_off',
    'availability_rules',
    'staff_services',
    'services',
    'business',
    'staff',
  ];
  for (const table of tables) await sql.raw(`DROP TABLE IF EXISTS ${table} CASCADE`).execute(db);
  await sql.raw('DROP FUNCTION IF EXISTS timeline_events_append_only()').execute(db);
  await sql.raw('DROP SEQUENCE IF EXISTS invoice_number_seq').execute(db);
}
