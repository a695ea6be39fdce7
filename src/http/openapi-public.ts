/**
 * OpenAPI operations of the public API: the booking page (services, availability, booking), the
 * customer's manage link (view, availability, reschedule, cancel, invoice, card) and memberships for
 * sale — from the schemas the routes validate with.
 */
import { z } from 'zod';
import { type ApiOperation, errorSchema, json } from './api-docs';
import {
  availabilityQuery,
  bookingSchema,
  manageCancelBody,
  manageRescheduleBody,
  membershipPurchaseBody,
} from './schemas';
import { pendingDetailsBody, tokenParams } from './routes/manage';
import { cardBody } from './routes/manage-billing';
import { certificateParams } from './routes/memberships';

const token = tokenParams;
const deadLink = { description: 'Dead link, with the reason and where to book again', ...json(errorSchema) };

export const publicOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/services',
    access: 'public',
    summary: 'Bookable services',
    description:
      'Active services with their current slug (`/book/<slug>`) and `formerSlugs`: addresses a service had before an admin renamed it, which keep leading to it.',
    responses: { 200: 'Services' },
  },
  {
    method: 'get',
    path: '/api/services/{serviceId}/availability',
    access: 'public',
    summary: 'Free slots over a date range, in the given time zone',
    params: z.object({ serviceId: z.uuid() }),
    query: availabilityQuery,
    responses: { 200: 'Slots grouped by local date' },
  },
  {
    method: 'post',
    path: '/api/bookings',
    access: 'public',
    rateLimited: true,
    summary: 'Guest booking',
    description:
      "A known email books for that contact but changes none of its stored details: they wait until the customer confirms them from the link sent to the contact's email (or staff change them). The answer echoes only what was sent.",
    body: bookingSchema,
    responses: {
      201: 'Booked; the appointment and its manage link',
      409: 'Slot unavailable (with `nextSlots`)',
      422: 'Unknown service, staff or membership, or a membership that cannot cover this visit',
    },
  },
  {
    method: 'get',
    path: '/api/manage/{token}',
    access: 'token',
    rateLimited: true,
    summary: 'The appointment behind a manage link',
    params: token,
    responses: { 200: 'Appointment', 410: deadLink },
  },
  {
    method: 'get',
    path: '/api/manage/{token}/availability',
    access: 'token',
    rateLimited: true,
    params: token,
    query: availabilityQuery,
    responses: { 200: 'Slots', 410: deadLink },
  },
  {
    method: 'post',
    path: '/api/manage/{token}/reschedule',
    access: 'token',
    rateLimited: true,
    description:
      'A membership visit must still start within its membership validity (422 `outside_membership_validity`, field `startsAt`) and a changed service must be covered (422 `service_not_covered`). A time in the past is 422.',
    params: token,
    body: manageRescheduleBody,
    responses: {
      200: 'Rescheduled',
      409: 'Slot unavailable (with `nextSlots`) or not allowed in the current state',
      410: deadLink,
      422: 'A request that cannot be met, e.g. a time in the past',
    },
  },
  {
    method: 'post',
    path: '/api/manage/{token}/details',
    access: 'token',
    rateLimited: true,
    summary: 'Confirm (or decline) the details given with the booking for a known contact',
    description:
      "Only from a link sent to the contact's own email or phone (403 for the booking answer's own link). Confirming applies them to the contact; either way this browser is remembered as the customer's (HttpOnly cookie), so its next booking is recognised.",
    params: token,
    body: pendingDetailsBody,
    responses: {
      200: 'What happened: applied, discarded, or none (nothing was waiting)',
      403: { description: 'Not a link sent to the contact', ...json(errorSchema) },
      410: deadLink,
    },
  },
  {
    method: 'post',
    path: '/api/manage/{token}/cancel',
    access: 'token',
    rateLimited: true,
    params: token,
    body: manageCancelBody,
    responses: { 200: 'Cancelled', 409: 'Not allowed in the current state', 410: deadLink, 422: 'Refused' },
  },
  {
    method: 'get',
    path: '/api/manage/{token}/invoice',
    access: 'token',
    rateLimited: true,
    summary: 'The invoice with payments and refunds (format=json, or html / pdf as a download)',
    params: token,
    query: z.object({ format: z.enum(['json', 'html', 'pdf']).optional() }),
    responses: {
      200: {
        description: 'Invoice',
        content: {
          'application/json': { schema: z.object({}).loose() },
          'text/html': { schema: z.string() },
          'application/pdf': { schema: z.string() },
        },
      },
      410: deadLink,
    },
  },
  {
    method: 'post',
    path: '/api/manage/{token}/card',
    access: 'token',
    rateLimited: true,
    summary: 'Update the saved card: a SetupIntent with Stripe; a test payment method in simulated mode',
    params: token,
    body: cardBody,
    responses: { 200: 'SetupIntent client secret, or the saved test card', 410: deadLink },
  },
  {
    method: 'get',
    path: '/api/membership-plans',
    access: 'public',
    summary: 'Membership plans for sale',
    responses: { 200: 'Plans' },
  },
  {
    method: 'post',
    path: '/api/memberships',
    access: 'public',
    rateLimited: true,
    summary: 'Buy a membership: charges the card, issues the certificate number (idempotent on idempotencyKey)',
    description:
      'Like a booking, a known email changes none of the stored contact details; a declined card leaves no contact behind.',
    body: membershipPurchaseBody,
    responses: {
      201: 'Bought; the membership card',
      200: 'The same purchase again; the first membership',
      402: { description: 'The card was declined', ...json(errorSchema) },
      422: 'Unknown plan, or not for sale',
    },
  },
  {
    method: 'get',
    path: '/api/memberships/certificates/{certificateNumber}',
    access: 'public',
    rateLimited: true,
    summary: 'The membership card by certificate number',
    params: certificateParams,
    responses: { 200: 'Membership card' },
  },
];
