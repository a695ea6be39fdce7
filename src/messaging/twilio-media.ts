/**
 * Media a customer sent with an SMS / WhatsApp message (`MediaUrl0…`, `MediaContentType0…`): fetched
 * from Twilio with the account's Basic auth, only from Twilio's own API host (TWILIO_API_BASE in tests)
 * so a forged URL can never make us fetch elsewhere, and at most MAX_ATTACHMENT_BYTES. Twilio redirects
 * to its media store; the Authorization header is not sent across origins (fetch drops it).
 */
import { MAX_ATTACHMENT_BYTES } from '../conversations/attachments';

/** A media URL not on Twilio's API host: never fetched. */
export class ForeignMediaUrl extends Error {
  override name = 'ForeignMediaUrl';
}

export interface InboundMedia {
  url: string;
  contentType: string;
}

export interface TwilioAccount {
  accountSid: string;
  authToken: string;
  apiBase?: string | undefined;
}

/** The media items of a Twilio webhook's form parameters (at most 10, as Twilio sends). */
export function mediaOf(params: Record<string, string>): InboundMedia[] {
  const count = Math.min(10, Math.max(0, Number.parseInt(params.NumMedia ?? '0', 10) || 0));
  const media: InboundMedia[] = [];
  for (let i = 0; i < count; i += 1) {
    const url = params[`MediaUrl${i}`];
    if (url) media.push({ url, contentType: params[`MediaContentType${i}`] ?? 'application/octet-stream' });
  }
  return media;
}

export function twilioMediaLoader(account: TwilioAccount): (url: string) => Promise<Buffer> {
  const origin = new URL(account.apiBase ?? 'https://api.twilio.com').origin;
  const auth = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
  return async (url) => {
    if (new URL(url).origin !== origin) throw new ForeignMediaUrl('the file was not on Twilio and was not fetched');
    const response = await fetch(url, { headers: { authorization: auth }, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`Twilio media ${url}: HTTP ${response.status}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    // Larger than allowed: keep a byte more than the limit, so the attachment check refuses it by size.
    return bytes.length > MAX_ATTACHMENT_BYTES ? bytes.subarray(0, MAX_ATTACHMENT_BYTES + 1) : bytes;
  };
}
