/**
 * WhatsApp rules (issue 16). Pure.
 * - Which text channel a customer gets besides email: their preference when they can be reached
 *   there (WhatsApp needs an opt-in, SMS an opt-in and a working number), else SMS, else WhatsApp;
 *   a preference for email means email only.
 * - WhatsApp's customer-service window: for 24 hours after the customer's last message free text may
 *   be sent; outside it only an approved template (Twilio Content API: a Content SID whose {{1}},
 *   {{2}}, … are filled from the message's named values, in the configured order).
 */
import type { PreferredChannel } from '../db/schema';

export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The named values a WhatsApp template can use (TWILIO_WHATSAPP_TEMPLATES lists them per template). */
export const TEMPLATE_VALUE_NAMES = ['name', 'business', 'service', 'when', 'link', 'text'] as const;
export type TemplateValueName = (typeof TEMPLATE_VALUE_NAMES)[number];

export interface Reachability {
  phone: string | null;
  preferred_channel: PreferredChannel | null;
  sms_opt_in: boolean;
  sms_opted_out_at: Date | null;
  sms_failed_at: Date | null;
  whatsapp_opt_in: boolean;
  whatsapp_opted_out_at: Date | null;
}

export function reachableBySms(c: Reachability): boolean {
  return c.phone !== null && c.sms_opt_in && c.sms_opted_out_at === null && c.sms_failed_at === null;
}

export function reachableByWhatsapp(c: Reachability): boolean {
  return c.phone !== null && c.whatsapp_opt_in && c.whatsapp_opted_out_at === null;
}

/** The text channel for this contact's messages, or null for email only. */
export function textChannel(c: Reachability): 'sms' | 'whatsapp' | null {
  if (c.preferred_channel === 'email') return null;
  if (c.preferred_channel === 'whatsapp' && reachableByWhatsapp(c)) return 'whatsapp';
  if (reachableBySms(c)) return 'sms';
  return reachableByWhatsapp(c) ? 'whatsapp' : null;
}

export function insideWindow(lastInboundAt: Date | null | undefined, now: number): boolean {
  return lastInboundAt != null && now - lastInboundAt.getTime() < WHATSAPP_WINDOW_MS;
}

export interface ApprovedTemplate {
  contentSid: string;
  variables: readonly TemplateValueName[];
}

export type WhatsappSend =
  | { kind: 'free_text' }
  | { kind: 'template'; contentSid: string; contentVariables: Record<string, string> }
  | { kind: 'no_template'; reason: string };

/** Free text inside the window; outside it the approved template filled with the message's values. */
export function whatsappSendFor(input: {
  lastInboundAt: Date | null | undefined;
  now: number;
  templateKey: string;
  template: ApprovedTemplate | undefined;
  values: Partial<Record<string, string>> | null;
}): WhatsappSend {
  if (insideWindow(input.lastInboundAt, input.now)) return { kind: 'free_text' };
  if (!input.template) {
    return {
      kind: 'no_template',
      reason: `outside WhatsApp's 24-hour window and no approved template is configured for "${input.templateKey}"`,
    };
  }
  const contentVariables: Record<string, string> = {};
  input.template.variables.forEach((name, i) => {
    // WhatsApp refuses empty template variables: a missing value reads as a dash.
    const value = input.values?.[name]?.trim();
    contentVariables[String(i + 1)] = value ? value.slice(0, 1000) : '-';
  });
  return { kind: 'template', contentSid: input.template.contentSid, contentVariables };
}
