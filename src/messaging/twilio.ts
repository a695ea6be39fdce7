/**
 * SMS through Twilio's Messages API with the official `twilio` SDK: from a number or a Messaging
 * Service, with a status callback so delivery updates come back to /webhooks/twilio/status.
 * `apiBase` replaces https://api.twilio.com (a local server in tests).
 *
 * Twilio's error codes decide what a failure means: an invalid or unreachable number, or a recipient
 * who replied STOP (21610), is permanent; everything else (rate limits, 5xx, network) is retried.
 */
import twilio from 'twilio';
import { type MessageProvider, type OutgoingMessage, PermanentSendError } from './providers';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  from: { number: string } | { messagingServiceSid: string };
  statusCallbackUrl: string;
  apiBase?: string | undefined;
}

/** Twilio errors that no retry can fix. https://www.twilio.com/docs/api/errors */
export const PERMANENT_TWILIO_ERRORS: ReadonlyMap<number, string> = new Map([
  [21211, 'invalid "To" phone number'],
  [21214, '"To" phone number cannot be reached'],
  [21408, 'no permission to send to this region'],
  [21610, 'the recipient replied STOP (unsubscribed)'],
  [21612, 'the "To" number cannot receive this message'],
  [21614, '"To" number is not a valid mobile number'],
  [30003, 'unreachable destination handset'],
  [30004, 'message blocked'],
  [30005, 'unknown destination handset'],
  [30006, 'landline or unreachable carrier'],
  [30007, 'carrier violation (filtered)'],
]);

export const TWILIO_UNSUBSCRIBED = 21610;

interface TwilioRestError {
  status?: number;
  code?: number;
  message: string;
}

export class TwilioSmsProvider implements MessageProvider {
  readonly name = 'twilio';
  private readonly client: twilio.Twilio;

  constructor(private readonly options: TwilioOptions) {
    this.client = twilio(options.accountSid, options.authToken, { autoRetry: false });
    // Every REST call is resolved against the api domain's base URL (the SDK keeps a non-Twilio host as is).
    if (options.apiBase) this.client.api.baseUrl = options.apiBase.replace(/\/$/, '');
  }

  /**
   * The account's most recent messages to this number (newest first), matched on sender and body and
   * created since `since` (less a minute for clock skew): a message an earlier attempt handed over.
   */
  async findSent(message: OutgoingMessage, since: Date): Promise<{ providerMessageId: string } | null> {
    const from = this.options.from;
    const recent = await this.client.messages.list({ to: message.to, limit: 20 });
    const found = recent.find(
      (m) =>
        m.body === message.text &&
        m.dateCreated !== null &&
        m.dateCreated.getTime() >= since.getTime() - 60_000 &&
        ('number' in from ? m.from === from.number : m.messagingServiceSid === from.messagingServiceSid),
    );
    return found ? { providerMessageId: found.sid } : null;
  }

  async send(message: OutgoingMessage): Promise<{ providerMessageId: string }> {
    const from = this.options.from;
    try {
      const created = await this.client.messages.create({
        to: message.to,
        body: message.text,
        ...('number' in from ? { from: from.number } : { messagingServiceSid: from.messagingServiceSid }),
        statusCallback: this.options.statusCallbackUrl,
      });
      return { providerMessageId: created.sid };
    } catch (error) {
      const e = error as TwilioRestError;
      const reason = e.code !== undefined ? PERMANENT_TWILIO_ERRORS.get(e.code) : undefined;
      if (reason !== undefined && e.code !== undefined) {
        throw new PermanentSendError(
          `Twilio refused the SMS (${e.code}: ${reason})`,
          String(e.code),
          e.code === TWILIO_UNSUBSCRIBED,
        );
      }
      throw error;
    }
  }
}
