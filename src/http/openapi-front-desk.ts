/**
 * OpenAPI operations of the front desk and technician endpoints of issue 15: staff management and
 * invitations, time off conflicts, a technician's "on my way". From the schemas the routes validate with.
 */
import { z } from 'zod';
import { type ApiOperation, errorSchema, json } from './api-docs';
import { invitationAcceptBody, staffCreateBody, staffUpdateBody, tokenParams } from './routes/admin-staff';
import { timeOffConflictsQuery } from './routes/admin-changes';
import { onMyWayBody } from './routes/technician';
import { assigneeBody, inboxParams, inboxQuery } from './routes/inbox';
import { staffConversationBody } from './routes/conversations';

const id = z.object({ id: z.uuid() });
const refusal = (description: string) => ({ description, ...json(errorSchema) });
const tags = ['Staff management'];

export const frontDeskOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/admin/staff/{id}',
    access: 'staff',
    tags,
    summary:
      'A staff member: fields, services, sign-in account, latest invitation, booked appointments, change history',
    params: id,
    responses: { 200: 'Staff member', 404: refusal('No such staff member') },
  },
  {
    method: 'post',
    path: '/api/admin/staff',
    access: 'staff',
    tags,
    summary: 'Add a staff member (admin); audited as staff:created',
    body: staffCreateBody,
    responses: {
      201: 'Added',
      409: refusal('Another staff member has this email (field email)'),
      422: refusal('Unknown service (serviceIds.<i>)'),
    },
  },
  {
    method: 'patch',
    path: '/api/admin/staff/{id}',
    access: 'staff',
    tags,
    summary:
      'Change a staff member (admin): the fields sent; active false deactivates (their sign-in ends; their booked appointments are listed as futureAppointments for reassignment); audited',
    params: id,
    body: staffUpdateBody,
    responses: {
      200: 'staff, changes (field → from, to), futureAppointments',
      404: refusal('No such staff member'),
      409: refusal('Another staff member has this email'),
      422: refusal('Unknown service, or deactivating / demoting yourself'),
    },
  },
  {
    method: 'post',
    path: '/api/admin/staff/{id}/invite',
    access: 'staff',
    tags,
    summary: 'Email a one-use link (7 days) to set a password (admin); audited as staff:invited',
    params: id,
    responses: {
      201: 'invitation: messageId, expiresAt, sent',
      404: refusal('No such staff member'),
      409: refusal('Another sign-in uses this email'),
      422: refusal('The staff member is deactivated'),
    },
  },
  {
    method: 'get',
    path: '/api/staff-invitations/{token}',
    access: 'token',
    tags,
    summary: 'Who an invitation link is for (the token is the credential)',
    params: tokenParams,
    responses: { 200: 'invitation: name, email', 410: refusal('Used, expired or replaced by a newer invitation') },
  },
  {
    method: 'post',
    path: '/api/staff-invitations/{token}',
    access: 'token',
    tags,
    summary: 'Set the password: creates the sign-in account (or replaces its password); the link is then used up',
    params: tokenParams,
    body: invitationAcceptBody,
    responses: { 200: 'invitation: name, email', 410: refusal('Used, expired or replaced by a newer invitation') },
  },
  {
    method: 'get',
    path: '/api/admin/time-off/conflicts',
    access: 'staff',
    summary: "The staff member's appointments booked in a time off range (listed before saving it)",
    query: timeOffConflictsQuery,
    responses: { 200: 'booked', 422: refusal('Unknown staff member (staffId)') },
  },
  {
    method: 'post',
    path: '/api/appointments/{id}/on-my-way',
    access: 'staff',
    summary:
      'A technician is on the way: the customer gets an SMS (opted in) or email with the arrival time; once per appointment revision and ETA',
    params: id,
    body: onMyWayBody,
    responses: {
      201: 'message: messageId, channel, sent, text',
      404: refusal('No such appointment'),
      409: refusal('The appointment is no longer scheduled'),
    },
  },
  // The Messages inbox (issue 16): read marks per signed-in staff account.
  {
    method: 'get',
    path: '/api/admin/inbox',
    access: 'staff',
    tags: ['Messages inbox'],
    summary: 'Customer threads: last message, my unread count, assignee, needs reply / waiting on customer (filters)',
    query: inboxQuery,
    responses: { 200: 'Threads', 403: refusal('Not a staff session, or a technician') },
  },
  {
    method: 'get',
    path: '/api/admin/inbox/unread',
    access: 'staff',
    tags: ['Messages inbox'],
    summary: 'How many customer messages I have not read (the nav badge)',
    responses: { 200: 'Unread count' },
  },
  {
    method: 'get',
    path: '/api/admin/inbox/{contactId}',
    access: 'staff',
    tags: ['Messages inbox'],
    summary: "A customer's thread; opening it marks it read for me",
    params: inboxParams,
    responses: { 200: 'Thread', 404: refusal('No such contact') },
  },
  {
    method: 'post',
    path: '/api/admin/inbox/{contactId}/messages',
    access: 'staff',
    tags: ['Messages inbox'],
    summary: 'Answer the customer from the inbox (told on their channel with the portal link); reads the thread',
    params: inboxParams,
    body: staffConversationBody,
    responses: { 201: 'The message id', 404: refusal('No such contact') },
  },
  {
    method: 'put',
    path: '/api/admin/inbox/{contactId}/assignee',
    access: 'staff',
    tags: ['Messages inbox'],
    summary: 'Assign the thread to a staff member (or null: unassign)',
    params: inboxParams,
    body: assigneeBody,
    responses: { 204: { description: 'Assigned' }, 422: refusal('Unknown staff member (staffId)') },
  },
];
