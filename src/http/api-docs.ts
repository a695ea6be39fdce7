/**
 * How a route is documented: one `ApiOperation` per method and path, written next to (or from) the zod
 * schemas the route validates with, collected by `src/http/openapi.ts` into the served document.
 *
 * `registerOperations` adds what every operation of a kind answers, so no operation can forget it:
 * - every operation: 400 (malformed input: JSON, cookies, headers, a refused field), and 431 (request line
 *   and headers over Node's 16 KiB, refused by the HTTP parser before any route, without a body);
 * - `auth: 'staff'`: the security requirement (API key or staff session) and 401 / 403;
 * - a path with parameters: 404;
 * - a body: 413 (too large) and 415 (not the declared media type);
 * - `rateLimited`: 429 with `Retry-After`;
 * - a POST under `/api/` (but signing in): the optional `Idempotency-Key` header (one shared parameter,
 *   src/http/idempotency.ts) with its 409 (still in progress) and 422 (key reused).
 * Responses given by the operation win over the defaults (e.g. a more precise 404 description).
 */
import {
  extendZodWithOpenApi,
  type OpenAPIRegistry,
  type ResponseConfig,
  type RouteConfig,
  type ZodRequestBody,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { IDEMPOTENCY_HEADER, idempotencyCovers } from './idempotency';

// Parameter metadata (the shared `Idempotency-Key` header parameter) needs `.openapi()`.
extendZodWithOpenApi(z);

export const errorSchema = z.object({
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    })
    .loose(),
});

/** A JSON body or response with this schema. */
export function json(schema: z.ZodType): ZodRequestBody & { content: NonNullable<ResponseConfig['content']> } {
  return { content: { 'application/json': { schema } } };
}

/** A JSON object response without a fixed shape (the fields are described in prose). */
export const anyObject = z.object({}).loose();

export type Access =
  /** Anyone (booking page, plans for sale). */
  | 'public'
  /** Anyone holding a link token in the path (manage, feedback). */
  | 'token'
  /** Staff: an API key (`Authorization: Bearer`) or the admin app's session cookie (+ CSRF token on changes). */
  | 'staff'
  /** A vendor webhook, verified by its signature or a secret in the URL. */
  | 'webhook'
  /** A customer signed in to the portal (cookie `af_portal`, + CSRF token on changes). */
  | 'customer';

type Status = 200 | 201 | 202 | 204 | 302 | 400 | 401 | 402 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422 | 429 | 503;

/** A response: a description (a JSON object follows), or the full response object. */
export type ApiResponse = string | ResponseConfig;

export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The OpenAPI path (`/api/appointments/{id}`). */
  path: string;
  access: Access;
  summary?: string;
  description?: string;
  tags?: string[];
  params?: z.ZodObject;
  query?: z.ZodObject | z.ZodPipe;
  /** A JSON body schema, or a full request body (another media type). */
  body?: z.ZodType | ZodRequestBody;
  /** Answers 429 with Retry-After when a rate limit is exceeded. */
  rateLimited?: boolean;
  responses: Partial<Record<Status, ApiResponse>>;
}

const errorResponse = (description: string): ResponseConfig => ({ description, ...json(errorSchema) });

/** A response without a body (204). */
export const noContent = (description: string): ResponseConfig => ({ description });

function response(value: ApiResponse): ResponseConfig {
  return typeof value === 'string' ? { description: value, ...json(anyObject) } : value;
}

const isRequestBody = (body: ApiOperation['body']): body is ZodRequestBody =>
  typeof body === 'object' && body !== null && 'content' in body && !(body instanceof z.ZodType);

/** Whether the operation accepts `Idempotency-Key` (src/http/idempotency.ts). */
export const takesIdempotencyKey = (op: Pick<ApiOperation, 'method' | 'path'>): boolean =>
  op.method === 'post' && idempotencyCovers(op.path);

const IDEMPOTENCY_KEY_DESCRIPTION = [
  'Makes a retry safe: send a new unique value (e.g. a UUID) per action and the same value when',
  'repeating it. The first answer (2xx or 4xx) is kept for 24 hours per caller and returned to every',
  'retry with the same body (`Idempotent-Replayed: true`), so a booking or change is made once.',
  'The same key with a different body is a 422 naming this header; while the first request runs a',
  'duplicate waits for its answer, or gets 409 `request_in_progress` with `Retry-After`.',
].join(' ');

/** Registers the shared `Idempotency-Key` header parameter (`components.parameters.IdempotencyKey`). */
function registerIdempotencyKey(registry: OpenAPIRegistry): z.ZodType {
  return registry.registerParameter(
    'IdempotencyKey',
    z
      .string()
      .min(1)
      .max(255)
      .regex(/^[\x21-\x7e]+$/)
      .optional()
      .openapi({ param: { name: IDEMPOTENCY_HEADER, in: 'header', description: IDEMPOTENCY_KEY_DESCRIPTION } }),
  );
}

/** The standard responses of an operation of this kind (see the module comment). */
export function standardResponses(op: ApiOperation): Record<number, ResponseConfig> {
  const responses: Record<number, ResponseConfig> = {
    400: errorResponse('Invalid input: malformed JSON, cookie or header, or a refused field (`fields` names each)'),
    431: { description: 'Request line and headers larger than 16 KiB (refused before any route, no body)' },
  };
  if (op.access === 'staff') {
    responses[401] = errorResponse('Not signed in, or no valid API key');
    responses[403] = errorResponse('Missing CSRF token, or the role may not do this');
  }
  if (op.access === 'customer') {
    responses[401] = errorResponse('Not signed in to the portal');
    responses[403] = errorResponse('Missing CSRF token');
  }
  if (op.path.includes('{')) responses[404] = errorResponse('Unknown resource');
  if (op.body !== undefined) {
    responses[413] = errorResponse('Body too large');
    responses[415] = errorResponse('Body not in the declared media type');
  }
  if (takesIdempotencyKey(op)) {
    responses[409] = errorResponse(
      `Not allowed now, or a request with the same ${IDEMPOTENCY_HEADER} is still running`,
    );
    responses[422] = errorResponse(`A request that cannot be met, or ${IDEMPOTENCY_HEADER} reused for another request`);
  }
  if (op.rateLimited) {
    responses[429] = {
      ...errorResponse('Too many requests: wait for the seconds in Retry-After'),
      headers: z.object({ 'Retry-After': z.string().describe('Seconds to wait') }),
    };
  }
  return responses;
}

export interface SecuritySchemes {
  apiKey: string;
  staffSession: string;
  customerSession: string;
}

/** Registers the security schemes; their names are what `registerOperations` refers to. */
export function registerSecuritySchemes(registry: OpenAPIRegistry): SecuritySchemes {
  const apiKey = registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An appointflow API key (`npm run api-key`)',
  });
  const staffSession = registry.registerComponent('securitySchemes', 'staffSession', {
    type: 'apiKey',
    in: 'cookie',
    name: 'af_session',
    description:
      'Admin web app session (HttpOnly cookie from POST /api/session). State-changing requests must also send the session CSRF token in the x-csrf-token header.',
  });
  const customerSession = registry.registerComponent('securitySchemes', 'customerSession', {
    type: 'apiKey',
    in: 'cookie',
    name: 'af_portal',
    description:
      'Customer portal session (HttpOnly cookie from POST /api/portal/sign-in/link, /code or /manage-link). Changes must also send the session CSRF token in the x-csrf-token header.',
  });
  return { apiKey: apiKey.name, staffSession: staffSession.name, customerSession: customerSession.name };
}

/** Registers operations with their standard responses and security requirements. */
export function registerOperations(
  registry: OpenAPIRegistry,
  schemes: SecuritySchemes,
  operations: readonly ApiOperation[],
): void {
  const idempotencyKey = registerIdempotencyKey(registry);
  for (const op of operations) {
    const responses: RouteConfig['responses'] = { ...standardResponses(op) };
    for (const [status, value] of Object.entries(op.responses)) responses[status] = response(value);
    const request: NonNullable<RouteConfig['request']> = {};
    if (op.params) request.params = op.params;
    if (op.query) request.query = op.query;
    if (takesIdempotencyKey(op)) request.headers = z.object({ [IDEMPOTENCY_HEADER]: idempotencyKey });
    if (op.body !== undefined) request.body = isRequestBody(op.body) ? op.body : { ...json(op.body), required: true };
    registry.registerPath({
      method: op.method,
      path: op.path,
      ...(op.summary ? { summary: op.summary } : {}),
      ...(op.description ? { description: op.description } : {}),
      ...(op.tags ? { tags: op.tags } : {}),
      ...(Object.keys(request).length ? { request } : {}),
      ...(op.access === 'staff' ? { security: [{ [schemes.apiKey]: [] }, { [schemes.staffSession]: [] }] } : {}),
      ...(op.access === 'customer' ? { security: [{ [schemes.customerSession]: [] }] } : {}),
      responses,
    });
  }
}
