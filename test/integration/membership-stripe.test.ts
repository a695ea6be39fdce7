/**
 * A membership purchase on the real Stripe path: `purchaseMembership` with the `StripeGateway` (official
 * SDK) pointed at stripe-mock, which validates every request against Stripe's OpenAPI spec. A small
 * proxy in front of stripe-mock records what the purchase sends and, for a PaymentIntent created with
 * `confirm=true`, answers `status: succeeded` — stripe-mock answers from fixtures and never confirms
 * (its PaymentIntent stays `requires_payment_method`), nor does it simulate declines for test payment
 * methods such as `pm_card_chargeDeclined`: the decline of a purchase is tested on the simulated
 * gateway (test/integration/memberships.test.ts) and Stripe's decline body against a local server
 * (test/unit/payments).
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../../src/config';
import { purchaseMembership, type MembershipDeps } from '../../src/memberships/service';
import { StripeGateway } from '../../src/payments/stripe-gateway';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startStripeMock, type StripeMock } from '../support/stripe-mock';

jest.setTimeout(60_000);

interface Recorded {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  form: URLSearchParams;
  status: number;
}

let mock: StripeMock;
let proxy: Server;
let recorded: Recorded[] = [];
let database: TestDatabase;
let deps: MembershipDeps;

/** Forwards to stripe-mock; records each request; confirms a `confirm=true` PaymentIntent as Stripe would for pm_card_visa. */
function startProxy(target: string): Promise<string> {
  const base = new URL(target);
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
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
            const form = new URLSearchParams(body.toString());
            const status = up.statusCode ?? 502;
            recorded.push({
              method: req.method ?? '',
              path: req.url ?? '',
              idempotencyKey: req.headers['idempotency-key'] as string | undefined,
              form,
              status,
            });
            let out = Buffer.concat(parts);
            if (
              req.method === 'POST' &&
              req.url === '/v1/payment_intents' &&
              status === 200 &&
              form.get('confirm') === 'true'
            ) {
              const intent = JSON.parse(out.toString()) as Record<string, unknown>;
              out = Buffer.from(JSON.stringify({ ...intent, status: 'succeeded', last_payment_error: null }));
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
  return new Promise((resolve) =>
    proxy.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  mock = await startStripeMock();
  const apiBase = await startProxy(mock.apiBase);
  database = await createTestDatabase();
  const config = loadConfig({ STRIPE_SECRET_KEY: 'sk_test_appointflow', STRIPE_API_BASE: apiBase });
  // No Temporal here: starting the membership workflow fails and is left to the reconciler (as in production).
  const temporal = {
    workflow: { start: () => Promise.reject(new Error('no Temporal in this test')) },
  } as unknown as Client;
  deps = {
    db: database.db,
    temporal,
    config,
    payments: new StripeGateway({ secretKey: 'sk_test_appointflow', apiBase }),
  };
});
afterAll(async () => {
  await database?.drop();
  await new Promise((r) => (proxy ? proxy.close(r) : r(undefined)));
  await mock?.stop();
});

it('buys a membership through Stripe: customer, then one confirmed off-session PaymentIntent with an idempotency key; the same purchase again charges nothing', async () => {
  const plan = await database.db
    .insertInto('membership_plans')
    .values({ name: 'Massage 3-pack', visits_total: 3, validity_days: 90, price_minor: 27_000, currency: 'USD' })
    .returning('id')
    .executeTakeFirstOrThrow();
  recorded = [];
  const request = {
    planId: plan.id,
    customer: { name: 'Sam Rivera', email: 'sam.rivera@example.com', smsOptIn: false },
    paymentMethodId: 'pm_card_visa',
    timeZone: 'America/Chicago',
    idempotencyKey: 'purchase-sam-0001',
    actor: { kind: 'customer' as const, name: 'Sam Rivera' },
    channel: 'web' as const,
  };
  const first = await purchaseMembership(deps, request);
  expect(first.created).toBe(true);

  // Every request passed stripe-mock's validation against Stripe's spec.
  expect(recorded.map((r) => [r.method, r.path, r.status])).toEqual([
    ['POST', '/v1/customers', 200],
    ['POST', '/v1/payment_intents', 200],
  ]);
  const [customer, intent] = recorded as [Recorded, Recorded];
  expect(customer.idempotencyKey).toMatch(/^contact:.+:customer$/);
  expect(customer.form.get('email')).toBe('sam.rivera@example.com');
  // An off-session charge of a saved card: the customer, its payment method, off_session + confirm.
  expect(intent.idempotencyKey).toBe('membership-purchase:purchase-sam-0001');
  expect(Object.fromEntries(intent.form)).toMatchObject({
    amount: '27000',
    currency: 'usd',
    customer: expect.stringMatching(/^cus_/),
    payment_method: 'pm_card_visa',
    off_session: 'true',
    confirm: 'true',
    'metadata[kind]': 'membership',
    'metadata[planId]': plan.id,
  });

  const contact = await database.db
    .selectFrom('contacts')
    .select('stripe_customer_id')
    .where('email', '=', 'sam.rivera@example.com')
    .executeTakeFirstOrThrow();
  expect(contact.stripe_customer_id).toBe(intent.form.get('customer'));
  const attempts = await database.db
    .selectFrom('payment_attempts as pa')
    .innerJoin('invoices as i', 'i.id', 'pa.invoice_id')
    .select(['pa.gateway', 'pa.status', 'pa.provider_payment_id', 'pa.idempotency_key', 'i.status as invoice_status'])
    .where('i.membership_id', '=', first.membershipId)
    .execute();
  expect(attempts).toEqual([
    {
      gateway: 'stripe',
      status: 'succeeded',
      provider_payment_id: expect.stringMatching(/^pi_/),
      idempotency_key: 'membership-purchase:purchase-sam-0001',
      invoice_status: 'paid',
    },
  ]);
  const events = await database.db
    .selectFrom('events')
    .select(['type', 'subject_type', 'payload'])
    .where('subject_id', '=', first.membershipId)
    .execute();
  expect(events.map((e) => e.type).sort()).toEqual(['membership.purchased', 'payment.succeeded']);
  const paid = events.find((e) => e.type === 'payment.succeeded')!;
  expect(paid.subject_type).toBe('membership');
  expect(paid.payload).toMatchObject({
    change: {
      kind: 'membership:payment_succeeded',
      gateway: 'stripe',
      paymentId: attempts[0]!.provider_payment_id,
      amountMinor: 27_000,
      currency: 'USD',
    },
  });

  // The same purchase again (a retried POST): the membership bought the first time, no second charge.
  recorded = [];
  const again = await purchaseMembership(deps, request);
  expect(again).toMatchObject({ membershipId: first.membershipId, created: false });
  expect(recorded.filter((r) => r.path === '/v1/payment_intents')).toHaveLength(0);
  const eventCount = await database.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('subject_id', '=', first.membershipId)
    .where('type', '=', 'payment.succeeded')
    .executeTakeFirstOrThrow();
  expect(Number(eventCount.n)).toBe(1);
});

it('refuses the purchase (402, nothing recorded) when Stripe leaves the PaymentIntent unpaid', async () => {
  // stripe-mock's own answer to a PaymentIntent (not confirmed by the proxy: no confirm rewrite when
  // the gateway is pointed straight at stripe-mock) is `requires_payment_method`: a failed charge.
  const direct: MembershipDeps = {
    ...deps,
    payments: new StripeGateway({ secretKey: 'sk_test_appointflow', apiBase: mock.apiBase }),
  };
  const plan = await database.db
    .insertInto('membership_plans')
    .values({ name: 'Massage 1-pack', visits_total: 1, validity_days: 30, price_minor: 9_000, currency: 'USD' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await expect(
    purchaseMembership(direct, {
      planId: plan.id,
      customer: { name: 'Lee Park', email: 'lee.park@example.com', smsOptIn: false },
      paymentMethodId: 'pm_card_visa',
      timeZone: 'America/Chicago',
      idempotencyKey: 'purchase-lee-0001',
      actor: { kind: 'customer', name: 'Lee Park' },
      channel: 'web',
    }),
  ).rejects.toMatchObject({ status: 402, code: 'payment_declined', field: 'paymentMethodId' });
  const rows = await database.db
    .selectFrom('memberships')
    .select('id')
    .where('purchase_key', '=', 'purchase-lee-0001')
    .execute();
  expect(rows).toHaveLength(0);
});

it('two concurrent requests of the same purchase send the same Stripe idempotency key and buy one membership', async () => {
  const plan = await database.db
    .insertInto('membership_plans')
    .values({ name: 'Massage 5-pack', visits_total: 5, validity_days: 120, price_minor: 40_000, currency: 'USD' })
    .returning('id')
    .executeTakeFirstOrThrow();
  recorded = [];
  const request = {
    planId: plan.id,
    customer: { name: 'Ari Cole', email: 'ari.cole@example.com', smsOptIn: false },
    paymentMethodId: 'pm_card_visa',
    timeZone: 'America/Chicago',
    idempotencyKey: 'purchase-ari-0001',
    actor: { kind: 'customer' as const, name: 'Ari Cole' },
    channel: 'web' as const,
  };
  const [a, b] = await Promise.all([purchaseMembership(deps, request), purchaseMembership(deps, request)]);
  expect(a.membershipId).toBe(b.membershipId);
  expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
  // Both may reach Stripe (neither row exists yet), but with one key: Stripe replays the first charge.
  const intents = recorded.filter((r) => r.path === '/v1/payment_intents');
  expect(intents.length).toBeGreaterThanOrEqual(1);
  expect(new Set(intents.map((r) => r.idempotencyKey))).toEqual(new Set(['membership-purchase:purchase-ari-0001']));
  const events = await database.db
    .selectFrom('events')
    .select('type')
    .where('subject_id', '=', a.membershipId)
    .execute();
  expect(events.map((e) => e.type).sort()).toEqual(['membership.purchased', 'payment.succeeded']);
  const memberships = await database.db
    .selectFrom('memberships')
    .select('id')
    .where('purchase_key', '=', 'purchase-ari-0001')
    .execute();
  expect(memberships).toHaveLength(1);
});
