/**
 * The Stripe implementation of `PaymentGateway`, on the official `stripe` SDK. The SDK's own network
 * retries are off (`maxNetworkRetries: 0`): Temporal retries the activity, always with the same
 * idempotency key, so a retry never charges twice. `apiBase` points the SDK elsewhere, e.g. at
 * stripe-mock (`http://127.0.0.1:12111`) or a test server.
 *
 * Charge outcome mapping (the error contract is in `gateway.ts`):
 * - PaymentIntent `succeeded` → `succeeded`.
 * - Card error (HTTP 402) with code or decline code `authentication_required` → `requires_action`
 *   with the error's PaymentIntent id and client secret: the customer comes back on-session and
 *   confirms that PaymentIntent with its payment method (Stripe leaves such an off-session intent in
 *   `requires_payment_method`; its client secret is what the on-session confirmation needs). Without
 *   a PaymentIntent on the error it is a `declined` with code `authentication_required`.
 * - Any other card error → `declined`, `declineCode` = the error's `decline_code`, else its `code`
 *   (e.g. `expired_card`, `incorrect_cvc`), `paymentId` = the error's PaymentIntent id if any.
 * - PaymentIntent `requires_action` → `requires_action`; `requires_payment_method` → mapped from
 *   `last_payment_error` like a card error.
 * - PaymentIntent `processing`: the outcome is not known yet. The intent is re-read once; if it is
 *   still processing a retryable `pending` error is thrown. Retrying is cheap and safe: Stripe replays
 *   the saved create response for the same idempotency key (no second charge) and the re-read then
 *   sees the current state. (Card payments rarely stay in `processing`.)
 * - Connection errors, timeouts, 409 / `idempotency_key_in_use` (a concurrent request with the same
 *   idempotency key), `lock_timeout`, 424, 429 and 5xx throw a retryable `transient` error, unless Stripe answered `Stripe-Should-Retry: false`
 *   (it would only replay the same failure). 400/404 → `invalid_request`, an idempotency key reused
 *   with other parameters → `idempotency_mismatch`, 401/403 → `authentication`: not retryable.
 */
import Stripe from 'stripe';
import {
  assertValidChargeRequest,
  PaymentGatewayError,
  type ChargeRequest,
  type ChargeResult,
  type EnsureCustomerInput,
  type OnSessionPaymentRequest,
  type PaymentGateway,
  type PaymentGatewayErrorKind,
  type PaymentIntentView,
  type RefundRequest,
  type RefundResult,
  type SavedCard,
  type SetupIntentView,
} from './gateway';

export interface StripeGatewayOptions {
  secretKey: string;
  /** Another API base URL, e.g. `http://127.0.0.1:12111` for stripe-mock; default `https://api.stripe.com`. */
  apiBase?: string;
  /** Per-request timeout; keep it below the activity's start-to-close timeout. Default 30 s. */
  timeoutMs?: number;
}

export const DEFAULT_STRIPE_TIMEOUT_MS = 30_000;

/** Host, port and protocol for the Stripe SDK from a base URL such as `http://127.0.0.1:12111`. */
export function parseApiBase(apiBase: string): { host: string; port: number; protocol: Stripe.HttpProtocol } {
  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    throw new Error(`Stripe apiBase is not a URL: ${apiBase}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Stripe apiBase must be http or https: ${apiBase}`);
  }
  if (url.pathname !== '/' || url.search !== '' || url.username !== '') {
    throw new Error(`Stripe apiBase must be scheme, host and port only: ${apiBase}`);
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const port = url.port === '' ? (protocol === 'http' ? 80 : 443) : Number(url.port);
  // URL keeps IPv6 literals bracketed; the SDK hands the host to Node's http module, which wants them bare.
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, protocol };
}

export class StripeGateway implements PaymentGateway {
  readonly name = 'stripe' as const;
  readonly simulated = false;
  private readonly stripe: Stripe;

  constructor(options: StripeGatewayOptions) {
    if (options.secretKey.trim() === '') throw new Error('a Stripe secret key is required');
    this.stripe = new Stripe(options.secretKey, {
      ...(options.apiBase === undefined ? {} : parseApiBase(options.apiBase)),
      maxNetworkRetries: 0,
      timeout: options.timeoutMs ?? DEFAULT_STRIPE_TIMEOUT_MS,
      appInfo: { name: 'appointflow' },
    });
  }

  async ensureCustomer(input: EnsureCustomerInput): Promise<{ customerId: string }> {
    if (input.existingCustomerId !== null) return { customerId: input.existingCustomerId };
    try {
      const customer = await this.stripe.customers.create(
        { email: input.email, name: input.name, metadata: { contactId: input.contactId } },
        { idempotencyKey: input.idempotencyKey },
      );
      return { customerId: customer.id };
    } catch (error) {
      throw toGatewayError(error);
    }
  }

  async createSetupIntent(input: {
    customerId: string;
    idempotencyKey: string;
    metadata?: Record<string, string>;
  }): Promise<{ setupIntentId: string; clientSecret: string }> {
    let setupIntent: Stripe.SetupIntent;
    try {
      setupIntent = await this.stripe.setupIntents.create(
        {
          customer: input.customerId,
          usage: 'off_session',
          allowed_payment_method_types: ['card'],
          ...(input.metadata ? { metadata: input.metadata } : {}),
        },
        { idempotencyKey: input.idempotencyKey },
      );
    } catch (error) {
      throw toGatewayError(error);
    }
    if (!setupIntent.client_secret) {
      throw new PaymentGatewayError(`SetupIntent ${setupIntent.id} came back without a client secret`, {
        kind: 'unexpected',
        gateway: 'stripe',
      });
    }
    return { setupIntentId: setupIntent.id, clientSecret: setupIntent.client_secret };
  }

  async retrieveSetupIntent(setupIntentId: string): Promise<SetupIntentView> {
    let intent: Stripe.SetupIntent;
    try {
      intent = await this.stripe.setupIntents.retrieve(setupIntentId);
    } catch (error) {
      throw toGatewayError(error);
    }
    return {
      setupIntentId: intent.id,
      status: intent.status,
      customerId: idOf(intent.customer),
      paymentMethodId: idOf(intent.payment_method),
      metadata: { ...(intent.metadata ?? {}) },
    };
  }

  async listCards(customerId: string): Promise<SavedCard[]> {
    try {
      const methods = await this.stripe.customers.listPaymentMethods(customerId, { type: 'card', limit: 20 });
      return methods.data.flatMap((m) =>
        m.card
          ? [
              {
                paymentMethodId: m.id,
                brand: m.card.brand,
                last4: m.card.last4,
                expMonth: m.card.exp_month,
                expYear: m.card.exp_year,
              },
            ]
          : [],
      );
    } catch (error) {
      throw toGatewayError(error);
    }
  }

  async detachCard(input: { paymentMethodId: string; idempotencyKey: string }): Promise<void> {
    try {
      await this.stripe.paymentMethods.detach(input.paymentMethodId, {}, { idempotencyKey: input.idempotencyKey });
    } catch (error) {
      throw toGatewayError(error);
    }
  }

  async describeCard(paymentMethodId: string): Promise<{ brand: string; last4: string } | null> {
    try {
      const method = await this.stripe.paymentMethods.retrieve(paymentMethodId);
      return method.card ? { brand: method.card.brand, last4: method.card.last4 } : null;
    } catch (error) {
      throw toGatewayError(error);
    }
  }

  async createPaymentIntent(
    request: OnSessionPaymentRequest,
  ): Promise<{ paymentIntentId: string; clientSecret: string }> {
    assertValidChargeRequest({ ...request, paymentMethodId: 'on_session' }, this.name);
    let intent: Stripe.PaymentIntent;
    try {
      intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amountMinor,
          currency: request.currency.toLowerCase(),
          customer: request.customerId,
          description: request.description,
          metadata: request.metadata,
          // Cards and wallets (Apple Pay, Google Pay, Link) as configured in the Stripe Dashboard.
          automatic_payment_methods: { enabled: true },
          ...(request.saveCard ? { setup_future_usage: 'off_session' as const } : {}),
        },
        { idempotencyKey: request.idempotencyKey },
      );
    } catch (error) {
      throw toGatewayError(error);
    }
    if (!intent.client_secret) {
      throw new PaymentGatewayError(`PaymentIntent ${intent.id} came back without a client secret`, {
        kind: 'unexpected',
        gateway: 'stripe',
      });
    }
    return { paymentIntentId: intent.id, clientSecret: intent.client_secret };
  }

  async retrievePaymentIntent(paymentIntentId: string): Promise<PaymentIntentView> {
    let intent: Stripe.PaymentIntent;
    try {
      intent = await this.stripe.paymentIntents.retrieve(paymentIntentId);
    } catch (error) {
      throw toGatewayError(error);
    }
    return {
      paymentIntentId: intent.id,
      status: intent.status,
      amountMinor: intent.amount,
      currency: intent.currency,
      customerId: idOf(intent.customer),
      paymentMethodId: idOf(intent.payment_method),
      metadata: { ...(intent.metadata ?? {}) },
    };
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    let refund: Stripe.Refund;
    try {
      refund = await this.stripe.refunds.create(
        { payment_intent: request.paymentId, amount: request.amountMinor, metadata: request.metadata },
        { idempotencyKey: request.idempotencyKey },
      );
    } catch (error) {
      throw toGatewayError(error);
    }
    const status =
      refund.status === 'succeeded'
        ? 'succeeded'
        : refund.status === 'failed' || refund.status === 'canceled'
          ? 'failed'
          : 'pending';
    return { refundId: refund.id, status, failureReason: refund.failure_reason ?? null };
  }

  async cancelPaymentIntent(input: { paymentIntentId: string; idempotencyKey: string }): Promise<void> {
    try {
      await this.stripe.paymentIntents.cancel(
        input.paymentIntentId,
        { cancellation_reason: 'abandoned' },
        { idempotencyKey: input.idempotencyKey },
      );
    } catch (error) {
      throw toGatewayError(error);
    }
  }

  async chargeOffSession(request: ChargeRequest): Promise<ChargeResult> {
    assertValidChargeRequest(request, this.name);
    let intent: Stripe.PaymentIntent;
    try {
      intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amountMinor,
          currency: request.currency.toLowerCase(),
          customer: request.customerId,
          payment_method: request.paymentMethodId,
          // Cards only: no redirect-based methods, which an off-session confirmation could not complete.
          // (stripe v23 / API 2026-09-30 renamed `payment_method_types` to `allowed_payment_method_types`.)
          allowed_payment_method_types: ['card'],
          off_session: true,
          confirm: true,
          description: request.description,
          metadata: request.metadata,
        },
        { idempotencyKey: request.idempotencyKey },
      );
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) return cardErrorResult(error);
      throw toGatewayError(error);
    }
    if (intent.status === 'processing') {
      try {
        intent = await this.stripe.paymentIntents.retrieve(intent.id);
      } catch (error) {
        throw toGatewayError(error);
      }
    }
    return intentResult(intent);
  }
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : value.id;
}

function intentResult(intent: Stripe.PaymentIntent): ChargeResult {
  switch (intent.status) {
    case 'succeeded':
      return { status: 'succeeded', paymentId: intent.id };
    case 'requires_action':
      return {
        status: 'requires_action',
        paymentId: intent.id,
        clientSecret: intent.client_secret,
        message: 'The payment needs the customer to authenticate it.',
      };
    case 'requires_payment_method': {
      const failure = intent.last_payment_error;
      return failureResult(
        intent,
        failure?.code ?? null,
        failure?.decline_code ?? null,
        failure?.message ?? 'The payment failed.',
      );
    }
    case 'processing':
      throw new PaymentGatewayError(`PaymentIntent ${intent.id} is still processing`, {
        kind: 'pending',
        gateway: 'stripe',
      });
    default:
      throw new PaymentGatewayError(`PaymentIntent ${intent.id} is in an unexpected state: ${intent.status}`, {
        kind: 'unexpected',
        gateway: 'stripe',
      });
  }
}

function cardErrorResult(error: Stripe.errors.StripeCardError): ChargeResult {
  // The SDK types decline_code as always present; when Stripe sends none (e.g. incorrect_cvc) the
  // SDK's StripeCardError has an empty string there.
  const declineCode: string | undefined = error.decline_code;
  return failureResult(error.payment_intent ?? null, error.code || null, declineCode || null, error.message);
}

function failureResult(
  intent: Stripe.PaymentIntent | null,
  code: string | null,
  declineCode: string | null,
  message: string,
): ChargeResult {
  if (code === 'authentication_required' || declineCode === 'authentication_required') {
    if (intent) return { status: 'requires_action', paymentId: intent.id, clientSecret: intent.client_secret, message };
    return { status: 'declined', paymentId: null, declineCode: 'authentication_required', message };
  }
  return { status: 'declined', paymentId: intent?.id ?? null, declineCode: declineCode || code || null, message };
}

/** Any failure other than a card outcome, as a `PaymentGatewayError` that says whether to retry. */
function toGatewayError(error: unknown): PaymentGatewayError {
  if (error instanceof PaymentGatewayError) return error;
  if (!(error instanceof Stripe.errors.StripeError)) {
    return new PaymentGatewayError(`Stripe call failed: ${error instanceof Error ? error.message : String(error)}`, {
      kind: 'unexpected',
      gateway: 'stripe',
      cause: error,
    });
  }
  const status = error.statusCode ?? null;
  let kind: PaymentGatewayErrorKind;
  if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeRateLimitError) {
    kind = 'transient';
  } else if (error.code === 'idempotency_key_in_use' || error.code === 'lock_timeout') {
    kind = 'transient'; // another request with this key (or on this object) is still in flight
  } else if (error instanceof Stripe.errors.StripeIdempotencyError) {
    kind = 'idempotency_mismatch';
  } else if (status === 409 || status === 424 || status === 429 || (status !== null && status >= 500)) {
    kind = 'transient';
  } else if (
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  ) {
    kind = 'authentication';
  } else if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    kind = 'invalid_request';
  } else if (error instanceof Stripe.errors.StripeAPIError && status === null) {
    kind = 'transient'; // e.g. an unreadable response body
  } else {
    kind = 'unexpected';
  }
  const replayOnly = error.headers?.['stripe-should-retry'] === 'false';
  return new PaymentGatewayError(`Stripe: ${error.message}`, {
    kind,
    gateway: 'stripe',
    retryable: kind === 'transient' && !replayOnly,
    requestId: error.requestId ?? null,
    statusCode: status,
    cause: error,
  });
}
