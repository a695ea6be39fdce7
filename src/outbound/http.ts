/**
 * The one HTTP client of outbound delivery: a request with a timeout, the response read whole, and
 * the translation of a failed call into an `OutboundError` that says whether a retry can help.
 */

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  text: string;
}

export type Http = (request: HttpRequest) => Promise<HttpResponse>;

/** A failed outbound call. `retryable: false` ends the delivery (a 4xx that another try cannot fix). */
export class OutboundError extends Error {
  override name = 'OutboundError';
  constructor(
    message: string,
    readonly statusCode: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Statuses worth retrying: server errors, timeouts, rate limits, conflicts in flight. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 425 || status === 429;
}

export function fetchHttp(timeoutMs = 10_000): Http {
  return async (request) => {
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new OutboundError(
        `${request.method} ${new URL(request.url).host}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`,
        null,
        true,
      );
    }
    return { status: response.status, text: await response.text() };
  };
}

/** Throws an OutboundError unless the status is 2xx or one of `accept`. */
export function expectStatus(response: HttpResponse, request: HttpRequest, accept: number[] = []): HttpResponse {
  if ((response.status >= 200 && response.status < 300) || accept.includes(response.status)) return response;
  const path = new URL(request.url).pathname;
  throw new OutboundError(
    `${request.method} ${path} answered ${response.status}${response.text ? `: ${response.text.slice(0, 300)}` : ''}`,
    response.status,
    isRetryableStatus(response.status),
  );
}

export function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}
