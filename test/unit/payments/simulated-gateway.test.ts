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
      expect(await gateway.chargeOffSession(charge())).toEqual({ status: 'succeeded', paymentId: 'sim_pi_1' });
    });

    it('an unknown payment method succeeds like pm_card_visa', async () => {
      const gateway = new SimulatedGateway();
      expect(await gateway.chargeOffSession(charge({ paymentMethodId: 'pm_1Qabc' }))).toEqual({
        status: 'succeeded',
        paymentId: 'sim_pi_1',
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
        paymentId: 'sim_pi_1',
        declineCode,
        message,
      });
    });

    it('pm_card_authenticationRequired requires action, with a client secret', async () => {
      const gateway = new SimulatedGateway();
      expect(await gateway.chargeOffSession(charge({ paymentMethodId: 'pm_card_authenticationRequired' }))).toEqual({
        status: 'requires_action',
        paymentId: 'sim_pi_1',
        clientSecret: 'sim_pi_1_secret_simulated',
        message: 'Your card was declined. This transaction requires authentication.',
      });
    });

    it('numbers payments in order', async () => {
      const gateway = new SimulatedGateway();
      const ids = [];
      for (const paymentMethodId of ['pm_card_visa', 'pm_card_visa_chargeDeclined', 'pm_card_visa']) {
        const result = await gateway.chargeOffSession(charge({ paymentMethodId }));
        ids.push(result.paymentId);
      }
      expect(ids).toEqual(['sim_pi_1', 'sim_pi_2', 'sim_pi_3']);
    });
  });

  describe('idempotency', () => {
    it('returns the same result and id for the same key', async () => {
      const gateway = new SimulatedGateway();
      const request = charge({ paymentMethodId: 'pm_card_chargeDeclinedInsufficientFunds' });
      const first = await gateway.chargeOffSession(request);
      const again = await gateway.chargeOffSession({ ...request, metadata: { attempt: '1', invoiceId: 'inv_1' } });
      expect(again).toEqual(first);
      expect(first.paymentId).toBe('sim_pi_1');
      // No new payment was made: the next key gets the next id.
      expect((await gateway.chargeOffSession(charge())).paymentId).toBe('sim_pi_2');
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
        paymentId: 'sim_pi_1',
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
      expect(first).toEqual({ customerId: 'sim_cus_1' });
      expect(await gateway.ensureCustomer({ ...input, idempotencyKey: 'customer:c1' })).toEqual(first);
      expect(await gateway.ensureCustomer({ ...input, contactId: 'c2', idempotencyKey: 'customer:c2' })).toEqual({
        customerId: 'sim_cus_2',
      });
      const error = await gatewayError(() =>
        gateway.ensureCustomer({ ...input, email: 'other@example.com', idempotencyKey: 'customer:c1' }),
      );
      expect(error.kind).toBe('idempotency_mismatch');
    });

    it('creates setup intents with a client secret, idempotently', async () => {
      const gateway = new SimulatedGateway();
      const first = await gateway.createSetupIntent({ customerId: 'sim_cus_1', idempotencyKey: 'setup:1' });
      expect(first).toEqual({ setupIntentId: 'sim_seti_1', clientSecret: 'sim_seti_1_secret_simulated' });
      expect(await gateway.createSetupIntent({ customerId: 'sim_cus_1', idempotencyKey: 'setup:1' })).toEqual(first);
      expect(
        (await gateway.createSetupIntent({ customerId: 'sim_cus_1', idempotencyKey: 'setup:2' })).setupIntentId,
      ).toBe('sim_seti_2');
      await expect(gateway.createSetupIntent({ customerId: 'sim_cus_9', idempotencyKey: 'setup:1' })).rejects.toThrow(
        /already used with different parameters/,
      );
    });
  });
});
