/**
 * WhatsApp through HTTP, end to end (dev server, worker with the real activities, the real `twilio`
 * SDK against a local server that answers like Twilio): staff record a contact's WhatsApp opt-in and
 * preference, the portal shows it; inbound WhatsApp webhooks are verified with Twilio's signature
 * scheme (signed here with the SDK's own getExpectedTwilioSignature) and a forged or unsigned one is
 * refused with 403 and changes nothing; free text joins the conversation and opens the 24-hour
 * window, so the staff answer goes back as free WhatsApp text; status callbacks move that message
 * forward; C + YES cancels through the workflow (the confirmation goes by WhatsApp); STOP opts out of
 * WhatsApp only; a redelivery changes nothing; wrong fields are 4xx naming the field.
 */
import twilio from 'twilio';
import { createApiKey } from '../../src/auth/api-keys';
import { createPortalSession } from '../../src/portal/sessions';
import { type CaptureServer, fakeMessageSid, startCaptureServer, twilioLike } from '../support/capture-server';
import { postTwilioForm } from '../support/twilio-webhooks';
import { api, bookByPhone, eventually, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(180_000);

const ACCOUNT = `AC${'d4'.repeat(16)}`;
const TOKEN = 'whatsapp-e2e-token';
const SENDER = '+14155238886';
const CUSTOMER = '+12125550166';
// The smallest real PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let system: System;
let twilioApi: CaptureServer;
let bearer: Record<string, string>;

beforeAll(async () => {
  // Twilio's API host answers media downloads too (MediaUrl0 points at it), with Basic auth checked.
  twilioApi = await startCaptureServer((req) =>
    req.method === 'GET' && req.path.startsWith(`/2010-04-01/Accounts/${ACCOUNT}/Messages/`)
      ? req.headers.authorization === `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`
        ? { status: 200, body: PNG, headers: { 'content-type': 'image/png' } }
        : { status: 401, body: { code: 20003, message: 'Authenticate' } }
      : twilioLike(req),
  );
  system = await startSystem({
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_AUTH_TOKEN: TOKEN,
    TWILIO_FROM_NUMBER: '+12125550100',
    TWILIO_API_BASE: twilioApi.url,
    TWILIO_WHATSAPP_FROM: `whatsapp:${SENDER}`,
  });
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'WhatsApp test')).key}` };
});
afterAll(async () => {
  await system?.stop();
  await twilioApi?.stop();
});

const post = (path: string, params: Record<string, string>, signature: string | undefined) =>
  postTwilioForm(system.baseUrl, path, params, signature);

/** Signed exactly as Twilio signs: the public URL plus the sorted POST parameters. */
function signed(path: string, params: Record<string, string>) {
  return post(path, params, twilio.getExpectedTwilioSignature(TOKEN, `${system.baseUrl}${path}`, params));
}

function whatsapp(body: string, sid = fakeMessageSid()) {
  return {
    MessageSid: sid,
    AccountSid: ACCOUNT,
    From: `whatsapp:${CUSTOMER}`,
    To: `whatsapp:${SENDER}`,
    Body: body,
    NumMedia: '0',
  };
}

const sentToCustomer = () =>
  twilioApi.requests.map((r) => new URLSearchParams(r.body)).filter((f) => f.get('To') === `whatsapp:${CUSTOMER}`);

it('opt-in, signed webhooks, the 24-hour window, status callbacks, C + YES and STOP over WhatsApp', async () => {
  const serviceId = await serviceIdBySlug(system, 'consultation');
  const slot = (await freeSlots(system, serviceId, 3, 10))[0]!;
  const appointment = await bookByPhone(system, bearer, {
    serviceId,
    slot,
    customer: { name: 'Rene Ortiz', email: 'rene.ortiz@example.com', phone: CUSTOMER },
  });
  const { db } = system.database;
  const contact = await db.selectFrom('contacts').select('id').where('phone', '=', CUSTOMER).executeTakeFirstOrThrow();

  // Staff record the opt-in the customer gave on the phone; wrong values are named.
  const wrong = await api(
    system,
    'PATCH',
    `/api/admin/contacts/${contact.id}/channels`,
    { preferredChannel: 'fax' },
    bearer,
  );
  expect(wrong.status).toBe(400);
  expect(JSON.stringify(wrong.body)).toContain('preferredChannel');
  const set = await api<{
    contact: { preferredChannel: string; whatsapp: { optIn: boolean; optInSource: string; optedInAt: string } };
  }>(
    system,
    'PATCH',
    `/api/admin/contacts/${contact.id}/channels`,
    { preferredChannel: 'whatsapp', whatsappOptIn: true },
    bearer,
  );
  expect(set.status).toBe(200);
  expect(set.body.contact.preferredChannel).toBe('whatsapp');
  expect(set.body.contact.whatsapp).toMatchObject({ optIn: true, optInSource: expect.stringMatching(/^staff:/) });
  expect(Date.parse(set.body.contact.whatsapp.optedInAt)).not.toBeNaN();

  // The portal shows it, and refuses a wrong field by name.
  const s = await createPortalSession(db, contact.id, 'email_link');
  const portal = { cookie: `af_portal=${s.sessionId}`, 'x-csrf-token': s.csrfToken };
  const profile = await api<{ profile: { preferredChannel: string; whatsapp: { optIn: boolean } } }>(
    system,
    'GET',
    '/api/portal/profile',
    undefined,
    portal,
  );
  expect(profile.body.profile).toMatchObject({ preferredChannel: 'whatsapp', whatsapp: { optIn: true } });
  const badProfile = await api(system, 'PATCH', '/api/portal/profile', { whatsappOptIn: 'yes' }, portal);
  expect(badProfile.status).toBe(400);
  expect(JSON.stringify(badProfile.body)).toContain('whatsappOptIn');

  // Forged, unsigned or tampered: 403 and nothing changes.
  const forged = whatsapp('C');
  expect((await post('/webhooks/twilio/whatsapp', forged, 'bm90LWEtc2lnbmF0dXJl')).status).toBe(403);
  expect((await post('/webhooks/twilio/whatsapp', forged, undefined)).status).toBe(403);
  const tampered = whatsapp('Hello');
  const signature = twilio.getExpectedTwilioSignature(TOKEN, `${system.baseUrl}/webhooks/twilio/whatsapp`, tampered);
  expect((await post('/webhooks/twilio/whatsapp', { ...tampered, Body: 'STOP' }, signature)).status).toBe(403);
  expect(await db.selectFrom('whatsapp_windows').selectAll().execute()).toEqual([]);
  expect(await db.selectFrom('conversations').selectAll().execute()).toEqual([]);
  // A signed request with a wrong sender field is a 4xx naming it.
  const badSender = await signed('/webhooks/twilio/whatsapp', { ...whatsapp('hi'), From: CUSTOMER });
  expect(badSender.status).toBe(400);
  expect(badSender.text).toContain('From');

  // Free text joins the conversation and opens the window.
  const question = whatsapp('Is there parking nearby?');
  const asked = await signed('/webhooks/twilio/whatsapp', question);
  expect(asked.status).toBe(200);
  expect(asked.text).toContain('<Response>');
  const window = await db.selectFrom('whatsapp_windows').selectAll().where('address', '=', CUSTOMER).executeTakeFirst();
  expect(window).toBeDefined();
  const thread = await api<{ messages: Array<{ body: string; channel: string; direction: string }> }>(
    system,
    'GET',
    `/api/appointments/${appointment.id}/conversation`,
    undefined,
    bearer,
  );
  expect(thread.body.messages).toEqual([
    expect.objectContaining({ body: 'Is there parking nearby?', channel: 'whatsapp', direction: 'from_customer' }),
  ]);
  // A redelivery of the same message changes nothing.
  expect((await signed('/webhooks/twilio/whatsapp', question)).status).toBe(200);
  expect(
    (await db.selectFrom('conversation_messages').select('id').where('contact_id', '=', contact.id).execute()).length,
  ).toBe(1);
  // The Messages screen lists the reply under WhatsApp, with its customer (the sender is `whatsapp:+1…`).
  const log = await api<{ entries: Array<{ direction: string; channel: string; text: string; contactId: string }> }>(
    system,
    'GET',
    '/api/admin/messages?channel=whatsapp&status=received',
    undefined,
    bearer,
  );
  expect(log.body.entries).toEqual([
    expect.objectContaining({
      direction: 'in',
      channel: 'whatsapp',
      text: 'Is there parking nearby?',
      contactId: contact.id,
    }),
  ]);
  const smsOnly = await api<{ entries: unknown[] }>(
    system,
    'GET',
    '/api/admin/messages?channel=sms&status=received',
    undefined,
    bearer,
  );
  expect(smsOnly.body.entries).toEqual([]);

  // A photo sent over WhatsApp is fetched from Twilio and joins the thread as an attachment; a media URL
  // on another host is never fetched (the message says so, nothing stored).
  const photoSid = fakeMessageSid();
  const photo = {
    ...whatsapp('', photoSid),
    NumMedia: '1',
    MediaUrl0: `${twilioApi.url}/2010-04-01/Accounts/${ACCOUNT}/Messages/${photoSid}/Media/ME${'e5'.repeat(16)}`,
    MediaContentType0: 'image/png',
  };
  const elsewhere = {
    ...whatsapp('', fakeMessageSid()),
    NumMedia: '1',
    MediaUrl0: 'http://169.254.169.254/latest',
    MediaContentType0: 'image/png',
  };
  expect((await signed('/webhooks/twilio/whatsapp', elsewhere)).status).toBe(200);
  expect((await signed('/webhooks/twilio/whatsapp', photo)).status).toBe(200);
  const withPhoto = await api<{
    messages: Array<{ body: string; attachments: Array<{ url: string; contentType: string }> }>;
  }>(system, 'GET', `/api/appointments/${appointment.id}/conversation`, undefined, bearer);
  expect(withPhoto.body.messages).toHaveLength(3);
  expect(withPhoto.body.messages[1]).toMatchObject({
    body: '(a file was not accepted: the file was not on Twilio and was not fetched)',
    attachments: [],
  });
  const attached = withPhoto.body.messages[2]!;
  expect(attached.body).toBe('(sent a file)');
  expect(attached.attachments).toEqual([expect.objectContaining({ contentType: 'image/png' })]);
  const downloaded = await fetch(`${system.baseUrl}${attached.attachments[0]!.url}`);
  expect(Buffer.from(await downloaded.arrayBuffer()).equals(PNG)).toBe(true);

  // Staff answer from the appointment card: inside the window, free WhatsApp text.
  const before = sentToCustomer().length;
  expect(
    (
      await api(
        system,
        'POST',
        `/api/appointments/${appointment.id}/conversation`,
        { body: 'Yes, behind the shop.' },
        bearer,
      )
    ).status,
  ).toBe(201);
  const notice = await eventually(() =>
    db
      .selectFrom('messages')
      .selectAll()
      .where('template', '=', 'conversation_message')
      .where('contact_id', '=', contact.id)
      .where('status', '=', 'sent')
      .executeTakeFirst(),
  );
  expect(notice).toMatchObject({ channel: 'whatsapp', provider: 'twilio_whatsapp', recipient: CUSTOMER });
  // Only the answer counts: an earlier message to the customer may still land after `before` on a slow run.
  const out = sentToCustomer()
    .slice(before)
    .filter((m) => (m.get('Body') ?? '').includes('Yes, behind the shop.'));
  expect(out).toHaveLength(1);
  expect(out[0]!.get('From')).toBe(`whatsapp:${SENDER}`);

  // Status callbacks (signed) move it forward; WhatsApp's "read" counts as delivered.
  const callback = { MessageSid: notice.provider_message_id!, MessageStatus: 'read', AccountSid: ACCOUNT };
  expect((await post('/webhooks/twilio/status', callback, undefined)).status).toBe(403);
  expect((await signed('/webhooks/twilio/status', callback)).status).toBe(200);
  expect(
    (await db.selectFrom('messages').select('status').where('id', '=', notice.id).executeTakeFirstOrThrow()).status,
  ).toBe('delivered');

  // C, then YES: cancelled through the workflow; the cancellation goes by WhatsApp (window open).
  const ask = await signed('/webhooks/twilio/whatsapp', whatsapp('c'));
  expect(ask.text).toMatch(/YES/);
  expect((await signed('/webhooks/twilio/whatsapp', whatsapp('YES'))).status).toBe(200);
  await eventually(async () => {
    const row = await db
      .selectFrom('appointments')
      .select('status')
      .where('id', '=', appointment.id)
      .executeTakeFirst();
    return row?.status === 'cancelled';
  });
  const cancelled = await eventually(() =>
    db
      .selectFrom('messages')
      .selectAll()
      .where('appointment_id', '=', appointment.id)
      .where('template', '=', 'cancelled')
      .where('channel', '=', 'whatsapp')
      .where('status', '=', 'sent')
      .executeTakeFirst(),
  );
  expect(cancelled.recipient).toBe(CUSTOMER);

  // STOP opts out of WhatsApp only, with time and source.
  expect((await signed('/webhooks/twilio/whatsapp', whatsapp('STOP'))).status).toBe(200);
  const after = await api<{
    contact: { whatsapp: { optIn: boolean; optOutSource: string }; reachability: { smsOptedOut: unknown } };
  }>(system, 'GET', `/api/admin/contacts/${contact.id}`, undefined, bearer);
  expect(after.body.contact.whatsapp).toMatchObject({ optIn: false, optOutSource: 'whatsapp:STOP' });
  expect(after.body.contact.reachability.smsOptedOut).toBeNull();
});
