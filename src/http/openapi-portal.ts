/** OpenAPI operations of the customer portal (issue 16): sign-in, session, and the customer's own records. */
import { portalWaitlistJoinSchema, waitlistEntryParams } from './routes/waitlist';
import { z } from 'zod';
import { type ApiOperation, noContent } from './api-docs';
import { availabilityQuery, manageCancelBody, manageRescheduleBody } from './schemas';
import { pendingDetailsBody } from './routes/manage';
import { portalIdParams, profileBody } from './routes/portal-account';
import { cardIdParams } from './routes/portal-payments';
import { invoiceQuery } from './routes/manage-billing';
import {
  conversationBody,
  downloadQuery,
  staffConversationBody,
  threadQuery,
  uploadQuery,
} from './routes/conversations';
import { codeSignInBody, linkSignInBody, signInRequestBody } from './routes/portal-sign-in';

const tags = ['Customer portal'];
const signedIn = (op: Omit<ApiOperation, 'access' | 'tags'>): ApiOperation => ({ ...op, access: 'customer', tags });
const signIn = (op: Omit<ApiOperation, 'access' | 'tags' | 'rateLimited'>): ApiOperation => ({
  ...op,
  access: 'public',
  rateLimited: true,
  tags,
});
const notChangeable = 'Over, started or cancelled: no longer changeable online';

export const portalOperations: ApiOperation[] = [
  signIn({
    method: 'post',
    path: '/api/portal/sign-in',
    summary: 'Ask for a one-time sign-in link (email) or a six-digit code (SMS)',
    description:
      'The same 202 whether or not the address belongs to a customer (no account enumeration). A link works once for 15 minutes, a code once for 10 minutes and dies after 5 wrong guesses.',
    body: signInRequestBody,
    responses: { 202: 'If the address is known, the message is on its way' },
  }),
  signIn({
    method: 'post',
    path: '/api/portal/sign-in/link',
    summary: 'Sign in with the token from the emailed link (sets the af_portal cookie)',
    body: linkSignInBody,
    responses: { 200: 'Signed in: the customer and the CSRF token', 401: 'Link unknown, used or expired' },
  }),
  signIn({
    method: 'post',
    path: '/api/portal/sign-in/code',
    summary: 'Sign in with the code from the text message',
    body: codeSignInBody,
    responses: { 200: 'Signed in: the customer and the CSRF token', 401: 'Wrong, used or expired code' },
  }),
  signIn({
    method: 'post',
    path: '/api/portal/sign-in/manage-link',
    summary: "Sign in from a manage link sent to the customer's email or phone",
    body: linkSignInBody,
    responses: {
      200: "Signed in: the customer, the CSRF token and the link's `appointmentId` (the page may open its conversation)",
      401: 'Not a live link sent to the customer',
    },
  }),
  signedIn({
    method: 'get',
    path: '/api/portal/session',
    summary: 'Who is signed in, and the CSRF token',
    responses: { 200: 'The customer' },
  }),
  signedIn({
    method: 'delete',
    path: '/api/portal/session',
    summary: 'Sign out of this browser',
    responses: { 204: noContent('Signed out') },
  }),
  signedIn({
    method: 'post',
    path: '/api/portal/sign-out-everywhere',
    summary: 'End every session of this customer',
    responses: { 200: 'How many sessions ended' },
  }),
  signedIn({
    method: 'get',
    path: '/api/portal/appointments',
    summary: 'Upcoming and past appointments',
    responses: { 200: 'Appointments' },
  }),
  signedIn({
    method: 'get',
    path: '/api/portal/appointments/{id}/availability',
    summary: 'Free times to move an appointment to',
    params: portalIdParams,
    query: availabilityQuery,
    responses: { 200: 'Slots grouped by local date', 409: notChangeable },
  }),
  signedIn({
    method: 'post',
    path: '/api/portal/appointments/{id}/reschedule',
    rateLimited: true,
    summary: 'Reschedule (the manage link rules)',
    params: portalIdParams,
    body: manageRescheduleBody,
    responses: {
      200: 'Rescheduled',
      409: `Slot unavailable (with nextSlots), or ${notChangeable}`,
      422: 'A time in the past, or outside a membership',
    },
  }),
  signedIn({
    method: 'post',
    path: '/api/portal/appointments/{id}/cancel',
    rateLimited: true,
    summary: 'Cancel',
    params: portalIdParams,
    body: manageCancelBody,
    responses: { 200: 'Cancelled', 409: notChangeable },
  }),
  signedIn({
    method: 'get',
    path: '/api/portal/appointments/{id}/ics',
    summary: 'Add to calendar (iCalendar)',
    params: portalIdParams,
    responses: { 200: { description: 'The event', content: { 'text/calendar': { schema: z.string() } } } },
  }),
  signedIn({ method: 'get', path: '/api/portal/invoices', summary: 'Invoices', responses: { 200: 'Invoices' } }),
  signedIn({
    method: 'get',
    path: '/api/portal/invoices/{id}',
    summary: 'An invoice with its payments and refunds (format=json, or html or pdf as a download)',
    params: portalIdParams,
    query: invoiceQuery,
    responses: {
      200: {
        description: 'Invoice',
        content: {
          'application/json': { schema: z.object({}).loose() },
          'text/html': { schema: z.string() },
          'application/pdf': { schema: z.string() },
        },
      },
    },
  }),
  signedIn({
    method: 'post',
    path: '/api/portal/invoices/{id}/pay-link',
    summary: 'Pay an open invoice: a short-lived link to the pay page (`/manage/<token>/pay`)',
    params: portalIdParams,
    responses: { 201: 'The pay page URL', 404: 'Not your invoice', 409: 'Nothing owed' },
  }),
  signedIn({
    method: 'get',
    path: '/api/portal/cards',
    summary: 'Saved cards: brand, last four digits, expiry, and which one is on file for charges',
    responses: { 200: 'Cards' },
  }),
  signedIn({
    method: 'delete',
    path: '/api/portal/cards/{id}',
    summary: 'Remove a saved card (detached from the Stripe customer; no longer charged)',
    params: cardIdParams,
    responses: { 204: noContent('Removed'), 404: 'Not your card' },
  }),
  signedIn({
    method: 'get',
    path: '/api/portal/memberships',
    summary: 'Membership cards',
    responses: { 200: 'Memberships' },
  }),
  signedIn({
    method: 'get',
    path: '/api/portal/profile',
    summary: 'Profile, and details given with a booking that wait for confirmation',
    responses: { 200: 'Profile' },
  }),
  signedIn({
    method: 'patch',
    path: '/api/portal/profile',
    summary: 'Change name, email, phone, address, time zone, notes, SMS opt-in',
    body: profileBody,
    responses: { 200: 'What changed, and the profile', 409: 'Another customer uses that email' },
  }),
  signedIn({
    method: 'post',
    path: '/api/portal/waitlist',
    summary: 'Join the waitlist for a service (optional staff), dates, weekdays and times of day',
    body: portalWaitlistJoinSchema,
    responses: { 201: 'The entry', 422: 'That service is not offered' },
  }),
  signedIn({
    method: 'get',
    path: '/api/portal/waitlist',
    summary: 'My places on the waitlist that still wait',
    responses: { 200: 'Entries' },
  }),
  signedIn({
    method: 'delete',
    path: '/api/portal/waitlist/{id}',
    summary: 'Leave the waitlist (an open offer is released at once); again: the same',
    params: waitlistEntryParams,
    responses: {
      204: noContent('Left'),
      404: 'Not one of my places on the waitlist',
      409: 'That wait ended in a booking',
    },
  }),
  signedIn({
    method: 'post',
    path: '/api/portal/pending-details/{id}',
    summary: 'Confirm or decline details given with a booking',
    params: portalIdParams,
    body: pendingDetailsBody,
    responses: { 200: 'Applied or discarded' },
  }),

  signedIn({
    method: 'post',
    path: '/api/portal/attachments',
    summary: 'Upload a photo (JPEG, PNG, WebP) or a PDF, up to 10 MB, as the raw body',
    description:
      'The Content-Type must be the file type and match its signature bytes. Attach it with POST /api/portal/messages.',
    query: uploadQuery,
    body: {
      content: Object.fromEntries(
        ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'].map((t) => [
          t,
          { schema: z.string().describe('the file') },
        ]),
      ),
      required: true,
    },
    responses: {
      201: 'Stored; its id',
      413: 'Larger than 10 MB',
      415: 'Not an accepted type, or not really that type',
    },
  }),
  signedIn({
    method: 'get',
    path: '/api/portal/messages',
    summary: "The customer's conversation (optionally about one appointment); attachments with signed download links",
    query: threadQuery,
    responses: { 200: 'Messages' },
  }),
  signedIn({
    method: 'post',
    path: '/api/portal/messages',
    summary: 'Write to the business, optionally about an appointment, with uploaded attachments',
    body: conversationBody,
    responses: { 201: 'Sent', 404: 'Not your appointment', 422: 'An attachment is unknown or already sent' },
  }),
  {
    method: 'get',
    path: '/api/appointments/{id}/conversation',
    access: 'staff',
    tags,
    summary: "The customer's messages about this appointment (marks them read)",
    params: portalIdParams,
    responses: { 200: 'Messages' },
  },
  {
    method: 'post',
    path: '/api/appointments/{id}/conversation',
    access: 'staff',
    tags,
    summary: 'Answer the customer; they are told on their channel (SMS if opted in, else email)',
    params: portalIdParams,
    body: staffConversationBody,
    responses: { 201: 'Sent' },
  },
  {
    method: 'get',
    path: '/api/attachments/{id}',
    access: 'token',
    tags,
    summary: 'Download an attachment through its signed, short-lived link',
    params: portalIdParams,
    query: downloadQuery,
    responses: {
      200: { description: 'The file', content: { 'application/octet-stream': { schema: z.string() } } },
      403: 'The link expired or its signature is wrong',
    },
  },
];
