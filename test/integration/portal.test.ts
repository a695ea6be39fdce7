/**
 * The customer portal through HTTP (issue 16): passwordless sign-in by a one-time email link and by an
 * SMS code read from the local outbox (no account enumeration, single use, expiry, code guessing
 * rate-limited and a code dead after five wrong guesses), customer sessions separate from staff ones
 * (CSRF, sign out everywhere), the customer's own appointments rescheduled and cancelled through the
 * same workflow updates as the manage link, invoices, profile changes, details waiting for
 * confirmation — and one customer never reaching another's records by swapping ids on every endpoint.
 */
import { createApiKey } from '../../src/auth/api-keys';
import {
  contactByEmail,
  contactByPhone,
  createCodeChallenge,
  createLinkChallenge,
  redeemCode,
} from '../../src/portal/sign-in';
import { api, bookByPhone, eventually, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(240_000);

let system: System;
let bearer: Record<string, string>;
beforeAll(async () => {
  // The sign-in limits low enough to reach; the rest as in production.
  system = await startSystem({ RATE_LIMITS: 'portal.contact=6/15m,portal.ip=1000/15m' });
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Portal test')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

const SAM = { email: 'sam.rivera@example.com', phone: '+12125550123' };
const MORGAN = { email: 'morgan.lee@example.com', phone: '+14155550188' };

interface Session {
  cookie: string;
  csrf: string;
}

/** A request as a signed-in customer (cookie, and the CSRF token on changes unless told otherwise). */
function as(session: Session, method: string, path: string, body?: unknown, csrf = true) {
  return api<Record<string, unknown>>(system, method, path, body, {
    cookie: session.cookie,
    ...(csrf && method !== 'GET' ? { 'x-csrf-token': session.csrf } : {}),
  });
}

async function signInRaw(path: string, body: unknown) {
  const response = await fetch(`${system.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { csrfToken?: string; error?: { code: string } };
  const setCookie = response.headers.get('set-cookie') ?? '';
  return { status: response.status, json, setCookie };
}

async function outboxCount(template = 'portal_sign_in') {
  const row = await system.database.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('template', '=', template)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The newest sign-in message to `recipient` after `after` messages existed. */
async function signInMessage(recipient: string, after: number) {
  await eventually(async () => (await outboxCount()) > after);
  return system.database.db
    .selectFrom('messages')
    .selectAll()
    .where('template', '=', 'portal_sign_in')
    .where('recipient', '=', recipient)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
}

async function signInByEmail(email: string): Promise<Session> {
  const before = await outboxCount();
  expect((await api(system, 'POST', '/api/portal/sign-in', { email })).status).toBe(202);
  const message = await signInMessage(email, before);
  const token = /\/account\/link#([A-Za-z0-9_-]{43})/.exec(message.body)![1]!;
  const signed = await signInRaw('/api/portal/sign-in/link', { token });
  expect(signed.status).toBe(200);
  return { cookie: /af_portal=[^;]+/.exec(signed.setCookie)![0], csrf: signed.json.csrfToken! };
}

let samAppointment: string;
let morganAppointment: string;
let morganInvoice: string;

beforeAll(async () => {
  const serviceId = await serviceIdBySlug(system, 'consultation');
  const slots = await freeSlots(system, serviceId, 3, 12);
  samAppointment = (
    await bookByPhone(system, bearer, {
      serviceId,
      slot: slots[0]!,
      customer: { name: 'Sam Rivera', email: SAM.email },
    })
  ).id;
  morganAppointment = (
    await bookByPhone(system, bearer, {
      serviceId,
      slot: slots[4]!,
      customer: { name: 'Morgan Lee', email: MORGAN.email },
    })
  ).id;
  const morgan = (await contactByEmail(system.database.db, MORGAN.email))!;
  morganInvoice = (
    await system.database.db
      .insertInto('invoices')
      .values({
        contact_id: morgan.id,
        appointment_id: morganAppointment,
        currency: 'USD',
        lines: JSON.stringify([{ description: 'Consultation', quantity: 1, unitMinor: 5000, amountMinor: 5000 }]),
        subtotal_minor: 5000,
        total_minor: 5000,
        status: 'open',
        issued_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});

it('asking for a link answers the same for a known and an unknown email; the link works once', async () => {
  const before = await outboxCount();
  const unknown = await api(system, 'POST', '/api/portal/sign-in', { email: 'nobody@example.com' });
  const known = await api(system, 'POST', '/api/portal/sign-in', { email: 'Sam.Rivera@example.com' });
  expect(unknown).toEqual({ status: 202, body: known.body });
  const message = await signInMessage(SAM.email, before);
  expect(await outboxCount()).toBe(before + 1); // nothing for the unknown address
  const token = /\/account\/link#([A-Za-z0-9_-]{43})/.exec(message.body)![1]!;
  // Only a hash is stored.
  const stored = await system.database.db.selectFrom('customer_sign_in_challenges').select('secret_hash').execute();
  expect(stored.map((s) => s.secret_hash).join()).not.toContain(token);

  const first = await signInRaw('/api/portal/sign-in/link', { token });
  expect(first.status).toBe(200);
  expect(first.setCookie).toMatch(/af_portal=.+; Path=\/api\/portal\/; Expires=.+; HttpOnly; SameSite=Strict/);
  const again = await signInRaw('/api/portal/sign-in/link', { token });
  expect(again).toMatchObject({ status: 401, json: { error: { code: 'link_invalid' } } });
});

it('an expired link does not sign in', async () => {
  const sam = (await contactByEmail(system.database.db, SAM.email))!;
  const { token } = await createLinkChallenge(system.database.db, sam, new Date(Date.now() - 16 * 60_000));
  expect((await signInRaw('/api/portal/sign-in/link', { token })).status).toBe(401);
});

it('an SMS code signs in once; guessing is rate-limited per number', async () => {
  const before = await outboxCount();
  expect((await api(system, 'POST', '/api/portal/sign-in', { phone: MORGAN.phone })).status).toBe(202);
  const sms = await signInMessage(MORGAN.phone, before);
  expect(sms.channel).toBe('sms');
  const code = /\b(\d{6})\b/.exec(sms.body)![1]!;
  const wrong = code === '000000' ? '000001' : '000000';
  const bad = await signInRaw('/api/portal/sign-in/code', { phone: MORGAN.phone, code: wrong });
  expect(bad).toMatchObject({ status: 401, json: { error: { code: 'code_invalid' } } });
  const good = await signInRaw('/api/portal/sign-in/code', { phone: MORGAN.phone, code });
  expect(good.status).toBe(200);
  expect((await signInRaw('/api/portal/sign-in/code', { phone: MORGAN.phone, code })).status).toBe(401);
  // Four attempts so far on this number; the seventh in the window (limit 6) is refused unchecked.
  const guess = () =>
    fetch(`${system.baseUrl}/api/portal/sign-in/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: MORGAN.phone, code: wrong }),
    });
  expect((await guess()).status).toBe(401);
  expect((await guess()).status).toBe(401);
  const limited = await guess();
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  // Asking for another code for that number is limited too (same answer known or not).
  expect((await api(system, 'POST', '/api/portal/sign-in', { phone: MORGAN.phone })).status).toBe(429);
});

it('a code dies after five wrong guesses, and a new code replaces the old one', async () => {
  const db = system.database.db;
  const sam = (await contactByPhone(db, SAM.phone))!;
  const { code } = await createCodeChallenge(db, { ...sam, phone: SAM.phone });
  const wrong = code === '999999' ? '999998' : '999999';
  for (let i = 0; i < 5; i += 1) expect(await redeemCode(db, SAM.phone, wrong)).toBeUndefined();
  expect(await redeemCode(db, SAM.phone, code)).toBeUndefined();
  const first = await createCodeChallenge(db, { ...sam, phone: SAM.phone });
  const second = await createCodeChallenge(db, { ...sam, phone: SAM.phone });
  if (first.code !== second.code) expect(await redeemCode(db, SAM.phone, first.code)).toBeUndefined();
  expect(await redeemCode(db, SAM.phone, second.code)).toBe(sam.id);
});

it("a customer sees only their own records: every portal endpoint answers 404 for another customer's ids", async () => {
  const morgan = await signInByEmail(MORGAN.email);
  const list = await as(morgan, 'GET', '/api/portal/appointments');
  const ids = [...(list.body.upcoming as Array<{ id: string }>), ...(list.body.past as Array<{ id: string }>)].map(
    (a) => a.id,
  );
  expect(ids).toContain(morganAppointment);
  expect(ids).not.toContain(samAppointment);
  const invoices = (await as(morgan, 'GET', '/api/portal/invoices')).body.invoices as Array<{ id: string }>;
  expect(invoices.map((i) => i.id)).toEqual([morganInvoice]);
  expect((await as(morgan, 'GET', `/api/portal/invoices/${morganInvoice}`)).status).toBe(200);

  const sam = await signInByEmail(SAM.email);
  const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const swaps: Array<[string, string, unknown?]> = [
    [
      'GET',
      `/api/portal/appointments/${morganAppointment}/availability?from=${day}&to=${day}&timeZone=America/New_York`,
    ],
    [
      'POST',
      `/api/portal/appointments/${morganAppointment}/reschedule`,
      { startsAt: new Date(Date.now() + 5 * 86_400_000).toISOString() },
    ],
    ['POST', `/api/portal/appointments/${morganAppointment}/cancel`, {}],
    ['GET', `/api/portal/appointments/${morganAppointment}/ics`],
    ['GET', `/api/portal/invoices/${morganInvoice}`],
    ['GET', `/api/portal/invoices/${morganInvoice}?format=html`],
  ];
  for (const [method, path, body] of swaps) {
    const answer = await as(sam, method, path, body);
    expect({ path, status: answer.status }).toEqual({ path, status: 404 });
  }
  expect((await as(sam, 'GET', '/api/portal/invoices')).body.invoices).toEqual([]);
  expect(JSON.stringify((await as(sam, 'GET', '/api/portal/appointments')).body)).not.toContain(morganAppointment);
  const pendingId = '00000000-0000-4000-8000-000000000000';
  expect((await as(sam, 'POST', `/api/portal/pending-details/${pendingId}`, { confirm: true })).status).toBe(404);
  // Morgan's appointment is untouched.
  const row = await system.database.db
    .selectFrom('appointments')
    .select('status')
    .where('id', '=', morganAppointment)
    .executeTakeFirstOrThrow();
  expect(row.status).toBe('scheduled');
  // Without a session, nothing.
  expect((await api(system, 'GET', '/api/portal/appointments')).status).toBe(401);
});

it('reschedules and cancels through the workflow, with CSRF, and signs out everywhere', async () => {
  const sam = await signInByEmail(SAM.email);
  const other = await signInByEmail(SAM.email);
  const serviceId = await serviceIdBySlug(system, 'consultation');
  const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
  const free = await as(
    sam,
    'GET',
    `/api/portal/appointments/${samAppointment}/availability?from=${day(6)}&to=${day(12)}&timeZone=America/New_York`,
  );
  expect(free.status).toBe(200);
  const target = (free.body.days as Array<{ slots: Array<{ startsAt: string }> }>).flatMap((d) => d.slots)[2]!;
  expect(serviceId).toBeTruthy();

  const noCsrf = await as(
    sam,
    'POST',
    `/api/portal/appointments/${samAppointment}/reschedule`,
    { startsAt: target.startsAt },
    false,
  );
  expect(noCsrf.status).toBe(403);
  const moved = await as(sam, 'POST', `/api/portal/appointments/${samAppointment}/reschedule`, {
    startsAt: target.startsAt,
  });
  expect(moved.status).toBe(200);
  expect((moved.body.appointment as { startsAt: string }).startsAt).toBe(target.startsAt);
  const timeline = await system.database.db
    .selectFrom('timeline_events')
    .select(['kind', 'actor'])
    .where('appointment_id', '=', samAppointment)
    .where('kind', 'like', '%reschedul%')
    .execute();
  expect(timeline.map((t) => t.actor)).toContain('Sam Rivera');

  const ics = await fetch(`${system.baseUrl}/api/portal/appointments/${samAppointment}/ics`, {
    headers: { cookie: sam.cookie },
  });
  expect(ics.headers.get('content-type')).toMatch(/text\/calendar/);
  expect(await ics.text()).toMatch(/BEGIN:VEVENT[\s\S]*Consultation/);

  const cancelled = await as(sam, 'POST', `/api/portal/appointments/${samAppointment}/cancel`, {
    reason: 'Travelling',
  });
  expect(cancelled.status).toBe(200);
  expect((cancelled.body.appointment as { status: string }).status).toBe('cancelled');
  expect((await as(sam, 'POST', `/api/portal/appointments/${samAppointment}/cancel`, {})).status).toBe(409);

  expect((await as(other, 'GET', '/api/portal/session')).status).toBe(200);
  const ended = await as(sam, 'POST', '/api/portal/sign-out-everywhere');
  expect(ended.body.ended).toBeGreaterThanOrEqual(2); // these two and any earlier sign-in of Sam's
  expect((await as(other, 'GET', '/api/portal/session')).status).toBe(401);
  expect((await as(sam, 'GET', '/api/portal/appointments')).status).toBe(401);
});

it('the customer edits their profile; a bad field or a taken email is refused by name', async () => {
  const morgan = await signInByEmail(MORGAN.email);
  const bad = await as(morgan, 'PATCH', '/api/portal/profile', { phone: '555', surprise: 1 });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toMatch(/phone/);
  const taken = await as(morgan, 'PATCH', '/api/portal/profile', { email: SAM.email });
  expect(taken).toMatchObject({ status: 409, body: { error: { fields: [{ field: 'email' }] } } });
  const changed = await as(morgan, 'PATCH', '/api/portal/profile', {
    address: '1 Market St, San Francisco',
    clientNotes: 'Ring the bell twice',
    smsOptIn: true,
  });
  expect(changed.status).toBe(200);
  expect(changed.body.changed).toEqual(['address', 'client_notes', 'smsOptIn']);
  const contact = await system.database.db
    .selectFrom('contacts')
    .selectAll()
    .where('email', '=', MORGAN.email)
    .executeTakeFirstOrThrow();
  expect(contact).toMatchObject({
    address: '1 Market St, San Francisco',
    client_notes: 'Ring the bell twice',
    sms_opt_in: true,
    sms_opt_in_source: 'portal',
  });
  const out = await as(morgan, 'PATCH', '/api/portal/profile', { smsOptIn: false });
  expect(out.body.profile).toMatchObject({ sms: { optIn: false } });
  // Staff notes never reach the customer.
  expect(JSON.stringify((await as(morgan, 'GET', '/api/portal/profile')).body)).not.toMatch(/"notes"/);
});

it('details someone gave with a booking wait in the portal until the customer confirms them', async () => {
  const serviceId = await serviceIdBySlug(system, 'deep-tissue-massage');
  const slot = (await freeSlots(system, serviceId, 4, 12))[1]!;
  const booked = await api(system, 'POST', '/api/bookings', {
    serviceId,
    startsAt: slot.startsAt,
    timeZone: 'America/New_York',
    customer: { name: 'Sam R.', email: SAM.email, smsOptIn: false, address: '9 New Street' },
  });
  expect(booked.status).toBe(201);
  const sam = await signInByEmail(SAM.email);
  const profile = await as(sam, 'GET', '/api/portal/profile');
  const pending = profile.body.pendingDetails as Array<{ id: string; details: Record<string, unknown> }>;
  expect(pending).toHaveLength(1);
  expect(pending[0]!.details).toMatchObject({ name: 'Sam R.', address: '9 New Street' });
  expect(profile.body.profile).toMatchObject({ name: 'Sam Rivera' }); // not applied by signing in
  const confirmed = await as(sam, 'POST', `/api/portal/pending-details/${pending[0]!.id}`, { confirm: true });
  expect(confirmed.body).toMatchObject({ outcome: 'applied', profile: { name: 'Sam R.', address: '9 New Street' } });
});

it("a manage link sent to the customer leads into the portal; the booking answer's own link does not", async () => {
  const serviceId = await serviceIdBySlug(system, 'on-site-repair');
  const slot = (await freeSlots(system, serviceId, 5, 12))[0]!;
  const booked = await api<{ appointment: { id: string }; manageUrl: string }>(system, 'POST', '/api/bookings', {
    serviceId,
    startsAt: slot.startsAt,
    timeZone: 'America/New_York',
    customer: { name: 'Quinn New', email: 'quinn.new@example.com', smsOptIn: false },
  });
  expect(booked.status).toBe(201);
  const answerToken = /\/manage\/([A-Za-z0-9_-]{43})/.exec(booked.body.manageUrl)![1]!;
  expect((await signInRaw('/api/portal/sign-in/manage-link', { token: answerToken })).status).toBe(401);
  const email = await eventually(() =>
    system.database.db
      .selectFrom('messages')
      .select('body')
      .where('appointment_id', '=', booked.body.appointment.id)
      .where('template', '=', 'confirmation')
      .where('channel', '=', 'email')
      .executeTakeFirst(),
  );
  const sentToken = /\/manage\/([A-Za-z0-9_-]{43})/.exec(email.body)![1]!;
  const signed = await signInRaw('/api/portal/sign-in/manage-link', { token: sentToken });
  expect(signed).toMatchObject({ status: 200, json: { customer: { name: 'Quinn New' } } });
});
