/**
 * A local HTTP server standing in for a vendor API or a webhook subscriber: it records every request
 * (method, path with query, headers, raw body) and answers with what the test's handler returns.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  json: unknown;
}

export interface Reply {
  status?: number;
  body?: unknown;
}

export interface RecordingServer {
  url: string;
  requests: RecordedRequest[];
  handler: (request: RecordedRequest) => Reply | Promise<Reply>;
  close(): Promise<void>;
}

export async function startRecordingServer(
  handler: (request: RecordedRequest) => Reply | Promise<Reply> = () => ({ status: 200, body: {} }),
): Promise<RecordingServer> {
  const state = { handler };
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        json = undefined;
      }
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, json };
      requests.push(recorded);
      void Promise.resolve(state.handler(recorded)).then((reply) => {
        const status = reply.status ?? 200;
        if (reply.body === undefined || status === 204) {
          res.writeHead(status).end();
        } else {
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get handler() {
      return state.handler;
    },
    set handler(next) {
      state.handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
