/**
 * OpenAPI operations of scheduling depth (issue 17): staff calendar connections and their push
 * notifications, recurring series, and the waitlist — from the schemas their routes validate with.
 */
import { z } from 'zod';
import { type ApiOperation, anyObject, json, noContent } from './api-docs';
import { CALENDAR_PROVIDERS } from '../calendars/providers';
import { seriesBookingSchema, seriesCancelBody, seriesRescheduleBody, staffSeriesBookingSchema } from './routes/series';
import { staffWaitlistJoinSchema, waitlistEntryParams, waitlistJoinSchema } from './routes/waitlist';
import { uuid } from './schemas';
import { text } from './text';
import { callbackQuery } from './routes/calendar-connections';

const id = z.object({ id: uuid });
const token = z.object({ token: text(100, { min: 1 }) });
const staffCalendar = z.object({ id: uuid, provider: z.enum(CALENDAR_PROVIDERS) });
const conflict = {
  description:
    'series_conflict: visits that cannot be booked or moved (index, startsAt, alternatives); nothing was changed',
  ...json(anyObject),
};
const calendars = ['Staff calendars'];
const series = ['Recurring series'];
const waitlist = ['Waitlist'];

export const schedulingOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/admin/calendar-connections',
    access: 'staff',
    tags: calendars,
    summary: 'Connected Google / Outlook calendars (status, account, last error) and the providers set up',
    responses: { 200: 'Providers and connections' },
  },
  {
    method: 'post',
    path: '/api/admin/staff/{id}/calendar/{provider}/connect',
    access: 'staff',
    tags: calendars,
    summary: 'Start connecting a staff member’s calendar: the vendor’s consent URL (OAuth 2 with PKCE)',
    params: staffCalendar,
    body: anyObject,
    responses: { 201: 'authorizationUrl to send the browser to', 422: 'The provider is not set up here' },
  },
  {
    method: 'delete',
    path: '/api/admin/staff/{id}/calendar/{provider}',
    access: 'staff',
    tags: calendars,
    summary: 'Disconnect: stop push notifications, revoke the grant (Google), forget the tokens',
    params: staffCalendar,
    responses: { 204: noContent('Disconnected') },
  },
  {
    method: 'get',
    path: '/oauth/calendar/callback',
    access: 'public',
    tags: calendars,
    summary: 'Where the vendor sends the browser back (code, state); redirects to Settings → Calendars',
    query: callbackQuery,
    responses: { 302: { description: 'To /admin/settings/calendars?connected=… or ?error=…' } },
  },
  {
    method: 'post',
    path: '/webhooks/calendar-busy/google',
    access: 'webhook',
    tags: calendars,
    summary: 'Google Calendar push notification (X-Goog-Channel-ID / -Token): the busy cache is refreshed',
    responses: { 200: 'Noted', 401: 'Channel token mismatch', 404: 'Unknown channel' },
  },
  {
    method: 'post',
    path: '/webhooks/calendar-busy/microsoft',
    access: 'webhook',
    tags: calendars,
    summary: 'Microsoft Graph change notification (clientState checked) or subscription validation',
    body: anyObject,
    responses: { 200: 'The validation token echoed', 202: noContent('Noted'), 401: 'clientState mismatch' },
  },
  {
    method: 'post',
    path: '/api/bookings/series',
    access: 'public',
    tags: series,
    summary: 'Book a recurring series in one go (every N days/weeks/months, count or until); all or nothing',
    body: seriesBookingSchema,
    responses: { 201: 'The series and each visit’s manage link', 409: conflict },
  },
  {
    method: 'post',
    path: '/api/appointments/series',
    access: 'staff',
    tags: series,
    summary: 'Book a recurring series for a caller (naming the channel); all or nothing',
    body: staffSeriesBookingSchema,
    responses: { 201: 'The series and each visit’s manage link', 409: conflict },
  },
  {
    method: 'get',
    path: '/api/series/{id}',
    access: 'staff',
    tags: series,
    summary: 'A series: rule and every visit with its status',
    params: id,
    responses: { 200: 'The series' },
  },
  {
    method: 'get',
    path: '/api/admin/appointments/{id}/series',
    access: 'staff',
    tags: series,
    summary: 'The series this visit belongs to (null for a single appointment), for the appointment card',
    params: id,
    responses: { 200: 'The series or null' },
  },
  {
    method: 'post',
    path: '/api/appointments/{id}/series/cancel',
    access: 'staff',
    tags: series,
    summary: 'Cancel this visit, or this and the following ones (one workflow update each)',
    params: id,
    body: seriesCancelBody,
    responses: { 200: 'The visits cancelled now and the series' },
  },
  {
    method: 'post',
    path: '/api/appointments/{id}/series/reschedule',
    access: 'staff',
    tags: series,
    summary: 'Move this visit, or it and the following ones by the same change (all checked first)',
    params: id,
    body: seriesRescheduleBody,
    responses: { 200: 'The visits moved now and the series', 409: conflict },
  },
  {
    method: 'get',
    path: '/api/manage/{token}/series',
    access: 'token',
    tags: series,
    summary: 'The series of the visit this manage link opens',
    params: token,
    responses: { 200: 'The series', 410: 'Dead link' },
  },
  {
    method: 'post',
    path: '/api/manage/{token}/series/cancel',
    access: 'token',
    tags: series,
    summary: 'The customer cancels this visit, or this and the following ones',
    params: token,
    body: seriesCancelBody,
    responses: { 200: 'The visits cancelled now', 410: 'Dead link' },
  },
  {
    method: 'post',
    path: '/api/manage/{token}/series/reschedule',
    access: 'token',
    tags: series,
    summary: 'The customer moves this visit, or it and the following ones',
    params: token,
    body: seriesRescheduleBody,
    responses: { 200: 'The visits moved now', 409: conflict, 410: 'Dead link' },
  },
  {
    method: 'post',
    path: '/api/waitlist',
    access: 'public',
    tags: waitlist,
    summary: 'Join the waitlist for a service (optional staff), dates, weekdays and times of day',
    body: waitlistJoinSchema,
    responses: { 201: 'The entry' },
  },
  {
    method: 'post',
    path: '/api/admin/waitlist',
    access: 'staff',
    tags: waitlist,
    summary: 'Add a caller to the waitlist (naming the channel)',
    body: staffWaitlistJoinSchema,
    responses: { 201: 'The entry' },
  },
  {
    method: 'get',
    path: '/api/admin/waitlist',
    access: 'staff',
    tags: waitlist,
    summary: 'The line (oldest first) and every offer made',
    responses: { 200: 'Entries and offers' },
  },
  {
    method: 'delete',
    path: '/api/admin/waitlist/{id}',
    access: 'staff',
    tags: waitlist,
    summary: 'Take someone off the waitlist (an open offer is released at once); again: the same',
    params: waitlistEntryParams,
    responses: { 204: { description: 'Left' }, 404: 'No such entry', 409: 'That wait ended in a booking' },
  },
  {
    method: 'get',
    path: '/api/waitlist/offers/{token}',
    access: 'token',
    tags: waitlist,
    summary: 'An offer from its one-tap link: the held time and whether it is still open',
    params: token,
    responses: { 200: 'The offer' },
  },
  {
    method: 'post',
    path: '/api/waitlist/offers/{token}/claim',
    access: 'token',
    tags: waitlist,
    summary: 'Claim the held time: booked through the normal path (again: the same appointment)',
    params: token,
    responses: { 201: 'The appointment and its manage link', 409: 'No longer free', 410: 'The hold ran out' },
  },
  {
    method: 'post',
    path: '/api/waitlist/offers/{token}/leave',
    access: 'token',
    tags: waitlist,
    summary: 'No thanks: leave the waitlist from the offer link (the held time is released at once)',
    params: token,
    responses: { 204: { description: 'Left' }, 404: 'Not a valid link', 409: 'That wait ended in a booking' },
  },
];
