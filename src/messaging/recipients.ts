/**
 * Who a message to a customer goes to: their email unless it bounced, and besides it SMS or WhatsApp
 * by the contact's preference and opt-ins (src/domain/whatsapp.ts `textChannel`; a preference for
 * email means email only). Every customer message (appointments, memberships, waitlist offers, "on my
 * way") picks its channels here, so a customer who chose WhatsApp gets all of them there.
 */
import type { MessageChannel } from '../db/schema';
import { type Reachability, textChannel } from '../domain/whatsapp';

export type CustomerChannel = Extract<MessageChannel, 'email' | 'sms' | 'whatsapp'>;

export interface CustomerRecipient {
  channel: CustomerChannel;
  to: string;
}

export function customerRecipients(
  contact: Reachability & { email: string; email_bounced_at: Date | null },
): CustomerRecipient[] {
  const recipients: CustomerRecipient[] = [];
  if (!contact.email_bounced_at) recipients.push({ channel: 'email', to: contact.email });
  const text = textChannel(contact);
  if (text && contact.phone) recipients.push({ channel: text, to: contact.phone });
  return recipients;
}

/** The text channel a customer is reachable on now (SMS or WhatsApp), or null: email only. */
export function customerTextRecipient(contact: Reachability): CustomerRecipient | null {
  const text = textChannel(contact);
  return text && contact.phone ? { channel: text, to: contact.phone } : null;
}
