/**
 * Invoices a business can use (issue 13): the `uncollectible` state (after the last dunning attempt),
 * when an invoice was voided or written off, a payment ledger and refunds.
 * - `invoice_payments`: every payment credited on an invoice — the off-session card charge, a payment
 *   on the pay page, a deposit taken at booking, and payments taken outside Stripe (cash, cheque, bank
 *   transfer, other) with who recorded them and when the money was received. The invoice is paid once
 *   the ledger covers its total. `provider_payment_id` and `idempotency_key` are unique, so recording
 *   the same payment twice (a webhook and the pay page, a retried request) credits it once.
 *   Invoices already paid by a card charge are backfilled from their succeeded payment attempt.
 * - `invoice_refunds`: refunds, full or partial, each with the idempotency key sent to Stripe.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `ALTER TABLE invoices DROP CONSTRAINT IF EXISTS invoices_status_check`,
  `ALTER TABLE invoices
     ADD CONSTRAINT invoices_status_check CHECK (status IN ('draft','open','paid','void','uncollectible')),
     ADD COLUMN voided_at timestamptz,
     ADD COLUMN uncollectible_at timestamptz,
     ADD COLUMN status_note text`,
  `CREATE TABLE invoice_payments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    invoice_id uuid NOT NULL REFERENCES invoices(id),
    method text NOT NULL CHECK (method IN ('card','pay_link','deposit','cash','cheque','bank_transfer','other')),
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    currency char(3) NOT NULL,
    gateway text CHECK (gateway IS NULL OR gateway IN ('stripe','simulated')),
    provider_payment_id text UNIQUE,
    reference text,
    recorded_by text NOT NULL,
    received_at timestamptz NOT NULL,
    idempotency_key text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX invoice_payments_invoice ON invoice_payments (invoice_id)`,
  `CREATE TABLE invoice_refunds (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    invoice_id uuid NOT NULL REFERENCES invoices(id),
    payment_id uuid NOT NULL REFERENCES invoice_payments(id),
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    currency char(3) NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','succeeded','failed')),
    gateway text CHECK (gateway IS NULL OR gateway IN ('stripe','simulated')),
    provider_refund_id text,
    reason text NOT NULL DEFAULT '',
    requested_by text NOT NULL,
    idempotency_key text NOT NULL UNIQUE,
    error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX invoice_refunds_invoice ON invoice_refunds (invoice_id)`,
  `INSERT INTO invoice_payments
     (invoice_id, method, amount_minor, currency, gateway, provider_payment_id, recorded_by, received_at, idempotency_key)
   SELECT p.invoice_id, 'card', p.amount_minor, p.currency, p.gateway, p.provider_payment_id, 'appointflow',
          p.updated_at, p.idempotency_key
     FROM payment_attempts p
    WHERE p.status = 'succeeded'
   ON CONFLICT DO NOTHING`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS invoice_refunds').execute(db);
  await sql.raw('DROP TABLE IF EXISTS invoice_payments').execute(db);
  await sql.raw(`UPDATE invoices SET status = 'open' WHERE status = 'uncollectible'`).execute(db);
  await sql
    .raw(
      `ALTER TABLE invoices DROP CONSTRAINT IF EXISTS invoices_status_check,
         DROP COLUMN IF EXISTS voided_at, DROP COLUMN IF EXISTS uncollectible_at, DROP COLUMN IF EXISTS status_note`,
    )
    .execute(db);
  await sql
    .raw(`ALTER TABLE invoices ADD CONSTRAINT invoices_status_check CHECK (status IN ('draft','open','paid','void'))`)
    .execute(db);
}
