/**
 * Authentication for the staff and external API, two ways:
 * - `Authorization: Bearer <API key>` for external systems and scripts;
 * - the admin web app's session cookie (`af_session`, HttpOnly, SameSite=Lax, Secure over https),
 *   where every state-changing request must also carry the session's CSRF token in `x-csrf-token`.
 * The caller's identity is kept in `res.locals.caller`; `callerActor` names it on the timeline.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Kysely } from 'kysely';
import { type ApiKeyIdentity, verifyApiKey } from '../auth/api-keys';
import type { Database } from '../db/schema';
import { csrfMatches, lookupSession, type StaffIdentity } from '../staff/accounts';
import { HttpError } from './errors';

export type Caller = { kind: 'api_key'; apiKey: ApiKeyIdentity } | { kind: 'session'; staff: StaffIdentity };

export const SESSION_COOKIE = 'af_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A cookie's value. A malformed percent-encoding (`af_session=%`) is taken as it stands: it then
 * matches no session, so the caller is simply not signed in (401), never an exception.
 */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    const raw = value.join('=');
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

/** The actor a staff or API request is recorded as. */
export function callerActor(res: Response): {
  kind: 'staff' | 'technician' | 'integration';
  name: string;
  id: string;
} {
  const caller = res.locals.caller as Caller;
  if (caller.kind === 'api_key') return { kind: 'integration', name: caller.apiKey.name, id: caller.apiKey.id };
  return {
    kind: caller.staff.role === 'technician' ? 'technician' : 'staff',
    name: caller.staff.name,
    id: caller.staff.staffId ?? caller.staff.accountId,
  };
}

/** The staff identity of a session caller (undefined for API keys, which see everything). */
export function sessionStaff(res: Response): StaffIdentity | undefined {
  const caller = res.locals.caller as Caller;
  return caller.kind === 'session' ? caller.staff : undefined;
}

export function requireApiKey(db: Kysely<Database>): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const sessionId = readCookie(req, SESSION_COOKIE);
    if (!header && sessionId) {
      const session = await lookupSession(db, sessionId);
      if (!session) {
        next(new HttpError(401, 'unauthenticated', 'Your session has ended. Please sign in again.'));
        return;
      }
      if (!SAFE_METHODS.has(req.method) && !csrfMatches(session.csrfToken, req.get(CSRF_HEADER))) {
        next(new HttpError(403, 'csrf_failed', `Send the session's CSRF token in the ${CSRF_HEADER} header.`));
        return;
      }
      res.locals.caller = { kind: 'session', staff: session.staff } satisfies Caller;
      next();
      return;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      next(new HttpError(401, 'unauthenticated', 'Send an API key as "Authorization: Bearer <key>" or sign in.'));
      return;
    }
    const apiKey = await verifyApiKey(db, match[1]);
    if (!apiKey) {
      next(new HttpError(401, 'unauthenticated', 'The API key is not valid or has been revoked.'));
      return;
    }
    if (!apiKey.scopes.includes('appointments')) {
      next(new HttpError(403, 'forbidden', 'This API key may not manage appointments.'));
      return;
    }
    res.locals.caller = { kind: 'api_key', apiKey } satisfies Caller;
    next();
  };
}

/** Refuses technicians (who see and work their own day only) on admin/staff-only routes. */
export const requireOfficeRole: RequestHandler = (_req, res, next) => {
  const staff = sessionStaff(res);
  if (staff?.role === 'technician') {
    next(new HttpError(403, 'forbidden', 'Technicians can see their own day only.'));
    return;
  }
  next();
};

/**
 * Settings that change how the whole business runs (templates, integrations, webhook subscriptions,
 * hours): admins only when signed in to the admin app; API keys are issued by admins and pass.
 */
export const requireAdminRole: RequestHandler = (_req, res, next) => {
  const staff = sessionStaff(res);
  if (staff && staff.role !== 'admin') {
    next(new HttpError(403, 'forbidden', 'Only an admin can change these settings.'));
    return;
  }
  next();
};

/**
 * On `/api/appointments/:id…`: a technician signed in to the admin app may see and act on their own
 * appointments only (API keys and office roles are not limited).
 */
export function technicianOwnAppointments(db: Kysely<Database>): RequestHandler {
  return async (req, res, next) => {
    const me = sessionStaff(res);
    const id = String(req.params.id ?? '');
    if (me?.role !== 'technician' || !/^[0-9a-f-]{36}$/i.test(id)) {
      next();
      return;
    }
    const row = await db.selectFrom('appointments').select('staff_id').where('id', '=', id).executeTakeFirst();
    if (row && row.staff_id !== me.staffId) {
      next(new HttpError(403, 'forbidden', 'Technicians can see and change their own appointments only.'));
      return;
    }
    next();
  };
}

/**
 * Several checks in order, as one list of handlers for a route. Express runs each in turn and sends
 * whatever one of them throws or rejects with to the error middleware (no promise is dropped).
 */
export function both(...handlers: Array<RequestHandler | RequestHandler[]>): RequestHandler[] {
  return handlers.flat();
}

/** Refuses API keys: for tools meant for people at the admin app (a staff session). */
export const requireStaffSession: RequestHandler = (_req, res, next) => {
  if ((res.locals.caller as Caller).kind !== 'session') {
    next(new HttpError(403, 'forbidden', 'This tool is for staff signed in to the admin app, not for API keys.'));
    return;
  }
  next();
};
