/**
 * The staff / external-system API (API key): booking for a caller with the channel named, the
 * lifecycle actions as workflow updates with their refusals mapped to HTTP, and the appointment card
 * (timeline, messages, workflow state).
 */
import { createApiKey } from '../../src/auth/api-keys';
import { api, eventually, freeSlots, serviceIdBySlug, type Slot, startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

let system: System;
let auth: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  const { key } = await createApiKey(system.database.db, 'Front desk tablet');
  auth = { authorization: `Bearer ${key}` };
});
afterAll(async () => {
  await system?.stop();
});

async function setup() {
  const service = await serviceIdBySlug(system, 'deep-tissue-massage');
  const zone = 'America/New_York';
  const availableSlots = await freeSlots(system, service, 3, 10, zone);
  return { service, slots: availableSlots };
}

it('refuses requests without a valid API key', async () => {
  expect((await api(system, 'GET', '/api/appointments/00000000-0000-4000-8000-000000000000')).status).toBe(401);
  expect(
    (
      await api(system, 'GET', '/api/appointments/00000000-0000-4000-8000-000000000000', undefined, {
        authorization: 'Bearer af_nope',
      })
    ).status,
  ).toBe(401);
  expect(
    (await api(system, 'GET', '/api/appointments/00000000-0000-4000-8000-000000000000', undefined, auth)).status,
  ).toBe(404);
});

it('books for a caller by phone, reschedules, refuses what the state forbids, cancels, and shows it all on the card', async () => {
  const { service, slots } = await setup();
  const first = slots[0]!;
  const after = (hours: number) =>
    slots.find((s) => Date.parse(s.startsAt) >= Date.parse(first.startsAt) + hours * 3600_000)!;
  const [taken, later] = [after(3), after(24)];
  const frontDesk = { kind: 'staff', name: 'Avery Chen' };

  const booked = await api<{ appointment: { id: string; source: string; staff: { id: string } } }>(
    system,
    'POST',
    '/api/appointments',
    {
      serviceId: service,
      staffId: first.staffId,
      startsAt: first.startsAt,
      timeZone: 'America/Los_Angeles',
      channel: 'phone',
      actor: frontDesk,
      customer: { name: 'Morgan Lee', email: 'MORGAN.LEE@example.com', smsOptIn: false, note: 'Left shoulder' },
    },
    auth,
  );
  expect(booked.status).toBe(201);
  const id = booked.body.appointment.id;
  expect(booked.body.appointment.source).toBe('phone');
  // A returning customer (same email, any case) is recognised: one contact, notes kept.
  const contacts = await system.database.db
    .selectFrom('contacts')
    .select(['notes'])
    .where('email', '=', 'morgan.lee@example.com')
    .execute();
  expect(contacts).toHaveLength(1);

  // Someone else takes a slot; rescheduling onto it is refused with alternatives.
  const other = await api(system, 'POST', '/api/bookings', {
    serviceId: service,
    staffId: taken.staffId,
    startsAt: taken.startsAt,
    timeZone: 'America/New_York',
    customer: { name: 'Riley Quinn', email: 'riley@example.com', smsOptIn: false },
  });
  expect(other.status).toBe(201);
  const onTaken = await api<{ error: { code: string; nextSlots: Slot[] } }>(
    system,
    'POST',
    `/api/appointments/${id}/reschedule`,
    { startsAt: taken.startsAt, staffId: taken.staffId, channel: 'phone' },
    auth,
  );
  expect(onTaken.status).toBe(409);
  expect(onTaken.body.error.code).toBe('slot_unavailable');
  expect(onTaken.body.error.nextSlots.length).toBeGreaterThan(0);

  const moved = await api<{ appointment: { startsAt: string; revision: number } }>(
    system,
    'POST',
    `/api/appointments/${id}/reschedule`,
    {
      startsAt: later.startsAt,
      staffId: later.staffId,
      channel: 'phone',
      note: 'Client called to move it',
      actor: frontDesk,
    },
    auth,
  );
  expect(moved.status).toBe(200);
  expect(moved.body.appointment).toMatchObject({ startsAt: later.startsAt, revision: 2 });

  const early = await api<{ error: { code: string; message: string } }>(
    system,
    'POST',
    `/api/appointments/${id}/no-show`,
    { channel: 'phone', actor: { kind: 'technician', name: 'Jordan Patel' } },
    auth,
  );
  expect(early.status).toBe(422);
  expect(early.body.error.message).toBe('The appointment has not started yet, so it cannot be a no-show.');

  const badChannel = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/appointments/${id}/cancel`,
    { reason: 'x', channel: 'carrier pigeon' },
    auth,
  );
  expect(badChannel.status).toBe(400);
  expect(badChannel.body.error.fields.map((f) => f.field)).toEqual(['channel']);

  const cancelled = await api<{ appointment: { status: string } }>(
    system,
    'POST',
    `/api/appointments/${id}/cancel`,
    { reason: 'Client is ill', channel: 'phone', actor: frontDesk },
    auth,
  );
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.appointment.status).toBe('cancelled');
  const again = await api<{ error: { code: string } }>(
    system,
    'POST',
    `/api/appointments/${id}/cancel`,
    { reason: 'Twice', channel: 'admin' },
    auth,
  );
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('invalid_transition');

  const card = await eventually(async () => {
    const response = await api<{
      timeline: Array<{ kind: string; channel: string; actor: string; summary: string }>;
      messages: Array<{ template: string; channel: string; status: string }>;
      workflow: { appointment: { status: string }; rebookFollowUp: string } | null;
    }>(system, 'GET', `/api/appointments/${id}`, undefined, auth);
    return response.body.messages.some((m) => m.template === 'cancelled') && response.body;
  });
  expect(card.workflow).toMatchObject({ appointment: { status: 'cancelled' }, rebookFollowUp: 'waiting' });
  const changes = card.timeline.filter((t) => ['booked', 'rescheduled', 'status:cancelled'].includes(t.kind));
  expect(changes.map((t) => `${t.kind}|${t.channel}|${t.actor}`)).toEqual([
    'booked|phone|Avery Chen',
    'rescheduled|phone|Avery Chen (staff)',
    'status:cancelled|phone|Avery Chen (staff)',
  ]);
  expect(changes[1]!.summary).toContain('Client called to move it');
  // Staff read times in the appointment's zone with the zone named, not ISO instants.
  expect(changes[0]!.summary).toMatch(/ at \d{1,2}:\d{2} [AP]M [A-Z]{2,5}/);
  expect(changes[1]!.summary).toMatch(/^Rescheduled from \w{3}, \w{3} \d{1,2} at .* to \w{3}, \w{3} \d{1,2} at /);
  expect(changes[1]!.summary).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  // Morgan did not opt in to SMS: email only.
  expect(new Set(card.messages.map((m) => m.channel))).toEqual(new Set(['email']));
});
