/**
 * Outbound sync to the platforms of seed 003 that appointflow keeps up to date: the staff member's
 * Google Calendar and Outlook (Microsoft Graph) calendar, ServiceTitan, Zoho CRM and HubSpot records,
 * and a Mailchimp customer-journey step for cancelled appointments.
 *
 * Each adapter makes the platform match the appointment AS IT IS NOW (read at delivery time), so an
 * event delivered late or twice does no harm: creates use a deterministic id (Google), a transaction
 * id (Graph) or an upsert by appointflow's id (HubSpot); moves and cancels hit the record kept in
 * `outbound_links`. Vendor formats: ../shared/integrations.md and docs/architecture.md.
 */
import { z } from 'zod';
import type { OutboundPlatform } from '../db/schema';
import type { AppointmentEventView } from './events';
import { expectStatus, type Http, type HttpRequest, OutboundError, parseJson } from './http';

export const OUTBOUND_PLATFORMS = [
  'google_calendar',
  'microsoft_graph',
  'servicetitan',
  'zoho_crm',
  'hubspot',
  'mailchimp',
] as const satisfies readonly OutboundPlatform[];

/** The events each platform acts on. */
export const PLATFORM_EVENTS: Record<OutboundPlatform, readonly string[]> = {
  google_calendar: ['appointment.booked', 'appointment.rescheduled', 'appointment.cancelled'],
  microsoft_graph: ['appointment.booked', 'appointment.rescheduled', 'appointment.cancelled'],
  servicetitan: ['appointment.rescheduled', 'appointment.cancelled'],
  zoho_crm: ['appointment.rescheduled', 'appointment.cancelled', 'appointment.no_show', 'appointment.completed'],
  hubspot: [
    'appointment.booked',
    'appointment.rescheduled',
    'appointment.cancelled',
    'appointment.no_show',
    'appointment.completed',
  ],
  mailchimp: ['appointment.cancelled'],
};

/** Platforms that only update a record they already hold for the appointment (linked by the inbound side or staff). */
export const LINK_REQUIRED: readonly OutboundPlatform[] = ['servicetitan', 'zoho_crm'];

export const DEFAULT_BASE_URLS: Record<OutboundPlatform, string> = {
  google_calendar: 'https://www.googleapis.com/calendar/v3',
  microsoft_graph: 'https://graph.microsoft.com/v1.0',
  servicetitan: 'https://api.servicetitan.io',
  zoho_crm: 'https://www.zohoapis.com',
  hubspot: 'https://api.hubapi.com',
  mailchimp: 'https://us1.api.mailchimp.com/3.0',
};

const staffMap = z.record(z.string(), z.string().min(1)).optional();
export const PLATFORM_SETTINGS = {
  google_calendar: z.object({
    /** staff id → calendar id; default: the staff member's email (their primary calendar). */
    calendars: staffMap,
    sendUpdates: z.enum(['all', 'externalOnly', 'none']).default('none'),
  }),
  microsoft_graph: z.object({
    /** staff id → Graph user id or userPrincipalName; default: the staff member's email. */
    users: staffMap,
  }),
  servicetitan: z.object({
    tenantId: z.string().regex(/^\d+$/, 'expected the numeric tenant id'),
    appKey: z.string().min(1, 'expected the ServiceTitan application key'),
    cancelReasonId: z.number().int().positive().optional(),
  }),
  zoho_crm: z.object({ module: z.string().min(1).default('Appointments__s') }),
  hubspot: z.object({
    objectType: z.string().min(1).default('appointments'),
    /** A unique-value property holding appointflow's appointment id (create it in HubSpot). */
    idProperty: z.string().min(1).default('appointflow_id'),
  }),
  mailchimp: z.object({ journeyId: z.string().min(1), stepId: z.string().min(1) }),
} as const satisfies Record<OutboundPlatform, z.ZodType>;

export interface IntegrationConfig {
  platform: OutboundPlatform;
  baseUrl: string;
  accessToken: string;
  settings: Record<string, unknown>;
}

export interface LinkState {
  externalId: string;
  data: Record<string, unknown>;
}

export interface SyncInput {
  eventType: string;
  appointment: AppointmentEventView;
  /** What changed (the timeline entry's data, actor and channel). */
  change: Record<string, unknown>;
  link: LinkState | undefined;
  config: IntegrationConfig;
  http: Http;
}

export interface SyncResult {
  outcome: string;
  /** undefined: unchanged; null: remove the link; a value: store it. */
  link?: LinkState | null;
  statusCode?: number;
}

const base = (config: IntegrationConfig) => config.baseUrl.replace(/\/$/, '');
const enc = encodeURIComponent;
const json = (value: unknown) => JSON.stringify(value);
const bearer = (config: IntegrationConfig) => ({
  authorization: `Bearer ${config.accessToken}`,
  'content-type': 'application/json',
  accept: 'application/json',
});
const isCancelled = (a: AppointmentEventView) => a.status === 'cancelled';

async function send(http: Http, request: HttpRequest, accept: number[] = []) {
  const response = await http(request);
  return expectStatus(response, request, accept);
}

/** Google Calendar event ids are base32hex (a–v, 0–9), 5–1024 characters: `af` + the uuid's hex. */
export function googleEventId(appointmentId: string): string {
  return `af${appointmentId.replace(/-/g, '').toLowerCase()}`;
}

function eventTitle(a: AppointmentEventView) {
  return `${a.service.name} — ${a.contact.name}`;
}

function eventDescription(a: AppointmentEventView) {
  return [
    `Customer: ${a.contact.name} <${a.contact.email}>`,
    a.contact.phone ? `Phone: ${a.contact.phone}` : null,
    `appointflow appointment ${a.id}`,
  ]
    .filter(Boolean)
    .join('\n');
}

async function googleCalendar(input: SyncInput): Promise<SyncResult> {
  const { appointment: a, config, http, link } = input;
  const settings = PLATFORM_SETTINGS.google_calendar.parse(input.config.settings);
  const calendarId = settings.calendars?.[a.staff.id] ?? a.staff.email;
  const eventId = googleEventId(a.id);
  const headers = bearer(config);
  const eventUrl = (calendar: string, id: string) =>
    `${base(config)}/calendars/${enc(calendar)}/events/${enc(id)}?sendUpdates=${settings.sendUpdates}`;
  // Moved to another staff member: the event leaves the old calendar.
  const oldCalendar = typeof link?.data.calendarId === 'string' ? link.data.calendarId : undefined;
  if (link && oldCalendar && (oldCalendar !== calendarId || isCancelled(a))) {
    await send(http, { method: 'DELETE', url: eventUrl(oldCalendar, link.externalId), headers }, [404, 410]);
  }
  if (isCancelled(a)) {
    if (!link || !oldCalendar) {
      await send(http, { method: 'DELETE', url: eventUrl(calendarId, eventId), headers }, [404, 410]);
    }
    return { outcome: `deleted event ${eventId}`, link: null };
  }
  const resource = {
    id: eventId,
    summary: eventTitle(a),
    description: eventDescription(a),
    start: { dateTime: a.startsAt, timeZone: a.timeZone },
    end: { dateTime: a.endsAt, timeZone: a.timeZone },
    status: 'confirmed',
    extendedProperties: { private: { appointflowAppointmentId: a.id } },
  };
  const newLink = { externalId: eventId, data: { calendarId } };
  if (link && oldCalendar === calendarId) {
    await send(http, { method: 'PUT', url: eventUrl(calendarId, eventId), headers, body: json(resource) });
    return { outcome: `updated event ${eventId}`, link: newLink };
  }
  const inserted = await send(
    http,
    {
      method: 'POST',
      url: `${base(config)}/calendars/${enc(calendarId)}/events?sendUpdates=${settings.sendUpdates}`,
      headers,
      body: json(resource),
    },
    [409],
  );
  if (inserted.status === 409) {
    // Created by an earlier attempt whose answer was lost: the same id, so update it.
    await send(http, { method: 'PUT', url: eventUrl(calendarId, eventId), headers, body: json(resource) });
    return { outcome: `updated event ${eventId} (already existed)`, link: newLink };
  }
  return { outcome: `created event ${eventId}`, link: newLink };
}

/** Graph's dateTimeTimeZone: a local date-time without offset and its zone; UTC is unambiguous. */
function graphTime(iso: string) {
  return { dateTime: iso.replace(/Z$/, ''), timeZone: 'UTC' };
}

async function microsoftGraph(input: SyncInput): Promise<SyncResult> {
  const { appointment: a, config, http, link } = input;
  const settings = PLATFORM_SETTINGS.microsoft_graph.parse(config.settings);
  const userId = settings.users?.[a.staff.id] ?? a.staff.email;
  const headers = bearer(config);
  const eventsUrl = (user: string) => `${base(config)}/users/${enc(user)}/events`;
  const oldUser = typeof link?.data.userId === 'string' ? link.data.userId : undefined;
  if (link && oldUser && (oldUser !== userId || isCancelled(a))) {
    if (isCancelled(a)) {
      await send(
        http,
        {
          method: 'POST',
          url: `${eventsUrl(oldUser)}/${enc(link.externalId)}/cancel`,
          headers,
          body: json({ comment: a.cancelReason ? `Cancelled: ${a.cancelReason}` : 'Cancelled' }),
        },
        [404],
      );
      return { outcome: `cancelled event ${link.externalId}`, link: null };
    }
    await send(http, { method: 'DELETE', url: `${eventsUrl(oldUser)}/${enc(link.externalId)}`, headers }, [404]);
  }
  if (isCancelled(a)) return { outcome: 'no Outlook event to cancel', link: null };
  const resource = {
    subject: eventTitle(a),
    body: { contentType: 'text', content: eventDescription(a) },
    start: graphTime(a.startsAt),
    end: graphTime(a.endsAt),
  };
  if (link && oldUser === userId) {
    const patched = await send(
      http,
      { method: 'PATCH', url: `${eventsUrl(userId)}/${enc(link.externalId)}`, headers, body: json(resource) },
      [404],
    );
    if (patched.status !== 404) return { outcome: `updated event ${link.externalId}`, link };
  }
  // transactionId makes a retried POST return the event the first one created.
  const created = await send(http, {
    method: 'POST',
    url: eventsUrl(userId),
    headers,
    body: json({ ...resource, transactionId: a.id }),
  });
  const id = (parseJson(created.text) as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string')
    throw new OutboundError('Graph created an event but returned no id', created.status, false);
  return { outcome: `created event ${id}`, link: { externalId: id, data: { userId } } };
}

async function serviceTitan(input: SyncInput): Promise<SyncResult> {
  const { appointment: a, config, http, link } = input;
  if (!link) return { outcome: 'no linked ServiceTitan appointment' };
  const settings = PLATFORM_SETTINGS.servicetitan.parse(config.settings);
  const headers = { ...bearer(config), 'ST-App-Key': settings.appKey };
  const tenant = `${base(config)}/jpm/v2/tenant/${enc(settings.tenantId)}`;
  if (isCancelled(a)) {
    const jobId = link.data.jobId;
    if (typeof jobId !== 'string' && typeof jobId !== 'number')
      return { outcome: 'no linked ServiceTitan job to cancel' };
    await send(http, {
      method: 'PUT',
      url: `${tenant}/jobs/${enc(String(jobId))}/cancel`,
      headers,
      body: json({
        ...(settings.cancelReasonId ? { reasonId: settings.cancelReasonId } : {}),
        memo: `Cancelled in appointflow${a.cancelReason ? `: ${a.cancelReason}` : ''}`,
      }),
    });
    return { outcome: `cancelled job ${String(jobId)}` };
  }
  await send(http, {
    method: 'PATCH',
    url: `${tenant}/appointments/${enc(link.externalId)}/reschedule`,
    headers,
    body: json({ start: a.startsAt, end: a.endsAt, arrivalWindowStart: a.startsAt, arrivalWindowEnd: a.endsAt }),
  });
  return { outcome: `rescheduled appointment ${link.externalId}` };
}

export function zohoStatus(status: string): string {
  return { cancelled: 'Cancelled', done: 'Completed', no_show: 'Overdue' }[status] ?? 'Scheduled';
}

/** Zoho date-time: ISO 8601 without milliseconds, with an explicit offset. */
const zohoTime = (iso: string) => iso.replace(/\.\d{3}Z$/, '+00:00');

async function zohoCrm(input: SyncInput): Promise<SyncResult> {
  const { appointment: a, config, http, link } = input;
  if (!link) return { outcome: 'no linked Zoho CRM record' };
  const settings = PLATFORM_SETTINGS.zoho_crm.parse(config.settings);
  const byCustomer = input.change.channel === 'manage_link' || input.change.channel === 'web';
  const record = {
    id: link.externalId,
    Status: zohoStatus(a.status),
    Appointment_Start_Time: zohoTime(a.startsAt),
    ...(isCancelled(a) ? { Cancellation_Reason: byCustomer ? 'By Customer' : 'By Team' } : {}),
  };
  const request: HttpRequest = {
    method: 'PUT',
    url: `${base(config)}/crm/v6/${enc(settings.module)}`,
    headers: { authorization: `Zoho-oauthtoken ${config.accessToken}`, 'content-type': 'application/json' },
    body: json({ data: [record] }),
  };
  const response = await send(http, request);
  const first = (parseJson(response.text) as { data?: Array<{ code?: string; message?: string }> } | undefined)
    ?.data?.[0];
  if (first && first.code !== 'SUCCESS') {
    throw new OutboundError(
      `Zoho CRM refused the update: ${first.code} ${first.message ?? ''}`.trim(),
      response.status,
      false,
    );
  }
  return { outcome: `record ${link.externalId} → ${record.Status}` };
}

export function hubspotStatus(status: string): string {
  return { cancelled: 'CANCELLED', done: 'COMPLETED', no_show: 'NO_SHOW' }[status] ?? 'SCHEDULED';
}

async function hubspot(input: SyncInput): Promise<SyncResult> {
  const { appointment: a, config, http } = input;
  const settings = PLATFORM_SETTINGS.hubspot.parse(config.settings);
  // Upsert by appointflow's id: the first event creates the record, later ones update it.
  const response = await send(http, {
    method: 'POST',
    url: `${base(config)}/crm/v3/objects/${enc(settings.objectType)}/batch/upsert`,
    headers: bearer(config),
    body: json({
      inputs: [
        {
          id: a.id,
          idProperty: settings.idProperty,
          properties: {
            hs_appointment_name: eventTitle(a),
            hs_appointment_start: a.startsAt,
            hs_appointment_end: a.endsAt,
            hs_appointment_status: hubspotStatus(a.status),
          },
        },
      ],
    }),
  });
  const id = (parseJson(response.text) as { results?: Array<{ id?: unknown }> } | undefined)?.results?.[0]?.id;
  return {
    outcome: `record ${typeof id === 'string' ? id : '?'} → ${hubspotStatus(a.status)}`,
    ...(typeof id === 'string' ? { link: { externalId: id, data: { objectType: settings.objectType } } } : {}),
  };
}

async function mailchimp(input: SyncInput): Promise<SyncResult> {
  const { appointment: a, config, http } = input;
  if (!isCancelled(a)) return { outcome: 'appointment is no longer cancelled; journey not triggered' };
  const settings = PLATFORM_SETTINGS.mailchimp.parse(config.settings);
  await send(http, {
    method: 'POST',
    url: `${base(config)}/customer-journeys/journeys/${enc(settings.journeyId)}/steps/${enc(settings.stepId)}/actions/trigger`,
    headers: {
      authorization: `Basic ${Buffer.from(`appointflow:${config.accessToken}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: json({ email_address: a.contact.email }),
  });
  return { outcome: `journey ${settings.journeyId} step ${settings.stepId} triggered for ${a.contact.email}` };
}

export const PLATFORM_SYNC: Record<OutboundPlatform, (input: SyncInput) => Promise<SyncResult>> = {
  google_calendar: googleCalendar,
  microsoft_graph: microsoftGraph,
  servicetitan: serviceTitan,
  zoho_crm: zohoCrm,
  hubspot,
  mailchimp,
};

/** The targets an event is delivered to: matching webhook subscriptions and configured platforms. Pure. */
export function deliveryTargets(input: {
  eventType: string;
  subjectType: string;
  subscriptions: ReadonlyArray<{ id: string; eventTypes: readonly string[] }>;
  platforms: ReadonlyArray<{ platform: OutboundPlatform; enabled: boolean }>;
  linkedPlatforms: ReadonlySet<string>;
  matches: (filters: readonly string[], type: string) => boolean;
}): string[] {
  const targets = input.subscriptions
    .filter((s) => input.matches(s.eventTypes, input.eventType))
    .map((s) => `webhook:${s.id}`);
  if (input.subjectType === 'appointment') {
    for (const { platform, enabled } of input.platforms) {
      if (!enabled || !PLATFORM_EVENTS[platform].includes(input.eventType)) continue;
      if (LINK_REQUIRED.includes(platform) && !input.linkedPlatforms.has(platform)) continue;
      targets.push(platform);
    }
  }
  return targets;
}
