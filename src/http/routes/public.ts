/**
 * Public API for the booking page: services, live availability in the customer's zone, guest booking.
 */
import { Router } from 'express';
import { z } from 'zod';
import { availableSlots, UnknownServiceError } from '../../availability/service';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { availabilityQuery, bookingSchema, uuid } from '../schemas';
import { parseInput } from '../validate';
import { echoedCustomer, knownContactMode } from '../customer-identity';
import { clientAddress, RateLimiter } from '../rate-limits';
import { bookForResponse, rangeInZone, slotsResponse } from './booking-helpers';

export function publicRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const limiter = new RateLimiter(db, deps.config.http.rateLimits);

  router.get('/api/services', async (_req, res) => {
    const services = await db
      .selectFrom('services')
      .select([
        'id',
        'slug',
        'name',
        'description',
        'duration_minutes',
        'pricing',
        'price_minor',
        'hourly_rate_minor',
        'currency',
      ])
      .where('active', '=', true)
      .orderBy('name')
      .execute();
    // Former addresses (renamed slugs) keep leading to their service.
    const former = services.length
      ? await db
          .selectFrom('service_slug_history')
          .select(['slug', 'service_id'])
          .where(
            'service_id',
            'in',
            services.map((s) => s.id),
          )
          .orderBy('slug')
          .execute()
      : [];
    res.json({
      services: services.map((s) => ({
        id: s.id,
        slug: s.slug,
        formerSlugs: former.filter((f) => f.service_id === s.id).map((f) => f.slug),
        name: s.name,
        description: s.description,
        durationMinutes: s.duration_minutes,
        pricing: s.pricing,
        price: {
          amountMinor: s.pricing === 'fixed' ? s.price_minor : s.hourly_rate_minor,
          currency: s.currency.trim(),
          per: s.pricing === 'hourly' ? 'hour' : 'visit',
        },
      })),
    });
  });

  router.get('/api/services/:serviceId/availability', async (req, res) => {
    const { serviceId } = parseInput(z.object({ serviceId: uuid }), req.params, 'params');
    const query = parseInput(availabilityQuery, req.query, 'query');
    const range = rangeInZone(query.from, query.to, query.timeZone);
    try {
      const slots = await availableSlots(db, { serviceId, staffId: query.staffId, ...range, now: Date.now() });
      res.json({ serviceId, timeZone: query.timeZone, days: await slotsResponse(db, slots, query.timeZone) });
    } catch (error) {
      if (error instanceof UnknownServiceError) throw new HttpError(404, 'not_found', error.message);
      throw error;
    }
  });

  router.post('/api/bookings', async (req, res) => {
    const body = parseInput(bookingSchema, req.body, 'body');
    await limiter.hit(res, [
      ['booking.ip', clientAddress(req)],
      ['booking.contact', body.customer.email],
    ]);
    const knownContact = await knownContactMode(db, req, body.customer.email);
    const booked = await bookForResponse(deps, {
      serviceId: body.serviceId,
      staffId: body.staffId,
      startsAt: Date.parse(body.startsAt),
      timeZone: body.timeZone,
      customer: body.customer,
      actor: { kind: 'customer', name: body.customer.name },
      channel: 'web',
      membershipId: body.membershipId,
      certificateNumber: body.certificateNumber,
      knownContact,
    });
    // Never the stored contact: a known email's name, phone and opt-in stay out of the answer.
    res.status(201).json({ ...booked, appointment: { ...booked.appointment, contact: echoedCustomer(body.customer) } });
  });

  return router;
}
