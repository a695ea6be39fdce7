/**
 * A deterministic, in-memory payment gateway that behaves like Stripe's documented test payment
 * methods, for running without Stripe keys, for demos and for tests. Nothing leaves the process and
 * nothing pretends to be Stripe: ids are `sim_cus_…`, `sim_seti_…`, `sim_pi_…`, `sim_re_…`.
 *
 * Ids are derived from the request's idempotency key (a SHA-256 prefix), not from a counter: keys are
 * unique per invoice attempt, contact or request, so ids never repeat across invoices or processes, and
 * the same request retried by another worker process gets the same id, as Stripe's idempotency would.
 *
 * Card behaviour by payment method id (any id not listed succeeds, like `pm_card_visa`):
 * see `SIMULATED_TEST_CARDS`. Idempotency like Stripe's: the same key with the same parameters returns
 * the first result (same ids); the same key with different parameters, or on another operation,
 * throws a non-retryable `idempotency_mismatch`; a request refused as invalid is not remembered.
 * SetupIntents and PaymentIntents for on-session confirmation (the clearly labelled test-card form)
 * live in this instance: the HTTP server creates, confirms and reads them through one instance.
 */
import { createHash } from 'node:crypto';
import {
  assertValidChargeRequest,
  PaymentGatewayError,
  type ChargeRequest,
  type ChargeResult,
  type EnsureCustomerInput,
  type OnSessionPaymentRequest,
  type PaymentGateway,
  type PaymentIntentView,
  type RefundRequest,
  type RefundResult,
  type SavedCard,
  type SetupIntentView,
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
  // Pays; a refund of it fails (Stripe's 4000 0000 0000 5126 fails later, by webhook; here at once).
  pm_card_refundFail: { outcome: 'succeeded' },
});

/** Why a refund of a `pm_card_refundFail` payment fails (one of Stripe's `failure_reason` values). */
export const SIMULATED_REFUND_FAILURE = 'expired_or_canceled_card';

/** Brand and last four digits shown for a simulated test card. */
export function simulatedCardDetails(paymentMethodId: string): { brand: string; last4: string } {
  if (paymentMethodId.includes('mastercard')) return { brand: 'mastercard', last4: '4444' };
  if (paymentMethodId === 'pm_card_authenticationRequired') return { brand: 'visa', last4: '3184' };
  if (paymentMethodId === 'pm_card_refundFail') return { brand: 'visa', last4: '5126' };
  if (paymentMethodId.includes('Declined')) return { brand: 'visa', last4: '0002' };
  return { brand: 'visa', last4: '4242' };
}

/** The expiry a simulated test card shows (Stripe's test cards take any future date). */
export const SIMULATED_CARD_EXPIRY = { expMonth: 12, expYear: 2034 } as const;

interface SimulatedIntent {
  customerId: string | null;
  status: 'requires_payment_method' | 'succeeded' | 'canceled';
  paymentMethodId: string | null;
  metadata: Record<string, string>;
  amountMinor: number;
  currency: string;
}

export class SimulatedGateway implements PaymentGateway {
  readonly name = 'simulated' as const;
  readonly simulated = true;

  /** idempotency key → fingerprint of the operation and parameters it was first used with */
  private readonly keys = new Map<string, string>();
  private readonly charges = new Map<string, ChargeResult>();
  private readonly setupIntents = new Map<string, SimulatedIntent>();
  private readonly paymentIntents = new Map<string, SimulatedIntent>();
  /** payment id → amount refunded so far */
  private readonly refunded = new Map<string, number>();
  private readonly refunds = new Map<string, RefundResult>();
  /** payment id → the test card it was paid with (a refund of `pm_card_refundFail` fails) */
  private readonly paidWith = new Map<string, string>();
  /** customer id → the test cards saved on it through this instance's SetupIntents */
  private readonly saved = new Map<string, Set<string>>();

  async ensureCustomer(input: EnsureCustomerInput): Promise<{ customerId: string }> {
    if (input.existingCustomerId !== null) return { customerId: input.existingCustomerId };
    this.claimKey(input.idempotencyKey, 'customers.create', {
      contactId: input.contactId,
      email: input.email,
      name: input.name,
    });
    return { customerId: idFor('cus', input.idempotencyKey) };
  }

  async createSetupIntent(input: {
    customerId: string;
    idempotencyKey: string;
    metadata?: Record<string, string>;
  }): Promise<{ setupIntentId: string; clientSecret: string }> {
    this.claimKey(input.idempotencyKey, 'setup_intents.create', {
      customerId: input.customerId,
      metadata: sorted(input.metadata ?? {}),
    });
    const setupIntentId = idFor('seti', input.idempotencyKey);
    if (!this.setupIntents.has(setupIntentId)) {
      this.setupIntents.set(setupIntentId, {
        customerId: input.customerId,
        status: 'requires_payment_method',
        paymentMethodId: null,
        metadata: { ...(input.metadata ?? {}) },
        amountMinor: 0,
        currency: '',
      });
    }
    return { setupIntentId, clientSecret: `${setupIntentId}_secret_simulated` };
  }

  async retrieveSetupIntent(setupIntentId: string): Promise<SetupIntentView> {
    const intent = this.setupIntents.get(setupIntentId);
    if (!intent) throw this.unknown('SetupIntent', setupIntentId);
    return {
      setupIntentId,
      status: intent.status,
      customerId: intent.customerId,
      paymentMethodId: intent.paymentMethodId,
      metadata: { ...intent.metadata },
    };
  }

  /**
   * The simulated test-card form's "Save card": the card's outcome decides. A card that would need
   * authentication counts as authenticated on-session (the customer is present).
   */
  confirmSetupIntent(setupIntentId: string, paymentMethodId: string): { ok: true } | { ok: false; message: string } {
    const intent = this.setupIntents.get(setupIntentId);
    if (!intent) throw this.unknown('SetupIntent', setupIntentId);
    if (intent.status === 'succeeded') return { ok: true };
    const card = SIMULATED_TEST_CARDS[paymentMethodId] ?? { outcome: 'succeeded' };
    if (card.outcome === 'declined') return { ok: false, message: card.message };
    intent.status = 'succeeded';
    intent.paymentMethodId = paymentMethodId;
    if (intent.customerId)
      this.saved.set(intent.customerId, (this.saved.get(intent.customerId) ?? new Set()).add(paymentMethodId));
    return { ok: true };
  }

  /** The test cards saved on the customer here (a test card's expiry is shown as 12/2034). */
  async listCards(customerId: string): Promise<SavedCard[]> {
    return [...(this.saved.get(customerId) ?? [])].map((paymentMethodId) => ({
      paymentMethodId,
      ...simulatedCardDetails(paymentMethodId),
      ...SIMULATED_CARD_EXPIRY,
    }));
  }

  async detachCard(input: { paymentMethodId: string; idempotencyKey: string }): Promise<void> {
    this.claimKey(input.idempotencyKey, 'payment_methods.detach', { paymentMethodId: input.paymentMethodId });
    for (const cards of this.saved.values()) cards.delete(input.paymentMethodId);
  }

  async describeCard(paymentMethodId: string): Promise<{ brand: string; last4: string } | null> {
    return simulatedCardDetails(paymentMethodId);
  }

  async chargeOffSession(request: ChargeRequest): Promise<ChargeResult> {
    assertValidChargeRequest(request, this.name);
    this.claimKey(request.idempotencyKey, 'payment_intents.create', {
      amountMinor: request.amountMinor,
      currency: request.currency.toLowerCase(),
      customerId: request.customerId,
      paymentMethodId: request.paymentMethodId,
      description: request.description,
      metadata: sorted(request.metadata),
    });
    const existing = this.charges.get(request.idempotencyKey);
    if (existing) return { ...existing };
    const paymentId = idFor('pi', request.idempotencyKey);
    const card = SIMULATED_TEST_CARDS[request.paymentMethodId] ?? { outcome: 'succeeded' };
    let result: ChargeResult;
    switch (card.outcome) {
      case 'succeeded':
        result = { status: 'succeeded', paymentId };
        this.paidWith.set(paymentId, request.paymentMethodId);
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

  async createPaymentIntent(
    request: OnSessionPaymentRequest,
  ): Promise<{ paymentIntentId: string; clientSecret: string }> {
    assertValidChargeRequest({ ...request, paymentMethodId: 'on_session' }, this.name);
    this.claimKey(request.idempotencyKey, 'payment_intents.create', {
      amountMinor: request.amountMinor,
      currency: request.currency.toLowerCase(),
      customerId: request.customerId,
      description: request.description,
      metadata: sorted(request.metadata),
      saveCard: request.saveCard ?? false,
    });
    const paymentIntentId = idFor('pi', request.idempotencyKey);
    if (!this.paymentIntents.has(paymentIntentId)) {
      this.paymentIntents.set(paymentIntentId, {
        customerId: request.customerId,
        status: 'requires_payment_method',
        paymentMethodId: null,
        metadata: { ...request.metadata },
        amountMinor: request.amountMinor,
        currency: request.currency.toLowerCase(),
      });
    }
    return { paymentIntentId, clientSecret: `${paymentIntentId}_secret_simulated` };
  }

  /** The simulated test-card form's "Pay": the card's outcome decides (authentication counts as done). */
  confirmPaymentIntent(
    paymentIntentId: string,
    paymentMethodId: string,
  ): { ok: true } | { ok: false; message: string } {
    const intent = this.paymentIntents.get(paymentIntentId);
    if (!intent) throw this.unknown('PaymentIntent', paymentIntentId);
    if (intent.status === 'succeeded') return { ok: true };
    if (intent.status === 'canceled') return { ok: false, message: 'This payment was cancelled; please start again.' };
    const card = SIMULATED_TEST_CARDS[paymentMethodId] ?? { outcome: 'succeeded' };
    if (card.outcome === 'declined') return { ok: false, message: card.message };
    intent.status = 'succeeded';
    intent.paymentMethodId = paymentMethodId;
    this.paidWith.set(paymentIntentId, paymentMethodId);
    return { ok: true };
  }

  async retrievePaymentIntent(paymentIntentId: string): Promise<PaymentIntentView> {
    const intent = this.paymentIntents.get(paymentIntentId);
    if (!intent) throw this.unknown('PaymentIntent', paymentIntentId);
    return {
      paymentIntentId,
      status: intent.status,
      amountMinor: intent.amountMinor,
      currency: intent.currency,
      customerId: intent.customerId,
      paymentMethodId: intent.paymentMethodId,
      metadata: { ...intent.metadata },
    };
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    if (!Number.isSafeInteger(request.amountMinor) || request.amountMinor <= 0) {
      throw new PaymentGatewayError(`refund amount must be a positive whole number, got ${request.amountMinor}`, {
        kind: 'invalid_request',
        gateway: this.name,
      });
    }
    this.claimKey(request.idempotencyKey, 'refunds.create', {
      paymentId: request.paymentId,
      amountMinor: request.amountMinor,
      metadata: sorted(request.metadata),
    });
    const existing = this.refunds.get(request.idempotencyKey);
    if (existing) return { ...existing };
    const refundId = idFor('re', request.idempotencyKey);
    if (this.paidWith.get(request.paymentId) === 'pm_card_refundFail') {
      const failed: RefundResult = { refundId, status: 'failed', failureReason: SIMULATED_REFUND_FAILURE };
      this.refunds.set(request.idempotencyKey, failed);
      return { ...failed };
    }
    const result: RefundResult = { refundId, status: 'succeeded' };
    this.refunded.set(request.paymentId, (this.refunded.get(request.paymentId) ?? 0) + request.amountMinor);
    this.refunds.set(request.idempotencyKey, result);
    return { ...result };
  }

  async cancelPaymentIntent(input: { paymentIntentId: string; idempotencyKey: string }): Promise<void> {
    this.claimKey(input.idempotencyKey, 'payment_intents.cancel', { paymentIntentId: input.paymentIntentId });
    const intent = this.paymentIntents.get(input.paymentIntentId);
    if (!intent) throw this.unknown('PaymentIntent', input.paymentIntentId);
    if (intent.status === 'succeeded') {
      throw new PaymentGatewayError(
        `You cannot cancel this PaymentIntent because it has a status of succeeded (simulated gateway)`,
        { kind: 'invalid_request', gateway: this.name },
      );
    }
    intent.status = 'canceled';
  }

  private unknown(what: string, id: string): PaymentGatewayError {
    return new PaymentGatewayError(`No such ${what}: ${id} (simulated gateway)`, {
      kind: 'invalid_request',
      gateway: this.name,
    });
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

/** `sim_<kind>_<24 hex>` from the idempotency key: unique per key, the same in every process. */
function idFor(kind: 'cus' | 'seti' | 'pi' | 're', idempotencyKey: string): string {
  return `sim_${kind}_${createHash('sha256').update(`${kind}:${idempotencyKey}`).digest('hex').slice(0, 24)}`;
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
