/**
 * Signing in to the customer portal (issue 16): ask for a one-time link by email or a code by SMS
 * (`POST /api/portal/sign-in`, the same 202 whether or not we know the address, the message sent in
 * the background), use it (`POST /api/portal/sign-in/link`, `/code`), or come in from a manage link
 * sent to the customer (`/manage-link`). Every sign-in endpoint counts `portal.ip`; asking and code
 * guesses count `portal.contact` on the address given. Session: GET (who am I, CSRF token), DELETE
 * (sign out here), POST /api/portal/sign-out-everywhere.
 */
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { lookupBillingToken } from '../../manage/tokens';
import { messageProvidersFromConfig } from '../../messaging/from-config';
import { sendSignInMessage } from '../../portal/sign-in-messages';
import { endAllPortalSessions, endPortalSession, createPortalSession, PORTAL_COOKIE } from '../../portal/sessions';
import {
  contactByEmail,
  contactByPhone,
  createCodeChallenge,
  createLinkChallenge,
  redeemCode,
  redeemLink,
} from '../../portal/sign-in';
import type { AppDeps } from '../app';
import { readCookie } from '../auth';
import { HttpError } from '../errors';
import {
  clearPortalCookie,
  portalContact,
  portalCsrfToken,
  requirePortalSession,
  setPortalCookie,
} from '../portal-auth';
import { clientAddress, RateLimiter } from '../rate-limits';
import { e164 } from '../schemas';
import { text } from '../text';
import { parseInput } from '../validate';

export const signInRequestBody = z
  .object({
    email: z.email({ error: 'expected an email address' }).max(320).optional(),
    phone: e164.optional(),
  })
  .refine((b) => (b.email === undefined) !== (b.phone === undefined), {
    message: 'give either email or phone',
    path: ['email'],
  });
export const linkSignInBody = z.object({ token: text(100, { min: 1 }) });
export const codeSignInBody = z.object({
  phone: e164,
  code: z.string().regex(/^\d{6}$/, 'expected the six digits from the text message'),
});

export function portalSignInRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const limiter = new RateLimiter(db, deps.config.http.rateLimits);
  const providers = messageProvidersFromConfig(deps.config);

  async function startSession(
    req: Request,
    res: Response,
    contactId: string,
    via: 'email_link' | 'sms_code' | 'manage_link',
    extra: { appointmentId?: string } = {},
  ) {
    const session = await createPortalSession(db, contactId, via);
    setPortalCookie(deps.config, req, res, session.sessionId, session.expiresAt);
    const contact = await db
      .selectFrom('contacts')
      .select(['name', 'email'])
      .where('id', '=', contactId)
      .executeTakeFirstOrThrow();
    res.json({ customer: { name: contact.name, email: contact.email }, csrfToken: session.csrfToken, ...extra });
  }

  router.post('/api/portal/sign-in', async (req, res) => {
    const body = parseInput(signInRequestBody, req.body, 'body');
    const address = body.email?.trim().toLowerCase() ?? body.phone!;
    await limiter.hit(res, [
      ['portal.ip', clientAddress(req)],
      ['portal.contact', address],
    ]);
    const send = async () => {
      if (body.email !== undefined) {
        const contact = await contactByEmail(db, body.email);
        if (!contact) return;
        const { challengeId, token } = await createLinkChallenge(db, contact);
        const link = `${deps.config.http.publicBaseUrl}/account/link#${token}`;
        await sendSignInMessage(
          { db, config: deps.config, providers },
          { challengeId, contactId: contact.id, channel: 'email', to: contact.email, secret: link },
        );
      } else {
        const contact = await contactByPhone(db, body.phone!);
        if (!contact?.phone) return;
        const { challengeId, code } = await createCodeChallenge(db, { ...contact, phone: contact.phone });
        await sendSignInMessage(
          { db, config: deps.config, providers },
          { challengeId, contactId: contact.id, channel: 'sms', to: contact.phone, secret: code },
        );
      }
    };
    // In the background, so the answer (and how long it takes) is the same for a known and an unknown address.
    void send().catch((error: unknown) => deps.logger.error({ err: error }, 'portal sign-in message failed'));
    res.status(202).json({
      channel: body.email !== undefined ? 'email' : 'sms',
      message:
        body.email !== undefined
          ? 'If this email belongs to a customer of ours, a sign-in link is on its way. It works once, for 15 minutes.'
          : 'If this number belongs to a customer of ours, a six-digit code is on its way. It works once, for 10 minutes.',
    });
  });

  router.post('/api/portal/sign-in/link', async (req, res) => {
    const { token } = parseInput(linkSignInBody, req.body, 'body');
    await limiter.hit(res, [['portal.ip', clientAddress(req)]]);
    const contactId = await redeemLink(db, token);
    if (!contactId) {
      throw new HttpError(
        401,
        'link_invalid',
        'This sign-in link has expired or was already used. Please ask for a new one.',
      );
    }
    await startSession(req, res, contactId, 'email_link');
  });

  router.post('/api/portal/sign-in/code', async (req, res) => {
    const { phone, code } = parseInput(codeSignInBody, req.body, 'body');
    await limiter.hit(res, [
      ['portal.ip', clientAddress(req)],
      ['portal.contact', phone],
    ]);
    const contactId = await redeemCode(db, phone, code);
    if (!contactId) {
      throw new HttpError(
        401,
        'code_invalid',
        'That code is not right, or it has expired. Check the text message or ask for a new code.',
        {},
        [{ field: 'code', message: 'not the code we sent, or expired' }],
      );
    }
    await startSession(req, res, contactId, 'sms_code');
  });

  /** From a manage link sent to the customer (a link shown only in a booking's answer does not count). */
  router.post('/api/portal/sign-in/manage-link', async (req, res) => {
    const { token } = parseInput(linkSignInBody, req.body, 'body');
    await limiter.hit(res, [['portal.ip', clientAddress(req)]]);
    const lookup = await lookupBillingToken(db, token, new Date());
    if (!lookup.ok || !lookup.provesContact) {
      throw new HttpError(
        401,
        'link_invalid',
        'This link cannot sign you in. Please ask for a sign-in link by email or a code by text message.',
      );
    }
    // The link's appointment: the page may open its conversation (`?next=messages`, e.g. to send requested files).
    await startSession(req, res, lookup.appointment.contact_id, 'manage_link', {
      appointmentId: lookup.appointment.id,
    });
  });

  const signedIn = requirePortalSession(db);

  router.get('/api/portal/session', signedIn, async (_req, res) => {
    const contact = await db
      .selectFrom('contacts')
      .select(['name', 'email'])
      .where('id', '=', portalContact(res))
      .executeTakeFirstOrThrow();
    res.json({ customer: { name: contact.name, email: contact.email }, csrfToken: portalCsrfToken(res) });
  });

  router.delete('/api/portal/session', signedIn, async (req, res) => {
    await endPortalSession(db, readCookie(req, PORTAL_COOKIE)!);
    clearPortalCookie(res);
    res.status(204).end();
  });

  router.post('/api/portal/sign-out-everywhere', signedIn, async (_req, res) => {
    const ended = await endAllPortalSessions(db, portalContact(res));
    clearPortalCookie(res);
    res.json({ ended });
  });

  return router;
}
