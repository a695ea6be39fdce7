/**
 * The one way the web app talks to the server: JSON over fetch, same origin, session cookie included.
 * The CSRF token from the session goes with every state-changing request, an idempotency key with
 * every POST (retried with the same key when the answer is lost). Server errors become `ApiError` with
 * the server's own words, shown as they are.
 */
export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** A new idempotency key: random, 128 bits (getRandomValues also works outside secure contexts). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Answers worth retrying with the same key: the request may not have run, or is still running. */
const RETRYABLE = new Set([409, 502, 503, 504]);
const RETRY_DELAYS_MS = [500, 1500];

/**
 * A POST is one user action: it carries an `Idempotency-Key` made once for it (or given by the caller
 * for an action the user repeats, e.g. "Try again" after an error) and sent again, unchanged, when the
 * connection fails or the server is briefly unavailable — so the server answers the retry with the
 * first answer instead of doing the action twice.
 */
export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  options: { idempotencyKey?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const keyed = method === 'POST';
  if (keyed) headers['idempotency-key'] = options.idempotencyKey ?? newIdempotencyKey();
  let response: Response | undefined;
  for (let attempt = 0; ; attempt += 1) {
    const retryable = keyed && attempt < RETRY_DELAYS_MS.length;
    response = undefined;
    try {
      response = await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      if (!retryable) throw error;
    }
    const inProgress = response?.status === 409 && response.headers.get('retry-after') !== null;
    if (response && (!RETRYABLE.has(response.status) || (response.status === 409 && !inProgress))) break;
    if (!retryable) break;
    await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]));
  }
  if (!response) throw new Error('The server could not be reached.');
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : {};
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; fields?: FieldProblem[] } }).error ?? {};
    const { code, message, fields, ...details } = error as Record<string, unknown>;
    throw new ApiError(
      response.status,
      typeof code === 'string' ? code : 'error',
      typeof message === 'string' ? message : `The server answered ${response.status}.`,
      details,
      Array.isArray(fields) ? (fields as FieldProblem[]) : [],
    );
  }
  return json as T;
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    // Said once: a field's message the main message already contains is not repeated after it.
    const extra = error.fields
      .filter((f) => !error.message.includes(f.message))
      .map((f) => `${f.field}: ${f.message}`)
      .join('; ');
    return extra ? `${error.message} (${extra})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
