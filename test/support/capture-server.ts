/**
 * A local HTTP server standing in for a vendor API (Twilio, SendGrid, Slack): it records every request
 * exactly as it arrived (method, path, headers, raw body) and answers with what the test queues, or a
 * default answer. Tests assert the wire format on the recorded requests.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface CannedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface CaptureServer {
  url: string;
  requests: CapturedRequest[];
  /** Answers the next request(s) with these, in order; then `fallback`. */
  queue: CannedResponse[];
  stop(): Promise<void>;
}

export async function startCaptureServer(fallback: (req: CapturedRequest) => CannedResponse): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const queue: CannedResponse[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const captured: CapturedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(captured);
      const answer = queue.shift() ?? fallback(captured);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(
        typeof answer.body === 'string' || Buffer.isBuffer(answer.body) ? answer.body : JSON.stringify(answer.body),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    queue,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let sidCounter = 0;
/** A Twilio-looking message SID (SM + 32 hex digits). */
export function fakeMessageSid(): string {
  sidCounter += 1;
  return `SM${Date.now().toString(16).padStart(16, '0')}${sidCounter.toString(16).padStart(16, '0')}`;
}

/** Answers like Twilio's Messages API: 201 with a new SID. */
export function twilioLike(req: CapturedRequest): CannedResponse {
  const params = new URLSearchParams(req.body);
  return {
    status: 201,
    body: {
      sid: fakeMessageSid(),
      status: 'queued',
      to: params.get('To'),
      from: params.get('From'),
      body: params.get('Body'),
      messaging_service_sid: params.get('MessagingServiceSid'),
    },
  };
}

/**
 * Answers like Twilio's Messages API with memory: a POST creates a message (201, with its SID and
 * RFC 2822 `date_created`); a GET of the Messages list answers the account's messages to `To`, newest
 * first, in Twilio's page format.
 */
export function twilioWithHistory(): { handler: (req: CapturedRequest) => CannedResponse; created: unknown[] } {
  const created: Array<Record<string, unknown>> = [];
  const handler = (req: CapturedRequest): CannedResponse => {
    const url = new URL(req.path, 'http://twilio.local');
    if (req.method === 'POST') {
      const answer = twilioLike(req);
      const message = { ...(answer.body as Record<string, unknown>), date_created: new Date().toUTCString() };
      created.push(message);
      return { status: 201, body: message };
    }
    const to = url.searchParams.get('To');
    const messages = created.filter((m) => to === null || m['to'] === to).reverse();
    return {
      status: 200,
      body: {
        messages,
        page: 0,
        page_size: Number(url.searchParams.get('PageSize') ?? 50),
        first_page_uri: url.pathname,
        next_page_uri: null,
        previous_page_uri: null,
        uri: url.pathname,
      },
    };
  };
  return { handler, created };
}

/**
 * Answers like SendGrid: Mail Send (202 with `x-message-id`) and the Email Activity API
 * (`GET /v3/messages?query=unique_args['message_id']="…"`), whose feed shows an accepted email only once
 * `visible` is set — SendGrid's records lag behind the send.
 */
export function sendgridWithActivity(): {
  handler: (req: CapturedRequest) => CannedResponse;
  accepted: Array<{ msgId: string; messageId: string }>;
  feed: { visible: boolean };
} {
  const accepted: Array<{ msgId: string; messageId: string }> = [];
  const feed = { visible: false };
  const handler = (req: CapturedRequest): CannedResponse => {
    const url = new URL(req.path, 'http://sendgrid.local');
    if (req.method === 'POST' && url.pathname === '/v3/mail/send') {
      const body = JSON.parse(req.body) as { custom_args?: { message_id?: string } };
      const msgId = `sg${accepted.length + 1}abc`;
      accepted.push({ msgId, messageId: body.custom_args?.message_id ?? '' });
      return { status: 202, body: '', headers: { 'x-message-id': msgId } };
    }
    if (req.method === 'GET' && url.pathname === '/v3/messages') {
      const wanted = /^unique_args\['message_id'\]="([^"]+)"$/.exec(url.searchParams.get('query') ?? '')?.[1];
      if (!wanted) return { status: 400, body: { errors: [{ message: 'invalid query' }] } };
      const messages = feed.visible
        ? accepted
            .filter((m) => m.messageId === wanted)
            .map((m) => ({ msg_id: `${m.msgId}.filter0001`, status: 'delivered' }))
        : [];
      return { status: 200, body: { messages: messages.slice(0, Number(url.searchParams.get('limit') ?? 10)) } };
    }
    return { status: 404, body: { errors: [{ message: 'not found' }] } };
  };
  return { handler, accepted, feed };
}
