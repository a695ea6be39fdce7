/**
 * Who a public request may act as (issue 12). An unauthenticated booking or purchase with a known email
 * changes that contact's stored details only from a remembered device of that same contact (set when
 * the customer proved control through a link sent to them); otherwise the details wait for the
 * customer's confirmation and the answer echoes only what the caller sent.
 */
import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import { DEVICE_COOKIE, deviceContact, rememberDevice } from '../identity/devices';
import { readCookie } from './auth';

/** `apply` when the request comes from a remembered device of the contact with this email, else `pending`. */
export async function knownContactMode(
  db: Kysely<Database>,
  req: Request,
  email: string,
): Promise<'apply' | 'pending'> {
  const contactId = await deviceContact(db, readCookie(req, DEVICE_COOKIE));
  if (!contactId) return 'pending';
  const contact = await db.selectFrom('contacts').select('email').where('id', '=', contactId).executeTakeFirst();
  return contact && contact.email.trim().toLowerCase() === email.trim().toLowerCase() ? 'apply' : 'pending';
}

/** Remembers this browser as the contact's (HttpOnly cookie, sent to the API only). */
export async function rememberCustomerDevice(
  db: Kysely<Database>,
  config: Config,
  req: Request,
  res: Response,
  contactId: string,
): Promise<void> {
  const { token, expiresAt } = await rememberDevice(db, contactId);
  res.cookie(DEVICE_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure || config.http.publicBaseUrl.startsWith('https:'),
    path: '/api/',
    expires: expiresAt,
  });
}

/** The contact part of a public answer: only what the caller sent, never what is stored. */
export function echoedCustomer(sent: { name: string; email: string; phone?: string | undefined }) {
  return { name: sent.name, email: sent.email.trim().toLowerCase(), phone: sent.phone ?? null };
}
