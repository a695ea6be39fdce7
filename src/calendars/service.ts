/**
 * Connecting and disconnecting a staff member's calendar, and what a push notification does.
 *
 * Connect: `startConnection` stores a pending row (the OAuth `state` only as its SHA-256, the PKCE
 * verifier encrypted) and answers the vendor's consent URL; the vendor sends the browser back to
 * `/oauth/calendar/callback?code&state`, where `completeConnection` finds the row by the state,
 * exchanges the code with the verifier, stores the tokens encrypted, learns the account and opens a
 * push channel. A state is good once and for 15 minutes. Disconnect stops the push channel, revokes the
 * grant where the vendor can (Google), forgets the tokens and the cached blocks.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import { safeEqual } from '../integrations/inbound/crypto';
import { decryptSecret, encryptSecret } from '../secrets/cipher';
import { keyringOf } from '../secrets/keys';
import { oauthClient, renewWatchIfDue, withAccessToken } from './busy';
import {
  accountOf,
  authorizationUrl,
  type CalendarProvider,
  exchangeCode,
  hashState,
  pkcePair,
  randomState,
  revoke,
  stopWatch,
} from './providers';
import { byWatch, insertPending, liveConnection, pendingByState, updateConnection } from './repository';

export interface CalendarServiceDeps {
  db: Kysely<Database>;
  config: Config;
}

const STATE_TTL_MS = 15 * 60_000;

export class CalendarConnectError extends Error {
  override name = 'CalendarConnectError';
  constructor(
    readonly field: string,
    message: string,
    readonly status: 400 | 404 | 409 | 422 = 422,
  ) {
    super(message);
  }
}

export const redirectUri = (config: Config) => `${config.http.publicBaseUrl}/oauth/calendar/callback`;

export async function startConnection(
  deps: CalendarServiceDeps,
  args: { staffId: string; provider: CalendarProvider; actor: string },
): Promise<{ authorizationUrl: string }> {
  const client = oauthClient(deps.config, args.provider);
  if (!client) {
    const name = args.provider === 'google' ? 'GOOGLE_CLIENT_ID' : 'MICROSOFT_CLIENT_ID';
    throw new CalendarConnectError('provider', `${args.provider} calendars are not set up here (${name} is not set).`);
  }
  const staff = await deps.db
    .selectFrom('staff')
    .select(['id', 'email'])
    .where('id', '=', args.staffId)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!staff) throw new CalendarConnectError('staffId', `Staff member ${args.staffId} does not exist.`, 404);
  const state = randomState();
  const { verifier, challenge } = pkcePair();
  await insertPending(deps.db, {
    staffId: staff.id,
    provider: args.provider,
    stateHash: hashState(state),
    codeVerifier: encryptSecret(verifier, keyringOf(deps.config.secrets)),
    connectedBy: args.actor,
  });
  return {
    authorizationUrl: authorizationUrl(args.provider, client, {
      redirectUri: redirectUri(deps.config),
      state,
      challenge,
      loginHint: staff.email,
    }),
  };
}

/** The vendor's redirect back: returns who was connected, or throws CalendarConnectError. */
export async function completeConnection(
  deps: CalendarServiceDeps,
  args: { code: string | undefined; state: string | undefined; error: string | undefined },
  now: number,
): Promise<{ staffId: string; provider: CalendarProvider; account: string }> {
  if (!args.state) throw new CalendarConnectError('state', 'The link is incomplete: state is missing.', 400);
  const pending = await pendingByState(deps.db, hashState(args.state));
  if (!pending || pending.created_at.getTime() + STATE_TTL_MS < now) {
    throw new CalendarConnectError('state', 'This sign-in link has expired or was already used. Start again.', 400);
  }
  // The state is spent whatever happens next.
  await updateConnection(deps.db, pending.id, { state_hash: null });
  if (args.error || !args.code) {
    await updateConnection(deps.db, pending.id, { status: 'disconnected', last_error: args.error ?? 'no code' });
    throw new CalendarConnectError(
      'code',
      `The calendar was not connected: ${args.error ?? 'no authorization code'}.`,
      400,
    );
  }
  const client = oauthClient(deps.config, pending.provider);
  if (!client) throw new CalendarConnectError('provider', `${pending.provider} calendars are not set up here.`);
  const ring = keyringOf(deps.config.secrets);
  const tokens = await exchangeCode(
    client,
    {
      code: args.code,
      verifier: decryptSecret(pending.code_verifier ?? '', ring),
      redirectUri: redirectUri(deps.config),
    },
    now,
  );
  const account = await accountOf(pending.provider, client, tokens.accessToken);
  // A reconnection replaces the live connection (its push channel is dropped with it).
  const previous = await liveConnection(deps.db, pending.staff_id, pending.provider);
  if (previous) await disconnectRow(deps, previous, now, false);
  await updateConnection(deps.db, pending.id, {
    status: 'connected',
    code_verifier: null,
    account,
    access_token: encryptSecret(tokens.accessToken, ring),
    refresh_token: tokens.refreshToken ? encryptSecret(tokens.refreshToken, ring) : null,
    access_expires_at: new Date(tokens.expiresAt),
    busy_stale: true,
    last_error: null,
  });
  const connected = await liveConnection(deps.db, pending.staff_id, pending.provider);
  if (connected) await renewWatchIfDue(deps, connected, client, now);
  return { staffId: pending.staff_id, provider: pending.provider, account };
}

export async function disconnect(
  deps: CalendarServiceDeps,
  args: { staffId: string; provider: CalendarProvider },
  now: number,
): Promise<boolean> {
  const live = await liveConnection(deps.db, args.staffId, args.provider);
  if (!live) return false;
  await disconnectRow(deps, live, now, true);
  return true;
}

async function disconnectRow(
  deps: CalendarServiceDeps,
  row: NonNullable<Awaited<ReturnType<typeof liveConnection>>>,
  now: number,
  revokeGrant: boolean,
): Promise<void> {
  const client = oauthClient(deps.config, row.provider);
  const problems: string[] = [];
  if (client && row.watch_id) {
    await withAccessToken(deps, row, client, now, (token) =>
      stopWatch(row.provider, client, token, { id: row.watch_id!, resourceId: row.watch_resource_id }),
    ).catch((error: unknown) => problems.push(`stop push channel: ${String(error)}`));
  }
  if (client && revokeGrant && row.refresh_token) {
    await revoke(row.provider, client, decryptSecret(row.refresh_token, keyringOf(deps.config.secrets))).catch(
      (error: unknown) => problems.push(`revoke: ${String(error)}`),
    );
  }
  // Forgotten whatever the vendor answered: appointflow keeps no token of a disconnected calendar.
  await updateConnection(deps.db, row.id, {
    status: 'disconnected',
    access_token: null,
    refresh_token: null,
    access_expires_at: null,
    watch_id: null,
    watch_secret: null,
    watch_resource_id: null,
    watch_expires_at: null,
    busy: '[]',
    busy_fetched_at: null,
    last_error: problems.length ? problems.join('; ') : null,
  });
}

/**
 * A push notification (Google channel message, Graph change notification): when the channel and its
 * secret match a connection, its cached blocks are marked stale so the next availability refetches.
 * Returns false when nothing matched (the caller answers 404 / ignores).
 */
export async function markStale(
  deps: CalendarServiceDeps,
  args: { watchId: string; secret: string | undefined },
): Promise<'stale' | 'unknown' | 'forged'> {
  const row = await byWatch(deps.db, args.watchId);
  if (!row || !row.watch_secret) return 'unknown';
  const expected = decryptSecret(row.watch_secret, keyringOf(deps.config.secrets));
  if (!safeEqual(args.secret, expected)) return 'forged';
  await updateConnection(deps.db, row.id, { busy_stale: true });
  return 'stale';
}
