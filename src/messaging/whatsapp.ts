/**
 * WhatsApp through Twilio's WhatsApp sender: the same Messages API as SMS (official `twilio` SDK), with
 * `whatsapp:`-prefixed addresses. Inside the customer-service window the message goes as free text
 * (`Body`); outside it as an approved template (`ContentSid` + `ContentVariables`), chosen by the
 * dispatcher (src/domain/whatsapp.ts). Status callbacks come back to /webhooks/twilio/status.
 *
 * Permanent refusals: the SMS ones Twilio shares with WhatsApp, plus WhatsApp's own (63016: free text
 * outside the window; 63024: not a WhatsApp user). Everything else is retried.
 */
import twilio from 'twilio';
import { type MessageProvider, type OutgoingMessage, PermanentSendError } from './providers';
import { PERMANENT_TWILIO_ERRORS, TWILIO_UNSUBSCRIBED } from './twilio';

export interface TwilioWhatsappOptions {
  accountSid: string;
  authToken: string;
  /** The WhatsApp sender's number, E.164 without the `whatsapp:` prefix. */
  from: string;
  statusCallbackUrl: string;
  apiBase?: string | undefined;
}

export const PERMANENT_WHATSAPP_ERRORS: ReadonlyMap<number, string> = new Map([
  ...PERMANENT_TWILIO_ERRORS,
  [63003, 'the "To" number is not reachable on WhatsApp'],
  [63016, 'free text outside the 24-hour window (a template is needed)'],
  [63024, 'the recipient is not a WhatsApp user'],
]);

export const WHATSAPP_PREFIX = 'whatsapp:';

/** `whatsapp:+1212…` → `+1212…` (a plain number stays as it is). */
export function whatsappNumber(address: string): string {
  return address.startsWith(WHATSAPP_PREFIX) ? address.slice(WHATSAPP_PREFIX.length) : address;
}

export class TwilioWhatsappProvider implements MessageProvider {
  readonly name = 'twilio_whatsapp';
  private readonly client: twilio.Twilio;

  constructor(private readonly options: TwilioWhatsappOptions) {
    this.client = twilio(options.accountSid, options.authToken, { autoRetry: false });
    if (options.apiBase) this.client.api.baseUrl = options.apiBase.replace(/\/$/, '');
  }

  async send(message: OutgoingMessage): Promise<{ providerMessageId: string }> {
    const content = message.whatsappTemplate;
    try {
      const created = await this.client.messages.create({
        to: `${WHATSAPP_PREFIX}${whatsappNumber(message.to)}`,
        from: `${WHATSAPP_PREFIX}${this.options.from}`,
        ...(content
          ? { contentSid: content.contentSid, contentVariables: JSON.stringify(content.contentVariables) }
          : { body: message.text }),
        statusCallback: this.options.statusCallbackUrl,
      });
      return { providerMessageId: created.sid };
    } catch (error) {
      const e = error as { code?: number };
      const reason = e.code !== undefined ? PERMANENT_WHATSAPP_ERRORS.get(e.code) : undefined;
      if (reason !== undefined && e.code !== undefined) {
        throw new PermanentSendError(
          `Twilio refused the WhatsApp message (${e.code}: ${reason})`,
          String(e.code),
          e.code === TWILIO_UNSUBSCRIBED,
        );
      }
      throw error;
    }
  }
}
