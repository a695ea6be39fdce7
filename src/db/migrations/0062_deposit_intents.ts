/**
 * Deposit PaymentIntents the server created (issue 13): each one is recorded when the booking page asks
 * for it, claimed (`booked`) by the booking that uses it in the booking's own transaction, and swept by
 * the unbooked-deposit schedule (src/payments/unbooked-deposits.ts) when it is still `open` after the
 * grace: refunded when paid, `abandoned` (cancelled at the gateway) when never paid. `refunding` is the
 * sweep's claim, held while it calls the gateway; `refund_failed` opened a staff task (`task_id`).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE IF NOT EXISTS deposit_intents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      provider_payment_id text NOT NULL UNIQUE,
      gateway text NOT NULL CHECK (gateway IN ('stripe','simulated')),
      service_id uuid NOT NULL REFERENCES services(id),
      email text NOT NULL,
      name text NOT NULL,
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      currency char(3) NOT NULL,
      state text NOT NULL DEFAULT 'open'
        CHECK (state IN ('open','booked','refunding','refunded','refund_failed','abandoned')),
      appointment_id uuid REFERENCES appointments(id),
      provider_refund_id text,
      error text,
      task_id uuid REFERENCES tasks(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // The sweep reads the open ones, oldest first.
  await sql`CREATE INDEX IF NOT EXISTS deposit_intents_open ON deposit_intents (created_at) WHERE state IN ('open','refunding')`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS deposit_intents`.execute(db);
}
