/**
 * The one small interface every inbound platform implements, and the normalised events they produce.
 *
 * An adapter is pure: it verifies a request (signature, shared secret, channel token — on the raw body,
 * in constant time, with a staleness check where the vendor signs a timestamp), answers a handshake
 * where the platform has one, and parses the body with zod into items. An item is either a normalised
 * event or, for platforms that send ids only, a reference the `fetchDetails` step (an activity with
 * retries) turns into events through the vendor API.
 */

export type NormalisedEventType = 'booked' | 'cancelled' | 'rescheduled' | 'no_show' | 'status_changed' | 'ignored';

export interface NormalisedEvent {
  type: NormalisedEventType;
  /** The vendor's id of this event (dedupe key, unique per platform). */
  vendorEventId: string;
  /** The platform's id of the appointment / booking / event / record. */
  externalId: string;
  /** New start (rescheduled, booked), epoch ms. */
  startsAt?: number;
  endsAt?: number;
  reason?: string;
  /** For status_changed: the platform's new status, as it names it. */
  status?: string;
  /** Calendly: the old invitee this created invitee replaces (the second half of a reschedule). */
  replaces?: string;
  /** Calendly: a cancel that is the first half of a reschedule, replaced by this invitee. */
  replacedBy?: string;
  /**
   * appointflow's own appointment id, when the platform's record carries it (an event appointflow's
   * outbound calendar sync wrote: Google `extendedProperties.private.appointflowAppointmentId`, Graph
   * `transactionId`).
   */
  appointmentId?: string;
  customer?: { name: string; email: string; phone?: string; timeZone?: string };
  /** Free text for the staff task when nothing matches. */
  description?: string;
}

/** An id-only notification, resolved by `fetchDetails` through the vendor API. */
export interface FetchRef {
  vendorEventId: string;
  externalId: string;
  /** What the platform said happened (Acuity `action`, Graph `changeType`, Google resource state). */
  hint: string;
  /** Vendor resource path or extra ids needed to fetch. */
  resource?: string;
  /**
   * The notification has no id of its own (Acuity): the event id is known only after the fetch, and the
   * delivery claims it then — so a second change of the same appointment is not taken for a redelivery.
   */
  dedupeAfterFetch?: boolean;
}

export type InboundItem = { event: NormalisedEvent } | { fetch: FetchRef };

export interface InboundRequest {
  method: string;
  rawBody: Buffer;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** Path and query as received, e.g. `/webhooks/integrations/hubspot?x=1`. */
  originalUrl: string;
  /** Absolute URL the platform posted to (public base URL + originalUrl, or the configured one). */
  url: string;
  query: Record<string, string | undefined>;
}

export interface PlatformSettings {
  platform: string;
  secrets: Record<string, string>;
  apiBase: string | null;
  options: Record<string, unknown>;
  state: Record<string, unknown>;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string; status?: 401 | 403 };

export interface HttpAnswer {
  status: number;
  contentType?: string;
  body: string;
}

export type Fetcher = (
  url: string,
  init: { method: string; headers: Record<string, string>; /** POST bodies (GraphQL, OAuth token). */ body?: string },
) => Promise<Response>;

export interface FetchResult {
  events: NormalisedEvent[];
  /** New sync state to store (e.g. Google's nextSyncToken). */
  state?: Record<string, unknown>;
}

export interface InboundAdapter {
  platform: string;
  /** Secret names that must be configured (shown in errors and docs). */
  requiredSecrets: readonly string[];
  /**
   * Checks settings beyond the required secrets when they are configured (e.g. a key's documented
   * length); each problem names its field (`secrets.x`, `options.y`) and becomes a 400.
   */
  checkSettings?(settings: {
    secrets: Record<string, string>;
    options: Record<string, unknown>;
  }): Array<{ field: string; message: string }>;
  /** A handshake the platform does before (or instead of) a delivery; answered without verification. */
  handshake?(req: InboundRequest, settings: PlatformSettings): HttpAnswer | undefined;
  verify(req: InboundRequest, settings: PlatformSettings, now: number): VerifyResult;
  /** Parses a verified body; throws a ZodError (400) when the payload is not what the vendor sends. */
  parse(req: InboundRequest, settings: PlatformSettings): InboundItem[];
  /** Resolves id-only references through the vendor API. */
  fetchDetails?(refs: FetchRef[], settings: PlatformSettings, fetcher: Fetcher): Promise<FetchResult>;
  /** The success answer when the platform expects a particular one (Salesforce Ack, Graph 202). */
  acknowledge?(items: InboundItem[]): HttpAnswer;
  /** Default vendor API base URL. */
  defaultApiBase?: string;
}
