/**
 * The customer portal's session at the HTTP edge (issue 16): the HttpOnly cookie `af_portal` (path
 * /api/portal/, SameSite=Strict), separate from the staff session; every change also needs the
 * session's CSRF token in `x-csrf-token`. The signed-in contact is `res.locals.portalContactId`.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import { lookupPortalSession, PORTAL_COOKIE, portalCsrfMatches } from '../portal/sessions';
import { CSRF_HEADER, readCookie } from './auth';
import { HttpError } from './errors';

export const PORTAL_COOKIE_PATH = '/api/portal/';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function setPortalCookie(config: Config, req: Request, res: Response, sessionId: string, expires: Date) {
  res.cookie(PORTAL_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure || config.http.publicBaseUrl.startsWith('https:'),
    path: PORTAL_COOKIE_PATH,
    expires,
  });
}

export function clearPortalCookie(res: Response) {
  res.clearCookie(PORTAL_COOKIE, { path: PORTAL_COOKIE_PATH });
}

export function requirePortalSession(db: Kysely<Database>): RequestHandler {
  return async (req, res, next) => {
    const session = await lookupPortalSession(db, readCookie(req, PORTAL_COOKIE));
    if (!session) {
      next(new HttpError(401, 'unauthenticated', 'Please sign in to your account.'));
      return;
    }
    if (!SAFE_METHODS.has(req.method) && !portalCsrfMatches(session.csrfToken, req.get(CSRF_HEADER))) {
      next(new HttpError(403, 'csrf_failed', `Send the session's CSRF token in the ${CSRF_HEADER} header.`));
      return;
    }
    res.locals.portalContactId = session.contactId;
    res.locals.portalCsrfToken = session.csrfToken;
    next();
  };
}

/** The signed-in customer's contact id (after `requirePortalSession`). */
export const portalContact = (res: Response): string => res.locals.portalContactId as string;

/** The session's CSRF token (after `requirePortalSession`). */
export const portalCsrfToken = (res: Response): string => res.locals.portalCsrfToken as string;
