/**
 * Staff sign-in for the admin web app: POST /api/session (email + password → session cookie and CSRF
 * token; rate-limited per email and IP), GET /api/session (who am I, with the CSRF token), DELETE
 * /api/session (sign out; needs the CSRF token).
 */
import { Router } from 'express';
import { z } from 'zod';
import { csrfMatches, lookupSession, signIn, signOut } from '../../staff/accounts';
import { CSRF_HEADER, readCookie, SESSION_COOKIE } from '../auth';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { parseInput } from '../validate';
import { text } from '../text';
import { clientAddress, RateLimiter } from '../rate-limits';

export const signInBody = z.object({
  email: text(320, { min: 1 }),
  password: text(1000, { min: 1, trim: false, normalize: false }),
});

export function staffSessionRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;

  const limiter = new RateLimiter(db, deps.config.http.rateLimits);

  router.post('/api/session', async (req, res) => {
    const body = parseInput(signInBody, req.body, 'body');
    // Per account from any address, per address, and across all accounts (spraying from many addresses).
    await limiter.hit(res, [
      ['signin.account', body.email],
      ['signin.ip', clientAddress(req)],
      ['signin.global', 'all'],
    ]);
    const result = await signIn(db, { email: body.email, password: body.password, ip: req.ip ?? 'unknown' });
    if (!result.ok && result.reason === 'locked') {
      res.set('retry-after', String(result.retryAfterSeconds));
      throw new HttpError(
        429,
        'too_many_attempts',
        `Too many failed sign-ins. Try again in ${Math.ceil(result.retryAfterSeconds / 60)} minutes.`,
      );
    }
    if (!result.ok) throw new HttpError(401, 'invalid_credentials', 'The email or password is not correct.');
    res.cookie(SESSION_COOKIE, result.sessionId, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
      expires: result.expiresAt,
    });
    res.json({ staff: result.staff, csrfToken: result.csrfToken });
  });

  router.get('/api/session', async (req, res) => {
    const sessionId = readCookie(req, SESSION_COOKIE);
    const session = sessionId ? await lookupSession(db, sessionId) : undefined;
    if (!session) throw new HttpError(401, 'unauthenticated', 'Not signed in.');
    res.set('cache-control', 'no-store');
    res.json({ staff: session.staff, csrfToken: session.csrfToken });
  });

  router.delete('/api/session', async (req, res) => {
    const sessionId = readCookie(req, SESSION_COOKIE);
    const session = sessionId ? await lookupSession(db, sessionId) : undefined;
    if (sessionId && session) {
      if (!csrfMatches(session.csrfToken, req.get(CSRF_HEADER))) {
        throw new HttpError(403, 'csrf_failed', `Send the session's CSRF token in the ${CSRF_HEADER} header.`);
      }
      await signOut(db, sessionId);
    }
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  return router;
}
