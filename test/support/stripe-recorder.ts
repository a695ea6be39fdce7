/**
 * A recording proxy in front of stripe-mock (which validates every request against Stripe's OpenAPI
 * spec) for tests of the whole Stripe path. It records each request (method, path, Idempotency-Key,
 * form) and adds the little state stripe-mock lacks — stripe-mock answers from fixtures, so every
 * SetupIntent has the same id and none ever succeeds:
 * - a created SetupIntent gets an id of its own and keeps its customer and metadata;
 * - `POST /v1/setup_intents/<id>/confirm` (what Stripe.js does for the page) makes it `succeeded` with
 *   the payment method, and later reads of it say so;
 * - a PaymentIntent created with `confirm=true` answers `succeeded`, as Stripe does for pm_card_visa;
 * - one created for the customer to confirm on-session (a deposit, the pay page) gets an id of its own,
 *   keeps its amount, currency, customer and metadata, and `POST /v1/payment_intents/<id>/confirm`
 *   makes it `succeeded` with the payment method, as later reads say.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedStripeCall {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  form: URLSearchParams;
  status: number;
}

export interface StripeRecorder {
  apiBase: string;
  calls: RecordedStripeCall[];
  stop(): Promise<void>;
}

interface SetupState {
  customer: string | null;
  metadata: Record<string, string>;
  status: string;
  paymentMethod: string | null;
}

export async function startStripeRecorder(stripeMockBase: string): Promise<StripeRecorder> {
  const base = new URL(stripeMockBase);
  const calls: RecordedStripeCall[] = [];
  const setups = new Map<string, SetupState>();
  const intents = new Map<string, Record<string, unknown>>();
  let counter = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const form = new URLSearchParams(body.toString());
      const path = (req.url ?? '').split('?')[0]!;
      const confirmMatch = /^\/v1\/setup_intents\/([^/]+)\/confirm$/.exec(path);
      const readMatch = /^\/v1\/setup_intents\/([^/]+)$/.exec(path);
      const intentMatch = /^\/v1\/payment_intents\/([^/]+)(\/confirm)?$/.exec(path);
      const upstream = httpRequest(
        {
          host: base.hostname,
          port: base.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: base.host },
        },
        (up) => {
          const parts: Buffer[] = [];
          up.on('data', (c: Buffer) => parts.push(c));
          up.on('end', () => {
            const status = up.statusCode ?? 502;
            calls.push({
              method: req.method ?? '',
              path,
              idempotencyKey: req.headers['idempotency-key'] as string | undefined,
              form,
              status,
            });
            let out = Buffer.concat(parts);
            if (status === 200) {
              const json = JSON.parse(out.toString()) as Record<string, unknown>;
              let changed: Record<string, unknown> | undefined;
              if (req.method === 'POST' && path === '/v1/setup_intents') {
                counter += 1;
                const id = `seti_rec${String(counter).padStart(4, '0')}`;
                const metadata = metadataOf(form);
                setups.set(id, {
                  customer: form.get('customer'),
                  metadata,
                  status: 'requires_payment_method',
                  paymentMethod: null,
                });
                changed = { ...json, id, client_secret: `${id}_secret_rec`, customer: form.get('customer'), metadata };
              } else if (confirmMatch && req.method === 'POST') {
                const state = setups.get(confirmMatch[1]!);
                if (state) {
                  state.status = 'succeeded';
                  state.paymentMethod = form.get('payment_method') ?? 'pm_card_visa';
                }
                changed = state ? overlay(json, confirmMatch[1]!, state) : undefined;
              } else if (readMatch && req.method === 'GET') {
                const state = setups.get(readMatch[1]!);
                changed = state ? overlay(json, readMatch[1]!, state) : undefined;
              } else if (req.method === 'POST' && path === '/v1/payment_intents' && form.get('confirm') !== 'true') {
                counter += 1;
                const id = `pi_rec${String(counter).padStart(4, '0')}`;
                const state = {
                  id,
                  client_secret: `${id}_secret_rec`,
                  amount: Number(form.get('amount')),
                  currency: form.get('currency'),
                  customer: form.get('customer'),
                  metadata: metadataOf(form),
                  status: 'requires_payment_method',
                  payment_method: null,
                  setup_future_usage: form.get('setup_future_usage'),
                };
                intents.set(id, state);
                changed = { ...json, ...state };
              } else if (intentMatch && intents.has(intentMatch[1]!)) {
                const state = intents.get(intentMatch[1]!)!;
                if (intentMatch[2] === '/confirm' && req.method === 'POST') {
                  Object.assign(state, {
                    status: 'succeeded',
                    payment_method: form.get('payment_method') ?? 'pm_card_visa',
                  });
                }
                changed = { ...json, ...state, last_payment_error: null };
              } else if (req.method === 'POST' && path === '/v1/payment_intents' && form.get('confirm') === 'true') {
                changed = {
                  ...json,
                  status: 'succeeded',
                  last_payment_error: null,
                  amount: Number(form.get('amount')),
                };
              }
              if (changed) out = Buffer.from(JSON.stringify(changed));
            }
            const headers = { ...up.headers };
            delete headers['content-length'];
            delete headers['transfer-encoding'];
            res.writeHead(status, { ...headers, 'content-length': String(out.length) });
            res.end(out);
          });
        },
      );
      upstream.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      upstream.end(body);
    });
  });
  const apiBase = await new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
  return {
    apiBase,
    calls,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function metadataOf(form: URLSearchParams): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of form) {
    const m = /^metadata\[(.+)\]$/.exec(key);
    if (m) metadata[m[1]!] = value;
  }
  return metadata;
}

function overlay(json: Record<string, unknown>, id: string, state: SetupState): Record<string, unknown> {
  return {
    ...json,
    id,
    client_secret: `${id}_secret_rec`,
    customer: state.customer,
    metadata: state.metadata,
    status: state.status,
    payment_method: state.paymentMethod,
    usage: 'off_session',
  };
}
