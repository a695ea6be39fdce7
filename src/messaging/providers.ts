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
  /** The template (event) name: a SendGrid category, so the dashboards group by it. */
  template?: string;
  /** WhatsApp outside the 24-hour window: the approved template to send instead of `text`. */
  whatsappTemplate?: { contentSid: string; contentVariables: Record<string, string> };
}

export interface MessageProvider {
  readonly name: string;
  /**
   * Delivers the message. Throws `PermanentSendError` when the provider refused it for good (invalid
   * number, unsubscribed recipient, rejected address): retrying would not help. Any other error is
   * transient and the activity retries it.
   */
  send(message: OutgoingMessage): Promise<{ providerMessageId: string }>;
  /**
   * Whether this message already went out since `since` (an earlier attempt handed it over but did not
   * record the outcome). Providers that cannot tell leave it out; the message is then sent again.
   */
  findSent?(message: OutgoingMessage, since: Date): Promise<{ providerMessageId: string } | null>;
}

/** The provider refused the message for good; `code` is the provider's own error code. */
export class PermanentSendError extends Error {
  override name = 'PermanentSendError';
  constructor(
    message: string,
    readonly code: string,
    /** The recipient unsubscribed (Twilio 21610): an opt-out, not a bad address. */
    readonly optedOut = false,
  ) {
    super(message);
  }
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
  /** Staff alerts to Slack (`to` is the channel); unset: alerts become staff tasks only. */
  slack?: MessageProvider;
  /** WhatsApp through Twilio (TWILIO_WHATSAPP_FROM); unset: WhatsApp messages stay in the local outbox. */
  whatsapp?: MessageProvider;
}

export function localProviders(): MessageProviders {
  const outbox = new OutboxProvider();
  return { email: outbox, sms: outbox, whatsapp: outbox };
}

/** The provider name a message on `channel` is stored with. */
export function providerName(providers: MessageProviders, channel: MessageChannel): string {
  if (channel === 'sms') return providers.sms.name;
  if (channel === 'whatsapp') return providers.whatsapp?.name ?? 'outbox';
  return channel === 'slack' && providers.slack ? providers.slack.name : providers.email.name;
}
