/**
 * Staff sign-in for the admin web app through HTTP: the session cookie's attributes, CSRF on
 * state-changing requests, the per-email-and-IP lockout, a technician limited to their own day, sign
 * out, and API keys still working on the same routes.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { DEMO_ADMIN, DEMO_TECHNICIAN } from '../../src/db/seed';
import * as accounts from '../../src/staff/accounts';

const { createStaffAccount, LOCK_MS, MAX_FAILURES, WINDOW_MS } = accounts;
import { api, eventually, startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

let system: System;
let bearer: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Back office')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

async function signIn(email: string, password: string) {
  const response = await fetch(`${system.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { csrfToken?: string; staff?: { role: string; staffId: string } };
  const setCookie = response.headers.get('set-cookie') ?? '';
  return {
    status: response.status,
    body,
    setCookie,
    retryAfter: response.headers.get('retry-after'),
    cookie: setCookie.split(';')[0] ?? '',
  };
}

const week = () => {
  const from = new Date(Date.now() - 86400_000).toISOString();
  const to = new Date(Date.now() + 14 * 86400_000).toISOString();
  return `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
};

it('signs in with a hashed password into an HttpOnly, SameSite=Lax session cookie and answers who is signed in', async () => {
  expect((await signIn(DEMO_ADMIN.email, 'wrong password')).status).toBe(401);
  const missing = await api(system, 'POST', '/api/session', { email: DEMO_ADMIN.email });
  expect(missing.status).toBe(400);
  expect(JSON.stringify(missing.body)).toContain('password');

  const ok = await signIn(DEMO_ADMIN.email.toUpperCase(), DEMO_ADMIN.password);
  expect(ok.status).toBe(200);
  expect(ok.setCookie).toMatch(/^af_session=[\w-]{43}; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/);
  expect(ok.setCookie).not.toContain('Secure'); // plain http here; Secure over https
  expect(ok.body.staff).toMatchObject({ role: 'admin', email: DEMO_ADMIN.email });

  const me = await api(system, 'GET', '/api/session', undefined, { cookie: ok.cookie });
  expect(me.status).toBe(200);
  expect(me.body).toMatchObject({ csrfToken: ok.body.csrfToken });

  const stored = await system.database.db.selectFrom('staff_accounts').select('password_hash').execute();
  for (const row of stored) expect(row.password_hash).toMatch(/^scrypt\$/);
});

it('needs the CSRF token for state-changing requests made with the session cookie; API keys keep working', async () => {
  const { cookie, body } = await signIn(DEMO_ADMIN.email, DEMO_ADMIN.password);
  const read = await api(system, 'GET', `/api/admin/calendar?${week()}`, undefined, { cookie });
  expect(read.status).toBe(200);

  const target = '/api/tasks/00000000-0000-4000-8000-000000000000/reassign';
  const payload = { assigneeStaffId: '00000000-0000-4000-8000-000000000001' };
  const forged = await api<{ error: { code: string } }>(system, 'POST', target, payload, { cookie });
  expect(forged.status).toBe(403);
  expect(forged.body.error.code).toBe('csrf_failed');
  const wrong = await api(system, 'POST', target, payload, { cookie, 'x-csrf-token': 'not-the-token' });
  expect(wrong.status).toBe(403);
  const withToken = await api(system, 'POST', target, payload, { cookie, 'x-csrf-token': body.csrfToken! });
  expect(withToken.status).toBe(422); // past authentication: the unknown staff member is named

  expect((await api(system, 'GET', `/api/admin/calendar?${week()}`, undefined, bearer)).status).toBe(200);
  expect((await api(system, 'GET', `/api/admin/calendar?${week()}`)).status).toBe(401);
  const invalid = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'GET',
    '/api/admin/calendar?from=yesterday',
    undefined,
    bearer,
  );
  expect(invalid.status).toBe(400);
  expect(invalid.body.error.fields.map((f) => f.field)).toEqual(expect.arrayContaining(['from', 'to']));
});

it('a technician sees only their own day and not the office screens', async () => {
  const { body: services } = await api<{ services: Array<{ id: string; slug: string }> }>(
    system,
    'GET',
    '/api/services',
  );
  const massage = services.services.find((s) => s.slug === 'deep-tissue-massage')!.id; // Avery only
  const from = new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 9 * 86400_000).toISOString().slice(0, 10);
  const slots = await api<{ days: Array<{ slots: Array<{ startsAt: string; staffId: string }> }> }>(
    system,
    'GET',
    `/api/services/${massage}/availability?from=${from}&to=${to}&timeZone=America/New_York`,
  );
  const slot = slots.body.days.find((d) => d.slots.length)!.slots[0]!;
  const booked = await api(system, 'POST', '/api/bookings', {
    serviceId: massage,
    startsAt: slot.startsAt,
    timeZone: 'America/New_York',
    customer: { name: 'Kim Office', email: 'kim.office@example.com' },
  });
  expect(booked.status).toBe(201);

  const range = `${week()}&staffId=${slot.staffId}`;
  const admin = await signIn(DEMO_ADMIN.email, DEMO_ADMIN.password);
  const asAdmin = await api<{ appointments: unknown[] }>(system, 'GET', `/api/admin/calendar?${range}`, undefined, {
    cookie: admin.cookie,
  });
  expect(asAdmin.body.appointments).toHaveLength(1);

  const tech = await signIn(DEMO_TECHNICIAN.email, DEMO_TECHNICIAN.password);
  expect(tech.body.staff?.role).toBe('technician');
  const asTech = await api<{ appointments: unknown[] }>(system, 'GET', `/api/admin/calendar?${range}`, undefined, {
    cookie: tech.cookie,
  });
  expect(asTech.status).toBe(200);
  expect(asTech.body.appointments).toHaveLength(0); // asked for Avery's day, got their own (empty)
  // Tasks: the office sees Avery's deliver task; the technician only their own.
  type Tasks = { tasks: Array<{ assignee_staff_id: string }> };
  await eventually(async () => {
    const all = await api<Tasks>(system, 'GET', '/api/tasks', undefined, bearer);
    return all.body.tasks.some((t) => t.assignee_staff_id === slot.staffId);
  });
  const techTasks = await api<Tasks>(system, 'GET', '/api/tasks', undefined, { cookie: tech.cookie });
  expect(techTasks.status).toBe(200);
  expect(techTasks.body.tasks.filter((t) => t.assignee_staff_id !== tech.body.staff!.staffId)).toEqual([]);
  // Avery's appointment is not the technician's to see or change.
  const averys = (booked.body as { appointment: { id: string } }).appointment.id;
  expect((await api(system, 'GET', `/api/appointments/${averys}`, undefined, { cookie: tech.cookie })).status).toBe(
    403,
  );
  expect(
    (
      await api(
        system,
        'POST',
        `/api/appointments/${averys}/no-show`,
        { channel: 'admin' },
        {
          cookie: tech.cookie,
          'x-csrf-token': tech.body.csrfToken!,
        },
      )
    ).status,
  ).toBe(403);
  expect((await api(system, 'GET', `/api/appointments/${averys}`, undefined, { cookie: admin.cookie })).status).toBe(
    200,
  );
  for (const path of [
    '/api/admin/board',
    '/api/admin/messages',
    '/api/admin/contacts',
    '/api/admin/settings',
    '/api/admin/memberships',
  ]) {
    expect((await api(system, 'GET', path, undefined, { cookie: tech.cookie })).status).toBe(403);
  }
});

it('signing out ends the session', async () => {
  const { cookie, body } = await signIn(DEMO_ADMIN.email, DEMO_ADMIN.password);
  expect((await api(system, 'DELETE', '/api/session', undefined, { cookie })).status).toBe(403); // no CSRF
  expect(
    (await api(system, 'DELETE', '/api/session', undefined, { cookie, 'x-csrf-token': body.csrfToken! })).status,
  ).toBe(204);
  expect((await api(system, 'GET', '/api/session', undefined, { cookie })).status).toBe(401);
  expect((await api(system, 'GET', `/api/admin/calendar?${week()}`, undefined, { cookie })).status).toBe(401);
});

it(`locks an email from an address after ${MAX_FAILURES} failed sign-ins, even for the right password`, async () => {
  for (let i = 1; i < MAX_FAILURES; i += 1) {
    expect((await signIn(DEMO_TECHNICIAN.email, `guess ${i}`)).status).toBe(401);
  }
  const locked = await signIn(DEMO_TECHNICIAN.email, 'last guess');
  expect(locked.status).toBe(429);
  expect(Number(locked.retryAfter)).toBeGreaterThan(60);
  expect((await signIn(DEMO_TECHNICIAN.email, DEMO_TECHNICIAN.password)).status).toBe(429);
  // Another account from the same address is not affected.
  expect((await signIn(DEMO_ADMIN.email, DEMO_ADMIN.password)).status).toBe(200);
});

it('forgets failures outside the window and lifts the lock after it ends', async () => {
  const db = system.database.db;
  await createStaffAccount(db, {
    email: 'clock@example.com',
    name: 'Clock Test',
    role: 'staff',
    password: 'a long password',
  });
  const at = (ms: number) => new Date(Date.parse('2030-01-01T00:00:00Z') + ms);
  const attempt = (password: string, ms: number) =>
    accounts.signIn(db, { email: 'clock@example.com', password, ip: '203.0.113.9' }, at(ms));

  // Four failures, then a quiet spell longer than the window: the count starts over.
  for (let i = 0; i < MAX_FAILURES - 1; i += 1) expect((await attempt('wrong', i * 1000)).ok).toBe(false);
  expect(await attempt('wrong', WINDOW_MS + 10_000)).toEqual({ ok: false, reason: 'invalid' });

  // Five in a row lock the pair; the right password is refused until the lock ends.
  for (let i = 1; i < MAX_FAILURES; i += 1) await attempt('wrong', WINDOW_MS + 10_000 + i * 1000);
  const lockedAt = WINDOW_MS + 10_000 + (MAX_FAILURES - 1) * 1000;
  expect(await attempt('a long password', lockedAt + 1000)).toMatchObject({ ok: false, reason: 'locked' });
  // Another address is not locked.
  expect(
    (
      await accounts.signIn(
        db,
        { email: 'clock@example.com', password: 'a long password', ip: '198.51.100.1' },
        at(lockedAt),
      )
    ).ok,
  ).toBe(true);
  expect((await attempt('a long password', lockedAt + LOCK_MS + 1000)).ok).toBe(true);
});

it('documents the sign-in and admin endpoints in the OpenAPI document', async () => {
  const openapi = await api<{
    paths: Record<string, unknown>;
    components: { securitySchemes: Record<string, { in?: string; name?: string }> };
  }>(system, 'GET', '/api/openapi.json');
  expect(Object.keys(openapi.body.paths)).toEqual(
    expect.arrayContaining([
      '/api/session',
      '/api/admin/calendar',
      '/api/admin/board',
      '/api/admin/contacts/{id}',
      '/api/admin/staff/{id}/hours',
      '/api/admin/time-off',
      '/api/admin/memberships',
    ]),
  );
  expect(openapi.body.components.securitySchemes.staffSession).toMatchObject({ in: 'cookie', name: 'af_session' });
});

it('lists memberships for the admin app: found by certificate number in any spelling, by name, by stage; bad input named', async () => {
  const { body: plans } = await api<{ plans: Array<{ id: string; name: string }> }>(
    system,
    'GET',
    '/api/membership-plans',
  );
  const bought = await api<{ membership: { id: string; certificateNumber: string } }>(
    system,
    'POST',
    '/api/memberships',
    {
      planId: plans.plans.find((p) => p.name === 'Massage 5-pack')!.id,
      timeZone: 'America/New_York',
      customer: { name: 'Lee Listed', email: 'lee.listed@example.com' },
      paymentMethodId: 'pm_card_visa',
      idempotencyKey: 'admin-memberships-list-1',
    },
  );
  expect(bought.status).toBe(201);
  const { certificateNumber, id } = bought.body.membership;
  const { cookie } = await signIn(DEMO_ADMIN.email, DEMO_ADMIN.password);
  type Listed = {
    certificateNumber: string | null;
    memberships: Array<{ id: string; planName: string; contactName: string; visitsLeft: number | null; stage: string }>;
  };
  const spoken = certificateNumber.replace(/-/g, ' ').toLowerCase();
  const byCertificate = await api<Listed>(
    system,
    'GET',
    `/api/admin/memberships?q=${encodeURIComponent(spoken)}`,
    undefined,
    { cookie },
  );
  expect(byCertificate.status).toBe(200);
  expect(byCertificate.body.certificateNumber).toBe(certificateNumber);
  expect(byCertificate.body.memberships).toEqual([
    expect.objectContaining({ id, planName: 'Massage 5-pack', contactName: 'Lee Listed', visitsLeft: 5 }),
  ]);
  const byName = await api<Listed>(system, 'GET', '/api/admin/memberships?q=lee%20list', undefined, bearer);
  expect(byName.body.certificateNumber).toBeNull();
  expect(byName.body.memberships.map((m) => m.id)).toEqual([id]);
  const expired = await api<Listed>(
    system,
    'GET',
    `/api/admin/memberships?stage=${encodeURIComponent('Membership Expired')}`,
    undefined,
    bearer,
  );
  expect(expired.body.memberships.map((m) => m.id)).not.toContain(id);
  const bad = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'GET',
    '/api/admin/memberships?stage=Gold',
    undefined,
    bearer,
  );
  expect(bad.status).toBe(400);
  expect(bad.body.error.fields.map((f) => f.field)).toEqual(['stage']);
});
