/**
 * The waitlist over HTTP (src/waitlist/): a customer joins from the booking page, staff add a caller,
 * staff see the line and the offers made, and the one-tap claim link (`/waitlist/offer/<token>` in
 * the offer's email and SMS) shows and claims the held slot.
 */
import { Router } from 'express';
import { z } from 'zod';
import {
  claimOffer,
  joinWaitlist,
  leaveWaitlist,
  offerByToken,
  WaitlistError,
  waitlistView,
} from '../../waitlist/service';
import { callerActor, requireApiKey, requireOfficeRole } from '../auth';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { customerSchema, localDate, staffChannel, timeZone, uuid } from '../schemas';
import { parseInput } from '../validate';
import { text } from '../text';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected a time as HH:MM');
/** What is waited for (without who waits). */
const placeFields = {
  serviceId: uuid,
  staffId: uuid.optional(),
  fromDate: localDate,
  toDate: localDate,
  weekdays: z
    .array(z.number().int().min(1, 'expected 1 (Monday) … 7 (Sunday)').max(7, 'expected 1 (Monday) … 7 (Sunday)'))
    .max(7)
    .default([]),
  timeFrom: clock.default('00:00'),
  timeTo: clock.default('24:00'),
  timeZone,
};
const wishFields = { ...placeFields, customer: customerSchema };
const wishRules = <
  T extends {
    fromDate: string;
    toDate: string;
    timeFrom: string;
    timeTo: string;
    customer: { smsOptIn: boolean; phone?: string | undefined };
  },
>(
  schema: z.ZodType<T>,
) =>
  schema
    .refine((w) => w.fromDate <= w.toDate, { message: 'must not be before fromDate', path: ['toDate'] })
    .refine((w) => w.timeFrom < w.timeTo, { message: 'must be after timeFrom', path: ['timeTo'] })
    .refine((w) => !w.customer.smsOptIn || w.customer.phone, {
      message: 'a phone number is needed to receive SMS',
      path: ['customer', 'phone'],
    });
export const waitlistJoinSchema = wishRules(z.object(wishFields));
/** The portal's join: the signed-in customer is the contact (src/http/routes/portal-account.ts). */
export const portalWaitlistJoinSchema = z
  .object(placeFields)
  .refine((w) => w.fromDate <= w.toDate, { message: 'must not be before fromDate', path: ['toDate'] })
  .refine((w) => w.timeFrom < w.timeTo, { message: 'must be after timeFrom', path: ['timeTo'] });
export const staffWaitlistJoinSchema = wishRules(z.object({ ...wishFields, channel: staffChannel }));

const tokenParams = z.object({ token: text(100, { min: 1 }) });
export const waitlistEntryParams = z.object({ id: uuid });

/** What a place on the waitlist waits for, as the staff list and the portal show it. */
export function waitView(e: {
  id: string;
  service_name: string;
  staff_name: string | null;
  from_date: string;
  to_date: string;
  weekdays: number[];
  time_from: string;
  time_to: string;
  time_zone: string;
  created_at: Date;
}) {
  return {
    id: e.id,
    serviceName: e.service_name,
    staffName: e.staff_name,
    fromDate: e.from_date,
    toDate: e.to_date,
    weekdays: e.weekdays,
    timeFrom: e.time_from.slice(0, 5),
    timeTo: e.time_to.slice(0, 5),
    timeZone: e.time_zone,
    joinedAt: e.created_at.toISOString(),
  };
}

export function asHttp(error: unknown): never {
  if (error instanceof WaitlistError) {
    throw new HttpError(
      error.status,
      error.code,
      error.message,
      {},
      error.field ? [{ field: error.field, message: error.message }] : undefined,
    );
  }
  throw error;
}

export function waitlistRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;

  router.post('/api/waitlist', async (req, res) => {
    const body = parseInput(waitlistJoinSchema, req.body, 'body');
    const id = await joinWaitlist(db, { ...body, source: 'web', createdBy: body.customer.name }).catch(asHttp);
    res.status(201).json({ entry: { id, status: 'waiting' } });
  });

  router.post('/api/admin/waitlist', requireApiKey(db), requireOfficeRole, async (req, res) => {
    const body = parseInput(staffWaitlistJoinSchema, req.body, 'body');
    const id = await joinWaitlist(db, { ...body, source: body.channel, createdBy: callerActor(res).name }).catch(
      asHttp,
    );
    res.status(201).json({ entry: { id, status: 'waiting' } });
  });

  router.get('/api/admin/waitlist', requireApiKey(db), requireOfficeRole, async (_req, res) => {
    const { entries, offers } = await waitlistView(db);
    res.json({
      entries: entries.map((e) => ({
        ...waitView(e),
        status: e.status,
        contactName: e.contact_name,
        source: e.source,
        appointmentId: e.appointment_id,
      })),
      offers: offers.map((o) => ({
        id: o.id,
        entryId: o.entry_id,
        status: o.status === 'open' && o.expires_at.getTime() <= Date.now() ? 'expired' : o.status,
        contactName: o.contact_name,
        staffName: o.staff_name,
        startsAt: o.starts_at.toISOString(),
        offeredAt: o.created_at.toISOString(),
        holdUntil: o.expires_at.toISOString(),
        appointmentId: o.appointment_id,
      })),
    });
  });

  // Staff take someone off the line (they found another time, or asked by phone).
  router.delete('/api/admin/waitlist/:id', requireApiKey(db), requireOfficeRole, async (req, res) => {
    const { id } = parseInput(waitlistEntryParams, req.params, 'params');
    await leaveWaitlist(db, id).catch(asHttp);
    res.status(204).end();
  });

  router.get('/api/waitlist/offers/:token', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const offer = await offerByToken(db, token);
    if (!offer) throw new HttpError(404, 'not_found', 'This offer link is not valid.');
    const open = offer.status === 'open' && offer.expires_at.getTime() > Date.now();
    res.json({
      offer: {
        status: open ? 'open' : offer.status === 'claimed' ? 'claimed' : 'expired',
        serviceName: offer.service_name,
        staffName: offer.staff_name,
        startsAt: offer.starts_at.toISOString(),
        endsAt: offer.ends_at.toISOString(),
        holdUntil: offer.expires_at.toISOString(),
        timeZone: offer.time_zone,
      },
    });
  });

  router.post('/api/waitlist/offers/:token/claim', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const claimed = await claimOffer({ db, temporal: deps.temporal, config: deps.config }, token).catch(asHttp);
    res.status(201).json({
      appointmentId: claimed.appointmentId,
      ...(claimed.manageToken ? { manageUrl: `${deps.config.http.publicBaseUrl}/manage/${claimed.manageToken}` } : {}),
    });
  });

  // "No thanks, take me off the waitlist" from the offer's link: the held time is released at once.
  router.post('/api/waitlist/offers/:token/leave', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const offer = await offerByToken(db, token);
    if (!offer) throw new HttpError(404, 'not_found', 'This offer link is not valid.');
    await leaveWaitlist(db, offer.entry_id).catch(asHttp);
    res.status(204).end();
  });

  return router;
}
