/**
 * The real `stripe` SDK against a local HTTP server that answers like the Stripe API (request shape,
 * status codes and error bodies as documented at https://docs.stripe.com/api/errors), so the
 * adapter's request building and outcome mapping are tested end to end without network access.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { isRetryablePaymentError, PaymentGatewayError, type ChargeRequest } from '../../../src/payments/gateway';
import { parseApiBase, StripeGateway } from '../../../src/payments/stripe-gateway';

const SECRET_KEY = 'sk_test_appointflow_123';

interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  form: URLSearchParams;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

const requests: RecordedRequest[] = [];
let server: Server;
let apiBase: string;

const paymentIntent = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
  id,
  object: 'payment_intent',
  amount: 4500,
  currency: 'usd',
  status,
  client_secret: `${id}_secret_abc`,
  last_payment_error: null,
  ...extra,
});

const cardError = (code: string, declineCode: string | null, message: string, intent: unknown) => ({
  error: {
    type: 'card_error',
    code,
    ...(declineCode === null ? {} : { decline_code: declineCode }),
    message,
    doc_url: `https://docs.stripe.com/error-codes/${code.replace(/_/g, '-')}`,
    ...(intent === null ? {} : { payment_intent: intent }),
  },
});

/** What the fake Stripe answers, by path and (for payment intents) by payment method. */
function answer(request: RecordedRequest): Reply {
  if (request.headers.authorization !== `Bearer ${SECRET_KEY}`) {
    return {
      status: 401,
      body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****' } },
    };
  }
  if (request.method === 'POST' && typeof request.headers['idempotency-key'] !== 'string') {
    return { status: 400, body: { error: { type: 'invalid_request_error', message: 'no Idempotency-Key' } } };
  }
  if (request.method === 'POST' && request.path === '/v1/customers') {
    return {
      status: 200,
      body: {
        id: 'cus_123',
        object: 'customer',
        email: request.form.get('email'),
        name: request.form.get('name'),
        metadata: { contactId: request.form.get('metadata[contactId]') },
      },
    };
  }
  if (request.method === 'POST' && request.path === '/v1/setup_intents') {
    return {
      status: 200,
      body: {
        id: 'seti_123',
        object: 'setup_intent',
        customer: request.form.get('customer'),
        usage: request.form.get('usage'),
        status: 'requires_payment_method',
        client_secret: request.form.get('customer') === 'cus_nosecret' ? null : 'seti_123_secret_xyz',
      },
    };
  }
  if (request.method === 'GET' && request.path === '/v1/payment_intents/pi_processing') {
    return { status: 200, body: paymentIntent('pi_processing', 'succeeded') };
  }
  if (request.method === 'GET' && request.path === '/v1/payment_intents/pi_stuck') {
    return { status: 200, body: paymentIntent('pi_stuck', 'processing') };
  }
  if (request.method === 'POST' && request.path === '/v1/payment_intents') {
    switch (request.form.get('payment_method')) {
      case 'pm_card_visa':
        return { status: 200, body: paymentIntent('pi_ok', 'succeeded') };
      case 'pm_insufficient':
        // Stripe's documented card error body, verbatim.
        return {
          status: 402,
          body: {
            error: {
              type: 'card_error',
              code: 'card_declined',
              decline_code: 'insufficient_funds',
              message: 'Your card has insufficient funds.',
              payment_intent: { id: 'pi_123', object: 'payment_intent', status: 'requires_payment_method' },
            },
          },
        };
      case 'pm_expired':
        return {
          status: 402,
          body: cardError(
            'expired_card',
            'expired_card',
            'Your card has expired.',
            paymentIntent('pi_exp', 'requires_payment_method'),
          ),
        };
      case 'pm_cvc':
        return { status: 402, body: cardError('incorrect_cvc', null, "Your card's security code is incorrect.", null) };
      case 'pm_auth':
        return {
          status: 402,
          body: cardError(
            'authentication_required',
            'authentication_required',
            'Your card was declined. This transaction requires authentication.',
            paymentIntent('pi_auth', 'requires_action', { client_secret: 'pi_auth_secret_xyz' }),
          ),
        };
      case 'pm_auth_no_intent':
        return {
          status: 402,
          body: cardError('authentication_required', 'authentication_required', 'Authentication required.', null),
        };
      case 'pm_requires_action':
        return { status: 200, body: paymentIntent('pi_action', 'requires_action') };
      case 'pm_failed_200':
        return {
          status: 200,
          body: paymentIntent('pi_failed', 'requires_payment_method', {
            last_payment_error: {
              type: 'card_error',
              code: 'card_declined',
              decline_code: 'do_not_honor',
              message: 'Your card was declined.',
            },
          }),
        };
      case 'pm_processing':
        return { status: 200, body: paymentIntent('pi_processing', 'processing') };
      case 'pm_stuck':
        return { status: 200, body: paymentIntent('pi_stuck', 'processing') };
      case 'pm_capture':
        return { status: 200, body: paymentIntent('pi_capture', 'requires_capture') };
      case 'pm_500':
        return { status: 500, body: { error: { type: 'api_error', message: 'An unknown error occurred' } } };
      case 'pm_500_replayed':
        return {
          status: 500,
          body: { error: { type: 'api_error', message: 'An unknown error occurred' } },
          headers: { 'stripe-should-retry': 'false' },
        };
      case 'pm_503':
        return { status: 503, body: { error: { type: 'api_error', message: 'Service unavailable' } } };
      case 'pm_429':
        return {
          status: 429,
          body: { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' } },
        };
      case 'pm_in_progress':
        return {
          status: 409,
          body: {
            error: {
              type: 'idempotency_error',
              code: 'idempotency_key_in_use',
              message:
                'There is currently another in-progress request using this Idempotent Key. Please try again later.',
            },
          },
        };
      case 'pm_reused_key':
        return {
          status: 400,
          body: {
            error: {
              type: 'idempotency_error',
              message:
                'Keys for idempotent requests can only be used with the same parameters they were first used with.',
            },
          },
        };
      case 'pm_missing':
        return {
          status: 400,
          body: {
            error: {
              type: 'invalid_request_error',
              code: 'resource_missing',
              param: 'payment_method',
              message: "No such PaymentMethod: 'pm_missing'",
            },
          },
        };
      case 'pm_slow':
        return { status: 200, body: paymentIntent('pi_slow', 'succeeded'), delayMs: 2_000 };
      case 'pm_garbage':
        return { status: 200, body: '<html>not json</html>' };
    }
  }
  return {
    status: 404,
    body: {
      error: {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${request.method}: ${request.path})`,
      },
    },
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        headers: req.headers,
        form: new URLSearchParams(req.method === 'GET' ? url.search : body),
      };
      requests.push(recorded);
      const reply = answer(recorded);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status, {
          'content-type': 'application/json',
          'request-id': 'req_test_1',
          ...reply.headers,
        });
        res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
      };
      if (reply.delayMs === undefined) send();
      else setTimeout(send, reply.delayMs).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  apiBase = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests.length = 0;
});

const gateway = (options: { secretKey?: string; timeoutMs?: number } = {}) =>
  new StripeGateway({ secretKey: options.secretKey ?? SECRET_KEY, apiBase, timeoutMs: options.timeoutMs ?? 5_000 });

const charge = (paymentMethodId: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
  amountMinor: 4500,
  currency: 'USD',
  customerId: 'cus_123',
  paymentMethodId,
  description: 'Invoice #1001 — Repair',
  idempotencyKey: `appointment:a1:charge:1:${paymentMethodId}`,
  metadata: { invoiceId: 'inv_1', appointmentId: 'a1' },
  ...overrides,
});

async function gatewayError(promise: Promise<unknown>): Promise<PaymentGatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PaymentGatewayError) return error;
    throw error;
  }
  throw new Error('expected a PaymentGatewayError');
}

function onlyRequest(): RecordedRequest {
  expect(requests).toHaveLength(1);
  const [request] = requests;
  if (!request) throw new Error('no request');
  return request;
}

describe('StripeGateway.chargeOffSession', () => {
  it('creates and confirms an off-session PaymentIntent and maps succeeded', async () => {
    const result = await gateway().chargeOffSession(charge('pm_card_visa'));
    expect(result).toEqual({ status: 'succeeded', paymentId: 'pi_ok' });

    const request = onlyRequest();
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/payment_intents');
    expect(request.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(request.headers['idempotency-key']).toBe('appointment:a1:charge:1:pm_card_visa');
    expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(request.form)).toEqual({
      amount: '4500',
      currency: 'usd',
      customer: 'cus_123',
      payment_method: 'pm_card_visa',
      'allowed_payment_method_types[0]': 'card',
      off_session: 'true',
      confirm: 'true',
      description: 'Invoice #1001 — Repair',
      'metadata[invoiceId]': 'inv_1',
      'metadata[appointmentId]': 'a1',
    });
  });

  it('returns a card_declined error as declined with its decline code and PaymentIntent', async () => {
    expect(await gateway().chargeOffSession(charge('pm_insufficient'))).toEqual({
      status: 'declined',
      paymentId: 'pi_123',
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    });
  });

  it('returns other card errors as declined, falling back to the error code', async () => {
    expect(await gateway().chargeOffSession(charge('pm_expired'))).toEqual({
      status: 'declined',
      paymentId: 'pi_exp',
      declineCode: 'expired_card',
      message: 'Your card has expired.',
    });
    expect(await gateway().chargeOffSession(charge('pm_cvc'))).toEqual({
      status: 'declined',
      paymentId: null,
      declineCode: 'incorrect_cvc',
      message: "Your card's security code is incorrect.",
    });
  });

  it('returns authentication_required as requires_action with the PaymentIntent and its client secret', async () => {
    expect(await gateway().chargeOffSession(charge('pm_auth'))).toEqual({
      status: 'requires_action',
      paymentId: 'pi_auth',
      clientSecret: 'pi_auth_secret_xyz',
      message: 'Your card was declined. This transaction requires authentication.',
    });
    expect(await gateway().chargeOffSession(charge('pm_auth_no_intent'))).toEqual({
      status: 'declined',
      paymentId: null,
      declineCode: 'authentication_required',
      message: 'Authentication required.',
    });
  });

  it('maps PaymentIntent statuses returned with 200', async () => {
    expect(await gateway().chargeOffSession(charge('pm_requires_action'))).toEqual({
      status: 'requires_action',
      paymentId: 'pi_action',
      clientSecret: 'pi_action_secret_abc',
      message: expect.any(String),
    });
    expect(await gateway().chargeOffSession(charge('pm_failed_200'))).toEqual({
      status: 'declined',
      paymentId: 'pi_failed',
      declineCode: 'do_not_honor',
      message: 'Your card was declined.',
    });
    const unexpected = await gatewayError(gateway().chargeOffSession(charge('pm_capture')));
    expect(unexpected).toMatchObject({ kind: 'unexpected', retryable: false });
  });

  it('re-reads a processing PaymentIntent, and throws a retryable pending error while it stays processing', async () => {
    expect(await gateway().chargeOffSession(charge('pm_processing'))).toEqual({
      status: 'succeeded',
      paymentId: 'pi_processing',
    });
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/payment_intents',
      'GET /v1/payment_intents/pi_processing',
    ]);

    const pending = await gatewayError(gateway().chargeOffSession(charge('pm_stuck')));
    expect(pending).toMatchObject({ kind: 'pending', retryable: true, gateway: 'stripe' });
  });

  it('throws a retryable error for a 500, without retrying in the SDK', async () => {
    const error = await gatewayError(gateway().chargeOffSession(charge('pm_500')));
    expect(error).toMatchObject({ kind: 'transient', retryable: true, statusCode: 500, requestId: 'req_test_1' });
    expect(error.message).toMatch(/An unknown error occurred/);
    expect(isRetryablePaymentError(error)).toBe(true);
    expect(requests).toHaveLength(1); // maxNetworkRetries: 0 — Temporal retries the activity
  });

  it('does not retry a 500 that Stripe says would only be replayed', async () => {
    const error = await gatewayError(gateway().chargeOffSession(charge('pm_500_replayed')));
    expect(error).toMatchObject({ kind: 'transient', retryable: false, statusCode: 500 });
  });

  it.each([
    ['pm_503', 503],
    ['pm_429', 429],
    ['pm_in_progress', 409],
  ])('throws a retryable transient error for %s', async (paymentMethodId, statusCode) => {
    const error = await gatewayError(gateway().chargeOffSession(charge(paymentMethodId)));
    expect(error).toMatchObject({ kind: 'transient', retryable: true, statusCode });
  });

  it('throws non-retryable errors for requests that cannot succeed', async () => {
    expect(await gatewayError(gateway().chargeOffSession(charge('pm_reused_key')))).toMatchObject({
      kind: 'idempotency_mismatch',
      retryable: false,
      statusCode: 400,
    });
    expect(await gatewayError(gateway().chargeOffSession(charge('pm_missing')))).toMatchObject({
      kind: 'invalid_request',
      retryable: false,
    });
    expect(
      await gatewayError(gateway({ secretKey: 'sk_test_wrong' }).chargeOffSession(charge('pm_card_visa'))),
    ).toMatchObject({ kind: 'authentication', retryable: false, statusCode: 401 });
  });

  it('refuses an invalid charge request before calling Stripe', async () => {
    const error = await gatewayError(gateway().chargeOffSession(charge('pm_card_visa', { amountMinor: 0 })));
    expect(error).toMatchObject({ kind: 'invalid_request', retryable: false });
    expect(requests).toHaveLength(0);
  });

  it('throws a retryable error on a timeout or an unreadable response', async () => {
    const timeout = await gatewayError(gateway({ timeoutMs: 200 }).chargeOffSession(charge('pm_slow')));
    expect(timeout).toMatchObject({ kind: 'transient', retryable: true });
    const garbage = await gatewayError(gateway().chargeOffSession(charge('pm_garbage')));
    expect(garbage).toMatchObject({ kind: 'transient', retryable: true });
  });

  it('throws a retryable error when Stripe cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = new StripeGateway({ secretKey: SECRET_KEY, apiBase: `http://127.0.0.1:${address.port}` });
    const error = await gatewayError(unreachable.chargeOffSession(charge('pm_card_visa')));
    expect(error).toMatchObject({ kind: 'transient', retryable: true, statusCode: null });
  });
});

describe('StripeGateway customers and setup intents', () => {
  const input = { contactId: 'c1', email: 'pat@example.com', name: 'Pat Doe', existingCustomerId: null };

  it('returns an existing customer without calling Stripe', async () => {
    expect(
      await gateway().ensureCustomer({ ...input, existingCustomerId: 'cus_known', idempotencyKey: 'customer:c1' }),
    ).toEqual({ customerId: 'cus_known' });
    expect(requests).toHaveLength(0);
  });

  it('creates a customer with the contact id in metadata', async () => {
    expect(await gateway().ensureCustomer({ ...input, idempotencyKey: 'customer:c1' })).toEqual({
      customerId: 'cus_123',
    });
    const request = onlyRequest();
    expect(request).toMatchObject({ method: 'POST', path: '/v1/customers' });
    expect(request.headers['idempotency-key']).toBe('customer:c1');
    expect(Object.fromEntries(request.form)).toEqual({
      email: 'pat@example.com',
      name: 'Pat Doe',
      'metadata[contactId]': 'c1',
    });
  });

  it('creates an off-session card SetupIntent', async () => {
    expect(await gateway().createSetupIntent({ customerId: 'cus_123', idempotencyKey: 'setup:c1:1' })).toEqual({
      setupIntentId: 'seti_123',
      clientSecret: 'seti_123_secret_xyz',
    });
    const request = onlyRequest();
    expect(request).toMatchObject({ method: 'POST', path: '/v1/setup_intents' });
    expect(request.headers['idempotency-key']).toBe('setup:c1:1');
    expect(Object.fromEntries(request.form)).toEqual({
      customer: 'cus_123',
      usage: 'off_session',
      'allowed_payment_method_types[0]': 'card',
    });
    const noSecret = await gatewayError(
      gateway().createSetupIntent({ customerId: 'cus_nosecret', idempotencyKey: 'setup:c2:1' }),
    );
    expect(noSecret.kind).toBe('unexpected');
  });

  it('throws gateway errors for failed calls', async () => {
    const error = await gatewayError(
      gateway({ secretKey: 'sk_test_wrong' }).ensureCustomer({ ...input, idempotencyKey: 'customer:c9' }),
    );
    expect(error).toMatchObject({ kind: 'authentication', retryable: false });
  });
});

describe('parseApiBase', () => {
  it('splits a base URL into the SDK host, port and protocol', () => {
    expect(parseApiBase('http://127.0.0.1:12111')).toEqual({ host: '127.0.0.1', port: 12111, protocol: 'http' });
    expect(parseApiBase('https://api.stripe.com')).toEqual({ host: 'api.stripe.com', port: 443, protocol: 'https' });
    expect(parseApiBase('http://localhost/')).toEqual({ host: 'localhost', port: 80, protocol: 'http' });
    expect(parseApiBase('http://[::1]:12111')).toEqual({ host: '::1', port: 12111, protocol: 'http' });
  });

  it('refuses what the SDK cannot use', () => {
    expect(() => parseApiBase('not a url')).toThrow(/not a URL/);
    expect(() => parseApiBase('ftp://example.com')).toThrow(/http or https/);
    expect(() => parseApiBase('https://example.com/stripe')).toThrow(/scheme, host and port only/);
  });

  it('requires a secret key', () => {
    expect(() => new StripeGateway({ secretKey: ' ' })).toThrow(/secret key/);
  });
});
