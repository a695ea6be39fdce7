/**
 * External busy blocks for availability: for each connected staff calendar, the busy blocks of the
 * last fetch (cached on the row) while they are fresh — younger than CALENDAR_BUSY_TTL_SECONDS, not
 * marked stale by a push notification, covering the window — and otherwise fetched again (the access
 * token refreshed first when it is about to expire, once more after a 401). A vendor that cannot be
 * reached leaves the last known blocks in force; a revoked grant puts the connection in `error` (shown
 * to staff) and its blocks stop counting. appointflow's own events in the calendar (written by the
 * outbound sync) are taken out, so an appointment never blocks itself (e.g. when it is moved).
 */
import type { Kysely } from 'kysely';
import type { CalendarOAuthClient, Config } from '../config';
import type { Database } from '../db/schema';
import type { Interval } from '../domain/availability';
import { DAY_MS } from '../domain/time';
import { decryptSecret, encryptSecret } from '../secrets/cipher';
import { keyringOf } from '../secrets/keys';
import { CalendarAuthError, type CalendarProvider, fetchBusy, refreshTokens, startWatch } from './providers';
import { type ConnectionRow, connectedFor, ownSyncedIntervals, storeBusy, updateConnection } from './repository';

export interface CalendarDeps {
  db: Kysely<Database>;
  config: Config;
}

/** How far ahead a fetch reaches at least, so the next views of the booking page hit the cache. */
const FETCH_AHEAD_MS = 35 * DAY_MS;
/** Push channels are renewed when they would expire within this. */
const WATCH_RENEW_MS = DAY_MS;

/** `busy` minus `own` (both any order), as sorted disjoint intervals. Pure. */
export function subtractIntervals(busy: readonly Interval[], own: readonly Interval[]): Interval[] {
  const cuts = [...own].filter((o) => o.start < o.end).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const block of [...busy].sort((a, b) => a.start - b.start)) {
    let pieces: Interval[] = [{ start: block.start, end: block.end }];
    for (const cut of cuts) {
      if (cut.start >= block.end) break;
      pieces = pieces.flatMap((p) =>
        cut.end <= p.start || cut.start >= p.end
          ? [p]
          : [
              ...(cut.start > p.start ? [{ start: p.start, end: cut.start }] : []),
              ...(cut.end < p.end ? [{ start: cut.end, end: p.end }] : []),
            ],
      );
    }
    out.push(...pieces.filter((p) => p.start < p.end));
  }
  return out;
}

export function oauthClient(config: Config, provider: CalendarProvider): CalendarOAuthClient | undefined {
  return config.calendars[provider];
}

export function notificationUrl(config: Config, provider: CalendarProvider): string {
  return `${config.http.publicBaseUrl}/webhooks/calendar-busy/${provider}`;
}

const inFlight = new Map<string, Promise<Interval[]>>();

/** Busy blocks from connected calendars per staff member, within `window`. Never throws for a vendor's failure. */
export async function externalBusy(
  deps: CalendarDeps,
  staffIds: readonly string[],
  window: Interval,
  now: number,
): Promise<Map<string, Interval[]>> {
  const result = new Map<string, Interval[]>();
  const connections = await connectedFor(deps.db, staffIds);
  await Promise.all(
    connections.map(async (connection) => {
      const blocks = await busyOf(deps, connection, window, now);
      const own = await ownSyncedIntervals(deps.db, connection.staff_id, connection.provider, window);
      const mine = subtractIntervals(
        blocks.filter((b) => b.end > window.start && b.start < window.end),
        own,
      );
      result.set(connection.staff_id, [...(result.get(connection.staff_id) ?? []), ...mine]);
    }),
  );
  return result;
}

function isFresh(connection: ConnectionRow, window: Interval, now: number, ttlMs: number): boolean {
  return (
    !connection.busy_stale &&
    connection.busy_fetched_at !== null &&
    connection.busy_fetched_at.getTime() + ttlMs > now &&
    connection.busy_from !== null &&
    connection.busy_until !== null &&
    connection.busy_from.getTime() <= window.start &&
    connection.busy_until.getTime() >= window.end
  );
}

async function busyOf(deps: CalendarDeps, connection: ConnectionRow, window: Interval, now: number) {
  if (isFresh(connection, window, now, deps.config.calendars.busyTtlMs)) return connection.busy;
  const key = `${connection.id}:${window.start}:${window.end}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = refreshBusy(deps, connection, window, now).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

async function refreshBusy(
  deps: CalendarDeps,
  connection: ConnectionRow,
  window: Interval,
  now: number,
): Promise<Interval[]> {
  const client = oauthClient(deps.config, connection.provider);
  if (!client) return connection.busy; // the provider's client was removed from the configuration
  const fetchWindow = { start: window.start, end: Math.max(window.end, window.start + FETCH_AHEAD_MS) };
  try {
    const busy = await withAccessToken(deps, connection, client, now, (token) =>
      fetchBusy(connection.provider, client, token, connection.account ?? '', fetchWindow),
    );
    await storeBusy(deps.db, connection.id, busy, fetchWindow, now);
    await renewWatchIfDue(deps, connection, client, now);
    return busy;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof CalendarAuthError) {
      await updateConnection(deps.db, connection.id, { status: 'error', last_error: message, busy: '[]' });
      return [];
    }
    await updateConnection(deps.db, connection.id, { last_error: message });
    return connection.busy; // the vendor is unreachable: the last known blocks stay in force
  }
}

/**
 * Runs `call` with a valid access token: refreshed first when it expires within a minute, and once
 * more after a 401/403. A refresh the token endpoint refuses (revoked, expired grant) is a CalendarAuthError.
 */
export async function withAccessToken<T>(
  deps: CalendarDeps,
  connection: ConnectionRow,
  client: CalendarOAuthClient,
  now: number,
  call: (accessToken: string) => Promise<T>,
): Promise<T> {
  const ring = keyringOf(deps.config.secrets);
  const refresh = async (): Promise<string> => {
    if (!connection.refresh_token) throw new CalendarAuthError('no refresh token: connect the calendar again');
    const tokens = await refreshTokens(connection.provider, client, decryptSecret(connection.refresh_token, ring), now);
    const changes = {
      access_token: encryptSecret(tokens.accessToken, ring),
      access_expires_at: new Date(tokens.expiresAt),
      // Microsoft rotates refresh tokens; Google keeps the first one.
      ...(tokens.refreshToken ? { refresh_token: encryptSecret(tokens.refreshToken, ring) } : {}),
    };
    await updateConnection(deps.db, connection.id, changes);
    Object.assign(connection, changes);
    return tokens.accessToken;
  };
  const expiresSoon =
    !connection.access_token ||
    connection.access_expires_at === null ||
    connection.access_expires_at.getTime() - 60_000 <= now;
  let token = expiresSoon ? await refresh() : decryptSecret(connection.access_token!, ring);
  try {
    return await call(token);
  } catch (error) {
    if (!(error instanceof CalendarAuthError) || expiresSoon) throw error;
    token = await refresh();
    return call(token);
  }
}

export async function renewWatchIfDue(
  deps: CalendarDeps,
  connection: ConnectionRow,
  client: CalendarOAuthClient,
  now: number,
): Promise<void> {
  if (connection.watch_expires_at && connection.watch_expires_at.getTime() - WATCH_RENEW_MS > now) return;
  try {
    const watch = await withAccessToken(deps, connection, client, now, (token) =>
      startWatch(connection.provider, client, token, notificationUrl(deps.config, connection.provider), now),
    );
    await updateConnection(deps.db, connection.id, {
      watch_id: watch.id,
      watch_secret: encryptSecret(watch.secret, keyringOf(deps.config.secrets)),
      watch_resource_id: watch.resourceId ?? null,
      watch_expires_at: new Date(watch.expiresAt),
    });
  } catch (error) {
    // No push channel (e.g. a notification URL the vendor cannot reach): the TTL still refreshes.
    await updateConnection(deps.db, connection.id, {
      last_error: `push notifications: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}
