/**
 * The admin app's non-lifecycle changes through HTTP: staff hours and time off (admin only, validated,
 * reflected in the free slots at once, on the timeline with the actor) and contact notes.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { DEMO_ADMIN, DEMO_TECHNICIAN } from '../../src/db/seed';
import { api, startSystem, type System } from '../support/system';

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

async function session(email: string, password: string): Promise<Record<string, string>> {
  const response = await fetch(`${system.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': csrfToken };
}

it('changes working hours and time off, which the free slots follow at once', async () => {
  const db = system.database.db;
  const avery = await db.selectFrom('staff').select('id').where('name', '=', 'Avery Chen').executeTakeFirstOrThrow();
  const { body: services } = await api<{ services: Array<{ id: string; slug: string }> }>(
    system,
    'GET',
    '/api/services',
  );
  const massage = services.services.find((s) => s.slug === 'deep-tissue-massage')!.id; // Avery only
  const from = new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 9 * 86400_000).toISOString().slice(0, 10);
  const slots = async () =>
    (
      await api<{ days: Array<{ date: string; slots: Array<{ startsAt: string }> }> }>(
        system,
        'GET',
        `/api/services/${massage}/availability?from=${from}&to=${to}&timeZone=America/New_York`,
      )
    ).body.days.flatMap((d) => d.slots);
  expect((await slots()).length).toBeGreaterThan(0);

  const admin = await session(DEMO_ADMIN.email, DEMO_ADMIN.password);
  const invalid = await api<{ error: { fields: Array<{ field: string; message: string }> } }>(
    system,
    'PUT',
    `/api/admin/staff/${avery.id}/hours`,
    { hours: [{ weekday: 8, startTime: '9am', endTime: '08:00' }] },
    admin,
  );
  expect(invalid.status).toBe(400);
  expect(invalid.body.error.fields.map((f) => f.field)).toEqual(
    expect.arrayContaining(['hours.0.weekday', 'hours.0.startTime']),
  );

  // Mondays only, 09:00–10:00: at most one hour-long massage a week, on a Monday.
  const hours = await api(
    system,
    'PUT',
    `/api/admin/staff/${avery.id}/hours`,
    { hours: [{ weekday: 1, startTime: '09:00', endTime: '10:00' }] },
    admin,
  );
  expect(hours.status).toBe(200);
  const mondays = await slots();
  expect(mondays.length).toBeLessThanOrEqual(2);
  for (const slot of mondays) {
    expect(
      new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'America/New_York' }).format(
        new Date(slot.startsAt),
      ),
    ).toBe('Monday');
  }

  // Time off over the whole range: no slots.
  const timeOff = await api<{ timeOff: { id: string } }>(
    system,
    'POST',
    '/api/admin/time-off',
    { staffId: avery.id, startsAt: `${from}T00:00:00Z`, endsAt: `${to}T23:59:00Z`, reason: 'Conference' },
    admin,
  );
  expect(timeOff.status).toBe(201);
  expect(await slots()).toEqual([]);
  const backwards = await api(
    system,
    'POST',
    '/api/admin/time-off',
    { staffId: avery.id, startsAt: `${to}T00:00:00Z`, endsAt: `${from}T00:00:00Z` },
    bearer,
  );
  expect(backwards.status).toBe(400);
  expect(JSON.stringify(backwards.body)).toContain('endsAt');

  expect((await api(system, 'DELETE', `/api/admin/time-off/${timeOff.body.timeOff.id}`, undefined, admin)).status).toBe(
    204,
  );
  expect((await slots()).length).toBe(mondays.length);

  const events = await db
    .selectFrom('timeline_events')
    .select(['kind', 'actor', 'channel'])
    .where('kind', 'in', ['staff:hours', 'staff:time_off'])
    .execute();
  expect(events).toEqual(
    expect.arrayContaining([
      { kind: 'staff:hours', actor: 'Avery Chen', channel: 'admin' },
      { kind: 'staff:time_off', actor: 'Avery Chen', channel: 'admin' },
    ]),
  );

  // A technician may not change them.
  const tech = await session(DEMO_TECHNICIAN.email, DEMO_TECHNICIAN.password);
  expect((await api(system, 'PUT', `/api/admin/staff/${avery.id}/hours`, { hours: [] }, tech)).status).toBe(403);
});

it('saves contact notes', async () => {
  const contact = await system.database.db
    .selectFrom('contacts')
    .select('id')
    .where('name', '=', 'Sam Rivera')
    .executeTakeFirstOrThrow();
  const admin = await session(DEMO_ADMIN.email, DEMO_ADMIN.password);
  const saved = await api(system, 'PATCH', `/api/admin/contacts/${contact.id}`, { notes: 'Prefers Avery.' }, admin);
  expect(saved.status).toBe(200);
  const read = await api<{ contact: { notes: string }; timeline: Array<{ kind: string }> }>(
    system,
    'GET',
    `/api/admin/contacts/${contact.id}`,
    undefined,
    admin,
  );
  expect(read.body.contact.notes).toBe('Prefers Avery.');
  expect(read.body.timeline.map((t) => t.kind)).toContain('contact:notes');
  expect((await api(system, 'PATCH', `/api/admin/contacts/${contact.id}`, { notes: 42 }, admin)).status).toBe(400);
});
