/**
 * Email through SendGrid's v3 Mail Send API with the official `@sendgrid/mail` SDK: plain text and
 * HTML bodies, attachments (the .ics), a category per template, and `custom_args` carrying our message
 * id, which SendGrid copies onto every Event Webhook event so delivery events find their message.
 * `apiBase` points the SDK's client elsewhere (a local server in tests).
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
}

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

  constructor(private readonly options: SendGridOptions) {
    const client = new Client();
    client.setApiKey(options.apiKey);
    // setApiKey sets the regional base URL, so the override comes after it.
    if (options.apiBase) client.setDefaultRequest('baseUrl', options.apiBase.replace(/\/$/, ''));
    this.mail.setClient(client);
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
