/**
 * `Idempotency-Key` through the HTTP API against the whole system: a retry after a lost answer gets the
 * first answer (booking, staff cancel, manage-link reschedule), also when the first request died before
 * its answer was stored (the booking finds its appointment by request key; the update is deduplicated by
 * Temporal on the key as `updateId`, so a retried cancel is not "already cancelled"); the same key with
 * another body is a 422 naming the header; concurrent duplicates get one booking; refusals that happen
 * before a request runs (400) are not kept.
 */
import { randomUUID } from 'node:crypto';
import { createApiKey } from '../../src/auth/api-keys';
import { freeSlots, serviceIdBySlug, type Slot, startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

let system: System;
let auth: Record<string, string>;
let service: string;
let slots: Slot[];
beforeAll(async () => {
  system = await startSystem();
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Front desk')).key}` };
  service = await serviceIdBySlug(system, 'deep-tissue-massage');
  slots = await freeSlots(system, service, 3, 12);
});
afterAll(async () => {
  await system?.stop();
});

interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; fields?: unknown[] } };
  replayed: boolean;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${system.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Answer['body'],
    replayed: response.headers.get('idempotent-replayed') === 'true',
  };
}

let nextSlot = 0;
/** Slots a day apart, so each test books a time nobody else took. */
function slot(): Slot {
  const picked = slots[nextSlot]!;
  nextSlot = slots.findIndex((s) => Date.parse(s.startsAt) >= Date.parse(picked.startsAt) + 5 * 3600_000);
  return picked;
}

function booking(at: Slot, email: string) {
  return {
    serviceId: service,
    staffId: at.staffId,
    startsAt: at.startsAt,
    timeZone: 'America/New_York',
    customer: { name: 'Riley Retry', email },
  };
}

/** The first request "died" before its answer was stored: the key is back to in progress, lease over. */
async function loseStoredAnswer(key: string): Promise<void> {
  const { numUpdatedRows } = await system.database.db
    .updateTable('idempotency_keys')
    .set({ response_status: null, response_body: null, completed_at: null, locked_until: new Date(Date.now() - 1000) })
    .where('key', '=', key)
    .executeTakeFirst();
  expect(Number(numUpdatedRows)).toBe(1);
}

async function appointmentsOf(email: string): Promise<string[]> {
  const rows = await system.database.db
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select('a.id')
    .where('c.email', '=', email)
    .execute();
  return rows.map((r) => r.id);
}

it('a booking retried after its answer was lost gets the first booking, never "slot taken"', async () => {
  const key = randomUUID();
  const body = booking(slot(), 'riley-1@example.com');
  const first = await post('/api/bookings', body, { 'Idempotency-Key': key });
  expect(first.status).toBe(201);
  expect(first.replayed).toBe(false);

  const retry = await post('/api/bookings', body, { 'Idempotency-Key': key });
  expect(retry).toEqual({ ...first, replayed: true });

  // Worse: the first request died after booking, before its answer was stored.
  await loseStoredAnswer(key);
  const rerun = await post('/api/bookings', body, { 'Idempotency-Key': key });
  expect(rerun.status).toBe(201);
  expect((rerun.body.appointment as { id: string }).id).toBe((first.body.appointment as { id: string }).id);
  expect(rerun.body.manageUrl).toEqual(expect.stringContaining('/manage/'));

  expect(await appointmentsOf('riley-1@example.com')).toEqual([(first.body.appointment as { id: string }).id]);
  // Without a key, the same booking again is a new request: the slot is taken.
  expect((await post('/api/bookings', body)).status).toBe(409);
});

it('the same key with a different body is a 422 naming the header; a 400 is not kept', async () => {
  const key = randomUUID();
  const at = slot();
  const invalid = await post(
    '/api/bookings',
    { ...booking(at, 'not-an-email'), timeZone: 'Mars/Base' },
    {
      'Idempotency-Key': key,
    },
  );
  expect(invalid.status).toBe(400);
  const first = await post('/api/bookings', booking(at, 'riley-2@example.com'), { 'Idempotency-Key': key });
  expect(first.status).toBe(201); // the 400 was not stored: the key was free again

  const other = await post('/api/bookings', booking(at, 'someone-else@example.com'), { 'Idempotency-Key': key });
  expect(other.status).toBe(422);
  expect(other.body.error?.code).toBe('idempotency_key_reused');
  expect(other.body.error?.fields).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);

  const malformed = await post('/api/bookings', booking(at, 'riley-2@example.com'), { 'Idempotency-Key': 'a b' });
  expect(malformed.status).toBe(400);
  expect(malformed.body.error?.fields).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
});

it('concurrent duplicates make one booking and get the same answer', async () => {
  const key = randomUUID();
  const body = booking(slot(), 'riley-3@example.com');
  const answers = await Promise.all([1, 2, 3].map(() => post('/api/bookings', body, { 'Idempotency-Key': key })));
  expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
  const ids = new Set(answers.map((a) => (a.body.appointment as { id: string }).id));
  expect(ids.size).toBe(1);
  expect(await appointmentsOf('riley-3@example.com')).toEqual([...ids]);
});

it('a staff cancel retried after its answer was lost gets the first answer, not "already cancelled"', async () => {
  const at = slot();
  const booked = await post('/api/appointments', { ...booking(at, 'riley-4@example.com'), channel: 'phone' }, auth);
  expect(booked.status).toBe(201);
  const id = (booked.body.appointment as { id: string }).id;
  const key = randomUUID();
  const cancel = { reason: 'Customer called to cancel', channel: 'phone' };
  const first = await post(`/api/appointments/${id}/cancel`, cancel, { ...auth, 'Idempotency-Key': key });
  expect(first.status).toBe(200);
  expect((first.body.appointment as { status: string }).status).toBe('cancelled');

  const retry = await post(`/api/appointments/${id}/cancel`, cancel, { ...auth, 'Idempotency-Key': key });
  expect(retry).toEqual({ ...first, replayed: true });

  // The first request died after the update, before its answer was stored: the update runs again
  // with the same updateId and Temporal answers with the first update's result.
  await loseStoredAnswer(key);
  const rerun = await post(`/api/appointments/${id}/cancel`, cancel, { ...auth, 'Idempotency-Key': key });
  expect(rerun.status).toBe(200);
  expect((rerun.body.appointment as { status: string }).status).toBe('cancelled');

  // A new cancel (new key) is refused as before.
  const again = await post(`/api/appointments/${id}/cancel`, cancel, { ...auth, 'Idempotency-Key': randomUUID() });
  expect(again.status).toBe(409);
  const cancelled = await system.database.db
    .selectFrom('timeline_events')
    .select('kind')
    .where('appointment_id', '=', id)
    .where('kind', '=', 'status:cancelled')
    .execute();
  expect(cancelled).toHaveLength(1);
});

it('a manage-link reschedule retried after its answer was lost gets the first answer', async () => {
  const [from, to] = [slot(), slot()];
  const booked = await post('/api/bookings', booking(from, 'riley-5@example.com'));
  expect(booked.status).toBe(201);
  const token = new URL(booked.body.manageUrl as string).pathname.split('/').at(-1)!;
  const key = randomUUID();
  const move = { startsAt: to.startsAt };
  const first = await post(`/api/manage/${token}/reschedule`, move, { 'Idempotency-Key': key });
  expect(first.status).toBe(200);

  const retry = await post(`/api/manage/${token}/reschedule`, move, { 'Idempotency-Key': key });
  expect(retry).toEqual({ ...first, replayed: true });

  await loseStoredAnswer(key);
  const rerun = await post(`/api/manage/${token}/reschedule`, move, { 'Idempotency-Key': key });
  expect(rerun.status).toBe(200);
  expect(rerun.body.appointment).toEqual(first.body.appointment);

  const moves = await system.database.db
    .selectFrom('timeline_events as t')
    .innerJoin('appointments as a', 'a.id', 't.appointment_id')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select('t.kind')
    .where('c.email', '=', 'riley-5@example.com')
    .where('t.kind', '=', 'rescheduled')
    .execute();
  expect(moves).toHaveLength(1);
  // The stored route never holds the link's secret.
  const stored = await system.database.db
    .selectFrom('idempotency_keys')
    .select(['route', 'scope'])
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  expect(stored.route).toBe('/api/manage/:token/reschedule');
  expect(JSON.stringify(stored)).not.toContain(token);
});

it('the OpenAPI document offers the header on the POST operations', async () => {
  const doc = (await (await fetch(`${system.baseUrl}/api/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { parameters?: Array<{ $ref?: string }> }>>;
    components: { parameters: Record<string, { name: string; in: string }> };
  };
  expect(doc.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header' });
  const ref = { $ref: '#/components/parameters/IdempotencyKey' };
  for (const path of [
    '/api/bookings',
    '/api/appointments',
    '/api/appointments/{id}/cancel',
    '/api/manage/{token}/reschedule',
  ]) {
    expect(doc.paths[path]?.post?.parameters).toContainEqual(ref);
  }
  expect(doc.paths['/api/session']?.post?.parameters ?? []).not.toContainEqual(ref);
});
