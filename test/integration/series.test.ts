/**
 * Recurring series end to end through HTTP: a 10-visit weekly series with one week taken is refused
 * whole, with alternatives for that week and nothing booked; once the week is free it books in one go
 * (ten appointments, each its own workflow, linked by the series); "this and following" moves the
 * later visits by the same change through each workflow's reschedule update (a retry moves nothing
 * twice); "this one" and "this and following" cancels; the card and the messages name the series.
 */
import { createApiKey } from '../../src/auth/api-keys';
import {
  api,
  bookByPhone,
  eventually,
  freeSlots,
  serviceIdBySlug,
  startSystem,
  type Slot,
  type System,
} from '../support/system';

jest.setTimeout(240_000);

let system: System;
let auth: Record<string, string>;
let consultation: string;
let avery: string;

beforeAll(async () => {
  system = await startSystem();
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Front desk')).key}` };
  consultation = await serviceIdBySlug(system, 'consultation');
  avery = (
    await system.database.db.selectFrom('staff').select('id').where('name', '=', 'Avery Chen').executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await system?.stop();
});

const WEEK = 7 * 86_400_000;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface SeriesBody {
  series: {
    id: string;
    rule: string;
    occurrences: Array<{ id: string; index: number; startsAt: string; status: string }>;
  };
  manageUrls: string[];
}

it('a weekly series of ten with one week taken is refused whole with alternatives; then books in one go and moves "this and following"', async () => {
  // Avery's first free morning slot 8+ days ahead; the series repeats it weekly (same weekday, same time).
  const first: Slot = (await freeSlots(system, consultation, 8, 15)).find((s) => s.staffId === avery)!;
  const start = Date.parse(first.startsAt);
  const blocker = await bookByPhone(system, auth, {
    serviceId: consultation,
    slot: { staffId: avery, startsAt: iso(start + 3 * WEEK) },
    customer: { name: 'Week Four Caller', email: 'week.four@example.com' },
  });
  const request = {
    serviceId: consultation,
    staffId: avery,
    startsAt: first.startsAt,
    timeZone: 'America/New_York',
    customer: { name: 'Sasha Weekly', email: 'sasha.weekly@example.com', phone: '+12125550177', smsOptIn: true },
    repeat: { every: 1, unit: 'week', count: 10 },
  };

  const refused = await api<{
    error: {
      code: string;
      message: string;
      conflicts: Array<{ index: number; startsAt: string; alternatives: Slot[] }>;
    };
  }>(system, 'POST', '/api/bookings/series', request);
  expect(refused.status).toBe(409);
  expect(refused.body.error.code).toBe('series_conflict');
  expect(refused.body.error.conflicts.map((c) => c.index)).toEqual([4]);
  const [conflict] = refused.body.error.conflicts;
  expect(conflict!.startsAt).toBe(iso(start + 3 * WEEK));
  expect(conflict!.alternatives.length).toBeGreaterThan(0);
  expect(conflict!.alternatives.every((a) => a.staffId === avery && a.startsAt !== conflict!.startsAt)).toBe(true);
  // Nothing booked half: no appointment, no contact's series.
  const sasha = await system.database.db
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select('a.id')
    .where('c.email', '=', 'sasha.weekly@example.com')
    .execute();
  expect(sasha).toHaveLength(0);
  expect(await system.database.db.selectFrom('appointment_series').selectAll().execute()).toHaveLength(0);

  // Bad input is named: both count and until.
  const bad = await api<{ error: { fields: Array<{ field: string }> } }>(system, 'POST', '/api/bookings/series', {
    ...request,
    repeat: { every: 1, unit: 'week', count: 3, until: '2030-01-01' },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.fields[0]!.field).toBe('repeat.count');
  // A service that does not exist is named too (fuzzing found a 500 here), for staff as for customers.
  for (const path of ['/api/bookings/series', '/api/appointments/series']) {
    const unknown = await api<{ error: { code: string; fields: Array<{ field: string }> } }>(
      system,
      'POST',
      path,
      { ...request, serviceId: '00000000-0000-4000-8000-000000000000', channel: 'phone' },
      auth,
    );
    expect([unknown.status, unknown.body.error.code, unknown.body.error.fields[0]!.field]).toEqual([
      422,
      'unknown_reference',
      'serviceId',
    ]);
  }

  // The week is freed; the same request books all ten at once.
  expect(
    (
      await api(
        system,
        'POST',
        `/api/appointments/${blocker.id}/cancel`,
        { reason: 'moved away', channel: 'phone' },
        auth,
      )
    ).status,
  ).toBe(200);
  const booked = await api<SeriesBody>(system, 'POST', '/api/bookings/series', request);
  expect(booked.status).toBe(201);
  const { series } = booked.body;
  expect(series.rule).toBe('every week');
  expect(series.occurrences).toHaveLength(10);
  expect(booked.body.manageUrls).toHaveLength(10);
  series.occurrences.forEach((o, i) => {
    expect(o.index).toBe(i + 1);
    // Same wall-clock time every week in New York (a DST change in between keeps 9:00 at 9:00).
    const local = (ms: number) => new Date(ms).toLocaleTimeString('en-US', { timeZone: 'America/New_York' });
    expect(local(Date.parse(o.startsAt))).toBe(local(start));
  });
  // Each visit is its own workflow, started after the one transaction.
  await eventually(async () => {
    const rows = await system.database.db
      .selectFrom('appointments')
      .select('workflow_started_at')
      .where('series_id', '=', series.id)
      .execute();
    return rows.length === 10 && rows.every((r) => r.workflow_started_at !== null);
  });

  // The card shows the series, and the confirmation speaks of it.
  const sixth = series.occurrences[5]!;
  const card = await api<{ series: { id: string; index: number; count: number; rule: string } }>(
    system,
    'GET',
    `/api/admin/appointments/${sixth.id}/series`,
    undefined,
    auth,
  );
  expect(card.body.series).toMatchObject({ id: series.id, index: 6, count: 10, rule: 'every week' });
  const confirmation = await eventually(async () =>
    system.database.db
      .selectFrom('messages')
      .select(['body'])
      .where('appointment_id', '=', sixth.id)
      .where('channel', '=', 'email')
      .executeTakeFirst(),
  );
  expect(confirmation.body).toContain('Visit 6 of 10');

  // "This and following" from visit 6: one hour later, visits 6–10 move, 1–5 stay.
  const moveTo = iso(Date.parse(sixth.startsAt) + HOUR);
  const moved = await api<{ moved: Array<{ id: string; startsAt: string }> }>(
    system,
    'POST',
    `/api/appointments/${sixth.id}/series/reschedule`,
    { scope: 'following', startsAt: moveTo },
    auth,
  );
  expect(moved.status).toBe(200);
  expect(moved.body.moved.map((m) => m.id)).toEqual(series.occurrences.slice(5).map((o) => o.id));
  const after = await system.database.db
    .selectFrom('appointments')
    .select(['id', 'series_index', 'starts_at'])
    .where('series_id', '=', series.id)
    .orderBy('series_index')
    .execute();
  after.forEach((row, i) => {
    const before = Date.parse(series.occurrences[i]!.startsAt);
    expect(row.starts_at.getTime()).toBe(i >= 5 ? before + HOUR : before);
  });
  const timeline = await system.database.db
    .selectFrom('timeline_events')
    .select(['appointment_id', 'kind'])
    .where('kind', '=', 'rescheduled')
    .where(
      'appointment_id',
      'in',
      series.occurrences.map((o) => o.id),
    )
    .execute();
  expect(timeline).toHaveLength(5);
  // The same request again moves nothing twice.
  const again = await api<{ moved: unknown[] }>(
    system,
    'POST',
    `/api/appointments/${sixth.id}/series/reschedule`,
    { scope: 'following', startsAt: moveTo },
    auth,
  );
  expect(again.status).toBe(200);
  expect(again.body.moved).toEqual([]);

  // The customer cancels visit 2 only, by its manage link; staff cancel 9 and following.
  const token2 = booked.body.manageUrls[1]!.split('/manage/')[1]!;
  const one = await api<{ cancelled: string[] }>(system, 'POST', `/api/manage/${token2}/series/cancel`, {
    scope: 'this',
  });
  expect(one.body.cancelled).toEqual([series.occurrences[1]!.id]);
  const following = await api<{ cancelled: string[]; series: SeriesBody['series'] }>(
    system,
    'POST',
    `/api/appointments/${series.occurrences[8]!.id}/series/cancel`,
    { scope: 'following', reason: 'Moving house' },
    auth,
  );
  expect(following.body.cancelled).toEqual([series.occurrences[8]!.id, series.occurrences[9]!.id]);
  expect(following.body.series.occurrences.map((o) => o.status)).toEqual([
    'scheduled',
    'cancelled',
    'scheduled',
    'scheduled',
    'scheduled',
    'scheduled',
    'scheduled',
    'scheduled',
    'cancelled',
    'cancelled',
  ]);
});
