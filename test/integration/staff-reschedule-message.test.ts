/**
 * Staff reschedule with the message edited before it goes (issue 6): the preview renders the email and
 * SMS the customer would get for the new time, staff edit them, the reschedule sends the edited text
 * (with the customer's own manage link filled in) and can turn the reminders for the new time off. An
 * edited SMS over two segments is refused with 422 naming `message.sms`.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { api, eventually, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

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

interface Preview {
  startsAt: string;
  staffId: string;
  email: { subject: string; body: string };
  sms: string;
  smsSeptets: number;
  smsSegments: number;
  manageLinkSeptets: number;
  smsWillSend: boolean;
  placeholders: Record<string, string>;
}

async function bookOne() {
  const service = await serviceIdBySlug(system, 'deep-tissue-massage');
  const zone = 'America/New_York';
  const availableSlots = await freeSlots(system, service, 4, 11, zone);
  const slots = availableSlots;
  const first = slots[0]!;
  const later = slots.find((s) => Date.parse(s.startsAt) >= Date.parse(first.startsAt) + 48 * 3600_000)!;
  const booked = await api<{ appointment: { id: string } }>(
    system,
    'POST',
    '/api/appointments',
    {
      serviceId: service,
      staffId: first.staffId,
      startsAt: first.startsAt,
      timeZone: zone,
      channel: 'phone',
      customer: { name: 'Dana Brooks', email: 'dana.brooks@example.com', phone: '+12125550177', smsOptIn: true },
    },
    auth,
  );
  expect(booked.status).toBe(201);
  return { id: booked.body.appointment.id, later };
}

it('previews the reschedule message, refuses an edited SMS too long (422 message.sms), sends the edited text without reminders', async () => {
  const { id, later } = await bookOne();

  const preview = await api<Preview>(
    system,
    'POST',
    `/api/appointments/${id}/reschedule/preview`,
    { startsAt: later.startsAt, staffId: later.staffId, note: 'Please use the side entrance.' },
    auth,
  );
  expect(preview.status).toBe(200);
  expect(preview.body.staffId).toBe(later.staffId);
  expect(preview.body.email.subject).toMatch(/^Rescheduled: /);
  expect(preview.body.email.body).toContain('has been moved from');
  expect(preview.body.email.body).toContain('Please use the side entrance.');
  expect(preview.body.email.body).toContain('{manage-link}');
  expect(preview.body.sms).toContain('{manage-link}');
  expect(preview.body.smsWillSend).toBe(true);
  expect(preview.body.smsSeptets).toBeLessThanOrEqual(306);
  // What the link counts for once filled in (an editor counts an edited SMS with it).
  expect(preview.body.manageLinkSeptets).toBe(`${system.baseUrl}/manage/`.length + 43);
  expect(Object.keys(preview.body.placeholders)).toEqual(['{manage-link}']);
  // Nothing was sent or changed by the preview.
  const before = await system.database.db
    .selectFrom('messages')
    .select('template')
    .where('appointment_id', '=', id)
    .execute();
  expect(before.some((m) => m.template === 'rescheduled')).toBe(false);

  const invalidPreview = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/appointments/${id}/reschedule/preview`,
    { startsAt: 'tomorrow' },
    auth,
  );
  expect(invalidPreview.status).toBe(400);
  expect(invalidPreview.body.error.fields.map((f) => f.field)).toEqual(['startsAt']);

  const tooLong = await api<{ error: { code: string; fields: Array<{ field: string; message: string }> } }>(
    system,
    'POST',
    `/api/appointments/${id}/reschedule`,
    {
      startsAt: later.startsAt,
      staffId: later.staffId,
      channel: 'phone',
      message: { sms: `${'Your visit moved. '.repeat(16)}{manage-link}` },
    },
    auth,
  );
  expect(tooLong.status).toBe(422);
  expect(tooLong.body.error.code).toBe('invalid_message');
  expect(tooLong.body.error.fields.map((f) => f.field)).toEqual(['message.sms']);
  expect(tooLong.body.error.fields[0]!.message).toMatch(/two segments hold 306/);

  const badReminders = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/appointments/${id}/reschedule`,
    { startsAt: later.startsAt, channel: 'phone', reminders: 'no' },
    auth,
  );
  expect(badReminders.status).toBe(400);
  expect(badReminders.body.error.fields.map((f) => f.field)).toEqual(['reminders']);

  const edited = {
    email: {
      subject: 'Your massage has a new time',
      body: `${preview.body.email.body}\n\nSorry for the shuffle — Avery`,
    },
    sms: `Harbor: we moved your massage, sorry for the shuffle. Details: {manage-link}`,
  };
  const moved = await api<{ appointment: { startsAt: string; revision: number } }>(
    system,
    'POST',
    `/api/appointments/${id}/reschedule`,
    {
      startsAt: later.startsAt,
      staffId: later.staffId,
      channel: 'phone',
      note: 'Please use the side entrance.',
      message: edited,
      reminders: false,
    },
    auth,
  );
  expect(moved.status).toBe(200);
  expect(moved.body.appointment).toMatchObject({ startsAt: later.startsAt, revision: 2 });

  const sent = await eventually(async () => {
    const rows = await system.database.db
      .selectFrom('messages')
      .select(['channel', 'subject', 'body', 'html', 'status'])
      .where('appointment_id', '=', id)
      .where('template', '=', 'rescheduled')
      .execute();
    return rows.length === 2 && rows.every((r) => r.status === 'sent') && rows;
  });
  const email = sent.find((m) => m.channel === 'email')!;
  const sms = sent.find((m) => m.channel === 'sms')!;
  const manageLink = new RegExp(`${system.baseUrl}/manage/[A-Za-z0-9_-]{43}`);
  expect(email.subject).toBe('Your massage has a new time');
  expect(email.body).toContain('Sorry for the shuffle — Avery');
  expect(email.body).toContain('Please use the side entrance.');
  expect(email.body).not.toContain('{manage-link}');
  expect(email.body).toMatch(manageLink);
  expect(email.html).toContain('Sorry for the shuffle');
  expect(sms.body).toMatch(/^Harbor: we moved your massage, sorry for the shuffle\. Details: http/);
  expect(sms.body).toMatch(manageLink);

  const card = await api<{ workflow: { reminders?: boolean; appointment: { revision: number } } | null }>(
    system,
    'GET',
    `/api/appointments/${id}`,
    undefined,
    auth,
  );
  expect(card.body.workflow).toMatchObject({ reminders: false, appointment: { revision: 2 } });

  // A cancelled appointment has nothing to preview.
  const cancelled = await api(
    system,
    'POST',
    `/api/appointments/${id}/cancel`,
    { reason: 'Moved away', channel: 'phone' },
    auth,
  );
  expect(cancelled.status).toBe(200);
  const afterCancel = await api<{ error: { code: string } }>(
    system,
    'POST',
    `/api/appointments/${id}/reschedule/preview`,
    { startsAt: later.startsAt },
    auth,
  );
  expect(afterCancel.status).toBe(409);
  expect(afterCancel.body.error.code).toBe('invalid_transition');

  const openapi = await api<{ paths: Record<string, unknown> }>(system, 'GET', '/api/openapi.json');
  expect(Object.keys(openapi.body.paths)).toContain('/api/appointments/{id}/reschedule/preview');
});
