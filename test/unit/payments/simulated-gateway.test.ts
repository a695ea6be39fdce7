/**
 * The simulated gateway: Stripe's test payment methods, deterministic ids and Stripe-like idempotency.
 */
import { isRetryablePaymentError, PaymentGatewayError, type ChargeRequest } from '../../../src/payments/gateway';
import { SimulatedGateway } from '../../../src/payments/simulated-gateway';

let keys = 0;
const charge = (overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
  amountMinor: 12_375,
  currency: 'USD',
  customerId: 'sim_cus_1',
  paymentMethodId: 'pm_card_visa',
  description: 'Invoice #1001',
  idempotencyKey: `charge-${++keys}`,
  metadata: { invoiceId: 'inv_1', attempt: '1' },
  ...overrides,
});

const PI = expect.stringMatching(/^sim_pi_[0-9a-f]{24}$/) as string;

/** Runs `fn` and returns the PaymentGatewayError it throws. */
async function gatewayError(fn: () => Promise<unknown>): Promise<PaymentGatewayError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof PaymentGatewayError) return error;
    throw error;
  }
  throw new Error('expected a PaymentGatewayError');
}

describe('SimulatedGateway', () => {
  it('says what it is', () => {
    const gateway = new SimulatedGateway();
    expect(gateway.name).toBe('simulated');
    expect(gateway.simulated).toBe(true);
  });

  describe('test cards', () => {
    it('pm_card_visa succeeds', async () => {
      const gateway = new SimulatedGateway();
      expect(await gateway.chargeOffSession(charge())).toEqual({ status: 'succeeded', paymentId: PI });
    });

    it('an unknown payment method succeeds like pm_card_visa', async () => {
      const gateway = new SimulatedGateway();
      expect(await gateway.chargeOffSession(charge({ paymentMethodId: 'pm_1Qabc' }))).toEqual({
        status: 'succeeded',
        paymentId: PI,
      });
    });

    it.each([
      ['pm_card_visa_chargeDeclined', 'generic_decline', 'Your card was declined.'],
      ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds', 'Your card has insufficient funds.'],
      ['pm_card_visa_chargeDeclinedInsufficientFunds', 'insufficient_funds', 'Your card has insufficient funds.'],
      ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'Your card has expired.'],
      ['pm_card_visa_chargeDeclinedLostCard', 'lost_card', 'Your card was declined.'],
      ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', "Your card's security code is incorrect."],
    ])('%s is declined with %s (returned, not thrown)', async (paymentMethodId, declineCode, message) => {
      const gateway = new SimulatedGateway();
      expect(await gateway.chargeOffSession(charge({ paymentMethodId }))).toEqual({
        status: 'declined',
        paymentId: PI,
        declineCode,
        message,
      });
    });

    it('pm_card_authenticationRequired requires action, with a client secret', async () => {
      const gateway = new SimulatedGateway();
      expect(await gateway.chargeOffSession(charge({ paymentMethodId: 'pm_card_authenticationRequired' }))).toEqual({
        status: 'requires_action',
        paymentId: PI,
        clientSecret: expect.stringMatching(/^sim_pi_[0-9a-f]{24}_secret_simulated$/) as string,
        message: 'Your card was declined. This transaction requires authentication.',
      });
    });

    it('payment ids never repeat across invoices, and a new process does not start them again', async () => {
      const ids = [];
      // Each charge in a gateway of its own, as after a worker restart: a counter would say sim_pi_1 each time.
      for (const paymentMethodId of ['pm_card_visa', 'pm_card_visa_chargeDeclined', 'pm_card_visa']) {
        const result = await new SimulatedGateway().chargeOffSession(charge({ paymentMethodId }));
        ids.push(result.paymentId);
      }
      expect(new Set(ids).size).toBe(3);
      // The same request retried by another process (same idempotency key) is the same payment.
      const request = charge();
      const first = await new SimulatedGateway().chargeOffSession(request);
      expect((await new SimulatedGateway().chargeOffSession(request)).paymentId).toBe(first.paymentId);
    });
  });

  describe('idempotency', () => {
    it('returns the same result and id for the same key', async () => {
      const gateway = new SimulatedGateway();
      const request = charge({ paymentMethodId: 'pm_card_chargeDeclinedInsufficientFunds' });
      const first = await gateway.chargeOffSession(request);
      const again = await gateway.chargeOffSession({ ...request, metadata: { attempt: '1', invoiceId: 'inv_1' } });
      expect(again).toEqual(first);
      // Another key is another payment.
      expect((await gateway.chargeOffSession(charge())).paymentId).not.toBe(first.paymentId);
      // Currency case does not matter (Stripe lowercases it).
      expect(await gateway.chargeOffSession({ ...request, currency: 'usd' })).toEqual(first);
    });

    it('throws a non-retryable idempotency error for the same key with a different amount', async () => {
      const gateway = new SimulatedGateway();
      const request = charge();
      await gateway.chargeOffSession(request);
      const error = await gatewayError(() => gateway.chargeOffSession({ ...request, amountMinor: 99 }));
      expect(error).toMatchObject({ kind: 'idempotency_mismatch', retryable: false, gateway: 'simulated' });
      expect(error.message).toMatch(/already used with different parameters/);
      expect(isRetryablePaymentError(error)).toBe(false);
      for (const change of [{ paymentMethodId: 'pm_card_mastercard' }, { metadata: { invoiceId: 'inv_2' } }]) {
        await expect(gateway.chargeOffSession({ ...request, ...change })).rejects.toThrow(PaymentGatewayError);
      }
    });

    it('refuses a key reused on another operation', async () => {
      const gateway = new SimulatedGateway();
      await gateway.createSetupIntent({ customerId: 'sim_cus_1', idempotencyKey: 'shared' });
      const error = await gatewayError(() => gateway.chargeOffSession(charge({ idempotencyKey: 'shared' })));
      expect(error.kind).toBe('idempotency_mismatch');
    });

    it('does not remember an invalid request', async () => {
      const gateway = new SimulatedGateway();
      const invalid = await gatewayError(() =>
        gateway.chargeOffSession(charge({ idempotencyKey: 'k', amountMinor: 0 })),
      );
      expect(invalid).toMatchObject({ kind: 'invalid_request', retryable: false });
      expect(await gateway.chargeOffSession(charge({ idempotencyKey: 'k' }))).toEqual({
        status: 'succeeded',
        paymentId: PI,
      });
    });

    it('validates the charge request', async () => {
      const gateway = new SimulatedGateway();
      for (const bad of [
        { amountMinor: -100 },
        { amountMinor: 10.5 },
        { currency: 'dollars' },
        { customerId: '' },
        { paymentMethodId: ' ' },
        { idempotencyKey: '' },
      ]) {
        const error = await gatewayError(() => gateway.chargeOffSession(charge(bad)));
        expect(error.kind).toBe('invalid_request');
      }
    });
  });

  describe('customers and setup intents', () => {
    const input = { contactId: 'c1', email: 'pat@example.com', name: 'Pat Doe', existingCustomerId: null };

    it('returns an existing customer id unchanged', async () => {
      const gateway = new SimulatedGateway();
      expect(
        await gateway.ensureCustomer({ ...input, existingCustomerId: 'cus_existing', idempotencyKey: 'k1' }),
      ).toEqual({ customerId: 'cus_existing' });
    });

    it('creates customers idempotently', async () => {
      const gateway = new SimulatedGateway();
      const first = await gateway.ensureCustomer({ ...input, idempotencyKey: 'customer:c1' });
      expect(first.customerId).toMatch(/^sim_cus_[0-9a-f]{24}$/);
      expect(await gateway.ensureCustomer({ ...input, idempotencyKey: 'customer:c1' })).toEqual(first);
      const second = await gateway.ensureCustomer({ ...input, contactId: 'c2', idempotencyKey: 'customer:c2' });
      expect(second.customerId).not.toBe(first.customerId);
      const error = await gatewayError(() =>
        gateway.ensureCustomer({ ...input, email: 'other@example.com', idempotencyKey: 'customer:c1' }),
      );
      expect(error.kind).toBe('idempotency_mismatch');
    });

    it('creates setup intents with a client secret, idempotently', async () => {
      const gateway = new SimulatedGateway();
      const first = await gateway.createSetupIntent({ customerId: 'sim_cus_1', idempotencyKey: 'setup:1' });
      expect(first.setupIntentId).toMatch(/^sim_seti_[0-9a-f]{24}$/);
      expect(first.clientSecret).toBe(`${first.setupIntentId}_secret_simulated`);
      expect(await gateway.createSetupIntent({ customerId: 'sim_cus_1', idempotencyKey: 'setup:1' })).toEqual(first);
      expect(
        (await gateway.createSetupIntent({ customerId: 'sim_cus_1', idempotencyKey: 'setup:2' })).setupIntentId,
      ).not.toBe(first.setupIntentId);
      await expect(gateway.createSetupIntent({ customerId: 'sim_cus_9', idempotencyKey: 'setup:1' })).rejects.toThrow(
        /already used with different parameters/,
      );
    });
  });

  describe('on-session confirmation (the test-card form) and refunds', () => {
    it('a SetupIntent succeeds with a test card that saves, and not with a declining one', async () => {
      const gateway = new SimulatedGateway();
      const { setupIntentId } = await gateway.createSetupIntent({ customerId: 'sim_cus_1', idempotencyKey: 's1' });
      expect((await gateway.retrieveSetupIntent(setupIntentId)).status).toBe('requires_payment_method');
      expect(gateway.confirmSetupIntent(setupIntentId, 'pm_card_visa_chargeDeclined')).toEqual({
        ok: false,
        message: 'Your card was declined.',
      });
      expect(gateway.confirmSetupIntent(setupIntentId, 'pm_card_visa')).toEqual({ ok: true });
      expect(await gateway.retrieveSetupIntent(setupIntentId)).toMatchObject({
        status: 'succeeded',
        customerId: 'sim_cus_1',
        paymentMethodId: 'pm_card_visa',
      });
      expect(await gateway.describeCard('pm_card_visa')).toEqual({ brand: 'visa', last4: '4242' });
    });

    it('a PaymentIntent is paid on-session once; refunds are idempotent by key', async () => {
      const gateway = new SimulatedGateway();
      const intent = await gateway.createPaymentIntent({
        amountMinor: 5000,
        currency: 'USD',
        customerId: 'sim_cus_1',
        description: 'Invoice 7',
        idempotencyKey: 'pay:7',
        metadata: { invoiceId: 'inv_7' },
      });
      expect(gateway.confirmPaymentIntent(intent.paymentIntentId, 'pm_card_visa')).toEqual({ ok: true });
      expect(await gateway.retrievePaymentIntent(intent.paymentIntentId)).toMatchObject({
        status: 'succeeded',
        amountMinor: 5000,
        metadata: { invoiceId: 'inv_7' },
      });
      const refund = { paymentId: intent.paymentIntentId, amountMinor: 1000, idempotencyKey: 'r1', metadata: {} };
      const first = await gateway.refund(refund);
      expect(first.refundId).toMatch(/^sim_re_[0-9a-f]{24}$/);
      expect(await gateway.refund(refund)).toEqual(first);
      expect((await gatewayError(() => gateway.refund({ ...refund, amountMinor: 2000 }))).kind).toBe(
        'idempotency_mismatch',
      );
    });
  });
});
