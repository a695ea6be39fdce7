/**
 * Email through SendGrid's v3 Mail Send API with the official `@sendgrid/mail` SDK: plain text and
 * HTML bodies, attachments (the .ics), a category per template, and `custom_args` carrying our message
 * id, which SendGrid copies onto every Event Webhook event so delivery events find their message.
 * `apiBase` points the SDK's client elsewhere (a local server in tests).
 *
 * At most once where SendGrid can tell (`findSent`, used by src/messaging/dispatch.ts for an email an
 * earlier attempt handed over without recording the outcome — the worker died or the call timed out):
 * - with the Email Activity API (`activityLookup`, SENDGRID_EMAIL_ACTIVITY=true; a paid SendGrid
 *   add-on), the message is looked up by our `message_id` custom argument and adopted when found;
 * - SendGrid's records lag behind the send (the activity feed, the Event Webhook's `processed` event
 *   which marks the row sent). So while the earlier attempt is younger than `settleMs` and either
 *   source is configured, the retry waits (a transient error: the activity tries again later) rather
 *   than sending a second copy;
 * - with neither, SendGrid cannot tell, and the email is sent again: at least once. The duplicate
 *   window is the time between SendGrid accepting the request and our row update (normally well under
 *   a second), see docs/architecture.md.
 */
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { type MessageProvider, type OutgoingMessage, PermanentSendError } from './providers';

export interface SendGridOptions {
  apiKey: string;
  fromEmail: string;
  fromName?: string | undefined;
  apiBase?: string | undefined;
  /** Added to every message as categories (e.g. the template name is added per message). */
  categories?: string[];
  /** The Email Activity API may be asked whether an email went out (SENDGRID_EMAIL_ACTIVITY). */
  activityLookup?: boolean | undefined;
  /** The Event Webhook is configured: its `processed` event marks a handed-over email sent. */
  eventWebhook?: boolean | undefined;
  /** How long after a handover SendGrid's records may lag (default 2 minutes). */
  settleMs?: number | undefined;
  /** The clock (tests). */
  now?: () => number;
}

/** SendGrid may not show yet whether an earlier attempt's email went out: try again later. */
export class SendOutcomePendingError extends Error {
  override name = 'SendOutcomePendingError';
}

export const DEFAULT_SETTLE_MS = 120_000;

interface SendGridError {
  code?: number;
  response?: { body?: unknown; headers?: Record<string, string> };
  message: string;
}

/** 4xx answers that retrying cannot fix (429 and auth problems are retried: they are ours to fix). */
function isPermanent(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && ![401, 403, 408, 429].includes(status);
}

export class SendGridEmailProvider implements MessageProvider {
  readonly name = 'sendgrid';
  private readonly mail = new MailService();
  private readonly client = new Client();

  constructor(private readonly options: SendGridOptions) {
    const client = this.client;
    client.setApiKey(options.apiKey);
    // setApiKey sets the regional base URL, so the override comes after it.
    if (options.apiBase) client.setDefaultRequest('baseUrl', options.apiBase.replace(/\/$/, ''));
    this.mail.setClient(client);
  }

  async findSent(message: OutgoingMessage, since: Date): Promise<{ providerMessageId: string } | null> {
    if (this.options.activityLookup) {
      const found = await this.lookUpActivity(message.id);
      if (found) return found;
    }
    const canTell = this.options.activityLookup || this.options.eventWebhook;
    const age = (this.options.now ?? Date.now)() - since.getTime();
    if (canTell && age < (this.options.settleMs ?? DEFAULT_SETTLE_MS)) {
      throw new SendOutcomePendingError(
        `email ${message.id} was handed to SendGrid ${Math.round(age / 1000)} s ago without a recorded outcome; waiting for SendGrid's records before sending it again`,
      );
    }
    return null;
  }

  /** The Email Activity API: our message id is the `message_id` unique argument (custom_args). */
  private async lookUpActivity(messageId: string): Promise<{ providerMessageId: string } | null> {
    try {
      const [, body] = await this.client.request({
        method: 'GET',
        url: '/v3/messages',
        qs: { query: `unique_args['message_id']="${messageId}"`, limit: 1 },
      });
      const found = (body as { messages?: Array<{ msg_id?: string }> } | undefined)?.messages?.[0];
      return found?.msg_id ? { providerMessageId: found.msg_id } : null;
    } catch (error) {
      const status = (error as SendGridError).code;
      if (isPermanent(status)) return null; // no add-on or no access: as if SendGrid cannot tell
      throw error; // 5xx, 429, the network: try again
    }
  }

  async send(message: OutgoingMessage): Promise<{ providerMessageId: string }> {
    const categories = [
      ...(this.options.categories ?? ['appointflow']),
      ...(message.template ? [message.template] : []),
    ];
    try {
      const [response] = await this.mail.send({
        to: message.to,
        from: this.options.fromName
          ? { email: this.options.fromEmail, name: this.options.fromName }
          : this.options.fromEmail,
        subject: message.subject ?? '',
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        attachments: message.attachments.map((a) => ({
          filename: a.filename,
          type: a.contentType,
          content: a.content,
          disposition: 'attachment',
        })),
        categories,
        customArgs: { message_id: message.id },
        headers: { 'X-Appointflow-Idempotency-Key': message.idempotencyKey },
      });
      const id = response.headers['x-message-id'];
      return { providerMessageId: typeof id === 'string' && id !== '' ? id : `sendgrid:${message.id}` };
    } catch (error) {
      const e = error as SendGridError;
      if (isPermanent(e.code)) {
        throw new PermanentSendError(
          `SendGrid refused the email (${e.code}): ${JSON.stringify(e.response?.body ?? e.message)}`,
          String(e.code),
        );
      }
      throw error;
    }
  }
}
