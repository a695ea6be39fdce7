/**
 * Staff management through HTTP (issue 15): validation naming each field, admins only (technicians and
 * office staff refused, API keys pass), add / edit with every change on the timeline (actor, from → to),
 * an invitation email whose one-use link sets a password that signs in, and deactivation that lists the
 * staff member's booked appointments for reassignment and ends their sign-in.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { DEMO_ADMIN, DEMO_TECHNICIAN } from '../../src/db/seed';
import { createStaffAccount } from '../../src/staff/accounts';
import { api, bookByPhone, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(180_000);

let system: System;
let bearer: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Back office')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

async function session(email: string, password: string): Promise<Record<string, string>> {
  const response = await fetch(`${system.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status).toBe(200);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': csrfToken };
}

interface Refusal {
  error: { code: string; message: string; fields: Array<{ field: string; message: string }> };
}
interface StaffBody {
  staff: {
    id: string;
    name: string;
    email: string;
    role: string;
    timeZone: string;
    colour: string | null;
    active: boolean;
    serviceIds: string[];
    account: { email: string; active: boolean } | null;
  };
}
interface Detail extends StaffBody {
  futureAppointments: Array<{ id: string; contactName: string }>;
  history: Array<{ kind: string; actor: string; data: { changes?: Record<string, { from: unknown; to: unknown }> } }>;
}

it('refuses bad input naming each field in words', async () => {
  const bad = await api<Refusal>(
    system,
    'POST',
    '/api/admin/staff',
    {
      name: ' ',
      email: 'not-an-email',
      phone: '555-0101',
      role: 'owner',
      timeZone: 'Mars/Olympus',
      colour: 'red',
      serviceIds: ['nope'],
      nickname: 'Sam',
    },
    bearer,
  );
  expect(bad.status).toBe(400);
  const fields = Object.fromEntries(bad.body.error.fields.map((f) => [f.field, f.message]));
  expect(fields).toMatchObject({
    name: 'required',
    email: 'expected an email address',
    phone: 'expected an E.164 phone number such as +12125550123',
    role: 'expected admin, staff or technician',
    timeZone: 'expected an IANA time zone such as America/New_York',
    colour: 'expected a colour such as #1f77b4',
    'serviceIds.0': 'expected a UUID',
  });
  expect(JSON.stringify(bad.body.error.fields)).toContain('nickname');

  const unknownService = await api<Refusal>(
    system,
    'POST',
    '/api/admin/staff',
    {
      name: 'Riley Stone',
      email: 'riley@maplestreet.example',
      role: 'staff',
      timeZone: 'America/New_York',
      serviceIds: ['00000000-0000-4000-8000-000000000000'],
    },
    bearer,
  );
  expect(unknownService.status).toBe(422);
  expect(unknownService.body.error.fields).toEqual([{ field: 'serviceIds.0', message: 'unknown service' }]);

  const taken = await api<Refusal>(
    system,
    'POST',
    '/api/admin/staff',
    { name: 'Avery Again', email: 'AVERY@maplestreet.example', role: 'staff', timeZone: 'America/New_York' },
    bearer,
  );
  expect(taken.status).toBe(409);
  expect(taken.body.error.fields).toEqual([{ field: 'email', message: 'already used by another staff member' }]);
});

it('lets admins only manage staff: technicians and office staff are refused, and see nothing of it', async () => {
  const technician = await session(DEMO_TECHNICIAN.email, DEMO_TECHNICIAN.password);
  await createStaffAccount(system.database.db, {
    email: 'desk@maplestreet.example',
    name: 'Front Desk',
    role: 'staff',
    password: 'front-desk-password',
  });
  const desk = await session('desk@maplestreet.example', 'front-desk-password');
  const body = { name: 'Quinn Ray', email: 'quinn@maplestreet.example', role: 'staff', timeZone: 'America/Chicago' };
  expect((await api(system, 'POST', '/api/admin/staff', body, technician)).status).toBe(403);
  expect((await api(system, 'POST', '/api/admin/staff', body, desk)).status).toBe(403);
  const { body: list } = await api<{ staff: Array<{ id: string }> }>(
    system,
    'GET',
    '/api/admin/staff',
    undefined,
    bearer,
  );
  const someone = list.staff[0]!.id;
  expect((await api(system, 'GET', `/api/admin/staff/${someone}`, undefined, technician)).status).toBe(403);
  expect((await api(system, 'GET', `/api/admin/staff/${someone}`, undefined, desk)).status).toBe(200);
  expect((await api(system, 'PATCH', `/api/admin/staff/${someone}`, { name: 'X' }, desk)).status).toBe(403);
  expect((await api(system, 'POST', `/api/admin/staff/${someone}/invite`, {}, technician)).status).toBe(403);
});

it('adds and edits a staff member, each change on the timeline with who made it and what changed', async () => {
  const admin = await session(DEMO_ADMIN.email, DEMO_ADMIN.password);
  const consultation = await serviceIdBySlug(system, 'consultation');
  const created = await api<StaffBody>(
    system,
    'POST',
    '/api/admin/staff',
    {
      name: 'Morgan Diaz',
      email: 'morgan.diaz@maplestreet.example',
      phone: '+12125550199',
      role: 'staff',
      timeZone: 'America/Chicago',
      colour: '#1F77B4',
      serviceIds: [consultation],
    },
    admin,
  );
  expect(created.status).toBe(201);
  expect(created.body.staff).toMatchObject({
    name: 'Morgan Diaz',
    role: 'staff',
    timeZone: 'America/Chicago',
    colour: '#1f77b4',
    active: true,
    serviceIds: [consultation],
    account: null,
  });
  const id = created.body.staff.id;

  const edited = await api<StaffBody & { changes: Record<string, { from: unknown; to: unknown }> }>(
    system,
    'PATCH',
    `/api/admin/staff/${id}`,
    { role: 'technician', timeZone: 'America/Denver', serviceIds: [] },
    admin,
  );
  expect(edited.status).toBe(200);
  expect(edited.body.changes).toEqual({
    role: { from: 'staff', to: 'technician' },
    timeZone: { from: 'America/Chicago', to: 'America/Denver' },
    serviceIds: { from: [consultation], to: [] },
  });
  const detail = await api<Detail>(system, 'GET', `/api/admin/staff/${id}`, undefined, bearer);
  expect(detail.body.history.map((h) => [h.kind, h.actor])).toEqual([
    ['staff:updated', 'Avery Chen'],
    ['staff:created', 'Avery Chen'],
  ]);
  expect(detail.body.history[0]!.data.changes?.role).toEqual({ from: 'staff', to: 'technician' });
  expect(detail.body.history[1]!.data.changes?.name).toEqual({ from: null, to: 'Morgan Diaz' });

  // The list for the calendar and settings carries the colour; deactivated staff only when asked.
  const { body: list } = await api<{ staff: Array<{ id: string; colour: string | null }> }>(
    system,
    'GET',
    '/api/admin/staff',
    undefined,
    bearer,
  );
  expect(list.staff.find((s) => s.id === id)?.colour).toBe('#1f77b4');
});

it('invites a staff member by email; the one-use link sets a password that signs in with their role', async () => {
  const admin = await session(DEMO_ADMIN.email, DEMO_ADMIN.password);
  const created = await api<StaffBody>(
    system,
    'POST',
    '/api/admin/staff',
    { name: 'Sky Patel', email: 'sky@maplestreet.example', role: 'technician', timeZone: 'America/New_York' },
    admin,
  );
  const id = created.body.staff.id;
  const invited = await api<{ invitation: { messageId: string; expiresAt: string } }>(
    system,
    'POST',
    `/api/admin/staff/${id}/invite`,
    {},
    admin,
  );
  expect(invited.status).toBe(201);
  const email = await system.database.db
    .selectFrom('messages')
    .select(['recipient', 'subject', 'body', 'status', 'staff_id', 'template'])
    .where('id', '=', invited.body.invitation.messageId)
    .executeTakeFirstOrThrow();
  expect(email).toMatchObject({
    recipient: 'sky@maplestreet.example',
    subject: 'Set your password for Maple Street Studio',
    status: 'sent',
    staff_id: id,
    template: 'staffInvitation',
  });
  const link = /(\/admin\/invite\/[\w-]+)/.exec(email.body)![1]!;
  const token = link.split('/').pop()!;
  expect(email.body).toContain(`${system.baseUrl}${link}`);

  const who = await api<{ invitation: { name: string; email: string } }>(
    system,
    'GET',
    `/api/staff-invitations/${token}`,
  );
  expect(who.body.invitation).toEqual({ name: 'Sky Patel', email: 'sky@maplestreet.example' });
  const short = await api<Refusal>(system, 'POST', `/api/staff-invitations/${token}`, { password: 'short' });
  expect(short.status).toBe(400);
  expect(short.body.error.fields).toEqual([{ field: 'password', message: 'at least 10 characters' }]);
  expect((await api(system, 'POST', `/api/staff-invitations/${token}`, { password: 'sky-is-the-limit' })).status).toBe(
    200,
  );
  const again = await api<Refusal>(system, 'POST', `/api/staff-invitations/${token}`, { password: 'another-password' });
  expect(again.status).toBe(410);
  expect((await api(system, 'GET', `/api/staff-invitations/${token}`)).status).toBe(410);

  const signedIn = await fetch(`${system.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'sky@maplestreet.example', password: 'sky-is-the-limit' }),
  });
  expect(signedIn.status).toBe(200);
  expect(((await signedIn.json()) as { staff: { role: string; staffId: string } }).staff).toMatchObject({
    role: 'technician',
    staffId: id,
  });
  const detail = await api<Detail>(system, 'GET', `/api/admin/staff/${id}`, undefined, bearer);
  expect(detail.body.history.map((h) => h.kind)).toEqual(['staff:joined', 'staff:invited', 'staff:created']);
});

it('deactivates a staff member: their booked appointments listed for reassignment, their sign-in ended; not oneself', async () => {
  const admin = await session(DEMO_ADMIN.email, DEMO_ADMIN.password);
  const db = system.database.db;
  const jordan = await db.selectFrom('staff').select('id').where('name', '=', 'Jordan Patel').executeTakeFirstOrThrow();
  const repair = await serviceIdBySlug(system, 'on-site-repair');
  const slot = (await freeSlots(system, repair, 2, 9)).find((s) => s.staffId === jordan.id)!;
  const booked = await bookByPhone(system, bearer, {
    serviceId: repair,
    slot,
    customer: { name: 'Dana Booked', email: 'dana.booked@example.com' },
  });
  const technician = await session(DEMO_TECHNICIAN.email, DEMO_TECHNICIAN.password);

  const off = await api<StaffBody & { futureAppointments: Array<{ id: string; contactName: string }> }>(
    system,
    'PATCH',
    `/api/admin/staff/${jordan.id}`,
    { active: false },
    admin,
  );
  expect(off.status).toBe(200);
  expect(off.body.staff.active).toBe(false);
  expect(off.body.staff.account).toMatchObject({ active: false });
  expect(off.body.futureAppointments).toContainEqual(
    expect.objectContaining({ id: booked.id, contactName: 'Dana Booked' }),
  );
  // Their open session ends with the account.
  expect((await api(system, 'GET', '/api/session', undefined, { cookie: technician.cookie! })).status).toBe(401);
  const detail = await api<Detail>(system, 'GET', `/api/admin/staff/${jordan.id}`, undefined, bearer);
  expect(detail.body.history[0]).toMatchObject({ kind: 'staff:deactivated', actor: 'Avery Chen' });
  const { body: active } = await api<{ staff: Array<{ id: string }> }>(
    system,
    'GET',
    '/api/admin/staff',
    undefined,
    bearer,
  );
  expect(active.staff.map((s) => s.id)).not.toContain(jordan.id);
  const { body: all } = await api<{ staff: Array<{ id: string; active: boolean }> }>(
    system,
    'GET',
    '/api/admin/staff?includeInactive=true',
    undefined,
    bearer,
  );
  expect(all.staff.find((s) => s.id === jordan.id)?.active).toBe(false);

  const back = await api<StaffBody>(system, 'PATCH', `/api/admin/staff/${jordan.id}`, { active: true }, admin);
  expect(back.body.staff.account).toMatchObject({ active: true });

  const me = await db.selectFrom('staff').select('id').where('name', '=', 'Avery Chen').executeTakeFirstOrThrow();
  const self = await api<Refusal>(system, 'PATCH', `/api/admin/staff/${me.id}`, { active: false }, admin);
  expect(self.status).toBe(422);
  expect(self.body.error.fields).toEqual([{ field: 'active', message: 'you cannot deactivate yourself' }]);
  const demote = await api<Refusal>(system, 'PATCH', `/api/admin/staff/${me.id}`, { role: 'staff' }, admin);
  expect(demote.body.error.fields).toEqual([{ field: 'role', message: 'you cannot take away your own admin role' }]);
});
