/**
 * Deposits paid but never used for a booking (issue 13): the customer paid the deposit's PaymentIntent
 * on the booking page and then did not book (the time was taken and they left, the tab closed, the
 * booking failed). Every deposit PaymentIntent the server makes is recorded (`deposit_intents`,
 * src/payments/deposit-intents.ts) and claimed by its booking in the booking's transaction; the sweep
 * (run by the `unbookedDepositsWorkflow` from a Temporal Schedule) takes those still `open` after the
 * grace, reads each back from the gateway and:
 * - succeeded: claims it (`refunding`; a booking can no longer take it), refunds it in full with the
 *   key `deposit:<payment intent>:unbooked`, marks it `refunded` and emails the customer; a refund the
 *   provider refuses marks it `refund_failed` and opens a staff task (src/payments/refund-tasks.ts);
 * - never paid (`requires_payment_method`, `requires_action`, …): cancels it at the gateway and marks
 *   it `abandoned` — never a refund; one the customer paid in the meantime cannot be cancelled and is
 *   left for the next run;
 * - `processing`, or a gateway that cannot be reached: left for the next run.
 * Two sweeps at once are safe: the claim is one conditional UPDATE, the refund key is the same, and
 * only the sweep whose UPDATE moves `refunding` on writes the email or the task.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';
import { formatMoney } from '../billing/invoice';
import { formatWhenShort } from '../messaging/templates';
import { sendStored, storeMessage } from '../messaging/direct-send';
import type { MessageProvider } from '../messaging/providers';
import { isRetryablePaymentError, type PaymentGateway } from './gateway';
import { openRefundTask } from './refund-tasks';
import { emptySweepCounts, type UnbookedSweepCounts } from '../../workflows/unbooked-deposits/messages';

export interface UnbookedSweepInput {
  /** The run's instant (workflow time): deposits created before `now - graceMs` are swept. */
  now: number;
  graceMs: number;
  /** Rows per call. */
  limit?: number;
  /** Where the previous call stopped (created_at ISO and id), so rows left waiting are not read again. */
  after?: { createdAt: string; id: string } | null;
}

export interface UnbookedSweepResult {
  counts: UnbookedSweepCounts;
  /** Where this call stopped; null when there is nothing more. */
  next: { createdAt: string; id: string } | null;
}

export interface UnbookedSweepDeps {
  db: Kysely<Database>;
  payments: PaymentGateway;
  email: MessageProvider;
  /** The customer pages' base URL, for the "book again" link. */
  publicBaseUrl: string;
}

type Row = Awaited<ReturnType<typeof candidates>>[number];
type Outcome = keyof UnbookedSweepCounts | 'skipped';

function candidates(db: Kysely<Database>, input: UnbookedSweepInput) {
  const cutoff = new Date(input.now - input.graceMs);
  let q = db
    .selectFrom('deposit_intents as d')
    .innerJoin('services as s', 's.id', 'd.service_id')
    .select([
      'd.id',
      'd.provider_payment_id',
      'd.email',
      'd.name',
      'd.amount_minor',
      'd.currency',
      'd.created_at',
      's.name as service',
      's.slug',
    ])
    .where('d.state', 'in', ['open', 'refunding'])
    .where('d.created_at', '<', cutoff);
  if (input.after) {
    const { createdAt, id } = input.after;
    q = q.where(sql<boolean>`(d.created_at, d.id) > (${new Date(createdAt)}, ${id}::uuid)`);
  }
  return q
    .orderBy('d.created_at')
    .orderBy('d.id')
    .limit(input.limit ?? 100)
    .execute();
}

/** One batch of the sweep. Idempotent: a retried or concurrent call refunds nothing twice. */
export async function sweepUnbookedDeposits(
  deps: UnbookedSweepDeps,
  input: UnbookedSweepInput,
): Promise<UnbookedSweepResult> {
  const rows = await candidates(deps.db, input);
  const counts = emptySweepCounts();
  for (const row of rows) {
    const outcome = await settle(deps, row);
    if (outcome !== 'skipped') counts[outcome] += 1;
  }
  const last = rows.at(-1);
  return {
    counts,
    next:
      last && rows.length === (input.limit ?? 100) ? { createdAt: last.created_at.toISOString(), id: last.id } : null,
  };
}

async function settle(deps: UnbookedSweepDeps, row: Row): Promise<Outcome> {
  let status: string;
  try {
    status = (await deps.payments.retrievePaymentIntent(row.provider_payment_id)).status;
  } catch (error) {
    if (isRetryablePaymentError(error)) return 'waiting';
    // The gateway does not know it (the simulated gateway restarted): nothing was taken through it.
    return (await markAbandoned(deps.db, row, `unknown at the gateway: ${(error as Error).message}`))
      ? 'abandoned'
      : 'skipped';
  }
  if (status === 'succeeded') return refund(deps, row);
  if (status === 'processing') return 'waiting';
  if (status !== 'canceled' && deps.payments.cancelPaymentIntent) {
    try {
      await deps.payments.cancelPaymentIntent({
        paymentIntentId: row.provider_payment_id,
        idempotencyKey: `deposit:${row.provider_payment_id}:abandoned`,
      });
    } catch {
      return 'waiting'; // paid meanwhile, or the gateway is away: the next run reads it again
    }
  }
  return (await markAbandoned(deps.db, row, `not paid (${status})`)) ? 'abandoned' : 'skipped';
}

async function markAbandoned(db: Kysely<Database>, row: Row, why: string): Promise<boolean> {
  const updated = await db
    .updateTable('deposit_intents')
    .set({ state: 'abandoned', error: why.slice(0, 500), updated_at: new Date() })
    .where('id', '=', row.id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

async function refund(deps: UnbookedSweepDeps, row: Row): Promise<Outcome> {
  const { db } = deps;
  // The claim: from here on a booking cannot use it (src/payments/deposit-intents.ts claimDepositIntent).
  const claimed = await db
    .updateTable('deposit_intents')
    .set({ state: 'refunding', updated_at: new Date() })
    .where('id', '=', row.id)
    .where('state', 'in', ['open', 'refunding'])
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return 'skipped'; // booked (or settled) meanwhile
  const amountMinor = Number(row.amount_minor);
  let result: { refundId: string | null; failed: string | null };
  try {
    const refunded = await deps.payments.refund({
      paymentId: row.provider_payment_id,
      amountMinor,
      idempotencyKey: `deposit:${row.provider_payment_id}:unbooked`,
      metadata: { purpose: 'deposit_unbooked', depositIntentId: row.id },
    });
    result = {
      refundId: refunded.refundId,
      failed: refunded.status === 'failed' ? (refunded.failureReason ?? 'refused by the payment provider') : null,
    };
  } catch (error) {
    if (isRetryablePaymentError(error)) return 'waiting'; // stays `refunding`: the next run retries with the same key
    result = { refundId: null, failed: (error as Error).message };
  }
  const amount = formatMoney(amountMinor, row.currency.trim());
  const business = await db.selectFrom('business').select(['name', 'time_zone']).executeTakeFirst();
  const paidOn = formatWhenShort(row.created_at.getTime(), business?.time_zone ?? 'UTC');
  const contact = await db
    .selectFrom('contacts')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', row.email))
    .executeTakeFirst();
  const messageId = await db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('deposit_intents')
      .set({
        state: result.failed ? 'refund_failed' : 'refunded',
        provider_refund_id: result.refundId,
        error: result.failed,
        updated_at: new Date(),
      })
      .where('id', '=', row.id)
      .where('state', '=', 'refunding')
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) return null; // a concurrent sweep wrote the outcome
    if (result.failed) {
      const taskId = await openRefundTask(trx, {
        customer: { name: row.name, email: row.email },
        amount,
        reason: result.failed,
        what: `a deposit for ${row.service} paid on ${paidOn} and never used for a booking`,
        next: `Refund payment ${row.provider_payment_id} from the payment provider's dashboard (or pay it back another way) and tell the customer, then mark this task done.`,
        appointmentId: null,
        contactId: contact?.id ?? null,
        idempotencyKey: `deposit:${row.provider_payment_id}:unbooked:task`,
      });
      await trx.updateTable('deposit_intents').set({ task_id: taskId }).where('id', '=', row.id).execute();
      return null;
    }
    return storeMessage(trx, deps.email, {
      channel: 'email',
      recipient: row.email,
      subject: `Your deposit of ${amount} has been refunded`,
      body: refundEmail({
        ...row,
        amount,
        paidOn,
        business: business?.name ?? 'us',
        bookUrl: `${deps.publicBaseUrl}/book/${row.slug}`,
      }),
      template: 'depositRefundedUnbooked',
      idempotencyKey: `deposit:${row.provider_payment_id}:unbooked:email`,
      contactId: contact?.id ?? null,
    });
  });
  if (messageId) await sendStored(db, deps.email, messageId);
  return result.failed ? 'refundFailed' : 'refunded';
}

/** The customer's email, in plain words: how much, that no booking was made, when the money comes back. */
export function refundEmail(input: {
  name: string;
  amount: string;
  service: string;
  business: string;
  paidOn: string;
  bookUrl: string;
}): string {
  return [
    `Hello ${input.name},`,
    '',
    `On ${input.paidOn} you paid a deposit of ${input.amount} for ${input.service} at ${input.business}, but the booking was not completed, so no appointment was made.`,
    `We have refunded the full ${input.amount} to the card you paid with. Refunds usually reach your account within 5 to 10 business days, depending on your bank.`,
    '',
    `If you would still like to come, you can book again at ${input.bookUrl}`,
    '',
    input.business,
  ].join('\n');
}
