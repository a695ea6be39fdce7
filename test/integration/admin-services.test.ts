/**
 * Services and their policies edited through HTTP (issue 6): validation naming each field (the strict
 * lifecycle policy included), admin only, a new service is offered and bookable with slots of its
 * duration, an edit changes the free slots of new bookings (a booked appointment keeps its times and
 * price), archive instead of delete when appointments refer to it, and every change audited.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { DEMO_ADMIN, DEMO_TECHNICIAN } from '../../src/db/seed';
import { api, startSystem, type System } from '../support/system';

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
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': csrfToken };
}

interface Fields {
  error: { code: string; fields: Array<{ field: string; message: string }> };
}
interface ServiceBody {
  service: {
    id: string;
    slug: string;
    durationMinutes: number;
    active: boolean;
    lifecyclePolicy: Record<string, unknown>;
    effectiveLifecyclePolicy: Record<string, unknown>;
    staffIds: string[];
  };
}
type Slot = { startsAt: string; endsAt: string; staffId: string };

const from = new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 10);
const to = new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10);
const slotsOf = async (serviceId: string) => {
  const response = await api<{ days: Array<{ slots: Slot[] }> }>(
    system,
    'GET',
    `/api/services/${serviceId}/availability?from=${from}&to=${to}&timeZone=America/New_York`,
  );
  return { status: response.status, slots: response.status === 200 ? response.body.days.flatMap((d) => d.slots) : [] };
};
const lengthMinutes = (slot: Slot) => (Date.parse(slot.endsAt) - Date.parse(slot.startsAt)) / 60_000;

it('refuses bad input naming each field, and lets admins only change services', async () => {
  const admin = await session(DEMO_ADMIN.email, DEMO_ADMIN.password);
  const bad = await api<Fields>(
    system,
    'POST',
    '/api/admin/services',
    {
      name: '',
      durationMinutes: 3,
      pricing: 'per-visit',
      taxRateBps: 20_000,
      staffIds: ['nope'],
      lifecyclePolicy: { reminderHours: 24, todayHoursBefore: -1 },
      colour: 'red',
    },
    admin,
  );
  expect(bad.status).toBe(400);
  expect(bad.body.error.code).toBe('validation_failed');
  expect(bad.body.error.fields.map((f) => f.field).sort()).toEqual(
    [
      'colour',
      'durationMinutes',
      'lifecyclePolicy.reminderHours',
      'lifecyclePolicy.todayHoursBefore',
      'name',
      'pricing',
      'staffIds.0',
      'taxRateBps',
    ].sort(),
  );
  // The policy's own cross-field rule, after defaults: today (60 h) must come after tomorrow (48 h).
  const consultation = await system.database.db
    .selectFrom('services')
    .select('id')
    .where('slug', '=', 'consultation')
    .executeTakeFirstOrThrow();
  const order = await api<Fields>(
    system,
    'PATCH',
    `/api/admin/services/${consultation.id}`,
    { lifecyclePolicy: { todayHoursBefore: 60 } },
    admin,
  );
  expect(order.status).toBe(400);
  expect(order.body.error.fields).toEqual([
    { field: 'lifecyclePolicy.tomorrowHoursBefore', message: expect.stringContaining('greater than todayHoursBefore') },
  ]);
  expect((await api(system, 'PATCH', `/api/admin/services/${consultation.id}`, {}, admin)).status).toBe(400);
  const ghost = await api<Fields>(
    system,
    'PATCH',
    `/api/admin/services/${consultation.id}`,
    { staffIds: ['00000000-0000-4000-8000-000000000000'] },
    admin,
  );
  expect(ghost.status).toBe(422);
  expect(ghost.body.error.fields[0]!.field).toBe('staffIds.0');
  expect(
    (await api(system, 'PATCH', '/api/admin/services/00000000-0000-4000-8000-000000000000', { name: 'X' }, admin))
      .status,
  ).toBe(404);

  // Not signed in; a technician; a session without the CSRF token.
  expect((await api(system, 'PATCH', `/api/admin/services/${consultation.id}`, { name: 'X' })).status).toBe(401);
  const tech = await session(DEMO_TECHNICIAN.email, DEMO_TECHNICIAN.password);
  expect((await api(system, 'PATCH', `/api/admin/services/${consultation.id}`, { name: 'X' }, tech)).status).toBe(403);
  expect((await api(system, 'GET', '/api/admin/services', undefined, tech)).status).toBe(403);
  expect(
    (await api(system, 'POST', '/api/admin/services', { name: 'X', durationMinutes: 30, pricing: 'fixed' }, tech))
      .status,
  ).toBe(403);
  expect(
    (await api(system, 'PATCH', `/api/admin/services/${consultation.id}`, { name: 'X' }, { cookie: admin.cookie! }))
      .status,
  ).toBe(403);
  const unchanged = await system.database.db
    .selectFrom('services')
    .select('name')
    .where('id', '=', consultation.id)
    .executeTakeFirstOrThrow();
  expect(unchanged.name).toBe('Consultation');
});

it('creates a bookable service, edits it for new bookings, archives it once booked, and audits every change', async () => {
  const db = system.database.db;
  const admin = await session(DEMO_ADMIN.email, DEMO_ADMIN.password);
  const avery = await db.selectFrom('staff').select('id').where('name', '=', 'Avery Chen').executeTakeFirstOrThrow();

  const created = await api<ServiceBody>(
    system,
    'POST',
    '/api/admin/services',
    {
      name: 'Quick Tune-up',
      durationMinutes: 30,
      slotIntervalMinutes: 30,
      minNoticeMinutes: 60,
      pricing: 'fixed',
      priceMinor: 4500,
      billingPolicy: 'auto',
      taxRateBps: 800,
      staffIds: [avery.id],
      lifecyclePolicy: { tomorrowHoursBefore: 24, todayHoursBefore: 4 },
    },
    admin,
  );
  expect(created.status).toBe(201);
  const service = created.body.service;
  expect(service).toMatchObject({
    slug: 'quick-tune-up',
    durationMinutes: 30,
    active: true,
    staffIds: [avery.id],
    lifecyclePolicy: { tomorrowHoursBefore: 24, todayHoursBefore: 4 },
    effectiveLifecyclePolicy: { tomorrowHoursBefore: 24, todayHoursBefore: 4, closeOutHoursAfterEnd: 2 },
  });

  // Offered on the booking page, with 30-minute slots.
  const listed = await api<{ services: Array<{ id: string; durationMinutes: number }> }>(
    system,
    'GET',
    '/api/services',
  );
  expect(listed.body.services).toEqual(
    expect.arrayContaining([expect.objectContaining({ id: service.id, durationMinutes: 30 })]),
  );
  const before = await slotsOf(service.id);
  expect(before.slots.length).toBeGreaterThan(10);
  expect(new Set(before.slots.map(lengthMinutes))).toEqual(new Set([30]));
  expect(new Set(before.slots.map((s) => s.staffId))).toEqual(new Set([avery.id]));

  // Bookable: the appointment takes the service's duration and price.
  const first = before.slots[0]!;
  const booked = await api<{ appointment: { id: string; startsAt: string; endsAt: string } }>(
    system,
    'POST',
    '/api/bookings',
    {
      serviceId: service.id,
      startsAt: first.startsAt,
      timeZone: 'America/New_York',
      customer: { name: 'Tune Up', email: 'tune.up@example.com' },
    },
  );
  expect(booked.status).toBe(201);
  const appointmentId = booked.body.appointment.id;
  // The service's policy is the booking's: 3+ days out is well before a 24 h "tomorrow" mark.
  expect(booked.body.appointment).toMatchObject({ stage: 'Appointment Scheduled' });
  expect(lengthMinutes({ ...booked.body.appointment, staffId: avery.id })).toBe(30);

  // Edit: 90 minutes and a longer reminder lead. New slots follow; the booked appointment keeps its times and price.
  const edited = await api<ServiceBody & { changes: Record<string, { from: unknown; to: unknown }> }>(
    system,
    'PATCH',
    `/api/admin/services/${service.id}`,
    { durationMinutes: 90, lifecyclePolicy: { tomorrowHoursBefore: 36 } },
    admin,
  );
  expect(edited.status).toBe(200);
  expect(edited.body.changes).toEqual({
    durationMinutes: { from: 30, to: 90 },
    lifecyclePolicy: { from: { tomorrowHoursBefore: 24, todayHoursBefore: 4 }, to: { tomorrowHoursBefore: 36 } },
  });
  expect(edited.body.service.effectiveLifecyclePolicy).toMatchObject({ tomorrowHoursBefore: 36, todayHoursBefore: 12 });
  const after = await slotsOf(service.id);
  expect(after.slots.length).toBeGreaterThan(0);
  expect(new Set(after.slots.map(lengthMinutes))).toEqual(new Set([90]));
  // A 90-minute slot may not overlap the 30-minute appointment already booked.
  const bookedStart = Date.parse(first.startsAt);
  for (const slot of after.slots) {
    expect(Date.parse(slot.endsAt) <= bookedStart || Date.parse(slot.startsAt) >= bookedStart + 30 * 60_000).toBe(true);
  }
  const row = await db
    .selectFrom('appointments')
    .select(['starts_at', 'ends_at', 'price_minor'])
    .where('id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  expect((row.ends_at.getTime() - row.starts_at.getTime()) / 60_000).toBe(30);
  expect(Number(row.price_minor)).toBe(4500);

  // Remove: appointments refer to it, so it is archived — no longer offered, not bookable, still on its appointment.
  const removed = await api<{ outcome: string; service: { active: boolean } }>(
    system,
    'DELETE',
    `/api/admin/services/${service.id}`,
    undefined,
    admin,
  );
  expect(removed.status).toBe(200);
  expect(removed.body).toMatchObject({ outcome: 'archived', service: { active: false } });
  const offered = await api<{ services: Array<{ id: string }> }>(system, 'GET', '/api/services');
  expect(offered.body.services.map((s) => s.id)).not.toContain(service.id);
  expect((await slotsOf(service.id)).slots).toEqual([]);
  const refused = await api(system, 'POST', '/api/bookings', {
    serviceId: service.id,
    startsAt: after.slots[0]!.startsAt,
    timeZone: 'America/New_York',
    customer: { name: 'Too Late', email: 'too.late@example.com' },
  });
  expect(refused.status).toBeGreaterThanOrEqual(400);
  expect(await db.selectFrom('services').select('id').where('id', '=', service.id).executeTakeFirst()).toBeDefined();

  // Reactivated by an edit; a service nothing refers to is deleted outright.
  expect(
    (await api<ServiceBody>(system, 'PATCH', `/api/admin/services/${service.id}`, { active: true }, bearer)).body
      .service.active,
  ).toBe(true);
  const spare = await api<ServiceBody>(
    system,
    'POST',
    '/api/admin/services',
    { name: 'Spare', durationMinutes: 45, pricing: 'hourly', hourlyRateMinor: 6000 },
    bearer,
  );
  expect(spare.status).toBe(201);
  const clash = await api<Fields>(
    system,
    'POST',
    '/api/admin/services',
    { name: 'Spare', durationMinutes: 45, pricing: 'fixed' },
    bearer,
  );
  expect(clash.status).toBe(409);
  expect(clash.body.error.fields[0]!.field).toBe('slug');
  const deleted = await api(system, 'DELETE', `/api/admin/services/${spare.body.service.id}`, undefined, bearer);
  expect(deleted.body).toMatchObject({ outcome: 'deleted' });
  expect(await db.selectFrom('services').select('id').where('slug', '=', 'spare').executeTakeFirst()).toBeUndefined();

  // A policy that makes "tomorrow" 10 days before the start: a new booking starts in that stage at once.
  await api(
    system,
    'PATCH',
    `/api/admin/services/${service.id}`,
    { lifecyclePolicy: { tomorrowHoursBefore: 240 } },
    bearer,
  );
  const later = await slotsOf(service.id);
  const soon = await api<{ appointment: { stage: string } }>(system, 'POST', '/api/bookings', {
    serviceId: service.id,
    startsAt: later.slots[0]!.startsAt,
    timeZone: 'America/New_York',
    customer: { name: 'Early Bird', email: 'early.bird@example.com' },
  });
  expect(soon.status).toBe(201);
  expect(soon.body.appointment.stage).toBe('Appointment Tomorrow');

  // The audit: who, when, what changed, newest first.
  const detail = await api<{
    appointments: number;
    history: Array<{ kind: string; actor: string; channel: string; occurredAt: string; data: { changes: object } }>;
  }>(system, 'GET', `/api/admin/services/${service.id}`, undefined, admin);
  expect(detail.body.appointments).toBe(2);
  expect(detail.body.history.map((h) => [h.kind, h.actor])).toEqual([
    ['service:updated', 'Back office'],
    ['service:updated', 'Back office'],
    ['service:archived', 'Avery Chen'],
    ['service:updated', 'Avery Chen'],
    ['service:created', 'Avery Chen'],
  ]);
  expect(detail.body.history[3]!.data.changes).toEqual(edited.body.changes);
  expect(detail.body.history.every((h) => h.channel === 'admin' && !Number.isNaN(Date.parse(h.occurredAt)))).toBe(true);
});

it('documents the service endpoints in the OpenAPI document', async () => {
  const openapi = await api<{ paths: Record<string, Record<string, unknown>> }>(system, 'GET', '/api/openapi.json');
  expect(Object.keys(openapi.body.paths['/api/admin/services']!).sort()).toEqual(['get', 'post']);
  expect(Object.keys(openapi.body.paths['/api/admin/services/{id}']!).sort()).toEqual(['delete', 'get', 'patch']);
  expect(JSON.stringify(openapi.body.paths['/api/admin/services/{id}']!.patch)).toContain('tomorrowHoursBefore');
});

it('keeps a renamed service reachable at its former slugs until another service takes one', async () => {
  const created = await api<{ service: { id: string; slug: string } }>(
    system,
    'POST',
    '/api/admin/services',
    { name: 'Sports Massage', durationMinutes: 60, pricing: 'fixed', priceMinor: 9000 },
    bearer,
  );
  expect(created.status).toBe(201);
  const { id } = created.body.service;
  const rename = (slug: string) => api(system, 'PATCH', `/api/admin/services/${id}`, { slug }, bearer);
  const publicView = async (serviceId: string) =>
    (
      await api<{ services: Array<{ id: string; slug: string; formerSlugs: string[] }> }>(
        system,
        'GET',
        '/api/services',
      )
    ).body.services.find((s) => s.id === serviceId);

  expect(await publicView(id)).toMatchObject({ slug: 'sports-massage', formerSlugs: [] });
  expect((await rename('sports-recovery')).status).toBe(200);
  expect((await rename('recovery-massage')).status).toBe(200);
  expect(await publicView(id)).toMatchObject({
    slug: 'recovery-massage',
    formerSlugs: ['sports-massage', 'sports-recovery'],
  });
  // Back to an old name: it is live again, no longer a former one.
  expect((await rename('sports-massage')).status).toBe(200);
  expect(await publicView(id)).toMatchObject({
    slug: 'sports-massage',
    formerSlugs: ['recovery-massage', 'sports-recovery'],
  });
  // A rename refused (slug taken) changes nothing.
  expect((await rename('consultation')).status).toBe(409);
  expect((await publicView(id))?.formerSlugs).toEqual(['recovery-massage', 'sports-recovery']);

  // Another service takes a former address: the live slug wins.
  const taker = await api<{ service: { id: string } }>(
    system,
    'POST',
    '/api/admin/services',
    { name: 'Sports Recovery', durationMinutes: 30, pricing: 'fixed', priceMinor: 5000 },
    bearer,
  );
  expect(taker.status).toBe(201);
  expect(await publicView(taker.body.service.id)).toMatchObject({ slug: 'sports-recovery', formerSlugs: [] });
  expect((await publicView(id))?.formerSlugs).toEqual(['recovery-massage']);
});
