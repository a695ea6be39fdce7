/**
 * Time freed by staff changes goes to the waitlist (src/waitlist/freed-window.ts), through the admin
 * API: removing a day's time off offers its slots to the people waiting — each the first slot that
 * suits them, never two people the same or overlapping slot, never one person two slots — and adding
 * working hours offers the new hours; repeating either request offers nothing again. Both go through
 * the outbox written with the change (src/waitlist/freed-time-outbox.ts): what a dead process committed
 * but never offered is offered by the dispatcher's next poll.
 */
import { DateTime } from 'luxon';
import { DEMO_ADMIN } from '../../src/db/seed';
import { api, eventually, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(180_000);

let system: System;
let admin: Record<string, string>;
let massage: string; // Avery only
let avery: { id: string; time_zone: string };

beforeAll(async () => {
  system = await startSystem();
  const response = await fetch(`${system.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_ADMIN.email, password: DEMO_ADMIN.password }),
  });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  admin = { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': csrfToken };
  massage = await serviceIdBySlug(system, 'deep-tissue-massage');
  avery = await system.database.db
    .selectFrom('staff')
    .select(['id', 'time_zone'])
    .where('name', '=', 'Avery Chen')
    .executeTakeFirstOrThrow();
});
afterAll(async () => {
  await system?.stop();
});

/** The first day at least `days` ahead (in Avery's zone) whose ISO weekday passes `ok`. */
function dayAhead(days: number, ok: (weekday: number) => boolean): string {
  let d = DateTime.now().setZone(avery.time_zone).plus({ days }).startOf('day');
  while (!ok(d.weekday)) d = d.plus({ days: 1 });
  return d.toISODate()!;
}

async function wait(name: string, date: string): Promise<string> {
  const joined = await api<{ entry: { id: string } }>(system, 'POST', '/api/waitlist', {
    serviceId: massage,
    fromDate: date,
    toDate: date,
    timeZone: avery.time_zone,
    customer: { name, email: `${name.toLowerCase()}@example.com` },
  });
  expect(joined.status).toBe(201);
  return joined.body.entry.id;
}

const offersOf = (entryIds: string[]) =>
  system.database.db
    .selectFrom('waitlist_offers')
    .select(['entry_id', 'workflow_id', 'starts_at', 'ends_at'])
    .where('entry_id', 'in', entryIds)
    .orderBy('starts_at')
    .execute();

it('removed time off is offered slot by slot to the people waiting, once', async () => {
  const day = dayAhead(8, (w) => w <= 5); // Avery works Monday to Friday
  const start = DateTime.fromISO(day, { zone: avery.time_zone });
  const timeOff = await api<{ timeOff: { id: string } }>(
    system,
    'POST',
    '/api/admin/time-off',
    { staffId: avery.id, startsAt: start.toISO(), endsAt: start.plus({ days: 1 }).toISO(), reason: 'Course' },
    admin,
  );
  expect(timeOff.status).toBe(201);
  const entries = [await wait('Ann', day), await wait('Ben', day)];

  const path = `/api/admin/time-off/${timeOff.body.timeOff.id}`;
  expect((await api(system, 'DELETE', path, undefined, admin)).status).toBe(204);
  const offers = await eventually(async () => {
    const rows = await offersOf(entries);
    return rows.length === 2 && rows;
  }, 60_000);
  expect(new Set(offers.map((o) => o.entry_id))).toEqual(new Set(entries));
  expect(offers[0]!.ends_at.getTime()).toBeLessThanOrEqual(offers[1]!.starts_at.getTime());
  // The day's first slot (9:00 in Avery's zone) is one of them (who gets which: whose offer is made first).
  expect(offers[0]!.starts_at.getTime()).toBe(start.set({ hour: 9 }).toMillis());
  for (const o of offers) expect(o.workflow_id).toMatch(new RegExp(`^waitlist:time-off:${timeOff.body.timeOff.id}:`));
  // The offer row is written before its message: wait for both messages (a loaded machine shows the gap).
  const messages = await eventually(async () => {
    const rows = await system.database.db
      .selectFrom('messages')
      .select('recipient')
      .where('template', '=', 'waitlistOffer')
      .execute();
    return rows.length >= 2 && rows;
  }, 60_000);
  expect(messages.map((m) => m.recipient).sort()).toEqual(['ann@example.com', 'ben@example.com']);

  // Again: the time off is gone; nothing more is offered.
  expect((await api(system, 'DELETE', path, undefined, admin)).status).toBe(404);
  expect(await offersOf(entries)).toHaveLength(2);
  // The change went through the outbox, written with the deletion and marked offered.
  const outbox = await system.database.db
    .selectFrom('freed_time')
    .select('offered_at')
    .where('key', '=', `time-off:${timeOff.body.timeOff.id}`)
    .executeTakeFirstOrThrow();
  expect(outbox.offered_at).not.toBeNull();
});

it('freed time a dead process committed but never offered is offered by the next poll, once', async () => {
  const day = dayAhead(15, (w) => w <= 5);
  const dana = await wait('Dana', day);
  const from = DateTime.fromISO(`${day}T13:00`, { zone: avery.time_zone });
  // What a server that died right after the commit leaves: the outbox row, no offer, no nudge.
  await system.database.db
    .insertInto('freed_time')
    .values({
      key: 'time-off:00000000-0000-4000-8000-0000000000d1',
      staff_id: avery.id,
      windows: JSON.stringify([{ start: from.toMillis(), end: from.plus({ hours: 1 }).toMillis() }]),
    })
    .execute();
  const [offer] = await eventually(async () => {
    const rows = await offersOf([dana]);
    return rows.length === 1 && rows;
  }, 60_000);
  expect(offer!.starts_at.getTime()).toBe(from.toMillis());
  expect(offer!.workflow_id).toBe(`waitlist:time-off:00000000-0000-4000-8000-0000000000d1:${from.toMillis()}`);
  await eventually(async () => {
    const row = await system.database.db
      .selectFrom('freed_time')
      .select('offered_at')
      .where('key', '=', 'time-off:00000000-0000-4000-8000-0000000000d1')
      .executeTakeFirstOrThrow();
    return row.offered_at !== null;
  });
  expect(await offersOf([dana])).toHaveLength(1);
});

it('working hours added on a day off are offered to the person waiting for that day, once', async () => {
  const sunday = dayAhead(3, (w) => w === 7);
  const cara = await wait('Cara', sunday);
  const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startTime: '09:00', endTime: '17:00' }));
  const hours = { hours: [...weekdays, { weekday: 7, startTime: '10:00', endTime: '12:00' }] };
  expect((await api(system, 'PUT', `/api/admin/staff/${avery.id}/hours`, hours, admin)).status).toBe(200);
  const [offer] = await eventually(async () => {
    const rows = await offersOf([cara]);
    return rows.length === 1 && rows;
  }, 60_000);
  expect(offer!.starts_at.getTime()).toBe(DateTime.fromISO(`${sunday}T10:00`, { zone: avery.time_zone }).toMillis());
  expect(offer!.workflow_id).toMatch(/^waitlist:hours:/);

  // The same hours again add nothing, so nothing more is offered.
  expect((await api(system, 'PUT', `/api/admin/staff/${avery.id}/hours`, hours, admin)).status).toBe(200);
  const workflows = await system.env.client.workflow.list({ query: `WorkflowId STARTS_WITH "waitlist:hours:"` });
  let count = 0;
  for await (const _ of workflows) count += 1;
  expect(count).toBe(1);
});
