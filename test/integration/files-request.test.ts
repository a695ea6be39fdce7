/**
 * Files before the visit (issue 16) through HTTP: a service asks for files (a request over 500
 * characters is refused naming the field); the confirmation from the local outbox carries the request
 * and a "Send files" link; the link's token signs in to the portal and names the appointment; the
 * customer sends a photo about it; the appointment card's extras list it (name, type, size, a signed
 * download link). Another customer and a technician of another appointment see none of it.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { createStaffAccount } from '../../src/staff/accounts';
import { staffSession } from '../support/staff-session';
import {
  api,
  bookByPhone,
  eventually,
  freeSlots,
  portalSignedIn,
  serviceIdBySlug,
  startSystem,
  type System,
} from '../support/system';

jest.setTimeout(180_000);

let system: System;
let bearer: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Files request test')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

// The smallest real PNG: the signature, IHDR 1×1, IDAT, IEND.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const REQUEST = 'Please send photos of the device and its model label.';

interface Files {
  request: string | null;
  received: Array<{ filename: string; contentType: string; size: number; at: string; url: string }>;
}

it('a service asks for files; the confirmation links the portal conversation; the card shows what arrived', async () => {
  const { db } = system.database;
  const serviceId = await serviceIdBySlug(system, 'on-site-repair');

  // Too long: 400 naming the field.
  const tooLong = await api<{ error: { fields: Array<{ field: string; message: string }> } }>(
    system,
    'PATCH',
    `/api/admin/services/${serviceId}`,
    { filesRequest: 'x'.repeat(501) },
    bearer,
  );
  expect(tooLong.status).toBe(400);
  expect(tooLong.body.error.fields).toEqual([{ field: 'filesRequest', message: 'at most 500 characters' }]);
  const set = await api<{ service: { filesRequest: string | null } }>(
    system,
    'PATCH',
    `/api/admin/services/${serviceId}`,
    { filesRequest: `  ${REQUEST} ` },
    bearer,
  );
  expect(set.status).toBe(200);
  expect(set.body.service.filesRequest).toBe(REQUEST);

  const slot = (await freeSlots(system, serviceId, 3, 14))[0]!;
  const appointment = await bookByPhone(system, bearer, {
    serviceId,
    slot,
    customer: { name: 'Riley Stone', email: 'riley.stone@example.com', phone: '+12125550177', smsOptIn: true },
  });

  // The confirmation (local outbox): the request and the link into the portal conversation.
  const confirmation = (channel: 'email' | 'sms') =>
    eventually(() =>
      db
        .selectFrom('messages')
        .selectAll()
        .where('appointment_id', '=', appointment.id)
        .where('template', '=', 'confirmation')
        .where('channel', '=', channel)
        .executeTakeFirst(),
    );
  const email = await confirmation('email');
  expect(email.body).toContain(REQUEST);
  expect(email.html).toContain('Send files');
  const link = /\/account\/from\/([A-Za-z0-9_-]{43})\?next=messages/.exec(email.body);
  expect(link).not.toBeNull();
  expect(email.body).toContain(`${system.baseUrl}${link![0]}`);
  const sms = await confirmation('sms');
  expect(sms.body).toMatch(/Please send the files we asked for: \S+\/account\/from\/[A-Za-z0-9_-]{43}\?next=messages/);

  // The card before anything arrived.
  const before = await api<{ files: Files }>(
    system,
    'GET',
    `/api/admin/appointments/${appointment.id}/extras`,
    undefined,
    bearer,
  );
  expect(before.body.files).toEqual({ request: REQUEST, received: [] });

  // The link's token signs in and names the appointment (the page opens its conversation).
  const signIn = await fetch(`${system.baseUrl}/api/portal/sign-in/manage-link`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: link![1] }),
  });
  expect(signIn.status).toBe(200);
  const session = (await signIn.json()) as { csrfToken: string; appointmentId: string };
  expect(session.appointmentId).toBe(appointment.id);
  const riley = { cookie: (signIn.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': session.csrfToken };
  const mine = await api<{ upcoming: Array<{ id: string; filesRequest: string | null }> }>(
    system,
    'GET',
    '/api/portal/appointments',
    undefined,
    riley,
  );
  expect(mine.body.upcoming).toEqual([expect.objectContaining({ id: appointment.id, filesRequest: REQUEST })]);

  // The photo, sent about the appointment from the portal.
  const uploaded = await fetch(`${system.baseUrl}/api/portal/attachments?filename=model%20label.png`, {
    method: 'POST',
    headers: { ...riley, 'content-type': 'image/png' },
    body: PNG,
  });
  expect(uploaded.status).toBe(201);
  const { attachment } = (await uploaded.json()) as { attachment: { id: string } };
  const posted = await api(
    system,
    'POST',
    '/api/portal/messages',
    { body: 'Here is the label.', appointmentId: appointment.id, attachmentIds: [attachment.id] },
    riley,
  );
  expect(posted.status).toBe(201);

  // The card lists it, and its link downloads it.
  const after = await api<{ files: Files }>(
    system,
    'GET',
    `/api/admin/appointments/${appointment.id}/extras`,
    undefined,
    bearer,
  );
  expect(after.body.files.request).toBe(REQUEST);
  expect(after.body.files.received).toEqual([
    expect.objectContaining({ filename: 'model label.png', contentType: 'image/png', size: PNG.length }),
  ]);
  const download = await fetch(`${system.baseUrl}${after.body.files.received[0]!.url}`);
  expect(download.status).toBe(200);
  expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);

  // A technician of other appointments, and another customer, see none of it.
  const other = await db.selectFrom('staff').select('id').where('id', '!=', slot.staffId).executeTakeFirstOrThrow();
  await createStaffAccount(db, {
    email: 'other.technician@maplestreet.example',
    name: 'Other Technician',
    role: 'technician',
    password: 'other-technician-password',
    staffId: other.id,
  });
  const technician = await staffSession(system, 'other.technician@maplestreet.example', 'other-technician-password');
  expect(
    (await api(system, 'GET', `/api/admin/appointments/${appointment.id}/extras`, undefined, technician)).status,
  ).toBe(403);
  expect(
    (await api(system, 'GET', `/api/appointments/${appointment.id}/conversation`, undefined, technician)).status,
  ).toBe(403);
  const morgan = (await portalSignedIn(system, 'morgan.lee@example.com')).headers;
  const theirs = await api<{ messages: unknown[] }>(
    system,
    'GET',
    `/api/portal/messages?appointmentId=${appointment.id}`,
    undefined,
    morgan,
  );
  expect(theirs.body.messages).toEqual([]);
  const morganAppointments = await api<{ upcoming: Array<{ id: string }> }>(
    system,
    'GET',
    '/api/portal/appointments',
    undefined,
    morgan,
  );
  expect(morganAppointments.body.upcoming.map((a) => a.id)).not.toContain(appointment.id);

  // Cleared: nothing is asked any more.
  const cleared = await api<{ service: { filesRequest: string | null } }>(
    system,
    'PATCH',
    `/api/admin/services/${serviceId}`,
    { filesRequest: null },
    bearer,
  );
  expect(cleared.body.service.filesRequest).toBeNull();
});
