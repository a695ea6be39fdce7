/**
 * WhatsApp's 24-hour customer-service window, with an injected clock: a staff answer sent within 24
 * hours of the customer's last WhatsApp message goes as free text (`Body`); one sent after goes as the
 * approved template configured for its key (`ContentSid` + `ContentVariables` in the configured order);
 * without a configured template it is not sent at all (suppressed, with the reason). The real `twilio`
 * SDK talks to a local server, which checks Twilio's wire format (form fields, Basic auth, `whatsapp:`
 * addresses, the status callback).
 */
import { tmpdir } from 'node:os';
import { loadConfig } from '../../src/config';
import { notifyCustomer } from '../../src/conversations/thread';
import { OutboxProvider } from '../../src/messaging/providers';
import { TwilioWhatsappProvider } from '../../src/messaging/whatsapp';
import { recordWhatsappInbound } from '../../src/messaging/whatsapp-windows';
import { type CaptureServer, startCaptureServer, twilioLike } from '../support/capture-server';
import { createTestDatabase, type TestDatabase } from '../support/database';

const ACCOUNT = `AC${'a1'.repeat(16)}`;
const TOKEN = 'whatsapp-window-token';
const SENDER = '+14155238886';
const CUSTOMER = '+12125550177';
const CONTENT_SID = `HX${'b2'.repeat(16)}`;
const ANCHOR = Date.parse('2030-03-04T15:00:00Z');
const HOUR = 3_600_000;

let database: TestDatabase;
let twilioApi: CaptureServer;
let contactId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  twilioApi = await startCaptureServer(twilioLike);
  const contact = await database.db
    .insertInto('contacts')
    .values({
      name: 'Dana Cruz',
      email: 'dana.cruz@example.com',
      phone: CUSTOMER,
      preferred_channel: 'whatsapp',
      whatsapp_opt_in: true,
      whatsapp_opt_in_at: new Date(ANCHOR - 48 * HOUR),
      whatsapp_opt_in_source: 'portal',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  contactId = contact.id;
  await recordWhatsappInbound(database.db, CUSTOMER, new Date(ANCHOR));
});
afterAll(async () => {
  await twilioApi?.stop();
  await database?.drop();
});

function deps(templates: Record<string, unknown>, now: number) {
  const config = loadConfig(
    {
      TWILIO_ACCOUNT_SID: ACCOUNT,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_FROM_NUMBER: '+12125550100',
      TWILIO_API_BASE: twilioApi.url,
      TWILIO_WHATSAPP_FROM: `whatsapp:${SENDER}`,
      TWILIO_WHATSAPP_TEMPLATES: JSON.stringify(templates),
      PUBLIC_BASE_URL: 'https://book.example.com',
    },
    tmpdir(),
  );
  const outbox = new OutboxProvider();
  const whatsapp = new TwilioWhatsappProvider({
    accountSid: ACCOUNT,
    authToken: TOKEN,
    from: config.messaging.whatsapp!.from,
    statusCallbackUrl: 'https://book.example.com/webhooks/twilio/status',
    apiBase: twilioApi.url,
  });
  return { db: database.db, config, providers: { email: outbox, sms: outbox, whatsapp }, now: () => now };
}

async function answer(n: number, now: number, templates: Record<string, unknown> = {}) {
  const before = twilioApi.requests.length;
  const message = await database.db
    .insertInto('conversation_messages')
    .values({
      contact_id: contactId,
      appointment_id: null,
      direction: 'from_staff',
      channel: 'portal',
      author: 'Avery',
      body: `Answer ${n}`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await notifyCustomer(deps(templates, now), {
    messageId: message.id,
    contactId,
    appointmentId: null,
    staffName: 'Avery',
    body: `Answer ${n}`,
  });
  const stored = await database.db
    .selectFrom('messages')
    .selectAll()
    .where('idempotency_key', '=', `conversation:${message.id}:notify`)
    .executeTakeFirstOrThrow();
  const sent = twilioApi.requests.slice(before);
  return {
    stored,
    sent: sent.map((r) => ({ path: r.path, auth: r.headers.authorization, form: new URLSearchParams(r.body) })),
  };
}

it('inside the window free text goes; just after it the approved template; without one nothing', async () => {
  const template = { conversation_message: { contentSid: CONTENT_SID, variables: ['name', 'text', 'link'] } };

  // 23 h 59 min after the customer wrote: free text.
  const inside = await answer(1, ANCHOR + 24 * HOUR - 60_000, template);
  expect(inside.stored).toMatchObject({ channel: 'whatsapp', status: 'sent', provider: 'twilio_whatsapp' });
  expect(inside.sent).toHaveLength(1);
  const free = inside.sent[0]!;
  expect(free.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
  expect(free.auth).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`);
  expect(free.form.get('To')).toBe(`whatsapp:${CUSTOMER}`);
  expect(free.form.get('From')).toBe(`whatsapp:${SENDER}`);
  expect(free.form.get('Body')).toContain('Avery wrote: "Answer 1"');
  expect(free.form.get('ContentSid')).toBeNull();
  expect(free.form.get('StatusCallback')).toBe('https://book.example.com/webhooks/twilio/status');

  // 24 h after: only the approved template, filled in the configured order.
  const outside = await answer(2, ANCHOR + 24 * HOUR, template);
  expect(outside.stored).toMatchObject({ channel: 'whatsapp', status: 'sent' });
  expect(outside.sent).toHaveLength(1);
  const templated = outside.sent[0]!.form;
  expect(templated.get('Body')).toBeNull();
  expect(templated.get('ContentSid')).toBe(CONTENT_SID);
  expect(JSON.parse(templated.get('ContentVariables')!)).toEqual({
    '1': 'Dana Cruz',
    '2': 'Avery: Answer 2',
    '3': 'https://book.example.com/account/messages',
  });

  // Outside the window with no template for this key: not sent, and the reason is on the message.
  const none = await answer(3, ANCHOR + 30 * HOUR);
  expect(none.sent).toHaveLength(0);
  expect(none.stored.status).toBe('suppressed');
  expect(none.stored.error).toMatch(
    /outside WhatsApp's 24-hour window and no approved template .*conversation_message/,
  );

  // A new message from the customer reopens the window: free text again.
  await recordWhatsappInbound(database.db, CUSTOMER, new Date(ANCHOR + 29 * HOUR));
  const reopened = await answer(4, ANCHOR + 30 * HOUR);
  expect(reopened.sent).toHaveLength(1);
  expect(reopened.sent[0]!.form.get('Body')).toContain('Answer 4');
  // A late redelivery of an older message never shortens the window.
  await recordWhatsappInbound(database.db, CUSTOMER, new Date(ANCHOR));
  expect((await answer(5, ANCHOR + 52 * HOUR)).sent[0]!.form.get('Body')).toContain('Answer 5');
});

it('a contact who opted out of WhatsApp is not sent WhatsApp', async () => {
  await database.db
    .updateTable('contacts')
    .set({ whatsapp_opted_out_at: new Date(ANCHOR), whatsapp_opt_out_source: 'whatsapp:STOP' })
    .where('id', '=', contactId)
    .execute();
  const result = await answer(6, ANCHOR + HOUR);
  // No WhatsApp and no SMS opt-in: the customer is told by email.
  expect(result.stored.channel).toBe('email');
  expect(result.sent).toHaveLength(0);
});
