/**
 * The outbox: messages the workflow decided to send, queued in order and sent one at a time by the
 * notifier coroutine, so a slow provider never holds up an answer to a caller. A reminder or brief that
 * became stale by the time it is sent (cancelled, or for an old time) is dropped.
 */
import { allHandlersFinished, condition, log, workflowInfo } from '@temporalio/workflow';
import { isActiveStatus } from '../../src/domain/stages';
import type { MessageBatchOutcome } from '../../activities/message-batch';
import type { SendAppointmentMessagesInput } from '../../activities/notifications';
import { alerts, batchMessaging, failureReason, messaging } from './activities';
import { type OutboxMessage, PATCHES } from './messages';
import type { AppointmentModel } from './state';

export type QueuedMessage = OutboxMessage;

export type NewMessage = Omit<QueuedMessage, 'revision'> & { revision?: number };

export class Outbox {
  private readonly queue: QueuedMessage[];
  private closed = false;
  /** Handing over to a new run: no new sends (what is queued travels with the state). */
  private paused = false;
  /** A message is being sent right now (taken off the queue already). */
  private sending = false;

  constructor(
    private readonly model: AppointmentModel,
    carried: readonly QueuedMessage[] = [],
  ) {
    this.queue = [...carried];
  }

  /** Stops sending after the message in flight, for the hand-over. */
  pause(): void {
    this.paused = true;
  }

  /** No message is being sent right now. */
  isQuiet(): boolean {
    return !this.sending;
  }

  /** What is queued and not sent, for the next run. */
  queued(): QueuedMessage[] {
    return [...this.queue];
  }

  enqueue(message: NewMessage): void {
    this.queue.push({ revision: this.model.appointment.revision, ...message });
  }

  /** No more messages after what is queued: the notifier returns once the queue is empty. */
  close(): void {
    this.closed = true;
  }

  /** Nothing queued and nothing being sent. */
  isIdle(): boolean {
    return this.queue.length === 0 && !this.sending;
  }

  /**
   * The end of a run (patch appointment-end-of-run-v1): drain the queue, then wait for every handler,
   * and again until both are quiet — a handler that finishes during the drain may queue a message, and
   * one that starts during it must finish — then close, so nothing queued is dropped.
   */
  async drainAndClose(notifier: Promise<void>): Promise<void> {
    for (;;) {
      await condition(() => this.isIdle());
      await condition(allHandlersFinished);
      if (this.isIdle()) break;
    }
    this.close();
    await notifier;
  }

  private isStale(message: QueuedMessage): boolean {
    const { appointment } = this.model;
    return message.onlyIfCurrent && (message.revision !== appointment.revision || !isActiveStatus(appointment.status));
  }

  /**
   * The notifier coroutine: sends queued messages in order until the outbox is closed and empty. On the
   * lean history (patch appointment-lean-history-v1) the messages queued by the time it wakes go out in
   * one activity; before it, one at a time.
   */
  async notifier(): Promise<void> {
    const workflowId = workflowInfo().workflowId;
    for (;;) {
      await condition(() => (this.queue.length > 0 && !this.paused) || this.closed);
      if (this.queue.length === 0) return;
      const taken = this.model.lean ? this.queue.splice(0) : this.queue.splice(0, 1);
      const fresh = taken.filter((message) => !this.isStale(message));
      if (fresh.length === 0) continue;
      this.sending = true;
      try {
        if (fresh.length === 1) await this.sendOrRecord(workflowId, fresh[0]!);
        else await this.sendBatch(workflowId, fresh);
      } finally {
        this.sending = false;
      }
    }
  }

  /**
   * Several messages in one activity. One that failed is recorded when trying again cannot help (a
   * render error), else sent on its own with the single send's retries; so is every message of a batch
   * that failed as a whole (what went out is not sent twice: idempotency keys).
   */
  private async sendBatch(workflowId: string, messages: QueuedMessage[]): Promise<void> {
    let outcomes: MessageBatchOutcome[] = [];
    try {
      outcomes = await batchMessaging.sendAppointmentMessageBatch({
        messages: messages.map((m) => this.input(workflowId, m)),
      });
    } catch (error) {
      log.warn('Message batch failed; sending one at a time', { error: failureReason(error) });
    }
    for (const [i, message] of messages.entries()) {
      const outcome = outcomes[i];
      if (outcome && 'sent' in outcome) continue;
      if (outcome?.final) await this.recordFailure(workflowId, message, outcome.failed);
      else if (!this.isStale(message)) await this.sendOrRecord(workflowId, message);
    }
  }

  /** One message; a message that cannot be sent does not stop the ones after it (patch appointment-bounded-retries-v1). */
  private async sendOrRecord(workflowId: string, message: QueuedMessage): Promise<void> {
    try {
      await messaging.sendAppointmentMessages(this.input(workflowId, message));
    } catch (error) {
      if (!this.model.patched(PATCHES.boundedRetries)) throw error;
      await this.recordFailure(workflowId, message, error);
    }
  }

  private input(workflowId: string, message: QueuedMessage): SendAppointmentMessagesInput {
    return {
      appointmentId: this.model.appointment.appointmentId,
      workflowId,
      audience: message.audience,
      event: message.event,
      step: message.step,
      revision: message.revision,
      onlyIfCurrent: message.onlyIfCurrent,
      ...(message.previousStartsAt !== undefined ? { previousStartsAt: message.previousStartsAt } : {}),
      ...(message.suggestSlots ? { suggestSlots: message.suggestSlots } : {}),
      ...(message.nextAttemptAt !== undefined ? { nextAttemptAt: message.nextAttemptAt } : {}),
      ...(message.assignee === 'billing_owner' ? { toBillingOwner: true } : {}),
      ...(message.edited ? { edited: message.edited } : {}),
      ...(message.publicNote ? { publicNote: message.publicNote } : {}),
      ...(message.deposit ? { deposit: message.deposit } : {}),
    };
  }

  /** Marked failed, on the timeline, staff told; if even that fails (database down), logged. */
  private async recordFailure(workflowId: string, message: QueuedMessage, error: unknown): Promise<void> {
    const reason = failureReason(error);
    log.warn('Message not sent', { event: message.event, step: message.step, reason });
    try {
      await alerts.recordMessageFailure({
        appointmentId: this.model.appointment.appointmentId,
        workflowId,
        audience: message.audience,
        event: message.event,
        step: message.step,
        revision: message.revision,
        reason,
      });
    } catch (alertError) {
      log.error('Message failure could not be recorded', { step: message.step, error: failureReason(alertError) });
    }
  }
}
