/**
 * An appointment keeps the terms it was booked with (migration 0009), through HTTP with the dev server,
 * the real activities and the workflow: after an admin edits the service's lifecycle policy, billing
 * policy, increment, hourly rate and tax, the booked appointment's workflow snapshot, marks, stage and
 * close-out invoice follow the booked terms, while a new booking takes the new ones; a staff reschedule
 * to another service takes that service's terms.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { loadSnapshot } from '../../src/appointments/repository';
import { stateQuery } from '../../workflows/appointment/messages';
import { api, eventually, startSystem, type System, startService } from '../support/system';

jest.setTimeout(180_000);

let system: System;
let auth: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Back office')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

type Slot = { startsAt: string; endsAt: string; staffId: string };
const HOUR = 3600_000;
const from = new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 10);
const to = new Date(Date.now() + 9 * 86400_000).toISOString().slice(0, 10);
const slotsOf = async (serviceId: string): Promise<Slot[]> => {
  const response = await api<{ days: Array<{ slots: Slot[] }> }>(
    system,
    'GET',
    `/api/services/${serviceId}/availability?from=${from}&to=${to}&timeZone=America/New_York`,
  );
  expect(response.status).toBe(200);
  return response.body.days.flatMap((d) => d.slots);
};

async function createService(body: Record<string, unknown>): Promise<string> {
  const created = await api<{ service: { id: string } }>(system, 'POST', '/api/admin/services', body, auth);
  expect(created.status).toBe(201);
  return created.body.service.id;
}

async function bookFirstFree(serviceId: string, email: string, skip = 0) {
  const slot = (await slotsOf(serviceId))[skip]!;
  const booked = await api<{ appointment: { id: string; stage: string } }>(system, 'POST', '/api/bookings', {
    serviceId,
    startsAt: slot.startsAt,
    timeZone: 'America/New_York',
    customer: { name: email.split('@')[0]!, email },
  });
  expect(booked.status).toBe(201);
  return { ...booked.body.appointment, startsAt: Date.parse(slot.startsAt) };
}

const stateOf = (appointmentId: string) =>
  system.env.client.workflow.getHandle(`appointment:${appointmentId}`).query(stateQuery);

async function deliverTaskOf(appointmentId: string): Promise<string> {
  const task = await eventually(() =>
    system.database.db
      .selectFrom('tasks')
      .select('id')
      .where('appointment_id', '=', appointmentId)
      .where('kind', '=', 'deliver_service')
      .executeTakeFirst(),
  );
  return task.id;
}

async function complete(appointmentId: string, minutes: number) {
  const taskId = await deliverTaskOf(appointmentId);
  await startService(system, auth, appointmentId);
  return api<{
    error?: { fields: Array<{ field: string; message: string }> };
    workflow: { billing: { invoice: { totalMinor: number } } };
  }>(system, 'POST', `/api/tasks/${taskId}/complete`, { form: { minutes }, channel: 'in_person' }, auth);
}

async function invoiceRow(appointmentId: string) {
  const row = await system.database.db
    .selectFrom('invoices')
    .select(['subtotal_minor', 'tax_rate_bps', 'tax_minor', 'lines'])
    .where('appointment_id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  return {
    subtotal: Number(row.subtotal_minor),
    rate: row.tax_rate_bps,
    tax: Number(row.tax_minor),
    lines: row.lines.map((l) => l.description),
  };
}

it('keeps the booked terms after the service is edited; a new booking and a move to another service take the current ones', async () => {
  const db = system.database.db;
  const avery = await db.selectFrom('staff').select('id').where('name', '=', 'Avery Chen').executeTakeFirstOrThrow();
  const serviceId = await createService({
    name: 'Terms Repair',
    durationMinutes: 60,
    slotIntervalMinutes: 60,
    minNoticeMinutes: 60,
    pricing: 'hourly',
    hourlyRateMinor: 6000,
    billingIncrementMinutes: 15,
    billingPolicy: 'manual',
    taxRateBps: 800,
    staffIds: [avery.id],
    lifecyclePolicy: { tomorrowHoursBefore: 24, todayHoursBefore: 4 },
  });
  const otherId = await createService({
    name: 'Terms Install',
    durationMinutes: 60,
    slotIntervalMinutes: 60,
    minNoticeMinutes: 60,
    pricing: 'hourly',
    hourlyRateMinor: 9000,
    billingIncrementMinutes: 20,
    billingPolicy: 'manual',
    taxRateBps: 500,
    staffIds: [avery.id],
    lifecyclePolicy: { tomorrowHoursBefore: 30, todayHoursBefore: 5 },
  });

  // Booked under the first terms; the row holds them.
  const booked = await bookFirstFree(serviceId, 'kept.terms@example.com');
  expect(booked.stage).toBe('Appointment Scheduled');
  const moving = await bookFirstFree(serviceId, 'moving.terms@example.com');
  const terms = await db
    .selectFrom('appointments')
    .select([
      'lifecycle_policy',
      'billing_policy',
      'billing_increment_minutes',
      'pricing',
      'hourly_rate_minor',
      'tax_rate_bps',
    ])
    .where('id', '=', booked.id)
    .executeTakeFirstOrThrow();
  expect({ ...terms, hourly_rate_minor: Number(terms.hourly_rate_minor) }).toEqual({
    lifecycle_policy: { tomorrowHoursBefore: 24, todayHoursBefore: 4 },
    billing_policy: 'manual',
    billing_increment_minutes: 15,
    pricing: 'hourly',
    hourly_rate_minor: 6000,
    tax_rate_bps: 800,
  });
  await eventually(async () => (await stateOf(booked.id)).marks.length > 0);

  // The admin changes every term: "tomorrow" 10 days ahead, auto billing by the half hour, double rate, 20 % tax.
  const edited = await api(
    system,
    'PATCH',
    `/api/admin/services/${serviceId}`,
    {
      lifecyclePolicy: { tomorrowHoursBefore: 240 },
      billingPolicy: 'auto',
      billingIncrementMinutes: 30,
      hourlyRateMinor: 12000,
      taxRateBps: 2000,
    },
    auth,
  );
  expect(edited.status).toBe(200);

  // The booked appointment's snapshot keeps its terms.
  const snapshot = await loadSnapshot(db, booked.id);
  expect(snapshot!.policy).toMatchObject({ tomorrowHoursBefore: 24, todayHoursBefore: 4 });
  expect(snapshot!.billing).toEqual({ policy: 'manual', incrementMinutes: 15 });

  // A reschedule on the same service refreshes the workflow's snapshot: still the booked terms, so the
  // "tomorrow" mark stays 24 h before the new start and the stage stays Scheduled (240 h would make it Tomorrow).
  const later = (await slotsOf(serviceId)).find((s) => Date.parse(s.startsAt) > booked.startsAt + 24 * HOUR)!;
  const moved = await api<{ appointment: { stage: string } }>(
    system,
    'POST',
    `/api/appointments/${booked.id}/reschedule`,
    { startsAt: later.startsAt, channel: 'phone' },
    auth,
  );
  expect(moved.status).toBe(200);
  expect(moved.body.appointment.stage).toBe('Appointment Scheduled');
  const state = await eventually(async () => {
    const s = await stateOf(booked.id);
    return s.appointment.startsAt === Date.parse(later.startsAt) && s;
  });
  expect(state.appointment.policy).toMatchObject({ tomorrowHoursBefore: 24, todayHoursBefore: 4 });
  expect(state.appointment.billing).toEqual({ policy: 'manual', incrementMinutes: 15 });
  expect(state.marks.find((m) => m.kind === 'tomorrow')!.at).toBe(Date.parse(later.startsAt) - 24 * HOUR);

  // A new booking takes the new terms.
  const fresh = await bookFirstFree(serviceId, 'new.terms@example.com');
  expect(fresh.stage).toBe('Appointment Tomorrow');
  const freshSnapshot = await loadSnapshot(db, fresh.id);
  expect(freshSnapshot!.policy).toMatchObject({ tomorrowHoursBefore: 240 });
  expect(freshSnapshot!.billing).toEqual({ policy: 'auto', incrementMinutes: 30 });

  // Close-out of the booked appointment: 45 minutes by the quarter hour at 60.00/h, 8 % tax (the new terms
  // would refuse 45 minutes, and charge 60 minutes at 120.00/h plus 20 %), then the manual charge task.
  const invoice = await complete(booked.id, 45);
  expect(invoice.status).toBe(200);
  expect(invoice.body.workflow.billing.invoice.totalMinor).toBe(4860);
  expect(await invoiceRow(booked.id)).toEqual({
    subtotal: 4500,
    rate: 800,
    tax: 360,
    lines: ['Terms Repair (45 min)'],
  });
  await eventually(() =>
    db
      .selectFrom('tasks')
      .select('id')
      .where('appointment_id', '=', booked.id)
      .where('kind', '=', 'charge_customer')
      .executeTakeFirst(),
  );
  const refused = await complete(fresh.id, 45);
  expect(refused.status).toBe(422);
  expect(refused.body.error!.fields).toEqual([
    { field: 'form.minutes', message: 'minutes must be a multiple of 30 minutes' },
  ]);

  // Staff move the other booking to another service: it takes that service's terms.
  const target = (await slotsOf(otherId))[0]!;
  const switched = await api(
    system,
    'POST',
    `/api/appointments/${moving.id}/reschedule`,
    { startsAt: target.startsAt, serviceId: otherId, channel: 'phone' },
    auth,
  );
  expect(switched.status).toBe(200);
  const switchedState = await eventually(async () => {
    const s = await stateOf(moving.id);
    return s.appointment.serviceId === otherId && s;
  });
  expect(switchedState.appointment.policy).toMatchObject({ tomorrowHoursBefore: 30, todayHoursBefore: 5 });
  expect(switchedState.appointment.billing).toEqual({ policy: 'manual', incrementMinutes: 20 });
  expect(switchedState.marks.find((m) => m.kind === 'tomorrow')!.at).toBe(Date.parse(target.startsAt) - 30 * HOUR);
  // 40 minutes by 20 at 90.00/h, 5 % tax.
  const other = await complete(moving.id, 40);
  expect(other.status).toBe(200);
  expect(other.body.workflow.billing.invoice.totalMinor).toBe(6300);
  expect(await invoiceRow(moving.id)).toEqual({
    subtotal: 6000,
    rate: 500,
    tax: 300,
    lines: ['Terms Install (40 min)'],
  });
});
