/**
 * The wire formats of the two calendar vendors, and nothing else: OAuth 2 authorization-code flow with
 * PKCE (RFC 7636, S256) and refresh (RFC 6749 §6), busy blocks (Google Calendar `freeBusy.query`,
 * Microsoft Graph `calendar/getSchedule`), push channels (Google `events.watch` / `channels.stop`,
 * Graph `subscriptions`), and revocation (Google's revoke endpoint; Microsoft identity has none for
 * refresh tokens, so disconnecting forgets them and removes the subscription).
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { CalendarOAuthClient } from '../config';
import type { Interval } from '../domain/availability';

export type CalendarProvider = 'google' | 'microsoft';
export const CALENDAR_PROVIDERS = ['google', 'microsoft'] as const;

export const SCOPES: Record<CalendarProvider, string> = {
  google: 'https://www.googleapis.com/auth/calendar.readonly',
  microsoft: 'offline_access User.Read Calendars.Read',
};

const TIMEOUT_MS = 8_000;

/** A vendor answered with something retrying will not fix (revoked grant, 4xx): the connection needs attention. */
export class CalendarAuthError extends Error {
  override name = 'CalendarAuthError';
}

/** base64url without padding. */
const b64url = (bytes: Buffer) => bytes.toString('base64url');

/** A PKCE verifier (43 characters from 32 random bytes) and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
}

export const randomState = (): string => b64url(randomBytes(32));
export const hashState = (state: string): string => createHash('sha256').update(state).digest('hex');

export function authorizationUrl(
  provider: CalendarProvider,
  client: CalendarOAuthClient,
  args: { redirectUri: string; state: string; challenge: string; loginHint?: string | undefined },
): string {
  const params = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: args.redirectUri,
    response_type: 'code',
    scope: SCOPES[provider],
    state: args.state,
    code_challenge: args.challenge,
    code_challenge_method: 'S256',
  });
  if (provider === 'google') {
    // A refresh token every time, also when the user consented before.
    params.set('access_type', 'offline');
    params.set('prompt', 'consent');
  } else {
    params.set('response_mode', 'query');
  }
  if (args.loginHint) params.set('login_hint', args.loginHint);
  return `${client.authorizeUrl}?${params.toString()}`;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
});
export type Tokens = { accessToken: string; refreshToken: string | undefined; expiresAt: number };

async function call(url: string, init: RequestInit): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
}

async function tokenRequest(client: CalendarOAuthClient, form: Record<string, string>, now: number): Promise<Tokens> {
  const body = new URLSearchParams({ client_id: client.clientId, ...form });
  if (client.clientSecret) body.set('client_secret', client.clientSecret);
  const response = await call(client.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: body.toString(),
  });
  const text = await response.text();
  if (!response.ok) {
    const error = /"error"\s*:\s*"([^"]+)"/.exec(text)?.[1] ?? `HTTP ${response.status}`;
    const message = `token endpoint refused: ${error}`;
    if (response.status >= 400 && response.status < 500) throw new CalendarAuthError(message);
    throw new Error(message);
  }
  const parsed = tokenResponse.parse(JSON.parse(text));
  return {
    accessToken: parsed.access_token,
    refreshToken: parsed.refresh_token,
    expiresAt: now + (parsed.expires_in ?? 3600) * 1000,
  };
}

export function exchangeCode(
  client: CalendarOAuthClient,
  args: { code: string; verifier: string; redirectUri: string },
  now: number,
): Promise<Tokens> {
  return tokenRequest(
    client,
    { grant_type: 'authorization_code', code: args.code, code_verifier: args.verifier, redirect_uri: args.redirectUri },
    now,
  );
}

export function refreshTokens(
  provider: CalendarProvider,
  client: CalendarOAuthClient,
  refreshToken: string,
  now: number,
): Promise<Tokens> {
  return tokenRequest(
    client,
    {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      ...(provider === 'microsoft' ? { scope: SCOPES.microsoft } : {}),
    },
    now,
  );
}

async function api(
  url: string,
  accessToken: string,
  init: { method: string; body?: unknown; headers?: Record<string, string> },
) {
  const response = await call(url, {
    method: init.method,
    headers: {
      authorization: `Bearer ${accessToken}`,
      accept: 'application/json',
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  if (response.status === 401 || response.status === 403) {
    throw new CalendarAuthError(`${init.method} ${new URL(url).pathname} answered ${response.status}`);
  }
  if (!response.ok && response.status !== 404 && response.status !== 410) {
    throw new Error(`${init.method} ${new URL(url).pathname} answered ${response.status}`);
  }
  return response;
}

/** Who the calendar belongs to (shown to staff; Graph's getSchedule needs it). */
export async function accountOf(provider: CalendarProvider, client: CalendarOAuthClient, accessToken: string) {
  if (provider === 'google') {
    const response = await api(`${client.apiBase}/calendar/v3/calendars/primary`, accessToken, { method: 'GET' });
    const body = z
      .object({ id: z.string() })
      .loose()
      .parse(await response.json());
    return body.id;
  }
  const response = await api(`${client.apiBase}/me`, accessToken, { method: 'GET' });
  const body = z
    .object({ mail: z.string().nullish(), userPrincipalName: z.string() })
    .loose()
    .parse(await response.json());
  return body.mail ?? body.userPrincipalName;
}

const googleFreeBusy = z.object({
  calendars: z.record(
    z.string(),
    z.object({
      busy: z.array(z.object({ start: z.string(), end: z.string() })).default([]),
      errors: z.array(z.object({ reason: z.string() }).loose()).optional(),
    }),
  ),
});

const graphTime = z.object({ dateTime: z.string(), timeZone: z.string().optional() });
const graphSchedule = z.object({
  value: z.array(
    z.object({
      scheduleId: z.string(),
      scheduleItems: z.array(z.object({ status: z.string(), start: graphTime, end: graphTime }).loose()).default([]),
      error: z.object({ message: z.string().optional() }).loose().nullish(),
    }),
  ),
});

/** Graph answers `2026-11-23T10:00:00.0000000` in the zone asked for (UTC here). */
function graphInstant(value: z.infer<typeof graphTime>): number {
  const iso = /[zZ]|[+-]\d\d:\d\d$/.test(value.dateTime) ? value.dateTime : `${value.dateTime.slice(0, 23)}Z`;
  return Date.parse(iso);
}

/** Busy blocks in [from, to): Google `POST /calendar/v3/freeBusy`, Graph `POST /me/calendar/getSchedule`. */
export async function fetchBusy(
  provider: CalendarProvider,
  client: CalendarOAuthClient,
  accessToken: string,
  account: string,
  window: Interval,
): Promise<Interval[]> {
  const timeMin = new Date(window.start).toISOString();
  const timeMax = new Date(window.end).toISOString();
  if (provider === 'google') {
    const response = await api(`${client.apiBase}/calendar/v3/freeBusy`, accessToken, {
      method: 'POST',
      body: { timeMin, timeMax, items: [{ id: 'primary' }] },
    });
    const body = googleFreeBusy.parse(await response.json());
    const calendar = body.calendars.primary ?? Object.values(body.calendars)[0];
    if (calendar?.errors?.length) throw new Error(`freeBusy: ${calendar.errors.map((e) => e.reason).join(', ')}`);
    return (calendar?.busy ?? []).map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end) }));
  }
  const response = await api(`${client.apiBase}/me/calendar/getSchedule`, accessToken, {
    method: 'POST',
    headers: { prefer: 'outlook.timezone="UTC"' },
    body: {
      schedules: [account],
      startTime: { dateTime: timeMin.slice(0, 19), timeZone: 'UTC' },
      endTime: { dateTime: timeMax.slice(0, 19), timeZone: 'UTC' },
      availabilityViewInterval: 15,
    },
  });
  const body = graphSchedule.parse(await response.json());
  const schedule = body.value[0];
  if (schedule?.error) throw new Error(`getSchedule: ${schedule.error.message ?? 'error'}`);
  return (schedule?.scheduleItems ?? [])
    .filter((item) => ['busy', 'oof', 'tentative'].includes(item.status))
    .map((item) => ({ start: graphInstant(item.start), end: graphInstant(item.end) }));
}

export interface Watch {
  id: string;
  secret: string;
  resourceId: string | undefined;
  expiresAt: number;
}

/** Google `POST /calendar/v3/calendars/primary/events/watch`; Graph `POST /subscriptions` on `me/events`. */
export async function startWatch(
  provider: CalendarProvider,
  client: CalendarOAuthClient,
  accessToken: string,
  notificationUrl: string,
  now: number,
): Promise<Watch> {
  const secret = b64url(randomBytes(24));
  if (provider === 'google') {
    const id = `af-busy-${b64url(randomBytes(12))}`;
    const response = await api(`${client.apiBase}/calendar/v3/calendars/primary/events/watch`, accessToken, {
      method: 'POST',
      body: { id, type: 'web_hook', address: notificationUrl, token: secret },
    });
    const body = z
      .object({ id: z.string(), resourceId: z.string(), expiration: z.coerce.number().optional() })
      .loose()
      .parse(await response.json());
    return { id: body.id, secret, resourceId: body.resourceId, expiresAt: body.expiration ?? now + 7 * 86_400_000 };
  }
  // Graph allows event subscriptions of up to 10,080 minutes; ask for a little less.
  const expiresAt = now + 10_000 * 60_000;
  const response = await api(`${client.apiBase}/subscriptions`, accessToken, {
    method: 'POST',
    body: {
      changeType: 'created,updated,deleted',
      notificationUrl,
      resource: 'me/events',
      expirationDateTime: new Date(expiresAt).toISOString(),
      clientState: secret,
    },
  });
  const body = z
    .object({ id: z.string(), expirationDateTime: z.string().optional() })
    .loose()
    .parse(await response.json());
  return {
    id: body.id,
    secret,
    resourceId: undefined,
    expiresAt: body.expirationDateTime ? Date.parse(body.expirationDateTime) : expiresAt,
  };
}

export async function stopWatch(
  provider: CalendarProvider,
  client: CalendarOAuthClient,
  accessToken: string,
  watch: { id: string; resourceId: string | null },
): Promise<void> {
  if (provider === 'google') {
    await api(`${client.apiBase}/calendar/v3/channels/stop`, accessToken, {
      method: 'POST',
      body: { id: watch.id, resourceId: watch.resourceId ?? '' },
    });
  } else {
    await api(`${client.apiBase}/subscriptions/${encodeURIComponent(watch.id)}`, accessToken, { method: 'DELETE' });
  }
}

/** Google: `POST /revoke` with the token (the refresh token revokes the whole grant). */
export async function revoke(provider: CalendarProvider, client: CalendarOAuthClient, token: string): Promise<void> {
  if (provider !== 'google' || !client.revokeUrl) return;
  const response = await call(client.revokeUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
  // 400 invalid_token: already revoked (by the user in their Google account) — the goal is met.
  if (!response.ok && response.status !== 400) throw new Error(`revoke answered ${response.status}`);
}
