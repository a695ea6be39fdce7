/**
 * Public API for the booking page: services, live availability in the customer's zone, guest booking.
 */
import { serviceCancellationTerms, serviceDeposit } from '../../billing/cancellation-quote';
import { Router } from 'express';
import { z } from 'zod';
import { availableSlots, UnknownServiceError } from '../../availability/service';
import { resolveLifecyclePolicy } from '../../domain/lifecycle-policy';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { availabilityQuery, bookingSchemaFor, uuid } from '../schemas';
import { businessCountry } from '../business-country';
import type { PaymentGateway } from '../../payments/gateway';
import { contactExists } from '../../payments/card-on-file';
import { cardForBooking, depositForBooking, saveBookingCard } from './booking-card';
import { parseInput } from '../validate';
import { echoedCustomer, knownContactMode } from '../customer-identity';
import { clientAddress, RateLimiter } from '../rate-limits';
import { idempotencyOf } from '../idempotency';
import { bookForResponse, rangeInZone, slotsResponse } from './booking-helpers';

function reminderHours(stored: Record<string, unknown>): number[] {
  const policy = resolveLifecyclePolicy(stored);
  return [policy.tomorrowHoursBefore, policy.todayHoursBefore];
}

export function publicRouter(deps: AppDeps & { payments: PaymentGateway }): Router {
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
        'location',
        'booking_horizon_days',
        'min_notice_minutes',
        'lifecycle_policy',
        'card_at_booking',
        'cancellation_policy',
        'deposit_policy',
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
    // Who performs each service (active staff), so the page can offer a choice before any times load.
    const performers = services.length
      ? await db
          .selectFrom('staff_services as ss')
          .innerJoin('staff as st', 'st.id', 'ss.staff_id')
          .select(['ss.service_id', 'st.id', 'st.name'])
          .where('st.active', '=', true)
          .where(
            'ss.service_id',
            'in',
            services.map((s) => s.id),
          )
          .orderBy('st.name')
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
        /** business: at the business's address; customer: at the address the customer gives. */
        location: s.location,
        bookingHorizonDays: s.booking_horizon_days,
        minNoticeMinutes: s.min_notice_minutes,
        staff: performers.filter((p) => p.service_id === s.id).map((p) => ({ id: p.id, name: p.name })),
        /** Hours before the start when the customer is reminded (what the confirmation promises). */
        reminderHoursBefore: reminderHours(s.lifecycle_policy),
        /** Whether booking asks for a card saved for after the visit: required, optional or none. */
        cardAtBooking: s.card_at_booking,
        /** Late-cancel window and fee, no-show fee, as amounts (null: cancelling is always free). */
        cancellationPolicy: serviceCancellationTerms(s),
        /** The deposit taken at booking, as an amount (null: none), credited on the invoice after the visit. */
        deposit: serviceDeposit(s),
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
    const body = parseInput(bookingSchemaFor(await businessCountry(db)), req.body, 'body');
    await limiter.hit(res, [
      ['booking.ip', clientAddress(req)],
      ['booking.contact', body.customer.email],
    ]);
    const knownContact = await knownContactMode(db, req, body.customer.email);
    // A service that asks for a card books only once its SetupIntent has succeeded (src/payments/card-on-file.ts).
    // A deposit books only once its PaymentIntent has succeeded (src/payments/deposit-intents.ts); its card serves as the card.
    const paid = await depositForBooking(deps, body);
    const card = paid?.card ?? (await cardForBooking(deps, body));
    const unprovenExisting =
      card !== undefined && knownContact === 'pending' && (await contactExists(db, body.customer.email));
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
      requestKey: idempotencyOf(res)?.requestKey,
      deposit: paid?.deposit,
    });
    if (card && booked.appointment) await saveBookingCard(deps, booked.appointment, card, unprovenExisting);
    // Never the stored contact: a known email's name, phone and opt-in stay out of the answer.
    res.status(201).json({ ...booked, appointment: { ...booked.appointment, contact: echoedCustomer(body.customer) } });
  });

  return router;
}
