/**
 * A local server speaking Google's and Microsoft's documented wire formats for what staff calendar
 * connections use: the OAuth 2 authorization endpoint (redirects back with a code, remembering the
 * PKCE challenge), the token endpoint (authorization_code with code_verifier checked against the S256
 * challenge, refresh_token; `invalid_grant` once revoked), Google's revoke, `freeBusy`, `events.watch`,
 * `channels.stop`, `calendars/primary`; Graph's `/me`, `calendar/getSchedule` and `subscriptions`
 * (which, like Graph, validates the notification URL by POSTing `?validationToken=` first).
 * Tests set the busy blocks and can expire or revoke tokens.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VendorCall {
  vendor: 'google' | 'microsoft';
  method: string;
  path: string;
  body: string;
  authorization: string | undefined;
}

interface Grant {
  vendor: 'google' | 'microsoft';
  challenge: string;
  redirectUri: string;
  clientId: string;
}

export interface CalendarVendors {
  url: string;
  env: Record<string, string>;
  calls: VendorCall[];
  busy: {
    google: Array<{ start: string; end: string }>;
    microsoft: Array<{ start: string; end: string; status?: string }>;
  };
  /** Seconds an issued access token lives (as `expires_in`). */
  accessTokenSeconds: number;
  /** Makes every access token issued so far answer 401 (as if expired early). */
  expireAccessTokens(): void;
  revoked: Set<string>;
  watches: Array<{ vendor: 'google' | 'microsoft'; id: string; secret: string; address: string }>;
  close(): Promise<void>;
}

const b64url = (buffer: Buffer) => buffer.toString('base64url');

export async function startCalendarVendors(): Promise<CalendarVendors> {
  const codes = new Map<string, Grant>();
  const refreshTokens = new Map<string, 'google' | 'microsoft'>();
  const accessTokens = new Map<string, { vendor: 'google' | 'microsoft'; valid: boolean }>();
  let counter = 0;
  const state: CalendarVendors = {
    url: '',
    env: {},
    calls: [],
    busy: { google: [], microsoft: [] },
    accessTokenSeconds: 3600,
    expireAccessTokens: () => accessTokens.forEach((t) => (t.valid = false)),
    revoked: new Set(),
    watches: [],
    close: async () => {},
  };

  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const issue = (vendor: 'google' | 'microsoft', withRefresh: string | undefined) => {
    counter += 1;
    const access = `${vendor}-access-${counter}`;
    accessTokens.set(access, { vendor, valid: true });
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: state.accessTokenSeconds,
      ...(withRefresh ? { refresh_token: withRefresh } : {}),
      scope: vendor === 'google' ? 'https://www.googleapis.com/auth/calendar.readonly' : 'Calendars.Read User.Read',
    };
  };

  const bearerOk = (req: IncomingMessage, vendor: 'google' | 'microsoft') => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const known = token ? accessTokens.get(token) : undefined;
    return known !== undefined && known.valid && known.vendor === vendor;
  };

  function authorize(vendor: 'google' | 'microsoft', url: URL, res: ServerResponse) {
    const q = url.searchParams;
    if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
      json(res, 400, { error: 'invalid_request' });
      return;
    }
    const code = `${vendor}-code-${(counter += 1)}`;
    codes.set(code, {
      vendor,
      challenge: q.get('code_challenge')!,
      redirectUri: q.get('redirect_uri')!,
      clientId: q.get('client_id')!,
    });
    const back = new URL(q.get('redirect_uri')!);
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.get('state') ?? '');
    res.writeHead(302, { location: back.toString() }).end();
  }

  function token(vendor: 'google' | 'microsoft', body: string, res: ServerResponse) {
    const form = new URLSearchParams(body);
    const clientId = vendor === 'google' ? 'google-client' : 'microsoft-client';
    if (form.get('client_id') !== clientId || form.get('client_secret') !== `${vendor}-secret`) {
      json(res, 401, { error: 'invalid_client' });
      return;
    }
    if (form.get('grant_type') === 'authorization_code') {
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const challenge = b64url(
        createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest(),
      );
      if (
        !grant ||
        grant.vendor !== vendor ||
        grant.challenge !== challenge ||
        grant.redirectUri !== form.get('redirect_uri')
      ) {
        json(res, 400, { error: 'invalid_grant', error_description: 'code, code_verifier or redirect_uri mismatch' });
        return;
      }
      const refresh = `${vendor}-refresh-${(counter += 1)}`;
      refreshTokens.set(refresh, vendor);
      json(res, 200, issue(vendor, refresh));
      return;
    }
    if (form.get('grant_type') === 'refresh_token') {
      const refresh = form.get('refresh_token') ?? '';
      if (refreshTokens.get(refresh) !== vendor || state.revoked.has(refresh)) {
        json(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
        return;
      }
      // Microsoft rotates refresh tokens; Google does not return a new one.
      let rotated: string | undefined;
      if (vendor === 'microsoft') {
        rotated = `${vendor}-refresh-${(counter += 1)}`;
        refreshTokens.set(rotated, vendor);
      }
      json(res, 200, issue(vendor, rotated));
      return;
    }
    json(res, 400, { error: 'unsupported_grant_type' });
  }

  async function validateGraphNotificationUrl(address: string): Promise<boolean> {
    const challenge = `Validation: ${(counter += 1)}`;
    const response = await fetch(`${address}?validationToken=${encodeURIComponent(challenge)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
    });
    return response.status === 200 && (await response.text()) === challenge;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    const url = new URL(req.url ?? '/', 'http://vendor');
    const path = url.pathname;
    const vendor = path.startsWith('/google') ? 'google' : 'microsoft';
    state.calls.push({
      vendor,
      method: req.method ?? '',
      path: `${path}${url.search}`,
      body,
      authorization: req.headers.authorization,
    });
    // Google
    if (path === '/google-accounts/o/oauth2/v2/auth') return authorize('google', url, res);
    if (path === '/google-oauth2/token') return token('google', body, res);
    if (path === '/google-oauth2/revoke') {
      const revoked = new URLSearchParams(body).get('token') ?? '';
      if (!refreshTokens.has(revoked) || state.revoked.has(revoked)) return json(res, 400, { error: 'invalid_token' });
      state.revoked.add(revoked);
      return json(res, 200, {});
    }
    if (path.startsWith('/google-api/')) {
      if (!bearerOk(req, 'google')) return json(res, 401, { error: { code: 401, message: 'Invalid Credentials' } });
      const api = path.slice('/google-api'.length);
      if (api === '/calendar/v3/calendars/primary')
        return json(res, 200, { kind: 'calendar#calendar', id: 'avery.chen@gmail.example' });
      if (api === '/calendar/v3/freeBusy') {
        const q = JSON.parse(body) as { timeMin: string; timeMax: string; items: Array<{ id: string }> };
        const min = Date.parse(q.timeMin);
        const max = Date.parse(q.timeMax);
        return json(res, 200, {
          kind: 'calendar#freeBusy',
          timeMin: q.timeMin,
          timeMax: q.timeMax,
          calendars: {
            [q.items[0]!.id]: {
              busy: state.busy.google.filter((b) => Date.parse(b.end) > min && Date.parse(b.start) < max),
            },
          },
        });
      }
      if (api === '/calendar/v3/calendars/primary/events/watch') {
        const q = JSON.parse(body) as { id: string; token: string; address: string; type: string };
        state.watches.push({ vendor: 'google', id: q.id, secret: q.token, address: q.address });
        return json(res, 200, {
          kind: 'api#channel',
          id: q.id,
          resourceId: `resource-${q.id}`,
          resourceUri: 'https://www.googleapis.com/calendar/v3/calendars/primary/events',
          token: q.token,
          expiration: String(Date.now() + 7 * 86_400_000),
        });
      }
      if (api === '/calendar/v3/channels/stop') return res.writeHead(204).end();
      return json(res, 404, { error: { code: 404 } });
    }
    // Microsoft
    if (path === '/ms-login/common/oauth2/v2.0/authorize') return authorize('microsoft', url, res);
    if (path === '/ms-login/common/oauth2/v2.0/token') return token('microsoft', body, res);
    if (path.startsWith('/ms-graph/')) {
      if (!bearerOk(req, 'microsoft')) {
        return json(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired.' } });
      }
      const api = path.slice('/ms-graph'.length);
      if (api === '/me')
        return json(res, 200, {
          id: 'u-1',
          mail: 'jordan.patel@outlook.example',
          userPrincipalName: 'jordan@contoso.example',
        });
      if (api === '/me/calendar/getSchedule') {
        const q = JSON.parse(body) as { schedules: string[] };
        return json(res, 200, {
          value: [
            {
              scheduleId: q.schedules[0],
              availabilityView: '',
              scheduleItems: state.busy.microsoft.map((b) => ({
                isPrivate: false,
                status: b.status ?? 'busy',
                subject: 'Dentist',
                start: { dateTime: b.start.replace('Z', '.0000000'), timeZone: 'UTC' },
                end: { dateTime: b.end.replace('Z', '.0000000'), timeZone: 'UTC' },
              })),
            },
          ],
        });
      }
      if (api === '/subscriptions' && req.method === 'POST') {
        const q = JSON.parse(body) as { notificationUrl: string; clientState: string; expirationDateTime: string };
        if (!(await validateGraphNotificationUrl(q.notificationUrl))) {
          return json(res, 400, {
            error: { code: 'InvalidRequest', message: 'Subscription validation request failed.' },
          });
        }
        const id = `sub-${(counter += 1)}`;
        state.watches.push({ vendor: 'microsoft', id, secret: q.clientState, address: q.notificationUrl });
        return json(res, 201, {
          id,
          resource: 'me/events',
          expirationDateTime: q.expirationDateTime,
          clientState: q.clientState,
        });
      }
      if (api.startsWith('/subscriptions/') && req.method === 'DELETE') return res.writeHead(204).end();
    }
    return json(res, 404, { error: 'not found' });
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) =>
        json(res, 500, { error: String(error) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.url = base;
  state.env = {
    GOOGLE_CLIENT_ID: 'google-client',
    GOOGLE_CLIENT_SECRET: 'google-secret',
    GOOGLE_OAUTH_BASE: `${base}/google-accounts`,
    GOOGLE_TOKEN_BASE: `${base}/google-oauth2`,
    GOOGLE_API_BASE: `${base}/google-api`,
    MICROSOFT_CLIENT_ID: 'microsoft-client',
    MICROSOFT_CLIENT_SECRET: 'microsoft-secret',
    MICROSOFT_LOGIN_BASE: `${base}/ms-login`,
    MICROSOFT_GRAPH_BASE: `${base}/ms-graph`,
  };
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}
