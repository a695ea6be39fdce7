/**
 * A live length for an SMS staff are editing, counted the way the server counts it when the message is
 * sent (the server's own GSM-7 module: the text mapped onto GSM-7, `{manage-link}` as long as the real
 * link the preview reported, trimmed). Display only: the server decides whether the SMS is accepted.
 */
import { SMS_MAX_SEPTETS, gsm7Length, toGsm7 } from '../../src/messaging/sms';

export const MANAGE_LINK = '{manage-link}';
export const SMS_MAX = SMS_MAX_SEPTETS;

export function smsLength(text: string, manageLinkSeptets: number): { septets: number; segments: number } {
  const withLink = text.split(MANAGE_LINK).join('x'.repeat(manageLinkSeptets));
  const septets = gsm7Length(toGsm7(withLink.trim()).trim());
  return { septets, segments: septets === 0 ? 0 : septets <= 160 ? 1 : Math.ceil(septets / 153) };
}
