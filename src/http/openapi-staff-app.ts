/**
 * OpenAPI entries for the admin web app's endpoints: staff sign-in (session cookie + CSRF token) and
 * the read models (calendar, pipeline board, staff, outbox, contacts, settings, appointment extras).
 * These accept either an API key or a staff session.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { calendarQuery, contactsQuery, membershipsQuery } from './routes/admin';
import { contactNotesBody, staffHoursBody, timeOffBody } from './routes/admin-changes';
import { signInBody } from './routes/staff-session';
import { serviceCreateBody, serviceUpdateBody } from './routes/admin-services';
import { localSmsReplyBody } from './routes/local-sms';

const error = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const ok = (description: string) => ({ 200: { description, ...json(z.object({}).loose()) } });
const errors = {
  400: { description: 'Invalid input; `fields` names each failing field', ...json(error) },
  401: { description: 'Not signed in / no valid API key', ...json(error) },
  403: { description: 'Missing CSRF token, or the role may not see this', ...json(error) },
};

export function registerStaffAppPaths(registry: OpenAPIRegistry): void {
  const session = registry.registerComponent('securitySchemes', 'staffSession', {
    type: 'apiKey',
    in: 'cookie',
    name: 'af_session',
    description:
      'Admin web app session (HttpOnly cookie from POST /api/session). State-changing requests must also send the session CSRF token in the x-csrf-token header.',
  });
  const secured = [{ apiKey: [] }, { [session.name]: [] }];
  const staff = z.object({
    accountId: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(['admin', 'staff', 'technician']),
    staffId: z.uuid().nullable(),
  });
  const signedIn = z.object({ staff, csrfToken: z.string() });

  registry.registerPath({
    method: 'post',
    path: '/api/session',
    summary: 'Staff sign-in: sets the session cookie; returns the CSRF token',
    request: { body: json(signInBody) },
    responses: {
      200: { description: 'Signed in', ...json(signedIn) },
      400: errors[400],
      401: { description: 'Wrong email or password', ...json(error) },
      429: { description: 'Too many failed attempts for this email from this address (Retry-After)', ...json(error) },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/session',
    summary: 'The signed-in staff member and the CSRF token',
    responses: { 200: { description: 'Signed in', ...json(signedIn) }, 401: errors[401] },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/session',
    summary: 'Sign out (needs x-csrf-token)',
    responses: { 204: { description: 'Signed out' }, 403: errors[403] },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/admin/calendar',
    summary:
      "Appointments overlapping a range (a technician gets their own only); with include=schedules also each staff member's working hours and time off in the range",
    security: secured,
    request: { query: calendarQuery },
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
      ...errors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/admin/board',
    summary: 'Pipeline board: appointments and memberships by stage',
    security: secured,
    responses: { ...ok('Columns'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/admin/staff',
    summary: 'Active staff members',
    security: secured,
    responses: { ...ok('Staff'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/admin/appointments/{id}/extras',
    summary: 'Tasks, invoices, payment attempts, billable minutes and membership of an appointment',
    security: secured,
    request: { params: z.object({ id: z.uuid() }) },
    responses: { ...ok('Extras'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/admin/memberships',
    summary:
      'Memberships (latest first): find one by certificate number (any spelling) or part of the name or email; filter by stage',
    security: secured,
    request: { query: membershipsQuery },
    responses: { ...ok('Memberships with plan, contact, stage and visits left'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/admin/messages',
    summary: 'Outbox: the latest emails and SMS with status',
    description: '`localSmsReplies`: true when SMS goes to the local outbox, so staff can try customer replies.',
    security: secured,
    responses: { ...ok('Messages'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/local/sms-replies',
    summary: "Try a customer's SMS reply (only while SMS goes to the local outbox)",
    description:
      "Handled exactly like a reply through Twilio's webhook (cancel, reschedule, a slot choice, STOP/START, else forwarded to staff); the answer is stored in the outbox and returned. 404 when Twilio is configured.",
    security: secured,
    request: { body: json(localSmsReplyBody) },
    responses: { 201: { description: 'What appointflow did and answered' }, ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/admin/contacts',
    summary: 'Contacts, optionally searched by name, email or phone',
    security: secured,
    request: { query: contactsQuery },
    responses: { ...ok('Contacts'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/admin/contacts/{id}',
    summary: 'A contact with appointments and history',
    security: secured,
    request: { params: z.object({ id: z.uuid() }) },
    responses: { ...ok('Contact'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/admin/settings',
    summary: 'Business, services, staff hours and time off',
    security: secured,
    responses: { ...ok('Settings'), ...errors },
  });
  const id = z.object({ id: z.uuid() });
  registry.registerPath({
    method: 'patch',
    path: '/api/admin/contacts/{id}',
    summary: "Replace a contact's staff notes",
    security: secured,
    request: { params: id, body: json(contactNotesBody) },
    responses: { ...ok('Contact'), ...errors },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/admin/staff/{id}/hours',
    summary: "Replace a staff member's weekly working hours (admin)",
    security: secured,
    request: { params: id, body: json(staffHoursBody) },
    responses: { ...ok('Hours'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/admin/time-off',
    summary: 'Add time off for a staff member (admin)',
    security: secured,
    request: { body: json(timeOffBody) },
    responses: { 201: { description: 'Time off', ...json(z.object({}).loose()) }, ...errors },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/admin/time-off/{id}',
    summary: 'Remove time off (admin)',
    security: secured,
    request: { params: id },
    responses: { 204: { description: 'Removed' }, ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/admin/services',
    summary: 'Services with every setting, their staff, stored and effective lifecycle policy, and the policy defaults',
    security: secured,
    responses: { ...ok('Services'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/admin/services/{id}',
    summary: 'One service, how many appointments refer to it, and its change history (who, when, what)',
    security: secured,
    request: { params: id },
    responses: { ...ok('Service'), ...errors, 404: { description: 'No such service', ...json(error) } },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/admin/services',
    summary:
      'Create a service (admin). lifecyclePolicy keys left out follow the defaults; unknown keys are refused (400 naming lifecyclePolicy.<key>)',
    security: secured,
    request: { body: json(serviceCreateBody) },
    responses: {
      201: { description: 'Service', ...json(z.object({}).loose()) },
      ...errors,
      409: { description: 'slug already used', ...json(error) },
      422: { description: 'Unknown staff member (staffIds.<i>)', ...json(error) },
    },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/admin/services/{id}',
    summary:
      'Change a service (admin): only the fields sent; lifecyclePolicy and staffIds replace the stored ones. Applies to new bookings; audited on the timeline',
    security: secured,
    request: { params: id, body: json(serviceUpdateBody) },
    responses: {
      ...ok('Service and the changes made (field → from, to)'),
      ...errors,
      404: { description: 'No such service', ...json(error) },
      409: { description: 'slug already used', ...json(error) },
      422: { description: 'Unknown staff member (staffIds.<i>)', ...json(error) },
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/admin/services/{id}',
    summary:
      'Remove a service (admin): archived (inactive, no longer offered) when appointments or membership plans refer to it, else deleted',
    security: secured,
    request: { params: id },
    responses: {
      ...ok('{ outcome: archived | deleted, service }'),
      ...errors,
      404: { description: 'No such service', ...json(error) },
    },
  });
}
