/**
 * What every request gets at the edge, before any route:
 * - `X-Content-Type-Options: nosniff` on every response; `Cache-Control: no-store` on the API and
 *   webhooks (answers are per caller and never to be cached);
 * - on the link-token pages and their API (`/manage/…`, `/feedback/…`): `no-store` and
 *   `X-Robots-Tag: noindex`, so a customer's link is neither cached nor indexed;
 * - 405 with `Allow` for a method a known path does not take (TRACE included), from the documented
 *   operations and the app's pages.
 */
import type { RequestHandler } from 'express';
import type { ApiOperation } from './api-docs';
import { HttpError } from './errors';

const TOKEN_PATHS = /^\/(api\/)?(manage|feedback)\//i;

export const securityHeaders: RequestHandler = (req, res, next) => {
  res.set('x-content-type-options', 'nosniff');
  if (req.path.startsWith('/api/') || req.path.startsWith('/webhooks/')) res.set('cache-control', 'no-store');
  if (TOKEN_PATHS.test(req.path)) res.set({ 'cache-control': 'no-store', 'x-robots-tag': 'noindex, nofollow' });
  next();
};

interface KnownPath {
  pattern: RegExp;
  methods: Set<string>;
}

/** `/api/x/{id}` → a regex matching it the way Express does (case-insensitive, optional trailing slash). */
function patternOf(path: string): RegExp {
  const parts = path.split(/\{\w+\}/).map((p) => p.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}/?$`, 'i');
}

/**
 * 405 for a method a known path does not take. `pages` are the app's GET-only page prefixes
 * (`/admin`, `/manage/` …).
 */
export function methodNotAllowed(operations: readonly ApiOperation[], pages: readonly string[]): RequestHandler {
  const known = new Map<string, KnownPath>();
  for (const op of operations) {
    const entry = known.get(op.path) ?? { pattern: patternOf(op.path), methods: new Set<string>() };
    entry.methods.add(op.method.toUpperCase());
    if (op.method === 'get') entry.methods.add('HEAD');
    entry.methods.add('OPTIONS');
    known.set(op.path, entry);
  }
  const pageMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
  return (req, res, next) => {
    const matches = [...known.values()].filter((k) => k.pattern.test(req.path));
    const isPage = matches.length === 0 && pages.some((p) => req.path === p || req.path.startsWith(`${p}/`));
    const allowed = isPage ? pageMethods : new Set(matches.flatMap((m) => [...m.methods]));
    if ((matches.length === 0 && !isPage) || allowed.has(req.method)) {
      next();
      return;
    }
    const allow = [...allowed].sort().join(', ');
    res.set('allow', allow);
    next(new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here; allowed: ${allow}.`));
  };
}
