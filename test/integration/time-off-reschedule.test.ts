/**
 * Time off over booked appointments through HTTP and the real worker (issue 15): the booked
 * appointments are listed before saving; saving with `rescheduleBooked` asks each customer to choose a
 * new time — a reschedule request workflow per appointment sends the next open times and the manage
 * link (email, and SMS to the opted-in), once even when started again — without touching the
 * appointment workflows; refusals name the field in words; working hours take several ranges a day.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { requestReschedules, type BookedDuring } from '../../src/calendar/time-off';
import { api, bookByPhone, eventually, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

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

interface Refusal {
  error: { message: string; fields: Array<{ field: string; message: string }> };
}

it('lists the appointments a time off covers and asks those customers to choose a new time, once', async () => {
  const db = system.database.db;
  const jordan = await db.selectFrom('staff').select('id').where('name', '=', 'Jordan Patel').executeTakeFirstOrThrow();
  const consultation = await serviceIdBySlug(system, 'consultation');
  const slots = (await freeSlots(system, consultation, 3, 10)).filter((s) => s.staffId === jordan.id);
  const day = slots[0]!.startsAt.slice(0, 10);
  const sameDay = slots.filter((s) => s.startsAt.slice(0, 10) === day);
  const [first, second] = [sameDay[0]!, sameDay[4]!];
  const a = await bookByPhone(system, bearer, {
    serviceId: consultation,
    slot: first,
    customer: { name: 'Ada Early', email: 'ada.early@example.com', phone: '+12125550161', smsOptIn: true },
  });
  const b = await bookByPhone(system, bearer, {
    serviceId: consultation,
    slot: second,
    customer: { name: 'Ben Later', email: 'ben.later@example.com' },
  });
  const range = {
    startsAt: new Date(Date.parse(first.startsAt) - 60_000).toISOString(),
    endsAt: new Date(Date.parse(second.startsAt) + 60 * 60_000).toISOString(),
  };

  const conflicts = await api<{ booked: BookedDuring[] }>(
    system,
    'GET',
    `/api/admin/time-off/conflicts?${new URLSearchParams({ staffId: jordan.id, ...range })}`,
    undefined,
    bearer,
  );
  expect(conflicts.body.booked.map((x) => x.contactName)).toEqual(['Ada Early', 'Ben Later']);

  const saved = await api<{
    booked: BookedDuring[];
    rescheduleRequests: Array<{ appointmentId: string; workflowId: string }>;
  }>(
    system,
    'POST',
    '/api/admin/time-off',
    { staffId: jordan.id, ...range, reason: 'Training day', rescheduleBooked: true },
    bearer,
  );
  expect(saved.status).toBe(201);
  expect(saved.body.rescheduleRequests.map((r) => r.appointmentId).sort()).toEqual([a.id, b.id].sort());

  const requests = await eventually(async () => {
    const rows = await db
      .selectFrom('messages')
      .select(['appointment_id', 'channel', 'recipient', 'subject', 'body', 'status'])
      .where('template', '=', 'rescheduleRequest')
      .execute();
    return rows.length === 3 ? rows : undefined;
  }, 60_000);
  const ofA = requests.filter((m) => m.appointment_id === a.id);
  expect(ofA.map((m) => m.channel).sort()).toEqual(['email', 'sms']);
  const email = ofA.find((m) => m.channel === 'email')!;
  expect(email.subject).toMatch(/^Please choose a new time for your Consultation on /);
  expect(email.body).toContain('Jordan Patel can no longer make your Consultation');
  expect(email.body).toContain('These times are open:');
  expect(email.body).toMatch(/\/manage\/[\w-]+/);
  const sms = ofA.find((m) => m.channel === 'sms')!;
  expect(sms.body).toMatch(/Open times: .+ Choose a new time: http:\/\/127\.0\.0\.1:\d+\/manage\/[\w-]+$/);
  expect(requests.filter((m) => m.appointment_id === b.id).map((m) => m.channel)).toEqual(['email']);
  const notes = await eventually(async () => {
    const rows = await db
      .selectFrom('timeline_events')
      .select(['appointment_id', 'actor'])
      .where('kind', '=', 'reschedule_requested')
      .execute();
    return rows.length === 2 ? rows : undefined;
  });
  expect(notes.every((n) => n.actor.startsWith('Front desk'))).toBe(true);
  // The appointments themselves are untouched: the customers move them through their manage links.
  const rows = await db
    .selectFrom('appointments')
    .select(['status', 'starts_at'])
    .where('id', 'in', [a.id, b.id])
    .execute();
  expect(rows.every((r) => r.status === 'scheduled')).toBe(true);

  // Started again (a retried request): the same workflows, no second message.
  const again = await requestReschedules(system.env.client, system.config.temporal.taskQueue, {
    timeOffId: (saved.body as unknown as { timeOff: { id: string } }).timeOff.id,
    appointments: saved.body.booked,
    actor: { kind: 'staff', name: 'Front desk' },
  });
  expect(again.map((r) => r.workflowId).sort()).toEqual(saved.body.rescheduleRequests.map((r) => r.workflowId).sort());
  for (const r of again) await system.env.client.workflow.getHandle(r.workflowId).result();
  const count = await db.selectFrom('messages').select('id').where('template', '=', 'rescheduleRequest').execute();
  expect(count).toHaveLength(3);
});

it('refuses a time off that ends before it starts, and overlapping working hours, in words naming the field', async () => {
  const db = system.database.db;
  const jordan = await db.selectFrom('staff').select('id').where('name', '=', 'Jordan Patel').executeTakeFirstOrThrow();
  const backwards = await api<Refusal>(
    system,
    'POST',
    '/api/admin/time-off',
    { staffId: jordan.id, startsAt: '2030-01-02T10:00:00Z', endsAt: '2030-01-02T09:00:00Z' },
    bearer,
  );
  expect(backwards.status).toBe(400);
  expect(backwards.body.error.fields).toEqual([{ field: 'endsAt', message: 'must be after the start' }]);

  const lunch = [
    { weekday: 2, startTime: '09:00', endTime: '12:00' },
    { weekday: 2, startTime: '13:00', endTime: '17:00' },
  ];
  expect((await api(system, 'PUT', `/api/admin/staff/${jordan.id}/hours`, { hours: lunch }, bearer)).status).toBe(200);
  const overlap = await api<Refusal>(
    system,
    'PUT',
    `/api/admin/staff/${jordan.id}/hours`,
    { hours: [...lunch, { weekday: 2, startTime: '11:30', endTime: '14:00' }] },
    bearer,
  );
  expect(overlap.status).toBe(400);
  expect(overlap.body.error.fields).toEqual([
    { field: 'hours.2.startTime', message: 'overlaps range 1 on the same day' },
  ]);
});
