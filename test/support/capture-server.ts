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
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
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
