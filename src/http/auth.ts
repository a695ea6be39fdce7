/**
 * Authentication for the staff and external API: `Authorization: Bearer <API key>`. (Staff sessions
 * for the admin app arrive with the admin app.) The caller's identity is kept in `res.locals.caller`.
 */
import type { RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import { type ApiKeyIdentity, verifyApiKey } from '../auth/api-keys';
import type { Database } from '../db/schema';
import { HttpError } from './errors';

export interface Caller {
  kind: 'api_key';
  apiKey: ApiKeyIdentity;
}

export function requireApiKey(db: Kysely<Database>): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      next(new HttpError(401, 'unauthenticated', 'Send an API key as "Authorization: Bearer <key>".'));
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
