/**
 * Platforms whose webhook body is written by the business's admin (Zendesk trigger, Freshdesk
 * automation, Zoho CRM workflow rule, Google Sheets script): appointflow documents the body they must
 * send (docs/integrations-inbound.md) and parses it here.
 *
 * `{ "event_id": "…", "external_id": "…", "status": "…", "starts_at"?: ISO, "reason"?: "…" }`
 * `external_id` is the platform's record id (linked to an appointment) or an appointflow appointment
 * id. The status text maps to a normalised event: options `statusMap` first (exact value → booked /
 * cancelled / rescheduled / no_show), then the usual words (cancel…, no-show / missed, reschedul…).
 */
import { z } from 'zod';
import type { NormalisedEvent, NormalisedEventType, PlatformSettings } from '../types';

export const customBody = z.object({
  event_id: z.union([z.string().min(1), z.number()]).transform(String),
  external_id: z.union([z.string().min(1), z.number()]).transform(String),
  status: z.string().min(1),
  starts_at: z.iso.datetime({ offset: true }).optional(),
  reason: z.string().optional(),
});

export type CustomBody = z.output<typeof customBody>;

export function statusToType(status: string, settings: PlatformSettings, hasTime: boolean): NormalisedEventType {
  const map = settings.options.statusMap;
  if (map && typeof map === 'object') {
    const mapped = (map as Record<string, unknown>)[status];
    if (mapped === 'cancelled' || mapped === 'no_show' || mapped === 'rescheduled' || mapped === 'status_changed')
      return mapped;
  }
  const s = status.toLowerCase();
  if (/cancel/.test(s)) return 'cancelled';
  if (/no[\s_-]?show|missed|overdue/.test(s)) return 'no_show';
  if (/resched/.test(s) && hasTime) return 'rescheduled';
  return 'status_changed';
}

export function customEvent(platform: string, body: CustomBody, settings: PlatformSettings): NormalisedEvent {
  const type = statusToType(body.status, settings, body.starts_at !== undefined);
  return {
    type,
    vendorEventId: body.event_id,
    externalId: body.external_id,
    status: body.status,
    ...(body.starts_at ? { startsAt: Date.parse(body.starts_at) } : {}),
    reason: body.reason ?? `${platform}: ${body.status}`,
    description: `${platform} record ${body.external_id}: status "${body.status}"${body.starts_at ? ` at ${body.starts_at}` : ''}`,
  };
}
