/**
 * `sendAppointmentMessageBatch` (patch appointment-lean-history-v1): the messages an appointment
 * workflow queued together — the 12 h mark's reminder and staff brief — in one activity, sent in order
 * through the single send. Each keeps its own idempotency keys, so a retried batch sends only what is
 * still missing. A message that fails does not stop the others: its outcome says why and whether
 * trying again can help, and the workflow then records it (final) or sends it on its own with the
 * single send's retries (workflows/appointment/outbox.ts).
 */
import { ApplicationFailure } from '@temporalio/common';
import type { SendAppointmentMessagesInput, SendAppointmentMessagesResult } from './notifications';

export interface SendAppointmentMessageBatchInput {
  messages: SendAppointmentMessagesInput[];
}

export type MessageBatchOutcome = { sent: SendAppointmentMessagesResult } | { failed: string; final: boolean };

export function messageBatch(send: (input: SendAppointmentMessagesInput) => Promise<SendAppointmentMessagesResult>) {
  return async (input: SendAppointmentMessageBatchInput): Promise<MessageBatchOutcome[]> => {
    const outcomes: MessageBatchOutcome[] = [];
    for (const message of input.messages) {
      try {
        outcomes.push({ sent: await send(message) });
      } catch (error) {
        const final = error instanceof ApplicationFailure && error.nonRetryable === true;
        outcomes.push({ failed: error instanceof Error ? error.message : String(error), final });
      }
    }
    return outcomes;
  };
}
