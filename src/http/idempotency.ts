/**
 * `Idempotency-Key` on every POST of the API (Stripe's semantics). A client that did not get an answer
 * (timeout, dropped connection) sends the same request again with the same key and gets the first
 * answer instead of a second effect:
 *
 * - the key (1–255 visible ASCII characters, e.g. a UUID per user action) is stored per caller scope
 *   (the API key, the staff session, the manage link, or the public) with the request's method, route
 *   and a hash of its path and body, and then the first answer (status and body);
 * - the same key with the same request gets the stored answer (`Idempotent-Replayed: true`), 2xx and
 *   4xx alike (a 409 "slot taken" stays that answer). Not stored, so a retry runs again: 5xx, and the
 *   refusals that happen before the request runs — 400 (invalid input), 401, 403, 408, 429;
 * - the same key with a different request is a 422 naming the header;
 * - while the first request runs, a duplicate waits for its answer (up to `waitMs`), then gets 409
 *   `request_in_progress` with `Retry-After`. If the first one died, its lease (`leaseMs`) runs out and
 *   the retry runs it again — safely, because what it does is idempotent below this layer too: a
 *   booking finds the appointment made under the same key (`appointments.request_key`) and a workflow
 *   update carries the key as its Temporal `updateId` (`idempotencyOf(res)`);
 * - keys are kept 24 hours (src/retention/).
 *
 * Without the header nothing changes. Webhooks (`/webhooks/…`, deduplicated by the provider's own
 * ids) and signing in are not covered.
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { claimKey, type KeyedRequest, recordAnswer, releaseKey } from '../idempotency/store';
import type { Logger } from '../logger';
import { readCookie, SESSION_COOKIE } from './auth';
import { HttpError } from './errors';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Answers a retry must not replay: the request did not run (or failed on our side). */
const NOT_STORED = new Set([400, 401, 403, 408, 429]);
const EXCLUDED_PATHS = new Set(['/api/session']);

/** Whether a POST to `path` takes an `Idempotency-Key` (every API POST but signing in). */
export function idempotencyCovers(path: string): boolean {
  return path.startsWith('/api/') && !EXCLUDED_PATHS.has(path);
}

export interface Idempotency {
  scope: string;
  key: string;
  /** Scope and key in one opaque value: the booking's `request_key`, a workflow update's `updateId`. */
  requestKey: string;
}

/** The request's idempotency key, when it sent one. */
export function idempotencyOf(res: Response): Idempotency | undefined {
  return res.locals.idempotency as Idempotency | undefined;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** JSON with object keys sorted, so the same body hashes the same however its keys were ordered. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const MANAGE_PATH = /^\/api\/manage\/([^/]+)/;

/** Who is asking, without a database look-up: a hash of the credential, never the credential. */
export function callerScope(req: Request): string {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1];
  if (bearer) return `api_key:${sha256(bearer).slice(0, 32)}`;
  const session = readCookie(req, SESSION_COOKIE);
  if (session) return `session:${sha256(session).slice(0, 32)}`;
  const manageToken = MANAGE_PATH.exec(req.path)?.[1];
  if (manageToken) return `manage:${sha256(manageToken).slice(0, 32)}`;
  return 'public';
}

/** The route as stored (a manage link's token replaced, so no secret is kept). */
function routeOf(req: Request): string {
  return req.path.replace(MANAGE_PATH, '/api/manage/:token');
}

function headerError(status: number, code: string, message: string): HttpError {
  return new HttpError(status, code, message, {}, [{ field: IDEMPOTENCY_HEADER, message }]);
}

export interface IdempotencyOptions {
  /** How long the first request holds its key before a retry may run it again (default 60 s). */
  leaseMs?: number;
  /** How long a duplicate waits for the first request's answer before a 409 (default 5 s). */
  waitMs?: number;
}

export function idempotencyKeys(
  deps: { db: Kysely<Database>; logger: Pick<Logger, 'warn'> },
  options: IdempotencyOptions = {},
): RequestHandler {
  const leaseMs = options.leaseMs ?? 60_000;
  const waitMs = options.waitMs ?? 5_000;
  return async (req, res, next) => {
    if (req.method !== 'POST' || !idempotencyCovers(req.path)) return next();
    const key = req.get(IDEMPOTENCY_HEADER);
    if (key === undefined) return next();
    if (!KEY_PATTERN.test(key)) {
      throw headerError(
        400,
        'validation_failed',
        `Invalid header: ${IDEMPOTENCY_HEADER}: expected 1 to 255 visible ASCII characters, such as a UUID`,
      );
    }
    const request: KeyedRequest = {
      scope: callerScope(req),
      key,
      method: req.method,
      route: routeOf(req),
      requestHash: sha256(`${req.method} ${req.originalUrl}\n${stableJson(req.body ?? null)}`),
    };
    const { db } = deps;
    const deadline = Date.now() + waitMs;
    for (;;) {
      const claim = await claimKey(db, request, leaseMs);
      if (claim.kind === 'claimed') break;
      if (claim.kind === 'replay') {
        res.status(claim.status).set('Idempotent-Replayed', 'true').json(claim.body);
        return;
      }
      if (claim.kind === 'mismatch') {
        throw headerError(
          422,
          'idempotency_key_reused',
          `${IDEMPOTENCY_HEADER} ${key} was already used for a different request (${claim.method} ${claim.route} with another body); use a new key for a new request`,
        );
      }
      if (Date.now() >= deadline) {
        res.set('Retry-After', '1');
        throw headerError(
          409,
          'request_in_progress',
          `A request with this ${IDEMPOTENCY_HEADER} is still being processed; retry in a moment to get its answer`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }

    const id = { scope: request.scope, key };
    res.locals.idempotency = { ...id, requestKey: sha256(`${request.scope}\n${key}`) } satisfies Idempotency;
    // The answer is stored before it is sent, so a retry that arrives right after it gets it too.
    const send = res.json.bind(res);
    let settled = false;
    const settle = async (status: number, body: unknown) => {
      settled = true;
      try {
        if (status >= 500 || NOT_STORED.has(status)) await releaseKey(db, id);
        else await recordAnswer(db, id, status, body);
      } catch (error) {
        // The lease runs out and a retry runs the request again (idempotent below this layer).
        deps.logger.warn({ err: error }, 'could not store the answer of an idempotent request');
      }
    };
    res.json = (body: unknown) => {
      if (settled) return send(body);
      settle(res.statusCode, body)
        .then(() => send(body))
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not send an answer'));
      return res;
    };
    // Answered without a JSON body: nothing to replay, give the key back. (A client that went away
    // before the answer changes nothing: the handler goes on and its answer is stored for the retry.)
    res.once('finish', () => {
      if (!settled) void settle(500, undefined);
    });
    next();
  };
}
