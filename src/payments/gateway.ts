/**
 * The payment gateway the billing activities call: create a provider customer, start saving a card
 * (SetupIntent) and charge a saved card off-session. Implemented by `StripeGateway` and by the
 * deterministic in-memory `SimulatedGateway` (no keys configured, tests, demos).
 *
 * Error contract:
 * - A card outcome is RETURNED as a `ChargeResult`, never thrown: `declined` (dunning) or
 *   `requires_action` (the customer must come back on-session and authenticate).
 * - Everything else THROWS a `PaymentGatewayError`. `retryable: true` (network, timeouts, 5xx, rate
 *   limits, a concurrent request with the same idempotency key, a payment still `processing`) means
 *   "retry the activity with the SAME idempotency key"; `retryable: false` (invalid request, bad API
 *   key, an idempotency key reused with different parameters, an unexpected provider state) will not
 *   get better by retrying and should fail the activity non-retryably.
 */

export interface ChargeRequest {
  amountMinor: number;
  currency: string;
  customerId: string;
  paymentMethodId: string;
  description: string;
  idempotencyKey: string;
  metadata: Record<string, string>;
}

export type ChargeResult =
  | { status: 'succeeded'; paymentId: string }
  | { status: 'declined'; paymentId: string | null; declineCode: string | null; message: string }
  | { status: 'requires_action'; paymentId: string; clientSecret: string | null; message: string };

export interface EnsureCustomerInput {
  contactId: string;
  email: string;
  name: string;
  existingCustomerId: string | null;
  idempotencyKey: string;
}

/** A SetupIntent as the booking and card pages need it: did it succeed, and which card did it save. */
export interface SetupIntentView {
  setupIntentId: string;
  /** Stripe's status: `succeeded`, `processing`, `requires_payment_method`, `requires_action`, `canceled`, … */
  status: string;
  customerId: string | null;
  paymentMethodId: string | null;
  metadata: Record<string, string>;
}

/** A PaymentIntent created for the customer to confirm on-session (pay page, deposit). */
export interface PaymentIntentView {
  paymentIntentId: string;
  /** Stripe's status: `succeeded`, `processing`, `requires_payment_method`, `requires_action`, … */
  status: string;
  amountMinor: number;
  currency: string;
  customerId: string | null;
  paymentMethodId: string | null;
  metadata: Record<string, string>;
}

export interface OnSessionPaymentRequest {
  amountMinor: number;
  currency: string;
  customerId: string;
  description: string;
  idempotencyKey: string;
  metadata: Record<string, string>;
  /** Keep the card for later off-session charges (a deposit on a service that needs a card). */
  saveCard?: boolean;
}

export interface RefundRequest {
  /** The PaymentIntent (or simulated payment) to refund. */
  paymentId: string;
  amountMinor: number;
  idempotencyKey: string;
  metadata: Record<string, string>;
}

export interface RefundResult {
  refundId: string;
  status: 'succeeded' | 'pending' | 'failed';
  /** Why a failed refund failed, in the provider's words (Stripe's `failure_reason`). */
  failureReason?: string | null;
}

/** A card saved on a customer (the portal lists and removes them; issue 16). */
export interface SavedCard {
  paymentMethodId: string;
  brand: string;
  last4: string;
  expMonth: number | null;
  expYear: number | null;
}

export interface PaymentGateway {
  readonly name: 'stripe' | 'simulated';
  readonly simulated: boolean;
  ensureCustomer(input: EnsureCustomerInput): Promise<{ customerId: string }>;
  /** A SetupIntent for saving a card for off-session use (`usage: off_session`). */
  createSetupIntent(input: {
    customerId: string;
    idempotencyKey: string;
    metadata?: Record<string, string>;
  }): Promise<{ setupIntentId: string; clientSecret: string }>;
  retrieveSetupIntent(setupIntentId: string): Promise<SetupIntentView>;
  /** The card's brand and last four digits, for the customer's and staff's views. */
  describeCard(paymentMethodId: string): Promise<{ brand: string; last4: string } | null>;
  chargeOffSession(request: ChargeRequest): Promise<ChargeResult>;
  /** A PaymentIntent the customer confirms on-session with the Payment Element (cards and wallets). */
  createPaymentIntent(request: OnSessionPaymentRequest): Promise<{ paymentIntentId: string; clientSecret: string }>;
  retrievePaymentIntent(paymentIntentId: string): Promise<PaymentIntentView>;
  /**
   * Cancels a PaymentIntent nobody paid (an abandoned deposit), so it can no longer be paid. Throws a
   * non-retryable `invalid_request` when it cannot be cancelled (it succeeded meanwhile). Optional: a
   * gateway without it leaves such intents as they are.
   */
  cancelPaymentIntent?(input: { paymentIntentId: string; idempotencyKey: string }): Promise<void>;
  refund(request: RefundRequest): Promise<RefundResult>;
  /** The cards saved on the customer. */
  listCards(customerId: string): Promise<SavedCard[]>;
  /** Removes a saved card from its customer (Stripe: detach), once per idempotency key. */
  detachCard(input: { paymentMethodId: string; idempotencyKey: string }): Promise<void>;
}

export type PaymentGatewayErrorKind =
  /** Network failure, timeout, 5xx, rate limit, concurrent use of the idempotency key. Retry. */
  | 'transient'
  /** The payment is still `processing`; retrying with the same key re-reads its state. Retry. */
  | 'pending'
  /** The request was refused as invalid (bad amount, unknown customer, …). Do not retry. */
  | 'invalid_request'
  /** The provider rejected the API key or its permissions. Do not retry. */
  | 'authentication'
  /** The idempotency key was already used with different parameters. Do not retry. */
  | 'idempotency_mismatch'
  /** The provider answered with something this adapter does not understand. Do not retry. */
  | 'unexpected';

export class PaymentGatewayError extends Error {
  override readonly name = 'PaymentGatewayError';
  readonly kind: PaymentGatewayErrorKind;
  /** Whether retrying the same call with the same idempotency key can succeed. */
  readonly retryable: boolean;
  readonly gateway: PaymentGateway['name'];
  /** The provider's request id, for support, when known. */
  readonly requestId: string | null;
  /** The provider's HTTP status, when there was one. */
  readonly statusCode: number | null;

  constructor(
    message: string,
    details: {
      kind: PaymentGatewayErrorKind;
      gateway: PaymentGateway['name'];
      retryable?: boolean;
      requestId?: string | null;
      statusCode?: number | null;
      cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.retryable = details.retryable ?? (details.kind === 'transient' || details.kind === 'pending');
    this.gateway = details.gateway;
    this.requestId = details.requestId ?? null;
    this.statusCode = details.statusCode ?? null;
  }
}

/** True for errors a retry (same idempotency key) may cure; unknown errors count as retryable. */
export function isRetryablePaymentError(error: unknown): boolean {
  return error instanceof PaymentGatewayError ? error.retryable : true;
}

/** Checks a charge request before it reaches a provider; throws a non-retryable `invalid_request`. */
export function assertValidChargeRequest(request: ChargeRequest, gateway: PaymentGateway['name']): void {
  const problem = chargeRequestProblem(request);
  if (problem !== null) {
    throw new PaymentGatewayError(`invalid charge request: ${problem}`, { kind: 'invalid_request', gateway });
  }
}

function chargeRequestProblem(request: ChargeRequest): string | null {
  if (!Number.isSafeInteger(request.amountMinor) || request.amountMinor <= 0) {
    return `amountMinor must be a positive whole number, got ${request.amountMinor}`;
  }
  if (!/^[A-Za-z]{3}$/.test(request.currency)) return `currency must be a 3-letter code, got ${request.currency}`;
  if (request.customerId.trim() === '') return 'customerId is required';
  if (request.paymentMethodId.trim() === '') return 'paymentMethodId is required';
  if (request.idempotencyKey.trim() === '' || request.idempotencyKey.length > 255) {
    return 'idempotencyKey must be 1 to 255 characters';
  }
  return null;
}
