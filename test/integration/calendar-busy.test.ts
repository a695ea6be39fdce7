/**
 * Staff calendars through HTTP against local servers speaking Google's and Microsoft's wire formats
 * (test/support/calendar-vendors.ts): connecting by OAuth with PKCE, tokens encrypted at rest, busy
 * blocks (freeBusy / getSchedule) removing slots, the cache and its push notifications, appointflow's
 * own synced events not counted twice, token refresh, a revoked grant, and disconnecting.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { startCalendarVendors, type CalendarVendors } from '../support/calendar-vendors';
import { api, freeSlots, serviceIdBySlug, startSystem, type Slot, type System } from '../support/system';

jest.setTimeout(180_000);

let vendors: CalendarVendors;
let system: System;
let auth: Record<string, string>;
let avery: string;
let jordan: string;
let consultation: string;

beforeAll(async () => {
  vendors = await startCalendarVendors();
  system = await startSystem(vendors.env);
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Front desk')).key}` };
  const staff = await system.database.db.selectFrom('staff').select(['id', 'name']).execute();
  avery = staff.find((s) => s.name === 'Avery Chen')!.id;
  jordan = staff.find((s) => s.name === 'Jordan Patel')!.id;
  consultation = await serviceIdBySlug(system, 'consultation');
});
afterAll(async () => {
  await system?.stop();
  await vendors?.close();
});

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Connects a calendar the way a browser does: consent URL → vendor redirect → our callback. */
async function connect(staffId: string, provider: 'google' | 'microsoft'): Promise<URL> {
  const started = await api<{ authorizationUrl: string }>(
    system,
    'POST',
    `/api/admin/staff/${staffId}/calendar/${provider}/connect`,
    {},
    auth,
  );
  expect(started.status).toBe(201);
  const consent = new URL(started.body.authorizationUrl);
  const atVendor = await fetch(consent, { redirect: 'manual' });
  expect(atVendor.status).toBe(302);
  const callback = await fetch(atVendor.headers.get('location')!, { redirect: 'manual' });
  expect(callback.status).toBe(302);
  const landed = new URL(callback.headers.get('location')!, system.baseUrl);
  expect(landed.pathname).toBe('/admin/settings/calendars');
  expect(landed.searchParams.get('connected')).toBe(provider);
  return consent;
}

/** Free slots of one staff member on the first day (8–20 days ahead) they have some. */
async function aDayOf(staffId: string): Promise<Slot[]> {
  const slots = (await freeSlots(system, consultation, 8, 20)).filter((s) => s.staffId === staffId);
  const day = slots[0]!.startsAt.slice(0, 10);
  return slots.filter((s) => s.startsAt.startsWith(day));
}

const freeStarts = async (staffId: string) =>
  new Set((await freeSlots(system, consultation, 8, 20)).filter((s) => s.staffId === staffId).map((s) => s.startsAt));

const calls = (path: string) => vendors.calls.filter((c) => c.path.startsWith(path));

it('Google: connects with PKCE, keeps tokens encrypted, and its busy blocks remove slots (cached, refreshed by push)', async () => {
  const day = await aDayOf(avery);
  const blocked = Date.parse(day[2]!.startsAt);
  vendors.busy.google = [{ start: iso(blocked), end: iso(blocked + HOUR) }];

  const consent = await connect(avery, 'google');
  expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
  expect(consent.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(consent.searchParams.get('access_type')).toBe('offline');
  expect(consent.searchParams.get('redirect_uri')).toBe(`${system.baseUrl}/oauth/calendar/callback`);
  // The token request carried the verifier (the vendor checked it against the challenge) and no state is reusable.
  const tokenCall = calls('/google-oauth2/token')[0]!;
  expect(new URLSearchParams(tokenCall.body).get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);

  const row = await system.database.db
    .selectFrom('calendar_connections')
    .selectAll()
    .where('staff_id', '=', avery)
    .where('status', '=', 'connected')
    .executeTakeFirstOrThrow();
  expect(row.account).toBe('avery.chen@gmail.example');
  expect(row.access_token).toMatch(/^enc:v1:/);
  expect(row.refresh_token).toMatch(/^enc:v1:/);
  expect(JSON.stringify(row)).not.toMatch(/google-(access|refresh)-/);
  expect(row.watch_id).toBe(vendors.watches.find((w) => w.vendor === 'google')!.id);

  // The busy hour and the slots overlapping it are gone; the rest of the day stays.
  let free = await freeStarts(avery);
  expect(free.has(iso(blocked))).toBe(false);
  expect(free.has(iso(blocked - 15 * 60_000))).toBe(false); // a 30-minute consultation would run into it
  expect(free.has(day[0]!.startsAt)).toBe(true);
  const freeBusyCalls = calls('/google-api/calendar/v3/freeBusy').length;
  expect(freeBusyCalls).toBeGreaterThanOrEqual(1);
  expect(calls('/google-api/calendar/v3/freeBusy')[0]!.authorization).toMatch(/^Bearer google-access-/);

  // Cached: the next view does not ask Google again.
  await freeStarts(avery);
  expect(calls('/google-api/calendar/v3/freeBusy').length).toBe(freeBusyCalls);

  // The meeting moves; Google's push notification marks the cache stale.
  vendors.busy.google = [{ start: iso(blocked + 2 * HOUR), end: iso(blocked + 3 * HOUR) }];
  const watch = vendors.watches.find((w) => w.vendor === 'google')!;
  const forged = await fetch(`${system.baseUrl}/webhooks/calendar-busy/google`, {
    method: 'POST',
    headers: { 'x-goog-channel-id': watch.id, 'x-goog-channel-token': 'guess', 'x-goog-resource-state': 'exists' },
  });
  expect(forged.status).toBe(401);
  const pushed = await fetch(`${system.baseUrl}/webhooks/calendar-busy/google`, {
    method: 'POST',
    headers: {
      'x-goog-channel-id': watch.id,
      'x-goog-channel-token': watch.secret,
      'x-goog-resource-id': `resource-${watch.id}`,
      'x-goog-resource-state': 'exists',
      'x-goog-message-number': '2',
    },
  });
  expect(pushed.status).toBe(200);
  free = await freeStarts(avery);
  expect(free.has(iso(blocked))).toBe(true);
  expect(free.has(iso(blocked + 2 * HOUR))).toBe(false);
});

it('Google: an expired access token is refreshed with the refresh token and the call retried', async () => {
  const refreshesBefore = calls('/google-oauth2/token').filter((c) =>
    c.body.includes('grant_type=refresh_token'),
  ).length;
  vendors.expireAccessTokens();
  await system.database.db
    .updateTable('calendar_connections')
    .set({ busy_stale: true })
    .where('staff_id', '=', avery)
    .execute();
  const blocked = Date.parse(vendors.busy.google[0]!.start);
  expect((await freeStarts(avery)).has(iso(blocked))).toBe(false);
  const refreshes = calls('/google-oauth2/token').filter((c) => c.body.includes('grant_type=refresh_token'));
  expect(refreshes.length).toBe(refreshesBefore + 1);
  expect(new URLSearchParams(refreshes.at(-1)!.body).get('refresh_token')).toMatch(/^google-refresh-/);
});

it("appointflow's own event in the calendar does not block the appointment itself", async () => {
  const slot = (await aDayOf(avery))[0]!;
  const booked = await api<{ appointment: { id: string; endsAt: string }; manageUrl: string }>(
    system,
    'POST',
    '/api/bookings',
    {
      serviceId: consultation,
      staffId: avery,
      startsAt: slot.startsAt,
      timeZone: 'America/New_York',
      customer: { name: 'Riley Moss', email: 'riley.calendar@example.com', smsOptIn: false },
    },
  );
  expect(booked.status).toBe(201);
  // The outbound sync wrote it to Avery's Google Calendar (af<uuid hex>), so freeBusy reports it busy too.
  const eventId = `af${booked.body.appointment.id.replace(/-/g, '')}`;
  await system.database.db
    .insertInto('outbound_links')
    .values({
      platform: 'google_calendar',
      appointment_id: booked.body.appointment.id,
      external_id: eventId,
      data: '{}',
    })
    .execute();
  const start = Date.parse(slot.startsAt);
  vendors.busy.google = [{ start: slot.startsAt, end: booked.body.appointment.endsAt }];
  await system.database.db
    .updateTable('calendar_connections')
    .set({ busy_stale: true })
    .where('staff_id', '=', avery)
    .execute();
  const token = booked.body.manageUrl.split('/manage/')[1]!;
  const date = slot.startsAt.slice(0, 10);
  const own = await api<{ days: Array<{ slots: Slot[] }> }>(
    system,
    'GET',
    `/api/manage/${token}/availability?from=${date}&to=${date}&timeZone=UTC&staffId=${avery}`,
  );
  // Moving it by 15 minutes is offered: neither its own row nor its own Google event blocks it …
  expect(own.body.days.flatMap((d) => d.slots).map((s) => s.startsAt)).toContain(iso(start + 15 * 60_000));
  // … while for anyone else that time is taken (by the appointment).
  expect((await freeStarts(avery)).has(iso(start + 15 * 60_000))).toBe(false);
});

it('Outlook: getSchedule busy items remove slots, the subscription was validated, notifications need the clientState', async () => {
  const day = await aDayOf(jordan);
  const blocked = Date.parse(day[1]!.startsAt);
  vendors.busy.microsoft = [
    { start: iso(blocked), end: iso(blocked + HOUR) },
    { start: iso(blocked + 3 * HOUR), end: iso(blocked + 4 * HOUR), status: 'free' },
  ];
  const consent = await connect(jordan, 'microsoft');
  expect(consent.searchParams.get('scope')).toContain('offline_access');
  const subscription = vendors.watches.find((w) => w.vendor === 'microsoft')!;
  expect(subscription.address).toBe(`${system.baseUrl}/webhooks/calendar-busy/microsoft`);

  let free = await freeStarts(jordan);
  expect(free.has(iso(blocked))).toBe(false);
  expect(free.has(iso(blocked + 3 * HOUR))).toBe(true); // "free" items do not block
  const schedule = JSON.parse(calls('/ms-graph/me/calendar/getSchedule')[0]!.body) as { schedules: string[] };
  expect(schedule.schedules).toEqual(['jordan.patel@outlook.example']);

  vendors.busy.microsoft = [];
  const notify = (clientState: string) =>
    fetch(`${system.baseUrl}/webhooks/calendar-busy/microsoft`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        value: [
          {
            subscriptionId: subscription.id,
            clientState,
            changeType: 'updated',
            resource: 'Users/u-1/Events/AAMk1',
            resourceData: { id: 'AAMk1', '@odata.type': '#Microsoft.Graph.Event' },
          },
        ],
      }),
    });
  expect((await notify('wrong')).status).toBe(401);
  expect((await notify(subscription.secret)).status).toBe(202);
  free = await freeStarts(jordan);
  expect(free.has(iso(blocked))).toBe(true);
});

it('a grant revoked at the vendor puts the connection in error and its blocks stop counting', async () => {
  vendors.busy.microsoft = [{ start: iso(Date.now() + 9 * 86_400_000), end: iso(Date.now() + 9 * 86_400_000 + HOUR) }];
  // Every refresh token Microsoft issued is revoked (the user removed the app's access), and the access token expires.
  const row = await system.database.db
    .selectFrom('calendar_connections')
    .select('id')
    .where('staff_id', '=', jordan)
    .where('status', '=', 'connected')
    .executeTakeFirstOrThrow();
  vendors.expireAccessTokens();
  for (let i = 0; i < 100; i += 1) vendors.revoked.add(`microsoft-refresh-${i}`);
  await system.database.db
    .updateTable('calendar_connections')
    .set({ busy_stale: true })
    .where('id', '=', row.id)
    .execute();
  await freeStarts(jordan);
  const after = await system.database.db
    .selectFrom('calendar_connections')
    .select(['status', 'last_error'])
    .where('id', '=', row.id)
    .executeTakeFirstOrThrow();
  expect(after.status).toBe('error');
  expect(after.last_error).toContain('invalid_grant');
  const listed = await api<{ connections: Array<{ staffId: string; status: string; lastError: string }> }>(
    system,
    'GET',
    '/api/admin/calendar-connections',
    undefined,
    auth,
  );
  expect(listed.body.connections.find((c) => c.staffId === jordan)).toMatchObject({ status: 'error' });
});

it('disconnect stops the push channel, revokes the grant, forgets the tokens and frees the slots', async () => {
  const blocked = Date.parse((await aDayOf(avery)).at(-1)!.startsAt);
  vendors.busy.google = [{ start: iso(blocked), end: iso(blocked + HOUR) }];
  await system.database.db
    .updateTable('calendar_connections')
    .set({ busy_stale: true })
    .where('staff_id', '=', avery)
    .execute();
  expect((await freeStarts(avery)).has(iso(blocked))).toBe(false);
  const gone = await api(system, 'DELETE', `/api/admin/staff/${avery}/calendar/google`, undefined, auth);
  expect(gone.status).toBe(204);
  // (Google's access token had expired meanwhile: the first stop is refused, refreshed, stopped.)
  const stops = calls('/google-api/calendar/v3/channels/stop');
  expect(JSON.parse(stops.at(-1)!.body)).toMatchObject({ id: vendors.watches.find((w) => w.vendor === 'google')!.id });
  const revokeCall = calls('/google-oauth2/revoke')[0]!;
  expect(new URLSearchParams(revokeCall.body).get('token')).toMatch(/^google-refresh-/);
  const row = await system.database.db
    .selectFrom('calendar_connections')
    .selectAll()
    .where('staff_id', '=', avery)
    .where('provider', '=', 'google')
    .orderBy('updated_at', 'desc')
    .executeTakeFirstOrThrow();
  expect(row).toMatchObject({ status: 'disconnected', access_token: null, refresh_token: null, watch_id: null });
  expect((await freeStarts(avery)).has(iso(blocked))).toBe(true);
  expect((await api(system, 'DELETE', `/api/admin/staff/${avery}/calendar/google`, undefined, auth)).status).toBe(404);
  // Unknown provider and a spent state are refused in words.
  const bad = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/admin/staff/${avery}/calendar/yahoo/connect`,
    {},
    auth,
  );
  expect(bad.status).toBe(400);
  expect(bad.body.error.fields[0]!.field).toBe('provider');
  const replay = await fetch(`${system.baseUrl}/oauth/calendar/callback?code=x&state=spent`, { redirect: 'manual' });
  expect(new URL(replay.headers.get('location')!, system.baseUrl).searchParams.get('error')).toContain('expired');
});
