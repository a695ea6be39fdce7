/**
 * The Stripe adapter with the real `stripe` SDK against stripe-mock, which validates every request
 * against Stripe's published OpenAPI spec: customer, SetupIntent for card capture, and the
 * off-session PaymentIntent with its idempotency key. (Declines are tested against a local server
 * answering Stripe's documented card_declined body in test/unit/payments; stripe-mock cannot decline.)
 */
import { StripeGateway } from '../../src/payments/stripe-gateway';
import { PaymentGatewayError } from '../../src/payments/gateway';
import { startStripeMock, type StripeMock } from '../support/stripe-mock';
import { startStripeRecorder } from '../support/stripe-recorder';

let mock: StripeMock;
let gateway: StripeGateway;
beforeAll(async () => {
  mock = await startStripeMock();
  gateway = new StripeGateway({ secretKey: 'sk_test_appointflow', apiBase: mock.apiBase });
});
afterAll(async () => {
  await mock?.stop();
});

it('creates a customer, a SetupIntent for off-session use, and an off-session PaymentIntent that Stripe accepts', async () => {
  const { customerId } = await gateway.ensureCustomer({
    contactId: 'c-1',
    email: 'sam.rivera@example.com',
    name: 'Sam Rivera',
    existingCustomerId: null,
    idempotencyKey: 'customer:c-1',
  });
  expect(customerId).toMatch(/^cus_/);
  expect(
    await gateway.ensureCustomer({
      contactId: 'c-1',
      email: 'x@example.com',
      name: 'x',
      existingCustomerId: 'cus_known',
      idempotencyKey: 'k',
    }),
  ).toEqual({
    customerId: 'cus_known',
  });

  const setup = await gateway.createSetupIntent({ customerId, idempotencyKey: 'setup:c-1:1' });
  expect(setup.setupIntentId).toMatch(/^seti_/);
  expect(setup.clientSecret).toContain('_secret_');

  // stripe-mock answers from fixtures (status requires_payment_method without an error), so the
  // outcome is a decline-shaped result; what matters here is that every parameter passed Stripe's
  // request validation and the id is a PaymentIntent's.
  const result = await gateway.chargeOffSession({
    amountMinor: 11_880,
    currency: 'USD',
    customerId,
    paymentMethodId: 'pm_card_visa',
    description: 'Invoice 1001 — Deep Tissue Massage',
    idempotencyKey: 'invoice:inv-1:attempt:1',
    metadata: { appointmentId: 'a-1', invoiceId: 'inv-1', attempt: '1' },
  });
  expect(result.paymentId).toMatch(/^pi_/);
});

it('surfaces a request Stripe rejects (a malformed secret key) as a non-retryable gateway error', async () => {
  const misconfigured = new StripeGateway({ secretKey: 'not-a-stripe-key', apiBase: mock.apiBase });
  const failure = misconfigured.ensureCustomer({
    contactId: 'c-2',
    email: 'a@example.com',
    name: 'A',
    existingCustomerId: null,
    idempotencyKey: 'customer:c-2',
  });
  await expect(failure).rejects.toBeInstanceOf(PaymentGatewayError);
  await expect(failure).rejects.toMatchObject({ retryable: false });
});

it('lists the cards saved on a customer (brand, last four, expiry) and detaches one with an idempotency key', async () => {
  const recorder = await startStripeRecorder(mock.apiBase);
  try {
    const recorded = new StripeGateway({ secretKey: 'sk_test_appointflow', apiBase: recorder.apiBase });
    const cards = await recorded.listCards('cus_portal');
    expect(cards.length).toBeGreaterThan(0);
    const card = cards[0]!;
    expect(card).toMatchObject({ paymentMethodId: expect.stringMatching(/^pm_/), brand: expect.any(String) });
    expect(card.last4).toMatch(/^\d{4}$/);
    expect(card.expMonth).toEqual(expect.any(Number));
    expect(card.expYear).toEqual(expect.any(Number));
    await recorded.detachCard({ paymentMethodId: card.paymentMethodId, idempotencyKey: 'contact:c-1:detach:pm' });
    const detach = recorder.calls.find((c) => c.path === `/v1/payment_methods/${card.paymentMethodId}/detach`);
    expect(detach).toMatchObject({ method: 'POST', idempotencyKey: 'contact:c-1:detach:pm', status: 200 });
    expect(recorder.calls.find((c) => c.path === '/v1/customers/cus_portal/payment_methods')).toMatchObject({
      method: 'GET',
      status: 200,
    });
  } finally {
    await recorder.stop();
  }
});
