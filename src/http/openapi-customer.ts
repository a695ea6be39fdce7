/**
 * OpenAPI operations of the customer pages' identity and calendar file (issue 14) and of the business
 * profile's editing, from the schemas the routes validate with.
 */
import { z } from 'zod';
import { type ApiOperation, json } from './api-docs';
import { businessProfilePatch } from '../business/profile';
import { SUPPORTED_LOCALES } from '../i18n/locales';
import { tokenParams } from './routes/manage';

const business = z.object({
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  phoneDisplay: z.string().nullable().describe('The phone as written in the business country'),
  phoneExample: z.string().describe("A mobile number of the business's country, national form"),
  address: z.string().nullable(),
  timeZone: z.string(),
  currency: z.string(),
  logoUrl: z.string().nullable(),
  brandColor: z.string(),
  country: z.string().describe('ISO 3166-1 alpha-2; national phone numbers are read in it'),
  policy: z.string(),
  defaultLocale: z.enum(SUPPORTED_LOCALES),
});

export const customerPageOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/business',
    access: 'public',
    tags: ['Booking page'],
    summary: 'The business as the customer pages show it (name, logo, colour, address, phone, policy, language)',
    responses: {
      200: { description: 'The business profile', ...json(z.object({ business, paymentsSimulated: z.boolean() })) },
      404: 'No business profile yet',
    },
  },
  {
    method: 'patch',
    path: '/api/admin/business',
    access: 'staff',
    tags: ['Admin app'],
    summary: 'Change the business profile (admins); each change on the timeline as business:updated',
    body: businessProfilePatch,
    responses: { 200: { description: 'The changed profile', ...json(z.object({ business })) } },
  },
  {
    method: 'get',
    path: '/api/manage/{token}/calendar.ics',
    access: 'token',
    tags: ['Manage link'],
    summary: "The appointment as an iCalendar file, in the customer's language (or ?lang=en|es)",
    params: tokenParams,
    query: z.object({ lang: z.enum(SUPPORTED_LOCALES).optional() }),
    responses: {
      200: { description: 'text/calendar', content: { 'text/calendar': { schema: z.string() } } },
      410: 'The link no longer works (cancelled, over, past), saying why',
    },
  },
];
