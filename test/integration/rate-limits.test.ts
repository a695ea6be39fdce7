/**
 * Rate limits through HTTP (issue 12 item 4): sign-in per address (a rotated X-Forwarded-For does not
 * help unless TRUST_PROXY names the proxy), per account and across accounts; public booking per contact
 * and per address; manage-link changes per contact — 429 with Retry-After, counted in the database so
 * two app instances (replicas) share them, and ended windows pruned by the retention job.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import { pruneBatch } from '../../src/retention/prune';
import { retentionCutoffs } from '../../src/retention/policy';
import { freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(180_000);

let system: System;
let proxied: { server: Server; baseUrl: string };
beforeAll(async () => {
  system = await startSystem({
    RATE_LIMITS:
      'signin.ip=3/15m,signin.account=4/15m,signin.global=9/15m,booking.ip=4/1h,booking.contact=2/1h,link.contact=2/1h',
  });
  // A second replica on the same database, behind a proxy it trusts (TRUST_PROXY=loopback).
  const config = { ...system.config, http: { ...system.config.http, trustProxy: ['loopback'] } };
  const app = createApp({
    config,
    database: system.database,
    temporal: system.env.client,
    logger: createLogger(config),
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxied = { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
});
afterAll(async () => {
  await new Promise((resolve) => proxied?.server.close(resolve));
  await system?.stop();
});

async function post(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as { error?: { code: string }; manageUrl?: string };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: json };
}

const signIn = (baseUrl: string, email: string, forwardedFor: string) =>
  post(baseUrl, '/api/session', { email, password: 'not the password' }, { 'x-forwarded-for': forwardedFor });

it('sign-in: a rotated X-Forwarded-For is ignored without a trusted proxy; per account and across accounts it holds behind one', async () => {
  // Direct: X-Forwarded-For is not trusted, so every attempt is from 127.0.0.1.
  const direct = [];
  for (let i = 0; i < 4; i += 1) direct.push(await signIn(system.baseUrl, `spray${i}@example.com`, `203.0.113.${i}`));
  expect(direct.map((a) => a.status)).toEqual([401, 401, 401, 429]);
  expect(Number(direct[3]!.retryAfter)).toBeGreaterThan(0);
  expect(direct[3]!.body.error?.code).toBe('rate_limited');

  // Through the trusted proxy each forwarded address counts on its own, but one account is limited
  // from any address (4 attempts).
  const account = [];
  for (let i = 0; i < 5; i += 1) account.push(await signIn(proxied.baseUrl, 'victim@example.com', `198.51.100.${i}`));
  expect(account.map((a) => a.status)).toEqual([401, 401, 401, 401, 429]);

  // Across accounts: 9 attempts in all (4 + 5 above) — the next one, any account, any address, is refused.
  const sprayed = await signIn(proxied.baseUrl, 'someone.new@example.com', '192.0.2.77');
  expect(sprayed.status).toBe(429);
  expect(Number(sprayed.retryAfter)).toBeGreaterThan(0);
});

it('public booking: per contact and per address; manage-link changes per contact', async () => {
  const serviceId = await serviceIdBySlug(system, 'consultation');
  const slots = await freeSlots(system, serviceId, 2, 12);
  const book = (i: number, email: string) =>
    post(system.baseUrl, '/api/bookings', {
      serviceId,
      startsAt: slots[i * 3]!.startsAt,
      timeZone: 'America/New_York',
      customer: { name: 'Flood Test', email },
    });
  const sameInbox = [
    await book(0, 'flooded@example.com'),
    await book(1, 'flooded@example.com'),
    await book(2, 'flooded@example.com'),
  ];
  expect(sameInbox.map((b) => b.status)).toEqual([201, 201, 429]);
  const fourth = await book(3, 'other.inbox@example.com');
  expect(fourth.status).toBe(201); // the 4th from this address
  const fifth = await book(4, 'third.inbox@example.com');
  expect(fifth.status).toBe(429);
  expect(Number(fifth.retryAfter)).toBeGreaterThan(0);

  const token = sameInbox[0]!.body.manageUrl!.split('/manage/')[1]!;
  const sameStaff = slots.filter((s) => s.staffId === slots[0]!.staffId).slice(-3);
  const changes = [];
  for (const slot of sameStaff) {
    changes.push(await post(system.baseUrl, `/api/manage/${token}/reschedule`, { startsAt: slot.startsAt }));
  }
  expect(changes.map((c) => c.status)).toEqual([200, 200, 429]);
});

it('prunes counters whose window has ended', async () => {
  const { db } = system.database;
  expect((await db.selectFrom('rate_limits').select('key').execute()).length).toBeGreaterThan(5);
  const later = Date.now() + 2 * 3_600_000; // every window above has ended by then
  await pruneBatch(db, retentionCutoffs(later, 90), 1000);
  expect(await db.selectFrom('rate_limits').select('key').execute()).toEqual([]);
});
