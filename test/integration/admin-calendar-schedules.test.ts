/**
 * GET /api/admin/calendar?include=schedules (the calendar's Day grid): each staff member's working
 * hours for the range, laid out from their weekly rules in their own zone, and their time off; narrowed
 * by staffId, and to their own for a technician; the include parameter validated, naming the field;
 * without it the answer is as before. Documented in the OpenAPI document.
 */
import { DateTime } from 'luxon';
import { createApiKey } from '../../src/auth/api-keys';
import { DEMO_TECHNICIAN } from '../../src/db/seed';
import { api, startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

const NY = 'America/New_York';
let system: System;
let bearer: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Front desk')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

interface Schedule {
  staffId: string;
  staffName: string;
  timeZone: string;
  working: Array<{ startsAt: string; endsAt: string }>;
  timeOff: Array<{ startsAt: string; endsAt: string; reason: string }>;
}
type Calendar = { appointments: unknown[]; schedules?: Schedule[] };

it("answers each staff member's working hours and time off for the day, validated and narrowed", async () => {
  const db = system.database.db;
  const id = async (name: string) =>
    (await db.selectFrom('staff').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const [avery, jordan] = [await id('Avery Chen'), await id('Jordan Patel')];
  // The next Tuesday (Avery works Mon–Fri 9–17, Jordan Tue–Sat 10–18, both in New York), a day seen
  // from Chicago: 01:00 New York that day to 01:00 the next.
  let day = DateTime.now().setZone('America/Chicago').startOf('day').plus({ days: 1 });
  while (day.weekday !== 2) day = day.plus({ days: 1 });
  const from = day.toUTC().toISO()!;
  const to = day.plus({ days: 1 }).toUTC().toISO()!;
  const ny = (hour: number, minute = 0) =>
    DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone: NY })
      .toUTC()
      .toISO()!;
  const timeOff = await api(
    system,
    'POST',
    '/api/admin/time-off',
    { staffId: jordan, startsAt: ny(12), endsAt: ny(13), reason: 'Dentist' },
    bearer,
  );
  expect(timeOff.status).toBe(201);
  const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

  const all = await api<Calendar>(system, 'GET', `/api/admin/calendar?${range}&include=schedules`, undefined, bearer);
  expect(all.status).toBe(200);
  expect(all.body.appointments).toEqual([]);
  expect(all.body.schedules).toEqual([
    {
      staffId: avery,
      staffName: 'Avery Chen',
      timeZone: NY,
      working: [{ startsAt: iso(ny(9)), endsAt: iso(ny(17)) }],
      timeOff: [],
    },
    {
      staffId: jordan,
      staffName: 'Jordan Patel',
      timeZone: NY,
      working: [{ startsAt: iso(ny(10)), endsAt: iso(ny(18)) }],
      timeOff: [{ startsAt: iso(ny(12)), endsAt: iso(ny(13)), reason: 'Dentist' }],
    },
  ]);

  // Changed hours show at once (split shift); narrowed to one staff member.
  const hours = await api(
    system,
    'PUT',
    `/api/admin/staff/${avery}/hours`,
    {
      hours: [
        { weekday: 2, startTime: '08:00', endTime: '12:00' },
        { weekday: 2, startTime: '14:00', endTime: '19:30' },
      ],
    },
    bearer,
  );
  expect(hours.status).toBe(200);
  const one = await api<Calendar>(
    system,
    'GET',
    `/api/admin/calendar?${range}&staffId=${avery}&include=schedules`,
    undefined,
    bearer,
  );
  expect(one.body.schedules!.map((s) => [s.staffName, s.working])).toEqual([
    [
      'Avery Chen',
      [
        { startsAt: iso(ny(8)), endsAt: iso(ny(12)) },
        { startsAt: iso(ny(14)), endsAt: iso(ny(19, 30)) },
      ],
    ],
  ]);

  // A technician gets their own schedule only, whatever staffId asks for.
  const session = await fetch(`${system.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_TECHNICIAN.email, password: DEMO_TECHNICIAN.password }),
  });
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
  const tech = await api<Calendar>(
    system,
    'GET',
    `/api/admin/calendar?${range}&staffId=${avery}&include=schedules`,
    undefined,
    { cookie },
  );
  expect(tech.status).toBe(200);
  expect(tech.body.schedules!.map((s) => s.staffName)).toEqual(['Jordan Patel']);

  // Without include the answer is as before; an unknown include is a 400 naming the field.
  const plain = await api<Calendar>(system, 'GET', `/api/admin/calendar?${range}`, undefined, bearer);
  expect(plain.status).toBe(200);
  expect(plain.body).toEqual({ appointments: [] });
  const invalid = await api<{ error: { fields: Array<{ field: string; message: string }> } }>(
    system,
    'GET',
    `/api/admin/calendar?${range}&include=hours`,
    undefined,
    bearer,
  );
  expect(invalid.status).toBe(400);
  expect(invalid.body.error.fields).toEqual([{ field: 'include', message: "expected 'schedules'" }]);

  const openapi = await api<{ paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }> }>(
    system,
    'GET',
    '/api/openapi.json',
  );
  expect(openapi.body.paths['/api/admin/calendar']!.get!.parameters!.map((p) => p.name)).toContain('include');
});

function iso(value: string): string {
  return new Date(value).toISOString();
}
