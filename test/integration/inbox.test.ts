/**
 * The staff Messages inbox through HTTP (issue 16): customers write from the portal; each staff member
 * sees their own unread counts (opening a thread marks it read for them only), threads are assigned and
 * filtered by assignee and by "needs reply" / "waiting on customer"; bad filters and unknown staff are
 * refused naming the field; an API key (no one to read for) and technicians are refused.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { DEMO_ADMIN, DEMO_TECHNICIAN } from '../../src/db/seed';
import { createStaffAccount } from '../../src/staff/accounts';
import { api, portalSignedIn, startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system?.stop();
});

type Headers = Record<string, string>;
interface Thread {
  contact: { id: string; name: string };
  state: string;
  unread: number;
  assignee: { id: string; name: string } | null;
}

async function staffSession(email: string, password: string): Promise<Headers> {
  const response = await fetch(`${system.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': csrfToken };
}

async function customer(email: string): Promise<{ id: string; write: (body: string) => Promise<void> }> {
  const { contactId, headers } = await portalSignedIn(system, email);
  return {
    id: contactId,
    write: async (body) => {
      expect((await api(system, 'POST', '/api/portal/messages', { body }, headers)).status).toBe(201);
    },
  };
}

const threads = async (headers: Headers, query = '') =>
  (await api<{ threads: Thread[] }>(system, 'GET', `/api/admin/inbox${query}`, undefined, headers)).body.threads;
const unread = async (headers: Headers) =>
  (await api<{ unread: number }>(system, 'GET', '/api/admin/inbox/unread', undefined, headers)).body.unread;

it('unread per staff member, read on opening, assignment and state filters', async () => {
  const admin = await staffSession(DEMO_ADMIN.email, DEMO_ADMIN.password);
  const avery = await system.database.db
    .selectFrom('staff_accounts')
    .select('staff_id')
    .where('email', '=', DEMO_ADMIN.email)
    .executeTakeFirstOrThrow();
  await createStaffAccount(system.database.db, {
    email: 'desk@maplestreet.example',
    name: 'Front Desk',
    role: 'staff',
    password: 'front-desk-password',
  });
  const desk = await staffSession('desk@maplestreet.example', 'front-desk-password');
  const sam = await customer('sam.rivera@example.com');
  const morgan = await customer('morgan.lee@example.com');
  await sam.write('Can I bring my own oil?');
  await sam.write('Also, is there parking?');
  await morgan.write('Running 5 minutes late');
  // Staff answered Morgan (from the appointment card): now waiting on the customer.
  await system.database.db
    .insertInto('conversation_messages')
    .values({
      contact_id: morgan.id,
      direction: 'from_staff',
      channel: 'portal',
      author: 'Avery Chen',
      body: 'No problem!',
    })
    .execute();

  expect(await unread(admin)).toBe(3);
  const all = await threads(admin);
  expect(all.map((t) => [t.contact.id, t.state, t.unread, t.assignee])).toEqual(
    expect.arrayContaining([
      [sam.id, 'needs_reply', 2, null],
      [morgan.id, 'waiting_on_customer', 1, null],
    ]),
  );
  expect((await threads(admin, '?state=needs_reply')).map((t) => t.contact.id)).toEqual([sam.id]);
  expect((await threads(admin, '?state=waiting_on_customer')).map((t) => t.contact.id)).toEqual([morgan.id]);

  // Opening Sam's thread marks it read for the admin only.
  const opened = await api<{ messages: Array<{ body: string }> }>(
    system,
    'GET',
    `/api/admin/inbox/${sam.id}`,
    undefined,
    admin,
  );
  expect(opened.body.messages.map((m) => m.body)).toEqual(['Can I bring my own oil?', 'Also, is there parking?']);
  expect(await unread(admin)).toBe(1);
  expect(await unread(desk)).toBe(3);
  await sam.write('Thanks!');
  expect((await threads(admin, '?state=needs_reply'))[0]).toMatchObject({ contact: { id: sam.id }, unread: 1 });

  // Assignment, and the filters by it.
  const assigned = await api(system, 'PUT', `/api/admin/inbox/${sam.id}/assignee`, { staffId: avery.staff_id }, desk);
  expect(assigned.status).toBe(204);
  expect((await threads(admin, '?assignee=me')).map((t) => [t.contact.id, t.assignee?.id])).toEqual([
    [sam.id, avery.staff_id],
  ]);
  expect((await threads(admin, '?assignee=none')).map((t) => t.contact.id)).toEqual([morgan.id]);
  expect((await api(system, 'PUT', `/api/admin/inbox/${sam.id}/assignee`, { staffId: null }, desk)).status).toBe(204);
  expect((await threads(admin, '?assignee=none')).map((t) => t.contact.id).sort()).toEqual([sam.id, morgan.id].sort());

  // Staff answer from the inbox: the customer is told on their channel, the thread waits on them now,
  // and a retry with the same Idempotency-Key answers once.
  const retried = { ...desk, 'idempotency-key': 'inbox-answer-sam-0001' };
  const answer = () =>
    api<{ id: string }>(system, 'POST', `/api/admin/inbox/${sam.id}/messages`, { body: 'Yes, bring it!' }, retried);
  const [answered, again] = [await answer(), await answer()];
  expect([answered.status, again.status]).toEqual([201, 201]);
  expect(again.body.id).toBe(answered.body.id);
  const fromStaff = await system.database.db
    .selectFrom('conversation_messages')
    .select(['body', 'author', 'appointment_id'])
    .where('contact_id', '=', sam.id)
    .where('direction', '=', 'from_staff')
    .execute();
  expect(fromStaff).toEqual([{ body: 'Yes, bring it!', author: 'Front Desk', appointment_id: null }]);
  const told = await system.database.db
    .selectFrom('messages')
    .select(['channel', 'body'])
    .where('contact_id', '=', sam.id)
    .where('template', '=', 'conversation_message')
    .execute();
  expect(told).toHaveLength(1);
  expect(told[0]!.body).toContain('Yes, bring it!');
  expect((await threads(desk, '?state=waiting_on_customer')).map((t) => t.contact.id).sort()).toEqual(
    [sam.id, morgan.id].sort(),
  );
  expect((await threads(desk)).find((t) => t.contact.id === sam.id)!.unread).toBe(0);
  const empty = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/admin/inbox/${sam.id}/messages`,
    { body: '' },
    desk,
  );
  expect(empty.status).toBe(400);
  expect(empty.body.error.fields.map((f) => f.field)).toEqual(['body']);

  // Refusals name the field.
  const badState = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'GET',
    '/api/admin/inbox?state=later',
    undefined,
    admin,
  );
  expect(badState.status).toBe(400);
  expect(badState.body.error.fields.map((f) => f.field)).toEqual(['state']);
  const ghost = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'PUT',
    `/api/admin/inbox/${sam.id}/assignee`,
    { staffId: '00000000-0000-4000-8000-000000000000' },
    admin,
  );
  expect(ghost.status).toBe(422);
  expect(ghost.body.error.fields.map((f) => f.field)).toEqual(['staffId']);
  expect(
    (await api(system, 'GET', '/api/admin/inbox/00000000-0000-4000-8000-000000000000', undefined, admin)).status,
  ).toBe(404);

  const key = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Inbox test')).key}` };
  expect((await api(system, 'GET', '/api/admin/inbox', undefined, key)).status).toBe(403);
  const technician = await staffSession(DEMO_TECHNICIAN.email, DEMO_TECHNICIAN.password);
  expect((await api(system, 'GET', '/api/admin/inbox', undefined, technician)).status).toBe(403);
});
