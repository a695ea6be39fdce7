/**
 * The web app's API client: every POST is one user action with one `Idempotency-Key`, sent again
 * unchanged when the connection fails or the first request is still running; a new action gets a new
 * key; a refusal (409 slot taken) is not retried.
 */
import { api, ApiError } from '../../../web/src/api';

type Call = { method: string; key: string | undefined };
const calls: Call[] = [];
let answers: Array<() => Response> = [];

beforeEach(() => {
  calls.length = 0;
  global.fetch = jest.fn((_input: unknown, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    calls.push({ method: init?.method ?? 'GET', key: headers['idempotency-key'] });
    const next = answers.shift();
    if (!next) throw new Error('unexpected request');
    return Promise.resolve(next());
  }) as typeof fetch;
});

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const networkFailure = () => {
  throw new TypeError('Failed to fetch');
};

it('retries a POST whose answer was lost with the same key, and keys each action anew', async () => {
  answers = [
    networkFailure,
    json(409, { error: { code: 'request_in_progress', message: 'wait' } }, { 'retry-after': '1' }),
    json(201, { ok: 1 }),
  ];
  expect(await api('POST', '/api/bookings', { a: 1 })).toEqual({ ok: 1 });
  expect(calls).toHaveLength(3);
  const key = calls[0]!.key;
  expect(key).toMatch(/^[0-9a-f]{32}$/);
  expect(calls.map((c) => c.key)).toEqual([key, key, key]);

  answers = [json(201, { ok: 2 })];
  await api('POST', '/api/bookings', { a: 1 });
  expect(calls[3]!.key).toMatch(/^[0-9a-f]{32}$/);
  expect(calls[3]!.key).not.toBe(key);

  answers = [json(201, { ok: 3 })];
  await api('POST', '/api/appointments/x/cancel', {}, { idempotencyKey: 'chosen-by-caller' });
  expect(calls[4]!.key).toBe('chosen-by-caller');
});

it('does not retry a refusal, and GETs carry no key', async () => {
  answers = [json(409, { error: { code: 'slot_unavailable', message: 'That time was just taken.' } })];
  await expect(api('POST', '/api/bookings', {})).rejects.toBeInstanceOf(ApiError);
  expect(calls).toHaveLength(1);

  answers = [json(200, { services: [] })];
  await api('GET', '/api/services');
  expect(calls[1]).toEqual({ method: 'GET', key: undefined });
});
