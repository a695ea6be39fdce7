/**
 * Conversations through HTTP (issue 16): the customer sends a photo about their appointment from the
 * portal; a wrong type, a disguised file or one too large is refused with a clear 4xx; staff read it on
 * the appointment card (unread → read) and answer; the customer is told on their channel and reads
 * the answer in the portal; downloads only through a signed link that expires; another customer
 * reaches neither the thread nor the attachment.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { MAX_ATTACHMENT_BYTES } from '../../src/conversations/attachments';
import {
  api,
  portalSignedIn,
  bookByPhone,
  eventually,
  freeSlots,
  serviceIdBySlug,
  startSystem,
  type System,
} from '../support/system';

jest.setTimeout(180_000);

let system: System;
let bearer: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Conversation test')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

// The smallest real PNG: the signature, IHDR 1×1, IDAT, IEND.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const sessionFor = async (email: string) => (await portalSignedIn(system, email)).headers;

async function upload(headers: Record<string, string>, contentType: string, body: Buffer, filename = 'photo.png') {
  const response = await fetch(`${system.baseUrl}/api/portal/attachments?filename=${encodeURIComponent(filename)}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': contentType },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as { attachment: { id: string }; error?: { code: string } },
  };
}

it('a photo goes from the portal to the appointment card, and the staff answer back to the customer', async () => {
  const serviceId = await serviceIdBySlug(system, 'on-site-repair');
  const slot = (await freeSlots(system, serviceId, 3, 10))[0]!;
  const appointment = await bookByPhone(system, bearer, {
    serviceId,
    slot,
    customer: { name: 'Sam Rivera', email: 'sam.rivera@example.com', phone: '+12125550123', smsOptIn: true },
  });
  const sam = await sessionFor('sam.rivera@example.com');
  const morgan = await sessionFor('morgan.lee@example.com');

  // Refusals, each a clear 4xx.
  expect(await upload(sam, 'text/html', Buffer.from('<script>1</script>'))).toMatchObject({
    status: 415,
    body: { error: { code: 'unsupported_type' } },
  });
  expect(await upload(sam, 'image/png', Buffer.from('%PDF-1.4 not a png'))).toMatchObject({ status: 415 });
  expect((await upload(sam, 'application/pdf', Buffer.alloc(MAX_ATTACHMENT_BYTES + 1, 0x25))).status).toBe(413);
  expect((await upload({}, 'image/png', PNG)).status).toBe(401);

  const uploaded = await upload(sam, 'image/png', PNG, 'broken screen.png');
  expect(uploaded.status).toBe(201);
  const attachmentId = uploaded.body.attachment.id;
  // Morgan cannot send Sam's attachment, nor write about Sam's appointment.
  expect(
    (await api(system, 'POST', '/api/portal/messages', { body: 'mine', attachmentIds: [attachmentId] }, morgan)).status,
  ).toBe(422);
  expect(
    (await api(system, 'POST', '/api/portal/messages', { body: 'hi', appointmentId: appointment.id }, morgan)).status,
  ).toBe(404);

  const sent = await api(
    system,
    'POST',
    '/api/portal/messages',
    { body: 'Here is the broken screen.', appointmentId: appointment.id, attachmentIds: [attachmentId] },
    sam,
  );
  expect(sent.status).toBe(201);

  // Staff read it on the appointment card.
  const card = await api<{
    messages: Array<{ body: string; read: boolean; attachments: Array<{ url: string; filename: string }> }>;
  }>(system, 'GET', `/api/appointments/${appointment.id}/conversation`, undefined, bearer);
  expect(card.body.messages).toHaveLength(1);
  expect(card.body.messages[0]).toMatchObject({ body: 'Here is the broken screen.', read: false });
  const attachment = card.body.messages[0]!.attachments[0]!;
  expect(attachment.filename).toBe('broken screen.png');
  const download = await fetch(`${system.baseUrl}${attachment.url}`);
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('image/png');
  expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
  // A tampered or expired link does not download.
  const tampered = attachment.url.replace(/expires=(\d+)/, (_m, n: string) => `expires=${Number(n) + 1}`);
  expect((await fetch(`${system.baseUrl}${tampered}`)).status).toBe(403);
  const expired = attachment.url.replace(/expires=\d+/, 'expires=1000');
  expect((await fetch(`${system.baseUrl}${expired}`)).status).toBe(403);
  const again = await api<{ messages: Array<{ read: boolean }> }>(
    system,
    'GET',
    `/api/appointments/${appointment.id}/conversation`,
    undefined,
    bearer,
  );
  expect(again.body.messages[0]!.read).toBe(true);

  // Staff answer; Sam (SMS opt-in) is told by SMS with the portal link, and reads it in the portal.
  const answer = await api(
    system,
    'POST',
    `/api/appointments/${appointment.id}/conversation`,
    { body: 'Thanks, we will bring a new screen.' },
    bearer,
  );
  expect(answer.status).toBe(201);
  const notice = await eventually(() =>
    system.database.db
      .selectFrom('messages')
      .selectAll()
      .where('template', '=', 'conversation_message')
      .where('appointment_id', '=', appointment.id)
      .executeTakeFirst(),
  );
  expect(notice).toMatchObject({ channel: 'sms', recipient: '+12125550123', status: 'sent' });
  expect(notice.body).toContain('/account/messages');
  const thread = await api<{ messages: Array<{ body: string; direction: string }> }>(
    system,
    'GET',
    '/api/portal/messages',
    undefined,
    sam,
  );
  expect(thread.body.messages.map((m) => [m.direction, m.body])).toEqual([
    ['from_customer', 'Here is the broken screen.'],
    ['from_staff', 'Thanks, we will bring a new screen.'],
  ]);
  expect(
    (await api<{ messages: unknown[] }>(system, 'GET', '/api/portal/messages', undefined, morgan)).body.messages,
  ).toEqual([]);
});
