/**
 * The real provider SDKs (`twilio`, `@sendgrid/mail`) and Slack's chat.postMessage, pointed at local
 * servers that check the exact wire format: Twilio's form fields and HTTP Basic auth, SendGrid's v3
 * Mail Send JSON (text + HTML, the .ics attachment, categories, custom_args with our message id) and
 * bearer key, Slack's JSON body and bot token. Vendor refusals are told apart: permanent (invalid
 * number, unsubscribed, rejected address, unknown channel) versus transient (5xx, rate limits).
 */
import { loadConfig } from '../../src/config';
import { messageProvidersFromConfig } from '../../src/messaging/from-config';
import { OutboxProvider, type OutgoingMessage, PermanentSendError } from '../../src/messaging/providers';
import { SendGridEmailProvider } from '../../src/messaging/sendgrid';
import { SlackAlertProvider } from '../../src/messaging/slack';
import { TwilioSmsProvider } from '../../src/messaging/twilio';
import { type CaptureServer, startCaptureServer, twilioLike, twilioWithHistory } from '../support/capture-server';

const ACCOUNT = `AC${'a1'.repeat(16)}`;
const TOKEN = 'twilio-auth-token-123';
const SERVICE = `MG${'b2'.repeat(16)}`;

const sms: OutgoingMessage = {
  id: '2c1d6a5e-0000-4000-8000-000000000001',
  channel: 'sms',
  to: '+12125550123',
  subject: null,
  text: 'Reminder: Deep Tissue Massage Tue, Mar 10 at 9:30 AM EDT. Reply C to cancel, R to reschedule.',
  html: null,
  attachments: [],
  idempotencyKey: 'appointment:x:reminder48h:r1:sms:customer',
  template: 'reminder48h',
};

const email: OutgoingMessage = {
  id: '2c1d6a5e-0000-4000-8000-000000000002',
  channel: 'email',
  to: 'sam@example.com',
  subject: 'Confirmed: Deep Tissue Massage',
  text: 'Hi Sam,\n\nYou are booked.\n',
  html: '<p>Hi Sam,</p><p>You are booked &amp; ready.</p>',
  attachments: [
    {
      filename: 'appointment.ics',
      contentType: 'text/calendar; charset=utf-8',
      content: Buffer.from('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n').toString('base64'),
    },
  ],
  idempotencyKey: 'appointment:x:confirmation:r1:email:customer',
  template: 'confirmation',
};

describe('Twilio SMS provider (twilio SDK against a local server)', () => {
  let server: CaptureServer;
  beforeAll(async () => {
    server = await startCaptureServer(twilioLike);
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('posts To, From, Body and StatusCallback as a form with Basic auth to the account Messages resource', async () => {
    const provider = new TwilioSmsProvider({
      accountSid: ACCOUNT,
      authToken: TOKEN,
      from: { number: '+12125550100' },
      statusCallbackUrl: 'https://book.example.com/webhooks/twilio/status',
      apiBase: server.url,
    });
    const { providerMessageId } = await provider.send(sms);
    expect(providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`);
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({
      To: '+12125550123',
      From: '+12125550100',
      Body: sms.text,
      StatusCallback: 'https://book.example.com/webhooks/twilio/status',
    });
  });

  it("finds a message an earlier attempt handed over: the account's recent messages to the number, by sender and body", async () => {
    const twilio = twilioWithHistory();
    const history = await startCaptureServer(twilio.handler);
    try {
      const provider = new TwilioSmsProvider({
        accountSid: ACCOUNT,
        authToken: TOKEN,
        from: { number: '+12125550100' },
        statusCallbackUrl: 'https://book.example.com/webhooks/twilio/status',
        apiBase: history.url,
      });
      const before = new Date();
      await provider.send({ ...sms, text: 'Another message to the same number' });
      const { providerMessageId } = await provider.send(sms);
      expect(await provider.findSent(sms, before)).toEqual({ providerMessageId });
      const lookup = history.requests.at(-1)!;
      expect(lookup.method).toBe('GET');
      const url = new URL(lookup.path, 'http://x');
      expect(url.pathname).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
      expect(url.searchParams.get('To')).toBe(sms.to);
      expect(lookup.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`);
      // Not the same text, not to this number, or created well before the attempt: not found.
      expect(await provider.findSent({ ...sms, text: `${sms.text}!` }, before)).toBeNull();
      expect(await provider.findSent({ ...sms, to: '+12125550999' }, before)).toBeNull();
      expect(await provider.findSent(sms, new Date(Date.now() + 5 * 60_000))).toBeNull();
    } finally {
      await history.stop();
    }
  });

  it('sends through a Messaging Service instead of a number when configured', async () => {
    const provider = new TwilioSmsProvider({
      accountSid: ACCOUNT,
      authToken: TOKEN,
      from: { messagingServiceSid: SERVICE },
      statusCallbackUrl: 'https://book.example.com/webhooks/twilio/status',
      apiBase: server.url,
    });
    await provider.send(sms);
    const params = new URLSearchParams(server.requests[0]!.body);
    expect(params.get('MessagingServiceSid')).toBe(SERVICE);
    expect(params.has('From')).toBe(false);
  });

  it('tells a permanent refusal (invalid number, unsubscribed) from a transient failure', async () => {
    const provider = new TwilioSmsProvider({
      accountSid: ACCOUNT,
      authToken: TOKEN,
      from: { number: '+12125550100' },
      statusCallbackUrl: 'https://book.example.com/webhooks/twilio/status',
      apiBase: server.url,
    });
    server.queue.push({
      status: 400,
      body: { code: 21211, message: "The 'To' number +1555 is not a valid phone number.", status: 400 },
    });
    const invalid = await provider.send(sms).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(PermanentSendError);
    expect(invalid).toMatchObject({ code: '21211', optedOut: false });

    server.queue.push({
      status: 400,
      body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 },
    });
    expect(await provider.send(sms).catch((e: unknown) => e)).toMatchObject({ code: '21610', optedOut: true });

    server.queue.push({ status: 503, body: { code: 20503, message: 'Service unavailable', status: 503 } });
    const transient = await provider.send(sms).catch((e: unknown) => e);
    expect(transient).toBeInstanceOf(Error);
    expect(transient).not.toBeInstanceOf(PermanentSendError);
  });
});

describe('SendGrid email provider (@sendgrid/mail against a local server)', () => {
  let server: CaptureServer;
  beforeAll(async () => {
    server = await startCaptureServer(() => ({ status: 202, body: '', headers: { 'x-message-id': 'sgMsg123abc' } }));
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('posts the v3 Mail Send JSON with text, HTML, the .ics attachment, categories and our message id', async () => {
    const provider = new SendGridEmailProvider({
      apiKey: 'SG.test-key',
      fromEmail: 'hello@studio.example.com',
      fromName: 'Harbor Wellness',
      apiBase: server.url,
    });
    expect(await provider.send(email)).toEqual({ providerMessageId: 'sgMsg123abc' });
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v3/mail/send');
    expect(req.headers.authorization).toBe('Bearer SG.test-key');
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(req.body) as Record<string, unknown>;
    expect(body).toEqual({
      from: { email: 'hello@studio.example.com', name: 'Harbor Wellness' },
      subject: 'Confirmed: Deep Tissue Massage',
      personalizations: [{ to: [{ email: 'sam@example.com' }] }],
      content: [
        { type: 'text/plain', value: email.text },
        { type: 'text/html', value: email.html },
      ],
      attachments: [
        {
          content: email.attachments[0]!.content,
          filename: 'appointment.ics',
          type: 'text/calendar; charset=utf-8',
          disposition: 'attachment',
        },
      ],
      categories: ['appointflow', 'confirmation'],
      custom_args: { message_id: email.id },
      headers: { 'X-Appointflow-Idempotency-Key': email.idempotencyKey },
    });
  });

  it('a 400 (rejected address) is permanent; a 5xx or 429 is retried', async () => {
    const provider = new SendGridEmailProvider({ apiKey: 'SG.k', fromEmail: 'a@b.example', apiBase: server.url });
    server.queue.push({
      status: 400,
      body: { errors: [{ message: 'Does not contain a valid address.', field: 'personalizations.0.to.0.email' }] },
    });
    const refused = await provider.send(email).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PermanentSendError);
    expect((refused as Error).message).toContain('Does not contain a valid address.');
    server.queue.push({ status: 500, body: { errors: [{ message: 'oops' }] } });
    expect(await provider.send(email).catch((e: unknown) => e)).not.toBeInstanceOf(PermanentSendError);
    server.queue.push({ status: 429, body: { errors: [{ message: 'too many' }] } });
    expect(await provider.send(email).catch((e: unknown) => e)).not.toBeInstanceOf(PermanentSendError);
  });
});

describe('Slack staff alerts (chat.postMessage)', () => {
  let server: CaptureServer;
  beforeAll(async () => {
    server = await startCaptureServer((req) => ({
      status: 200,
      body: { ok: true, channel: (JSON.parse(req.body) as { channel: string }).channel, ts: '1700000000.000100' },
    }));
  });
  afterAll(() => server.stop());

  it('posts the channel and text as JSON with the bot token', async () => {
    const provider = new SlackAlertProvider({ botToken: 'xoxb-test-token', apiBase: server.url });
    const alert: OutgoingMessage = {
      ...sms,
      channel: 'slack',
      to: 'C0123FRONTDESK',
      text: 'No-show: Sam Rivera missed Deep Tissue Massage.',
    };
    expect(await provider.send(alert)).toEqual({ providerMessageId: 'C0123FRONTDESK:1700000000.000100' });
    const req = server.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/chat.postMessage');
    expect(req.headers.authorization).toBe('Bearer xoxb-test-token');
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(req.body)).toEqual({
      channel: 'C0123FRONTDESK',
      text: alert.text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: alert.text } }],
      unfurl_links: false,
    });
  });

  it('ok:false with a configuration error is permanent; ratelimited is retried', async () => {
    const provider = new SlackAlertProvider({ botToken: 'xoxb-test-token', apiBase: server.url });
    server.queue.push({ status: 200, body: { ok: false, error: 'channel_not_found' } });
    expect(await provider.send({ ...sms, channel: 'slack', to: 'C404' }).catch((e: unknown) => e)).toBeInstanceOf(
      PermanentSendError,
    );
    server.queue.push({ status: 200, body: { ok: false, error: 'ratelimited' } });
    const limited = await provider.send({ ...sms, channel: 'slack', to: 'C1' }).catch((e: unknown) => e);
    expect(limited).not.toBeInstanceOf(PermanentSendError);
    expect((limited as Error).message).toContain('ratelimited');
  });
});

describe('providers from configuration', () => {
  it('keeps the local outbox for a channel without keys, and uses the vendor where keys are set', () => {
    const none = messageProvidersFromConfig(loadConfig({}, '/tmp'));
    expect(none.email).toBeInstanceOf(OutboxProvider);
    expect(none.sms).toBeInstanceOf(OutboxProvider);
    expect(none.slack).toBeUndefined();
    const all = messageProvidersFromConfig(
      loadConfig(
        {
          SENDGRID_API_KEY: 'SG.x',
          SENDGRID_FROM_EMAIL: 'hello@studio.example.com',
          TWILIO_ACCOUNT_SID: ACCOUNT,
          TWILIO_AUTH_TOKEN: TOKEN,
          TWILIO_FROM_NUMBER: '+12125550100',
          SLACK_BOT_TOKEN: 'xoxb-1',
          SLACK_CHANNEL: 'C1',
        },
        '/tmp',
      ),
    );
    expect(all.email.name).toBe('sendgrid');
    expect(all.sms.name).toBe('twilio');
    expect(all.slack?.name).toBe('slack');
  });

  it('names the missing variable when a provider is half configured', () => {
    expect(() => loadConfig({ SENDGRID_API_KEY: 'SG.x' }, '/tmp')).toThrow(/SENDGRID_FROM_EMAIL: required/);
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: ACCOUNT }, '/tmp')).toThrow(/TWILIO_AUTH_TOKEN: required/);
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: 'x' }, '/tmp')).toThrow(
      /TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID: required/,
    );
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: 'nope', TWILIO_AUTH_TOKEN: 'x' }, '/tmp')).toThrow(
      /TWILIO_ACCOUNT_SID/,
    );
  });
});
