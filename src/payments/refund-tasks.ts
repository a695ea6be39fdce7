/**
 * A deposit refund the payment provider refused (issue 13): a task for the front desk naming the
 * customer, the amount and the provider's reason, and what to do about it — instead of a log line
 * nobody reads. Opened once per refund (the task's idempotency key), on the appointment's timeline
 * when there is an appointment. Used by the cancellation policy's deposit refund
 * (src/billing/deposits.ts) and the unbooked-deposit sweep (src/payments/unbooked-deposits.ts).
 */
import type { Kysely, Transaction } from 'kysely';
import { appendTimeline } from '../appointments/repository';
import type { Database } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

export interface FailedRefund {
  customer: { name: string; email: string };
  /** "$15.00" */
  amount: string;
  reason: string;
  /** What the money was, in a few words: "the deposit for Consultation on Tue, Dec 8, 10:00 AM". */
  what: string;
  /** Where staff act: the invoice, or the payment at the provider. */
  next: string;
  appointmentId: string | null;
  contactId: string | null;
  idempotencyKey: string;
}

/** The task's title: who, how much, why, and what to do. */
export function refundTaskTitle(refund: FailedRefund): string {
  return (
    `Refund failed: ${refund.amount} to ${refund.customer.name} (${refund.customer.email}) for ${refund.what}. ` +
    `The payment provider said: ${refund.reason}. ${refund.next}`
  );
}

/** Opens the task (once per key); returns its id. */
export async function openRefundTask(db: Db, refund: FailedRefund): Promise<string> {
  const title = refundTaskTitle(refund);
  await db
    .insertInto('tasks')
    .values({
      appointment_id: refund.appointmentId,
      kind: 'payment_follow_up',
      title: title.length > 500 ? `${title.slice(0, 497)}...` : title,
      assignee_staff_id: null,
      due_at: null,
      idempotency_key: refund.idempotencyKey,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
  const { id } = await db
    .selectFrom('tasks')
    .select('id')
    .where('idempotency_key', '=', refund.idempotencyKey)
    .executeTakeFirstOrThrow();
  if (refund.appointmentId) {
    await appendTimeline(db, {
      appointmentId: refund.appointmentId,
      contactId: refund.contactId,
      kind: 'task:created',
      actor: 'appointflow',
      channel: 'system',
      summary: `Task for staff: ${title}`,
      data: { taskId: id, kind: 'payment_follow_up' },
      idempotencyKey: `${refund.idempotencyKey}:timeline`,
    });
  }
  return id;
}
