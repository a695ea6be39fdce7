/**
 * The API behind the customer pages (issue 14), through HTTP against the whole system: the business's
 * identity and its editing, phone numbers in national form, "anyone available" bookings shared out by
 * the stated rule, the contact's language, and the appointment as a calendar file in that language.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { DEMO_ADMIN } from '../../src/db/seed';
import { api, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

let system: System;
let bearer: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Front desk')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

interface Booked {
  manageUrl: string;
  appointment: { id: string; staff: { id: string; name: string } };
}

it('answers the business identity, and admins change it (validated, on the timeline)', async () => {
  const { status, body } = await api<{ business: Record<string, unknown>; paymentsSimulated: boolean }>(
    system,
    'GET',
    '/api/business',
  );
  expect(status).toBe(200);
  expect(body.business).toMatchObject({
    name: 'Maple Street Studio',
    phone: '+12125550100',
    phoneDisplay: '(212) 555-0100',
    country: 'US',
    brandColor: '#2f6b3f',
    defaultLocale: 'en',
  });
  expect(body.paymentsSimulated).toBe(true);

  const refused = await api<{ error: { fields: Array<{ field: string; message: string }> } }>(
    system,
    'PATCH',
    '/api/admin/business',
    { brandColor: 'green', logoUrl: 'javascript:alert(1)', surprise: 1 },
    bearer,
  );
  expect(refused.status).toBe(400);
  expect(refused.body.error.fields.map((f) => f.field).sort()).toEqual(['(body)', 'brandColor', 'logoUrl']);
  expect(refused.body.error.fields.find((f) => f.field === 'brandColor')!.message).toBe(
    'expected a colour such as #2f6b3f',
  );
  expect((await api(system, 'PATCH', '/api/admin/business', { brandColor: '#123456' })).status).toBe(401);

  const changed = await api<{ business: { brandColor: string; policy: string } }>(
    system,
    'PATCH',
    '/api/admin/business',
    { brandColor: '#7a1f5c', policy: 'Cancel by noon the day before.' },
    bearer,
  );
  expect(changed.status).toBe(200);
  expect(changed.body.business).toMatchObject({ brandColor: '#7a1f5c', policy: 'Cancel by noon the day before.' });
  const entry = await system.database.db
    .selectFrom('timeline_events')
    .select(['actor', 'data'])
    .where('kind', '=', 'business:updated')
    .executeTakeFirstOrThrow();
  expect(entry.actor).toBe('Front desk');
  expect((entry.data as { changes: Record<string, unknown> }).changes).toEqual({
    brandColor: { from: '#2f6b3f', to: '#7a1f5c' },
    policy: {
      from: 'Free to reschedule or cancel up to 24 hours before. Later changes or a missed visit may be charged.',
      to: 'Cancel by noon the day before.',
    },
  });
  const favicon = await fetch(`${system.baseUrl}/favicon.svg`);
  expect(favicon.headers.get('content-type')).toContain('image/svg+xml');
  expect(await favicon.text()).toContain('fill="#7a1f5c"');
});

it('takes phone numbers in national form (the business country) or international, and refuses others in words', async () => {
  const consultation = await serviceIdBySlug(system, 'consultation');
  const slots = await freeSlots(system, consultation, 3, 10);
  const [first, second] = [slots[0], slots[slots.length - 1]];
  const booking = (slot: { startsAt: string; staffId: string }, phone: string, email: string) => ({
    serviceId: consultation,
    staffId: slot.staffId,
    startsAt: slot.startsAt,
    timeZone: 'America/New_York',
    customer: { name: 'Pat Phone', email, phone, smsOptIn: true, locale: 'es' },
  });
  const refused = await api<{ error: { fields: Array<{ field: string; message: string }> } }>(
    system,
    'POST',
    '/api/bookings',
    booking(first!, '555 12', 'pat.phone@example.com'),
  );
  expect(refused.status).toBe(400);
  expect(refused.body.error.fields).toEqual([
    {
      field: 'customer.phone',
      message:
        'this does not look like a phone number: use one such as (201) 555-0123, or start with + and the country code',
    },
  ]);
  const national = await api<Booked>(
    system,
    'POST',
    '/api/bookings',
    booking(first!, '(212) 555-0143', 'pat.phone@example.com'),
  );
  expect(national.status).toBe(201);
  const international = await api<Booked>(
    system,
    'POST',
    '/api/bookings',
    booking(second!, '+44 20 7946 0958', 'pat.abroad@example.com'),
  );
  expect(international.status).toBe(201);
  const contacts = await system.database.db
    .selectFrom('contacts')
    .select(['email', 'phone', 'locale'])
    .where('email', 'in', ['pat.phone@example.com', 'pat.abroad@example.com'])
    .orderBy('email')
    .execute();
  expect(contacts).toEqual([
    { email: 'pat.abroad@example.com', phone: '+442079460958', locale: 'es' },
    { email: 'pat.phone@example.com', phone: '+12125550143', locale: 'es' },
  ]);

  // An SMS reply from this Spanish customer is answered in Spanish (C → the confirmation question).
  // The local SMS tool is for staff signed in to the admin app (not API keys).
  const signIn = await fetch(`${system.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_ADMIN.email, password: DEMO_ADMIN.password }),
  });
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const session = { cookie: (signIn.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': csrfToken };
  const reply = await api<{ outcome: string; reply: string }>(
    system,
    'POST',
    '/api/local/sms-replies',
    { from: '+12125550143', text: 'C' },
    session,
  );
  expect(reply.status).toBe(201);
  expect(reply.body.outcome).toBe('awaiting confirmation');
  expect(reply.body.reply).toMatch(/^¿Cancelar su Consultation del .+\? Responda YES para confirmar\./);

  // The calendar file from the manage link, in the language asked for.
  const token = new URL(national.body.manageUrl).pathname.split('/')[2]!;
  const ics = await fetch(`${system.baseUrl}/api/manage/${token}/calendar.ics?lang=es`);
  expect(ics.headers.get('content-type')).toContain('text/calendar');
  expect((await ics.text()).replace(/\r\n /g, '')).toContain('SUMMARY:Consultation con Maple Street Studio');
});

it('"anyone available": equal times go to the staff member with the fewest appointments that day', async () => {
  const consultation = await serviceIdBySlug(system, 'consultation');
  const slots = await freeSlots(system, consultation, 12, 20);
  // A day on which both Avery and Jordan offer the same two start times.
  const byStart = new Map<string, Set<string>>();
  for (const s of slots) byStart.set(s.startsAt, (byStart.get(s.startsAt) ?? new Set()).add(s.staffId));
  const shared = [...byStart].filter(([, staff]) => staff.size === 2).map(([startsAt]) => startsAt);
  const day = shared[0]!.slice(0, 10);
  const [a, b] = shared.filter((s) => s.slice(0, 10) === day && Date.parse(s) >= Date.parse(shared[0]!) + 3_600_000);
  const anyone = (startsAt: string, email: string) =>
    api<Booked>(system, 'POST', '/api/bookings', {
      serviceId: consultation,
      startsAt,
      timeZone: 'America/New_York',
      customer: { name: 'Any One', email },
    });
  const firstBooking = await anyone(shared[0]!, 'any.one@example.com');
  const secondBooking = await anyone(a ?? b!, 'any.two@example.com');
  expect(firstBooking.status).toBe(201);
  expect(secondBooking.status).toBe(201);
  // Both free and nobody booked that day: the name that sorts first (Avery); then the other one.
  expect(firstBooking.body.appointment.staff.name).toBe('Avery Chen');
  expect(secondBooking.body.appointment.staff.name).toBe('Jordan Patel');
});
