/**
 * Recurring series over HTTP (src/booking/series.ts): book a series (customer on the booking page, or
 * staff for a caller), read it, and cancel or move "this one" or "this and following" — as staff (API
 * key or session) or as the customer with an occurrence's manage link. A series that cannot be booked
 * or moved whole is a 409 `series_conflict` listing each conflicting visit with free alternatives.
 */
import { Router } from 'express';
import { z } from 'zod';
import {
  bookSeries,
  cancelInSeries,
  rescheduleInSeries,
  SeriesChangeRefused,
  SeriesConflictError,
  type SeriesRequest,
  seriesView,
  type SeriesScope,
} from '../../booking/series';
import { RecurrenceError } from '../../domain/recurrence';
import { lookupManageToken } from '../../manage/tokens';
import type { Actor, Channel } from '../../../workflows/appointment/messages';
import { callerActor, requireApiKey, technicianOwnAppointments } from '../auth';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { customerSchema, instant, localDate, staffChannel, timeZone, uuid } from '../schemas';
import { parseInput } from '../validate';
import { text } from '../text';
import { slotViews } from '../views';
import { httpErrorForUpdate } from '../workflow-errors';
import { httpErrorForBooking } from './booking-helpers';

export const repeatSchema = z
  .object({
    every: z.number({ error: 'expected a number' }).int().min(1, 'at least 1').max(52, 'at most 52'),
    unit: z.enum(['day', 'week', 'month'], { error: 'expected day, week or month' }),
    count: z
      .number({ error: 'expected a number of visits' })
      .int()
      .min(2, 'at least 2')
      .max(52, 'at most 52')
      .optional(),
    until: localDate.optional(),
  })
  .refine((r) => (r.count === undefined) !== (r.until === undefined), {
    message: 'give either count (number of visits) or until (last date)',
    path: ['count'],
  });

const seriesFields = {
  serviceId: uuid,
  staffId: uuid.optional(),
  startsAt: instant,
  timeZone,
  customer: customerSchema,
  repeat: repeatSchema,
};
const phoneForSms = {
  message: 'a phone number is needed to receive SMS',
  path: ['customer', 'phone'],
};
export const seriesBookingSchema = z
  .object(seriesFields)
  .refine((b) => !b.customer.smsOptIn || b.customer.phone, phoneForSms);
export const staffSeriesBookingSchema = z
  .object({ ...seriesFields, channel: staffChannel })
  .refine((b) => !b.customer.smsOptIn || b.customer.phone, phoneForSms);

const scope = z.enum(['this', 'following'], { error: 'expected this or following' });
export const seriesCancelBody = z.object({
  scope,
  reason: text(1000, { min: 1 }).optional(),
  channel: staffChannel.optional(),
});
export const seriesRescheduleBody = z.object({ scope, startsAt: instant, channel: staffChannel.optional() });

const idParams = z.object({ id: uuid });
const tokenParams = z.object({ token: text(100, { min: 1 }) });

export function seriesRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const bookingDeps = { db, temporal: deps.temporal, config: deps.config };

  async function conflictOrBookingError(error: unknown): Promise<never> {
    if (error instanceof SeriesConflictError) {
      const conflicts = await Promise.all(
        error.conflicts.map(async (c) => ({
          index: c.index,
          startsAt: new Date(c.startsAt).toISOString(),
          alternatives: await slotViews(db, c.alternatives),
        })),
      );
      throw new HttpError(409, 'series_conflict', error.message, { conflicts });
    }
    if (error instanceof RecurrenceError) {
      throw new HttpError(400, 'validation_failed', `${error.field}: ${error.message}`, {}, [
        { field: error.field, message: error.message },
      ]);
    }
    throw await httpErrorForBooking(db, error);
  }

  async function booked(request: SeriesRequest) {
    const series = await bookSeries(bookingDeps, request).catch(conflictOrBookingError);
    return {
      series: await seriesView(db, series.seriesId),
      manageUrls: series.occurrences.map((o) => `${deps.config.http.publicBaseUrl}/manage/${o.manageToken}`),
    };
  }

  router.post('/api/bookings/series', async (req, res) => {
    const body = parseInput(seriesBookingSchema, req.body, 'body');
    const request: SeriesRequest = {
      ...body,
      startsAt: Date.parse(body.startsAt),
      actor: { kind: 'customer', name: body.customer.name },
      channel: 'web',
    };
    res.status(201).json(await booked(request));
  });

  router.post('/api/appointments/series', requireApiKey(db), async (req, res) => {
    const body = parseInput(staffSeriesBookingSchema, req.body, 'body');
    res
      .status(201)
      .json(
        await booked({ ...body, startsAt: Date.parse(body.startsAt), actor: callerActor(res), channel: body.channel }),
      );
  });

  router.get('/api/series/:id', requireApiKey(db), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const view = await seriesView(db, id);
    if (!view) throw new HttpError(404, 'not_found', `Series ${id} does not exist.`);
    res.json({ series: view });
  });

  // The appointment card: the series this visit belongs to (null for a single appointment).
  router.get(
    '/api/admin/appointments/:id/series',
    requireApiKey(db),
    technicianOwnAppointments(db),
    async (req, res) => {
      const { id } = parseInput(idParams, req.params, 'params');
      const row = await db
        .selectFrom('appointments')
        .select(['series_id', 'series_index'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) throw new HttpError(404, 'not_found', `Appointment ${id} does not exist.`);
      const view = row.series_id ? await seriesView(db, row.series_id) : undefined;
      res.json({ series: view ? { ...view, index: row.series_index } : null });
    },
  );

  async function change(
    appointmentId: string,
    body: { scope: SeriesScope; startsAt?: string; reason?: string | undefined },
    who: { actor: Actor; channel: Channel },
  ) {
    try {
      if (body.startsAt !== undefined) {
        const moved = await rescheduleInSeries(
          { db, temporal: deps.temporal },
          { appointmentId, scope: body.scope, startsAt: Date.parse(body.startsAt), ...who },
        );
        return { moved: moved.map((m) => ({ id: m.id, startsAt: new Date(m.startsAt).toISOString() })) };
      }
      const cancelled = await cancelInSeries(
        { db, temporal: deps.temporal },
        { appointmentId, scope: body.scope, reason: body.reason ?? 'Cancelled', ...who },
      );
      return { cancelled };
    } catch (error) {
      if (error instanceof SeriesChangeRefused) throw new HttpError(409, 'invalid_transition', error.message);
      if (error instanceof SeriesConflictError) return conflictOrBookingError(error);
      throw httpErrorForUpdate(error);
    }
  }

  async function seriesIdOf(appointmentId: string) {
    const row = await db
      .selectFrom('appointments')
      .select('series_id')
      .where('id', '=', appointmentId)
      .executeTakeFirst();
    return row?.series_id ?? null;
  }

  const staffOnly = [requireApiKey(db), technicianOwnAppointments(db)];
  /** The appointment's series as it is now; null for a visit that is not part of one. */
  async function seriesOf(appointmentId: string) {
    const seriesId = await seriesIdOf(appointmentId);
    return seriesId ? seriesView(db, seriesId) : null;
  }
  router.post('/api/appointments/:id/series/cancel', ...staffOnly, async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(seriesCancelBody, req.body, 'body');
    const result = await change(id, body, { actor: callerActor(res), channel: body.channel ?? 'admin' });
    res.json({ ...result, series: await seriesOf(id) });
  });
  router.post('/api/appointments/:id/series/reschedule', ...staffOnly, async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(seriesRescheduleBody, req.body, 'body');
    const result = await change(id, body, { actor: callerActor(res), channel: body.channel ?? 'admin' });
    res.json({ ...result, series: await seriesOf(id) });
  });

  // The customer, with the manage link of one visit.
  async function customer(token: string) {
    const lookup = await lookupManageToken(db, token, new Date());
    if (!lookup.ok)
      throw new HttpError(lookup.reason === 'unknown' ? 404 : 410, 'link_dead', 'This link no longer works.');
    const contact = await db
      .selectFrom('contacts')
      .select('name')
      .where('id', '=', lookup.appointment.contact_id)
      .executeTakeFirstOrThrow();
    const actor: Actor = { kind: 'customer', id: lookup.appointment.contact_id, name: contact.name };
    return { appointment: lookup.appointment, who: { actor, channel: 'manage_link' as const } };
  }
  router.get('/api/manage/:token/series', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const { appointment } = await customer(token);
    const seriesId = await seriesIdOf(appointment.id);
    if (!seriesId) throw new HttpError(404, 'not_found', 'This visit is not part of a series.');
    res.json({ series: await seriesView(db, seriesId), appointmentId: appointment.id });
  });
  router.post('/api/manage/:token/series/cancel', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const body = parseInput(seriesCancelBody, req.body, 'body');
    const { appointment, who } = await customer(token);
    res.json(await change(appointment.id, body, who));
  });
  router.post('/api/manage/:token/series/reschedule', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const body = parseInput(seriesRescheduleBody, req.body, 'body');
    const { appointment, who } = await customer(token);
    res.json(await change(appointment.id, body, who));
  });

  return router;
}
