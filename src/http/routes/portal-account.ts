/**
 * The signed-in customer's own records in the portal (issue 16): appointments (list; free times,
 * reschedule and cancel through the same service code and rules as the manage link; add to calendar),
 * invoices (view, download), memberships (cards), profile, and details given with a booking that wait
 * for the customer's confirmation. Every id in a path is looked up together with the signed-in contact,
 * so another customer's record answers 404 exactly like one that does not exist.
 */
import { cancellationQuote } from '../../billing/cancellation-quote';
import { Router } from 'express';
import { z } from 'zod';
import { invoiceDocument } from '../../billing/invoice-document';
import { invoiceQuery, sendInvoice } from './manage-billing';
import { openPendingDetails, settlePendingDetails } from '../../identity/pending-details';
import { customerAvailability, customerCancel, customerReschedule } from '../../manage/customer-changes';
import { membershipCard } from '../../memberships/service';
import { appointmentMessageContext, loadMessageRow } from '../../messaging/appointment-context';
import { appointmentIcs } from '../../messaging/ics';
import {
  changeable,
  ownAppointment,
  ownInvoice,
  portalAppointments,
  portalInvoices,
  portalMembershipIds,
  portalProfile,
} from '../../portal/account';
import { EmailTakenError, updateProfile } from '../../portal/profile';
import { NoPhoneError, preferredChannel, updateChannels } from '../../contacts/channels';
import type { AppDeps } from '../app';
import { HttpError } from '../errors';
import { portalContact, requirePortalSession } from '../portal-auth';
import { RateLimiter } from '../rate-limits';
import { availabilityQuery, e164, manageCancelBody, manageRescheduleBody, timeZone, uuid } from '../schemas';
import { text } from '../text';
import { parseInput } from '../validate';
import { pendingDetailsBody } from './manage';
import { customerWaitlist, joinWaitlistAsContact, leaveWaitlist } from '../../waitlist/service';
import { asHttp, portalWaitlistJoinSchema, waitlistEntryParams, waitView } from './waitlist';

export const portalIdParams = z.object({ id: uuid });
export const profileBody = z
  .object({
    name: text(200, { min: 1 }),
    email: z.email({ error: 'expected an email address' }).max(320),
    phone: e164.nullable(),
    address: text(500).nullable(),
    timeZone,
    clientNotes: text(2000),
    smsOptIn: z.boolean({ error: 'expected true or false' }),
    preferredChannel,
    whatsappOptIn: z.boolean({ error: 'expected true or false' }),
  })
  .partial()
  .strict();

export function portalAccountRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const changes = { db, config: deps.config, temporal: deps.temporal };
  const limiter = new RateLimiter(db, deps.config.http.rateLimits);
  router.use('/api/portal/', requirePortalSession(db));

  async function appointmentOf(contactId: string, rawId: unknown) {
    const { id } = parseInput(portalIdParams, { id: rawId }, 'params');
    const appointment = await ownAppointment(db, contactId, id);
    if (!appointment) throw new HttpError(404, 'not_found', 'You have no appointment with that id.');
    return appointment;
  }
  async function changeableAppointment(contactId: string, rawId: unknown) {
    const appointment = await appointmentOf(contactId, rawId);
    if (!changeable(appointment, new Date())) {
      throw new HttpError(
        409,
        'not_changeable',
        'This appointment is over, started or cancelled, so it can no longer be changed online. Please call us.',
      );
    }
    return appointment;
  }

  router.get('/api/portal/appointments', async (_req, res) => {
    const list = await portalAppointments(db, portalContact(res));
    // What cancelling each upcoming appointment costs now (its cancellation policy), shown before a cancel.
    const now = Date.now();
    const upcoming = await Promise.all(
      list.upcoming.map(async (a) => ({ ...a, cancellation: await cancellationQuote(db, a.id, now) })),
    );
    res.json({ ...list, upcoming });
  });

  router.get('/api/portal/appointments/:id/availability', async (req, res) => {
    const appointment = await changeableAppointment(portalContact(res), req.params.id);
    res.json(await customerAvailability(changes, appointment, parseInput(availabilityQuery, req.query, 'query')));
  });

  router.post('/api/portal/appointments/:id/reschedule', async (req, res) => {
    const appointment = await changeableAppointment(portalContact(res), req.params.id);
    const body = parseInput(manageRescheduleBody, req.body, 'body');
    await limiter.hit(res, [['link.contact', appointment.contact_id]]);
    res.json({ appointment: await customerReschedule(changes, appointment, Date.parse(body.startsAt), 'web', res) });
  });

  router.post('/api/portal/appointments/:id/cancel', async (req, res) => {
    const appointment = await changeableAppointment(portalContact(res), req.params.id);
    const body = parseInput(manageCancelBody, req.body, 'body');
    await limiter.hit(res, [['link.contact', appointment.contact_id]]);
    res.json({ appointment: await customerCancel(changes, appointment, body.reason, 'web', res) });
  });

  /** Add to calendar: the appointment as an iCalendar event. */
  router.get('/api/portal/appointments/:id/ics', async (req, res) => {
    const appointment = await appointmentOf(portalContact(res), req.params.id);
    const { row, business } = await loadMessageRow(db, appointment.id);
    const base = deps.config.http.publicBaseUrl;
    const context = appointmentMessageContext({ row, business, base, manageUrl: `${base}/account` });
    const ics = appointmentIcs(context, {
      method: appointment.status === 'cancelled' ? 'CANCEL' : 'REQUEST',
      sequence: appointment.revision,
      stampedAt: appointment.updated_at.getTime(),
    });
    res
      .type('text/calendar; charset=utf-8')
      .set('content-disposition', `attachment; filename="appointment-${appointment.id.slice(0, 8)}.ics"`)
      .send(ics);
  });

  /** "Join the waitlist" for a service (and staff member): the signed-in customer waits. */
  router.post('/api/portal/waitlist', async (req, res) => {
    const body = parseInput(portalWaitlistJoinSchema, req.body, 'body');
    const contactId = portalContact(res);
    const { name } = await portalProfile(db, contactId);
    const id = await joinWaitlistAsContact(db, contactId, { ...body, source: 'portal', createdBy: name }).catch(asHttp);
    res.status(201).json({ entry: { id, status: 'waiting' } });
  });

  /** The customer's own places on the waitlist, and leaving one. */
  router.get('/api/portal/waitlist', async (_req, res) => {
    res.json({ entries: (await customerWaitlist(db, portalContact(res))).map(waitView) });
  });

  router.delete('/api/portal/waitlist/:id', async (req, res) => {
    const { id } = parseInput(waitlistEntryParams, req.params, 'params');
    await leaveWaitlist(db, id, { contactId: portalContact(res) }).catch(asHttp);
    res.status(204).end();
  });

  router.get('/api/portal/invoices', async (_req, res) => {
    res.json({ invoices: await portalInvoices(db, portalContact(res)) });
  });

  router.get('/api/portal/invoices/:id', async (req, res) => {
    const { id } = parseInput(portalIdParams, req.params, 'params');
    const { format } = parseInput(invoiceQuery, req.query, 'query');
    const invoice = await ownInvoice(db, portalContact(res), id);
    const document = invoice ? await invoiceDocument(db, invoice.id, format) : undefined;
    if (!document) throw new HttpError(404, 'not_found', 'You have no invoice with that id.');
    sendInvoice(res, document);
  });

  router.get('/api/portal/memberships', async (_req, res) => {
    const ids = await portalMembershipIds(db, portalContact(res));
    const cards = await Promise.all(ids.map((id) => membershipCard(db, deps.config, id, 'customer')));
    res.json({ memberships: cards.filter((c) => c !== undefined) });
  });

  router.get('/api/portal/profile', async (_req, res) => {
    const contactId = portalContact(res);
    const pending = await openPendingDetails(db, contactId);
    res.json({
      profile: await portalProfile(db, contactId),
      // Details someone gave with a booking under this email: applied only when the customer confirms.
      pendingDetails: pending.map((p) => ({ id: p.id, details: p.details, givenAt: p.givenAt })),
    });
  });

  router.patch('/api/portal/profile', async (req, res) => {
    const body = parseInput(profileBody, req.body, 'body');
    const contactId = portalContact(res);
    try {
      const { preferredChannel: preferred, whatsappOptIn, ...details } = body;
      const changed = await updateProfile(db, contactId, details);
      const channels = await updateChannels(
        db,
        contactId,
        { preferredChannel: preferred, whatsappOptIn },
        { source: 'portal', actor: 'the customer' },
      );
      res.json({ changed: [...changed, ...(channels ?? [])], profile: await portalProfile(db, contactId) });
    } catch (error) {
      if (error instanceof EmailTakenError) {
        throw new HttpError(409, 'email_taken', error.message, {}, [{ field: 'email', message: error.message }]);
      }
      if (error instanceof NoPhoneError) {
        throw new HttpError(422, 'phone_required', error.message, {}, [
          { field: 'whatsappOptIn', message: error.message },
        ]);
      }
      throw error;
    }
  });

  router.post('/api/portal/pending-details/:id', async (req, res) => {
    const { id } = parseInput(portalIdParams, req.params, 'params');
    const { confirm } = parseInput(pendingDetailsBody, req.body, 'body');
    const contactId = portalContact(res);
    const pending = await db
      .selectFrom('contact_pending_details')
      .select(['appointment_id'])
      .where('id', '=', id)
      .where('contact_id', '=', contactId)
      .where('applied_at', 'is', null)
      .where('discarded_at', 'is', null)
      .executeTakeFirst();
    if (!pending?.appointment_id) throw new HttpError(404, 'not_found', 'There are no such details waiting.');
    const result = await settlePendingDetails(db, {
      appointmentId: pending.appointment_id,
      apply: confirm,
      channel: 'portal',
    });
    res.json({ outcome: result.outcome, profile: await portalProfile(db, contactId) });
  });

  return router;
}
