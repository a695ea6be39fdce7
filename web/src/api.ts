/**
 * The one way the web app talks to the server: JSON over fetch, same origin, session cookie included.
 * The CSRF token from the session goes with every state-changing request. Server errors become
 * `ApiError` with the server's own words, shown as they are.
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

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
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
