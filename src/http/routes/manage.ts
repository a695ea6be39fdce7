/**
 * The customer's manage link (from every email and SMS), logged out: view the appointment, see free
 * slots, reschedule, cancel. A dead link (cancelled, completed, past) answers 410 saying why and what
 * to do instead.
 */
import { cancellationQuote } from '../../billing/cancellation-quote';
import { depositOf } from '../../billing/deposits';
import { type Response, Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { resolveLocale } from '../../i18n/locales';
import { appointmentMessageContext, loadMessageRow } from '../../messaging/appointment-context';
import { appointmentIcs } from '../../messaging/ics';
import { z } from 'zod';
import { lookupManageToken, type TokenLookup } from '../../manage/tokens';
import { customerAvailability, customerCancel, customerReschedule } from '../../manage/customer-changes';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { availabilityQuery, manageCancelBody, manageRescheduleBody } from '../schemas';
import { parseInput } from '../validate';
import { pendingDetailsOf, settlePendingDetails } from '../../identity/pending-details';
import { rememberCustomerDevice } from '../customer-identity';
import { RateLimiter } from '../rate-limits';
import { text } from '../text';
import { appointmentView, customerView } from '../views';

/** What the manage page shows beyond the customer view: length, where, how far ahead it may move. */
async function visitDetails(db: Kysely<Database>, appointmentId: string) {
  const row = await db
    .selectFrom('appointments as a')
    .innerJoin('services as sv', 'sv.id', 'a.service_id')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select(['sv.location', 'sv.booking_horizon_days', 'c.address'])
    .where('a.id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  return {
    location: row.location,
    /** For a visit at the customer's: the address we come to. */
    visitAddress: row.location === 'customer' ? row.address : null,
    bookingHorizonDays: row.booking_horizon_days,
  };
}

/** A manage link's token (43 base64url characters when real; anything else is an unknown link). */
export const tokenParams = z.object({ token: text(100, { min: 1 }) });

export const pendingDetailsBody = z.object({ confirm: z.boolean({ error: 'expected true or false' }) });

const DEAD_LINK_MESSAGES: Record<Exclude<TokenLookup, { ok: true }>['reason'], string> = {
  unknown: 'This link is not valid. Please use the link from your most recent email or text message.',
  revoked: 'This link no longer works. Please use the link from your most recent email or text message.',
  expired: 'This link has expired.',
  cancelled: 'This appointment was cancelled, so this link no longer works. You are welcome to book a new time.',
  completed: 'This appointment is over, so this link no longer works. You are welcome to book again.',
  past: 'This appointment has already started or passed, so it can no longer be changed online. Please call us.',
};

export function manageRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;

  async function resolveLink(raw: string) {
    const lookup = await lookupManageToken(db, raw, new Date());
    if (lookup.ok) return lookup;
    const bookingUrl = lookup.appointment
      ? `${deps.config.http.publicBaseUrl}/book/${(await db.selectFrom('services').select('slug').where('id', '=', lookup.appointment.service_id).executeTakeFirstOrThrow()).slug}`
      : `${deps.config.http.publicBaseUrl}/book`;
    if (lookup.reason === 'unknown')
      throw new HttpError(404, 'link_unknown', DEAD_LINK_MESSAGES.unknown, { bookingUrl });
    throw new HttpError(410, 'link_dead', DEAD_LINK_MESSAGES[lookup.reason], { reason: lookup.reason, bookingUrl });
  }
  const resolve = async (raw: string) => (await resolveLink(raw)).appointment;
  const limiter = new RateLimiter(db, deps.config.http.rateLimits);
  /** Changes through manage links, per contact. */
  const countChange = (res: Response, contactId: string) => limiter.hit(res, [['link.contact', contactId]]);

  router.get('/api/manage/:token', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const { appointment, provesContact } = await resolveLink(token);
    const view = customerView((await appointmentView(db, deps.config, appointment.id))!);
    const pending = await pendingDetailsOf(db, appointment.id);
    if (provesContact) {
      // Opened from a message the contact received: this browser is theirs from now on.
      await rememberCustomerDevice(db, deps.config, req, res, appointment.contact_id);
    }
    res.json({
      // The booking answer's link shows the name its booker gave, never the stored one.
      appointment: {
        ...(provesContact ? view : { ...view, contact: { name: pending?.details.name ?? view.contact.name } }),
        ...(await visitDetails(db, appointment.id)),
      },
      actions: { reschedule: true, cancel: true },
      // The cancellation policy and what cancelling now costs (shown before the customer confirms).
      cancellation: await cancellationQuote(db, appointment.id, Date.now()),
      // The deposit paid at booking and what became of it (null: none; src/billing/deposits.ts).
      deposit: (await depositOf(db, appointment.id)) ?? null,
      // Details given with the booking for a known contact, for the customer to confirm or decline.
      pendingDetails: provesContact && pending ? pending.details : null,
    });
  });

  /**
   * The customer confirms (`confirm: true`) or declines the details given with the booking. Only from a
   * link sent to the contact's own email or phone (403 for the booking answer's link).
   */
  router.post('/api/manage/:token/details', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const { confirm } = parseInput(pendingDetailsBody, req.body, 'body');
    const { appointment, provesContact } = await resolveLink(token);
    await countChange(res, appointment.contact_id);
    if (!provesContact) {
      throw new HttpError(
        403,
        'link_not_sent_to_contact',
        'Please use the link from the email or text message we sent you to confirm your details.',
      );
    }
    const result = await settlePendingDetails(db, {
      appointmentId: appointment.id,
      apply: confirm,
      channel: 'manage_link',
    });
    await rememberCustomerDevice(db, deps.config, req, res, appointment.contact_id);
    res.json({ outcome: result.outcome, details: result.details ?? null });
  });

  const changes = { db, config: deps.config, temporal: deps.temporal };

  // The appointment as a calendar file (the confirmation page's "Add to calendar"), in the page's language.
  router.get('/api/manage/:token/calendar.ics', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const { appointment, provesContact } = await resolveLink(token);
    const { row, business } = await loadMessageRow(db, appointment.id);
    const base = deps.config.http.publicBaseUrl;
    const context = appointmentMessageContext({ row, business, base, manageUrl: `${base}/manage/${token}` });
    // The booking answer's link does not prove the contact: the stored name stays out of the file.
    if (!provesContact) context.contact = { ...context.contact, name: '' };
    const lang = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    const ics = appointmentIcs(
      { ...context, locale: resolveLocale(lang, context.locale) },
      { method: 'REQUEST', sequence: row.revision },
    );
    res
      .type('text/calendar; charset=utf-8')
      .set('content-disposition', 'attachment; filename="appointment.ics"')
      .set('cache-control', 'no-store')
      .send(ics);
  });

  router.get('/api/manage/:token/availability', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const appointment = await resolve(token);
    const query = parseInput(availabilityQuery, req.query, 'query');
    res.json(await customerAvailability(changes, appointment, query));
  });

  router.post('/api/manage/:token/reschedule', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const appointment = await resolve(token);
    const body = parseInput(manageRescheduleBody, req.body, 'body');
    await countChange(res, appointment.contact_id);
    const view = await customerReschedule(changes, appointment, Date.parse(body.startsAt), 'manage_link', res);
    res.json({ appointment: view });
  });

  router.post('/api/manage/:token/cancel', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const appointment = await resolve(token);
    const body = parseInput(manageCancelBody, req.body, 'body');
    await countChange(res, appointment.contact_id);
    res.json({ appointment: await customerCancel(changes, appointment, body.reason, 'manage_link', res) });
  });

  return router;
}
