/**
 * OpenAPI operations of the admin web app's endpoints: staff sign-in (session cookie + CSRF token),
 * the read models (calendar, pipeline board, staff, outbox, contacts, settings, appointment extras),
 * the admin's changes (contact notes, hours, time off, services) and the local SMS reply tool. All but
 * sign-in accept either an API key or a staff session.
 */
import { contactChannelsBody } from './routes/contact-channels';
import { z } from 'zod';
import { type ApiOperation, errorSchema, json, noContent } from './api-docs';
import { calendarQuery, contactsQuery, membershipsQuery, messagesQuery, staffListQuery } from './routes/admin';
import { frontDeskOperations } from './openapi-front-desk';
import { contactNotesBody, staffHoursBody, timeOffBody } from './routes/admin-changes';
import { signInBody } from './routes/staff-session';
import { serviceCreateBody, serviceUpdateBody } from './routes/admin-services';
import { localSmsReplyBody } from './routes/local-sms';

const id = z.object({ id: z.uuid() });
const staff = z.object({
  accountId: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'staff', 'technician']),
  staffId: z.uuid().nullable(),
});
const signedIn = z.object({ staff, csrfToken: z.string() });
const notSignedIn = { description: 'Not signed in', ...json(errorSchema) };

const session: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/session',
    access: 'public',
    rateLimited: true,
    summary: 'Staff sign-in: sets the session cookie; returns the CSRF token',
    description:
      'Throttled per account, per client address and across all accounts (against password spraying): 429 with Retry-After.',
    body: signInBody,
    responses: {
      200: { description: 'Signed in', ...json(signedIn) },
      401: { description: 'Wrong email or password', ...json(errorSchema) },
    },
  },
  {
    method: 'get',
    path: '/api/session',
    access: 'public',
    summary: 'The signed-in staff member and the CSRF token',
    responses: { 200: { description: 'Signed in', ...json(signedIn) }, 401: notSignedIn },
  },
  {
    method: 'delete',
    path: '/api/session',
    access: 'public',
    summary: 'Sign out (needs x-csrf-token)',
    responses: {
      204: noContent('Signed out'),
      403: { description: 'Missing or wrong CSRF token', ...json(errorSchema) },
    },
  },
];

const readModels: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/admin/calendar',
    access: 'staff',
    summary:
      "Appointments overlapping a range (a technician gets their own only); with include=schedules also each staff member's working hours and time off in the range",
    query: calendarQuery,
    responses: {
      200: {
        description:
          'Appointments, and with include=schedules the staff schedules (active staff, or the one asked for)',
        ...json(
          z.object({
            appointments: z.array(z.object({}).loose()),
            schedules: z
              .array(
                z.object({
                  staffId: z.uuid(),
                  staffName: z.string(),
                  timeZone: z.string(),
                  working: z.array(z.object({ startsAt: z.iso.datetime(), endsAt: z.iso.datetime() })),
                  timeOff: z.array(
                    z.object({ startsAt: z.iso.datetime(), endsAt: z.iso.datetime(), reason: z.string() }),
                  ),
                }),
              )
              .optional(),
          }),
        ),
      },
    },
  },
  {
    method: 'get',
    path: '/api/admin/board',
    access: 'staff',
    summary: 'Pipeline board: appointments and memberships by stage',
    responses: { 200: 'Columns' },
  },
  {
    method: 'get',
    path: '/api/admin/staff',
    access: 'staff',
    summary: 'Active staff members (with includeInactive=true also the deactivated), with role, zone and colour',
    query: staffListQuery,
    responses: { 200: 'Staff' },
  },
  {
    method: 'get',
    path: '/api/admin/appointments/{id}/extras',
    access: 'staff',
    summary: 'Tasks, invoices, payment attempts, billable minutes and membership of an appointment',
    description:
      '`files`: what the service asks the customer to send before the visit (`request`, null: nothing) and the files they sent about this appointment (`received`: name, type, size, when, a ten-minute signed download link). A technician sees only their own appointments.',
    params: id,
    responses: { 200: 'Extras' },
  },
  {
    method: 'get',
    path: '/api/admin/memberships',
    access: 'staff',
    summary:
      'Memberships (latest first): find one by certificate number (any spelling) or part of the name or email; filter by stage',
    query: membershipsQuery,
    responses: { 200: 'Memberships with plan, contact, stage and visits left' },
  },
  {
    method: 'get',
    path: '/api/admin/messages',
    access: 'staff',
    summary:
      'Messages sent (their text) and replies received, newest first; filters by channel, status (received: replies) and customer',
    description:
      '`entries`: sent (direction out) and received (in), with the customer; `messages`: the sent ones. `localSmsReplies`: true when SMS goes to the local outbox, so staff can try customer replies.',
    query: messagesQuery,
    responses: { 200: 'Messages' },
  },
  {
    method: 'get',
    path: '/api/admin/contacts',
    access: 'staff',
    summary:
      'Contacts: q finds any part of a name or email or the digits of a phone (indexed); recent=true the customers booked most recently',
    query: contactsQuery,
    responses: { 200: 'Contacts' },
  },
  {
    method: 'get',
    path: '/api/admin/contacts/{id}',
    access: 'staff',
    summary: 'A contact with appointments and history',
    params: id,
    responses: { 200: 'Contact' },
  },
  {
    method: 'get',
    path: '/api/admin/settings',
    access: 'staff',
    summary: 'Business, services, staff hours and time off',
    responses: { 200: 'Settings' },
  },
];

const changes: ApiOperation[] = [
  {
    method: 'patch',
    path: '/api/admin/contacts/{id}',
    access: 'staff',
    summary: "Replace a contact's staff notes",
    params: id,
    body: contactNotesBody,
    responses: { 200: 'Contact' },
  },
  {
    method: 'patch',
    path: '/api/admin/contacts/{id}/channels',
    access: 'staff',
    summary:
      "Set a contact's preferred channel (email, sms, whatsapp) and WhatsApp opt-in (recorded with time and staff source)",
    params: id,
    body: contactChannelsBody,
    responses: { 200: 'Contact', 404: 'Unknown contact', 422: 'WhatsApp opt-in without a phone number' },
  },
  {
    method: 'put',
    path: '/api/admin/staff/{id}/hours',
    access: 'staff',
    summary: "Replace a staff member's weekly working hours (admin)",
    params: id,
    body: staffHoursBody,
    responses: { 200: 'Hours', 422: 'Unknown staff member' },
  },
  {
    method: 'post',
    path: '/api/admin/time-off',
    access: 'staff',
    summary: 'Add time off for a staff member (admin)',
    body: timeOffBody,
    responses: { 201: 'Time off', 422: 'Unknown staff member' },
  },
  {
    method: 'delete',
    path: '/api/admin/time-off/{id}',
    access: 'staff',
    summary: 'Remove time off (admin)',
    params: id,
    responses: { 204: noContent('Removed') },
  },
  {
    method: 'get',
    path: '/api/admin/services',
    access: 'staff',
    summary: 'Services with every setting, their staff, stored and effective lifecycle policy, and the policy defaults',
    responses: { 200: 'Services' },
  },
  {
    method: 'get',
    path: '/api/admin/services/{id}',
    access: 'staff',
    summary: 'One service, how many appointments refer to it, and its change history (who, when, what)',
    params: id,
    responses: { 200: 'Service', 404: { description: 'No such service', ...json(errorSchema) } },
  },
  {
    method: 'post',
    path: '/api/admin/services',
    access: 'staff',
    summary:
      'Create a service (admin). lifecyclePolicy keys left out follow the defaults; unknown keys are refused (400 naming lifecyclePolicy.<key>)',
    body: serviceCreateBody,
    responses: { 201: 'Service', 409: 'slug already used', 422: 'Unknown staff member (staffIds.<i>)' },
  },
  {
    method: 'patch',
    path: '/api/admin/services/{id}',
    access: 'staff',
    summary:
      'Change a service (admin): only the fields sent; lifecyclePolicy and staffIds replace the stored ones. Applies to new bookings; audited on the timeline',
    params: id,
    body: serviceUpdateBody,
    responses: {
      200: 'Service and the changes made (field → from, to)',
      404: { description: 'No such service', ...json(errorSchema) },
      409: 'slug already used',
      422: 'Unknown staff member (staffIds.<i>)',
    },
  },
  {
    method: 'delete',
    path: '/api/admin/services/{id}',
    access: 'staff',
    summary:
      'Remove a service (admin): archived (inactive, no longer offered) when appointments or membership plans refer to it, else deleted',
    params: id,
    responses: {
      200: '{ outcome: archived | deleted, service }',
      404: { description: 'No such service', ...json(errorSchema) },
    },
  },
  {
    method: 'post',
    path: '/api/local/sms-replies',
    access: 'staff',
    summary: "Try a customer's SMS reply (only while SMS goes to the local outbox; staff sessions only)",
    description:
      "Handled exactly like a reply through Twilio's webhook (cancel, reschedule, a slot choice, STOP/START, else forwarded to staff); the answer is stored in the outbox and returned. 404 when Twilio is configured; 403 for API keys (a tool for people at the admin app).",
    body: localSmsReplyBody,
    responses: {
      201: 'What appointflow did and answered',
      404: { description: 'SMS goes through Twilio here', ...json(errorSchema) },
    },
  },
];

export const staffAppOperations: ApiOperation[] = [...session, ...readModels, ...changes, ...frontDeskOperations];
