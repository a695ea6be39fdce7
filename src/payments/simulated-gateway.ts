/**
 * A deterministic, in-memory payment gateway that behaves like Stripe's documented test payment
 * methods, for running without Stripe keys, for demos and for tests. Nothing leaves the process and
 * nothing pretends to be Stripe: ids are `sim_cus_<n>`, `sim_seti_<n>`, `sim_pi_<n>`.
 *
 * Card behaviour by payment method id (any id not listed succeeds, like `pm_card_visa`):
 * see `SIMULATED_TEST_CARDS`. Idempotency like Stripe's: the same key with the same parameters returns
 * the first result (same ids); the same key with different parameters, or on another operation,
 * throws a non-retryable `idempotency_mismatch`; a request refused as invalid is not remembered. State
 * lives in this instance only (a new process starts again at 1).
 */
import {
  assertValidChargeRequest,
  PaymentGatewayError,
  type ChargeRequest,
  type ChargeResult,
  type EnsureCustomerInput,
  type PaymentGateway,
} from './gateway';

export type SimulatedCardOutcome =
  | { outcome: 'succeeded' }
  | { outcome: 'declined'; declineCode: string; message: string }
  | { outcome: 'requires_action'; message: string };

const declined = (declineCode: string, message: string): SimulatedCardOutcome => ({
  outcome: 'declined',
  declineCode,
  message,
});

/** Stripe's test payment methods (https://docs.stripe.com/testing) and what this gateway does with them. */
export const SIMULATED_TEST_CARDS: Readonly<Record<string, SimulatedCardOutcome>> = Object.freeze({
  pm_card_visa: { outcome: 'succeeded' },
  pm_card_mastercard: { outcome: 'succeeded' },
  pm_card_visa_chargeDeclined: declined('generic_decline', 'Your card was declined.'),
  pm_card_chargeDeclinedInsufficientFunds: declined('insufficient_funds', 'Your card has insufficient funds.'),
  pm_card_visa_chargeDeclinedInsufficientFunds: declined('insufficient_funds', 'Your card has insufficient funds.'),
  pm_card_visa_chargeDeclinedLostCard: declined('lost_card', 'Your card was declined.'),
  pm_card_visa_chargeDeclinedStolenCard: declined('stolen_card', 'Your card was declined.'),
  pm_card_chargeDeclinedExpiredCard: declined('expired_card', 'Your card has expired.'),
  pm_card_chargeDeclinedIncorrectCvc: declined('incorrect_cvc', "Your card's security code is incorrect."),
  pm_card_chargeDeclinedProcessingError: declined(
    'processing_error',
    'An error occurred while processing your card. Try again in a little bit.',
  ),
  pm_card_authenticationRequired: {
    outcome: 'requires_action',
    message: 'Your card was declined. This transaction requires authentication.',
  },
});

export class SimulatedGateway implements PaymentGateway {
  readonly name = 'simulated' as const;
  readonly simulated = true;

  private readonly counters = { cus: 0, seti: 0, pi: 0 };
  /** idempotency key → fingerprint of the operation and parameters it was first used with */
  private readonly keys = new Map<string, string>();
  private readonly customers = new Map<string, { customerId: string }>();
  private readonly setupIntents = new Map<string, { setupIntentId: string; clientSecret: string }>();
  private readonly charges = new Map<string, ChargeResult>();

  async ensureCustomer(input: EnsureCustomerInput): Promise<{ customerId: string }> {
    if (input.existingCustomerId !== null) return { customerId: input.existingCustomerId };
    this.claimKey(input.idempotencyKey, 'customers.create', {
      contactId: input.contactId,
      email: input.email,
      name: input.name,
    });
    const existing = this.customers.get(input.idempotencyKey);
    if (existing) return { ...existing };
    const created = { customerId: this.nextId('cus') };
    this.customers.set(input.idempotencyKey, created);
    return { ...created };
  }

  async createSetupIntent(input: {
    customerId: string;
    idempotencyKey: string;
  }): Promise<{ setupIntentId: string; clientSecret: string }> {
    this.claimKey(input.idempotencyKey, 'setup_intents.create', { customerId: input.customerId });
    const existing = this.setupIntents.get(input.idempotencyKey);
    if (existing) return { ...existing };
    const setupIntentId = this.nextId('seti');
    const created = { setupIntentId, clientSecret: `${setupIntentId}_secret_simulated` };
    this.setupIntents.set(input.idempotencyKey, created);
    return { ...created };
  }

  async chargeOffSession(request: ChargeRequest): Promise<ChargeResult> {
    assertValidChargeRequest(request, this.name);
    this.claimKey(request.idempotencyKey, 'payment_intents.create', {
      amountMinor: request.amountMinor,
      currency: request.currency.toLowerCase(),
      customerId: request.customerId,
      paymentMethodId: request.paymentMethodId,
      description: request.description,
      metadata: Object.fromEntries(Object.entries(request.metadata).sort(([a], [b]) => (a < b ? -1 : 1))),
    });
    const existing = this.charges.get(request.idempotencyKey);
    if (existing) return { ...existing };
    const paymentId = this.nextId('pi');
    const card = SIMULATED_TEST_CARDS[request.paymentMethodId] ?? { outcome: 'succeeded' };
    let result: ChargeResult;
    switch (card.outcome) {
      case 'succeeded':
        result = { status: 'succeeded', paymentId };
        break;
      case 'declined':
        result = { status: 'declined', paymentId, declineCode: card.declineCode, message: card.message };
        break;
      case 'requires_action':
        result = {
          status: 'requires_action',
          paymentId,
          clientSecret: `${paymentId}_secret_simulated`,
          message: card.message,
        };
        break;
    }
    this.charges.set(request.idempotencyKey, result);
    return { ...result };
  }

  private nextId(kind: 'cus' | 'seti' | 'pi'): string {
    this.counters[kind] += 1;
    return `sim_${kind}_${this.counters[kind]}`;
  }

  /** Records the key's first use, or throws if it was first used for something else. */
  private claimKey(key: string, operation: string, params: Record<string, unknown>): void {
    if (key.trim() === '') {
      throw new PaymentGatewayError('an idempotency key is required', { kind: 'invalid_request', gateway: this.name });
    }
    const fingerprint = JSON.stringify([operation, params]);
    const first = this.keys.get(key);
    if (first === undefined) {
      this.keys.set(key, fingerprint);
    } else if (first !== fingerprint) {
      throw new PaymentGatewayError(
        `idempotency key ${key} was already used with different parameters (${operation}); ` +
          'keys for idempotent requests can only be used with the same parameters they were first used with',
        { kind: 'idempotency_mismatch', gateway: this.name },
      );
    }
  }
}
