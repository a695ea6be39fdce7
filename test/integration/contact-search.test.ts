/**
 * Finding a caller (issue 15) through HTTP: any part of a name or email, a phone number however it is
 * typed, the customers booked most recently, office roles only, a bad query refused naming the field;
 * and the search served by the trigram indexes of migration 0031 (the query plan says so).
 */
import { sql } from 'kysely';
import { createApiKey } from '../../src/auth/api-keys';
import { DEMO_TECHNICIAN } from '../../src/db/seed';
import { searchContacts } from '../../src/contacts/search';
import { api, bookByPhone, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(180_000);

let system: System;
let bearer: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Front desk')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

interface Hit {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  notes: string;
}
const find = async (q: string) =>
  (
    await api<{ contacts: Hit[] }>(
      system,
      'GET',
      `/api/admin/contacts?${new URLSearchParams({ q })}`,
      undefined,
      bearer,
    )
  ).body.contacts.map((c) => c.name);

it('finds contacts by part of a name or email, or by phone digits typed any way, name matches first', async () => {
  const db = system.database.db;
  await db
    .insertInto('contacts')
    .values([
      { name: 'Riley Rivera-Stone', email: 'riley@example.com', phone: '+13055550177', notes: 'Allergic to latex' },
      { name: 'Ana Gómez', email: 'ana.rivers@example.org', phone: null },
      { name: '100% Real_Name', email: 'odd@example.net', phone: '+14155550123' },
    ])
    .execute();
  // Seeded: Sam Rivera (sam.rivera@example.com) and Morgan Lee. Names starting with the text come first.
  expect(await find('rivera')).toEqual(['Riley Rivera-Stone', 'Sam Rivera']);
  expect(await find('RIVER')).toEqual(['Ana Gómez', 'Riley Rivera-Stone', 'Sam Rivera']);
  expect(await find('sam')).toEqual(['Sam Rivera']);
  expect(await find('ri')).toEqual(['Riley Rivera-Stone', 'Ana Gómez', 'Sam Rivera']);
  expect(await find('ana.riv')).toEqual(['Ana Gómez']);
  expect(await find('(305) 555-0177')).toEqual(['Riley Rivera-Stone']);
  expect(await find('5550177')).toEqual(['Riley Rivera-Stone']);
  // LIKE wildcards in the query are plain text.
  expect(await find('100%')).toEqual(['100% Real_Name']);
  expect(await find('_')).toEqual(['100% Real_Name']);
  expect(await find('nobody-like-this')).toEqual([]);
  const riley = (await api<{ contacts: Hit[] }>(system, 'GET', '/api/admin/contacts?q=riley', undefined, bearer)).body
    .contacts[0]!;
  expect(riley).toMatchObject({ email: 'riley@example.com', phone: '+13055550177', notes: 'Allergic to latex' });
});

it('lists the customers booked most recently, newest first', async () => {
  const consultation = await serviceIdBySlug(system, 'consultation');
  const slots = await freeSlots(system, consultation, 2, 9);
  await bookByPhone(system, bearer, {
    serviceId: consultation,
    slot: slots[0]!,
    customer: { name: 'First Caller', email: 'first.caller@example.com' },
  });
  await bookByPhone(system, bearer, {
    serviceId: consultation,
    slot: slots[slots.length - 1]!,
    customer: { name: 'Second Caller', email: 'second.caller@example.com' },
  });
  const recent = await api<{ contacts: Array<Hit & { lastBookedAt: string }> }>(
    system,
    'GET',
    '/api/admin/contacts?recent=true',
    undefined,
    bearer,
  );
  expect(recent.status).toBe(200);
  expect(recent.body.contacts.slice(0, 2).map((c) => c.name)).toEqual(['Second Caller', 'First Caller']);
});

it('is for the office: technicians are refused; a bad query names the field', async () => {
  const response = await fetch(`${system.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_TECHNICIAN),
  });
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect((await api(system, 'GET', '/api/admin/contacts?q=sam', undefined, { cookie })).status).toBe(403);
  const bad = await api<{ error: { fields: Array<{ field: string; message: string }> } }>(
    system,
    'GET',
    `/api/admin/contacts?recent=yes&q=${'x'.repeat(201)}`,
    undefined,
    bearer,
  );
  expect(bad.status).toBe(400);
  expect(bad.body.error.fields).toEqual([
    { field: 'q', message: 'at most 200 characters' },
    { field: 'recent', message: 'expected true or false' },
  ]);
});

it('searches through the trigram indexes, not a scan of every contact', async () => {
  const db = system.database.db;
  const plan = await db.connection().execute(async (conn) => {
    await sql`set enable_seqscan = off`.execute(conn);
    try {
      const result = await sql<Record<string, string>>`explain select c.id from contacts c
        where lower(c.name) like '%rivera%' or lower(c.email) like '%rivera%'
          or regexp_replace(coalesce(c.phone, ''), '[^0-9]', '', 'g') like '%5550177%'`.execute(conn);
      return result.rows.map((r) => Object.values(r)[0]).join('\n');
    } finally {
      await sql`set enable_seqscan = on`.execute(conn);
    }
  });
  expect(plan).toContain('contacts_name_trgm_idx');
  expect(plan).toContain('contacts_email_trgm_idx');
  expect(plan).toContain('contacts_phone_digits_trgm_idx');
  // The function the API uses builds the same expressions.
  expect((await searchContacts(db, 'Rivera')).map((c) => c.name)).toContain('Sam Rivera');
});
