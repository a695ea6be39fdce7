/**
 * The HTTP edge under hostile input, through the real server: malformed cookies, headers, paths and
 * bodies sent to every operation of the served OpenAPI document answer 4xx (never 5xx) and the process
 * stays up; NUL bytes, lone surrogates and absurd dates are refused with the field named, so none can
 * reach PostgreSQL or freeze a workflow; and the headers, 405s and small rules of issue 12 item 6.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiKey } from '../../src/auth/api-keys';
import { DEMO_ADMIN } from '../../src/db/seed';
import { createApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import { api, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(300_000);

let system: System;
let bearer: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Edge test')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

type Doc = { paths: Record<string, Record<string, { security?: unknown[] }>> };

/** A raw request (fetch would refuse some of these headers). */
async function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const url = new URL(system.baseUrl);
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const fill = (path: string, value: string) => path.replace(/\{\w+\}/g, value);

it('answers malformed cookies, headers, paths and bodies on every documented operation with 4xx, never 5xx, and stays up', async () => {
  const doc = (await api<Doc>(system, 'GET', '/api/openapi.json')).body;
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      secured: Boolean(op.security?.length),
    })),
  );
  expect(operations.length).toBeGreaterThan(80);
  const json = { 'content-type': 'application/json' };
  const variants: Array<{ name: string; path: (p: string) => string; headers: Record<string, string>; body?: string }> =
    [
      {
        name: 'malformed session cookie',
        path: (p) => fill(p, '00000000-0000-4000-8000-000000000000'),
        headers: { cookie: 'af_session=%' },
      },
      {
        name: 'malformed cookie with body',
        path: (p) => fill(p, 'x'),
        headers: { ...json, cookie: 'af_session=%E0%A4%A; other=%%' },
        body: '{}',
      },
      { name: 'malformed bearer', path: (p) => fill(p, '%'), headers: { authorization: 'Bearer %00\u00ff' } },
      { name: 'malformed JSON', path: (p) => fill(p, '%E0%A4%A'), headers: json, body: '{"a":' },
      { name: 'JSON not an object', path: (p) => fill(p, '..%2F..%2Fetc'), headers: json, body: '"text"' },
      {
        name: 'wrong charset',
        path: (p) => fill(p, '%00'),
        headers: { 'content-type': 'application/json; charset=utf-99' },
        body: '{}',
      },
      {
        name: 'NUL everywhere',
        path: (p) => fill(p, 'a%00b'),
        headers: { ...json, ...bearer, 'x-forwarded-for': 'not an address' },
        body: '{"name":"a\\u0000b","q":"\\ud800"}',
      },
      {
        name: 'API key, junk body',
        path: (p) => fill(p, '%ED%A0%80'),
        headers: { ...json, ...bearer },
        body: '[1,2,3]',
      },
    ];
  const failures: string[] = [];
  for (const op of operations) {
    for (const variant of variants) {
      const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
      const answer = await raw(
        op.method,
        variant.path(op.path),
        variant.headers,
        hasBody ? (variant.body ?? '') : undefined,
      );
      if (answer.status >= 500)
        failures.push(`${op.method} ${op.path} (${variant.name}) → ${answer.status} ${answer.text.slice(0, 120)}`);
      if (variant.name === 'malformed session cookie' && op.secured && answer.status !== 401) {
        failures.push(`${op.method} ${op.path} (${variant.name}) → ${answer.status}, expected 401`);
      }
    }
  }
  expect(failures).toEqual([]);
  expect((await api(system, 'GET', '/healthz')).status).toBe(200);
});

it('answers a request line over 16 KiB with 431, as every operation documents, and stays up', async () => {
  const doc = (
    await api<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(
      system,
      'GET',
      '/api/openapi.json',
    )
  ).body;
  const undocumented = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => !op.responses['431'])
      .map(([method]) => `${method} ${path}`),
  );
  expect(undocumented).toEqual([]);
  // An OAuth callback with a 30 KB query (what a fuzzer sent): refused by Node's parser, no route reached.
  const answer = await raw('GET', `/oauth/calendar/callback?state=${'%F1%A6%93%84'.repeat(2500)}`, {});
  expect(answer.status).toBe(431);
  expect((await api(system, 'GET', '/healthz')).status).toBe(200);
});

it('refuses NUL, lone surrogates and year 9999 with the field named; a NUL cancel reason cannot freeze an appointment', async () => {
  const serviceId = await serviceIdBySlug(system, 'consultation');
  const [slot, later] = await freeSlots(system, serviceId, 2, 9);
  const customer = { name: 'Nul Tester', email: 'nul.tester@example.com' };
  const cases: Array<[string, string, unknown, Record<string, string>, string]> = [
    [
      'POST',
      '/api/bookings',
      {
        serviceId,
        startsAt: slot!.startsAt,
        timeZone: 'America/New_York',
        customer: { ...customer, name: 'a\u0000b' },
      },
      {},
      'customer.name',
    ],
    [
      'POST',
      '/api/bookings',
      { serviceId, startsAt: slot!.startsAt, timeZone: 'America/New_York', customer: { ...customer, note: 'x\uD800' } },
      {},
      'customer.note',
    ],
    [
      'POST',
      '/api/bookings',
      { serviceId, startsAt: '9999-01-01T10:00:00Z', timeZone: 'America/New_York', customer },
      {},
      'startsAt',
    ],
    ['POST', '/api/bookings', { serviceId, startsAt: slot!.startsAt, timeZone: '', customer }, {}, 'timeZone'],
    ['POST', '/api/session', { email: 'admin\u0000@x', password: 'p' }, {}, 'email'],
    ['GET', `/api/admin/contacts?q=${encodeURIComponent('a\u0000')}`, undefined, bearer, 'q'],
    [
      'POST',
      '/api/membership-plans',
      { name: 'Gold', visitsTotal: 5, validityDays: 30, priceMinor: 100, currency: 'ZZZ' },
      bearer,
      'currency',
    ],
  ];
  for (const [method, path, body, headers, field] of cases) {
    const answer = await api<{ error: { fields?: Array<{ field: string }> } }>(system, method, path, body, headers);
    expect({ path, field, status: answer.status }).toEqual({ path, field, status: 400 });
    expect(answer.body.error.fields?.map((f) => f.field)).toContain(field);
  }

  const booked = await api<{ manageUrl: string }>(system, 'POST', '/api/bookings', {
    serviceId,
    startsAt: slot!.startsAt,
    timeZone: 'America/New_York',
    customer,
  });
  expect(booked.status).toBe(201);
  const token = booked.body.manageUrl.split('/manage/')[1]!;
  const nul = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/manage/${token}/cancel`,
    { reason: 'a\u0000b' },
  );
  expect(nul.status).toBe(400);
  expect(nul.body.error.fields.map((f) => f.field)).toEqual(['reason']);
  // The appointment still takes updates: the refused reason never reached its workflow.
  const moved = await api(system, 'POST', `/api/manage/${token}/reschedule`, { startsAt: later!.startsAt });
  expect(moved.status).toBe(200);
  const past = await api<{ error: { code: string; fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/manage/${token}/reschedule`,
    {
      startsAt: new Date(Date.now() - 3_600_000).toISOString(),
    },
  );
  expect(past.status).toBe(422);
  expect(past.body.error.fields.map((f) => f.field)).toEqual(['startsAt']);
});

it('sends nosniff everywhere, no-store on the API, no-store and noindex on token pages and their API, and 405 with Allow', async () => {
  const services = await raw('GET', '/api/services', {});
  expect(services.headers['x-content-type-options']).toBe('nosniff');
  expect(services.headers['cache-control']).toBe('no-store');
  const health = await raw('GET', '/healthz', {});
  expect(health.headers['x-content-type-options']).toBe('nosniff');
  for (const path of [
    '/api/manage/unknown-token',
    '/manage/unknown-token',
    '/api/feedback/unknown',
    '/feedback/unknown',
  ]) {
    const answer = await raw('GET', path, {});
    expect({ path, cache: answer.headers['cache-control'], robots: answer.headers['x-robots-tag'] }).toEqual({
      path,
      cache: 'no-store',
      robots: 'noindex, nofollow',
    });
  }
  for (const [method, path, allow] of [
    ['TRACE', '/api/services', 'GET, HEAD, OPTIONS'],
    ['PUT', '/api/bookings', 'OPTIONS, POST'],
    ['DELETE', '/api/manage/some-token', 'GET, HEAD, OPTIONS'],
    ['TRACE', '/manage/some-token', 'GET, HEAD, OPTIONS'],
  ] as const) {
    const answer = await raw(method, path, {});
    expect({ method, path, status: answer.status, allow: answer.headers.allow }).toEqual({
      method,
      path,
      status: 405,
      allow,
    });
  }
  expect((await raw('TRACE', '/no/such/path', {})).status).toBe(404);
});

it('offers the local SMS tool to staff sessions only, and not at all once Twilio is configured', async () => {
  const reply = { from: '+12125550123', text: 'HELP' };
  expect((await api(system, 'POST', '/api/local/sms-replies', reply, bearer)).status).toBe(403);
  const signIn = await fetch(`${system.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_ADMIN.email, password: DEMO_ADMIN.password }),
  });
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const session = { cookie: (signIn.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': csrfToken };
  expect((await api(system, 'POST', '/api/local/sms-replies', reply, session)).status).toBe(201);

  // The same database and cluster, configured with only Twilio's auth token (its webhooks): 404.
  const config = {
    ...system.config,
    messaging: {
      ...system.config.messaging,
      twilio: { authToken: 'twilio-token', accountSid: undefined, from: undefined, apiBase: undefined },
    },
  };
  const app = createApp({
    config,
    database: system.database,
    temporal: system.env.client,
    logger: createLogger(config),
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const answer = await fetch(`http://127.0.0.1:${port}/api/local/sms-replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...session },
      body: JSON.stringify(reply),
    });
    expect(answer.status).toBe(404);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
