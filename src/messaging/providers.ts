/**
 * Where messages go. Every message is stored first (the outbox in the `messages` table); a provider
 * then delivers it and returns the provider's message id. Without provider keys the local outbox
 * provider is used: the message stays viewable in the admin app's outbox and is marked sent by
 * `outbox`, never by a real provider name, so nothing pretends to have been sent. SendGrid and Twilio
 * providers implement the same interface.
 */
import type { MessageAttachment, MessageChannel } from '../db/schema';

export interface OutgoingMessage {
  id: string;
  channel: MessageChannel;
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
  attachments: MessageAttachment[];
  idempotencyKey: string;
}

export interface MessageProvider {
  readonly name: string;
  send(message: OutgoingMessage): Promise<{ providerMessageId: string }>;
}

/** Keeps messages in the local outbox (the messages table) and marks them delivered there. */
export class OutboxProvider implements MessageProvider {
  readonly name = 'outbox';
  async send(message: OutgoingMessage): Promise<{ providerMessageId: string }> {
    return { providerMessageId: `outbox:${message.id}` };
  }
}

export interface MessageProviders {
  email: MessageProvider;
  sms: MessageProvider;
}

export function localProviders(): MessageProviders {
  const outbox = new OutboxProvider();
  return { email: outbox, sms: outbox };
}
