/**
 * OpenAPI operations of the staff API (API key or admin app session): appointments, tasks, staff
 * membership endpoints and plans, message templates and inbound integrations — from the schemas the
 * routes validate with.
 */
import { z } from 'zod';
import { type ApiOperation, json, noContent } from './api-docs';
import { deliveriesQuery, externalLinkBody, inboundSettingsBody, platformName } from './routes/integrations';
import { previewBody, templateBody, templateParams } from './routes/message-templates';
import {
  cancelBody,
  completeTaskBody,
  extendValidityBody,
  membershipPlanBody,
  membershipPlanUpdateBody,
  noShowBody,
  reassignTaskBody,
  rescheduleBody,
  reschedulePreviewBody,
  staffBookingSchema,
  startBody,
  taskListQuery,
} from './schemas';

const id = z.object({ id: z.uuid() });
const platform = z.object({ platform: platformName });
const conflict = 'Slot unavailable (with `nextSlots`) or not allowed in the current state';
const unmet = 'A request that cannot be met, e.g. a time in the past';
const visitMove =
  'A membership visit must still start within its membership validity (422 `outside_membership_validity`, field `startsAt`) and a changed service must be covered (422 `service_not_covered`).';

const appointments: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/appointments',
    access: 'staff',
    summary: 'Book for a caller (staff or external system)',
    body: staffBookingSchema,
    responses: { 201: 'Booked', 409: conflict, 422: unmet },
  },
  {
    method: 'get',
    path: '/api/appointments/{id}',
    access: 'staff',
    params: id,
    responses: { 200: 'Appointment, timeline, messages, workflow state' },
  },
  {
    method: 'get',
    path: '/api/appointments/{id}/messages',
    access: 'staff',
    summary: 'Every message of the appointment with its delivery status (queued, sent, delivered, bounced, failed)',
    params: id,
    responses: { 200: 'Messages' },
  },
  {
    method: 'post',
    path: '/api/appointments/{id}/reschedule',
    access: 'staff',
    description: visitMove,
    params: id,
    body: rescheduleBody,
    responses: { 200: 'Rescheduled', 409: conflict, 422: unmet },
  },
  {
    method: 'post',
    path: '/api/appointments/{id}/reschedule/preview',
    access: 'staff',
    summary:
      'The reschedule email and SMS the customer would get for the new time (rendered, not sent); `{manage-link}` is filled in when sent',
    params: id,
    body: reschedulePreviewBody,
    responses: {
      200: {
        description: 'Rendered texts',
        ...json(
          z.object({
            startsAt: z.string(),
            staffId: z.string(),
            email: z.object({ subject: z.string(), body: z.string() }),
            sms: z.string(),
            smsSeptets: z.number(),
            smsSegments: z.number(),
            manageLinkSeptets: z.number(),
            smsWillSend: z.boolean(),
            placeholders: z.record(z.string(), z.string()),
          }),
        ),
      },
      409: conflict,
      422: unmet,
    },
  },
  {
    method: 'post',
    path: '/api/appointments/{id}/cancel',
    access: 'staff',
    params: id,
    body: cancelBody,
    responses: { 200: 'Cancelled', 409: conflict, 422: unmet },
  },
  {
    method: 'post',
    path: '/api/appointments/{id}/no-show',
    access: 'staff',
    params: id,
    body: noShowBody,
    responses: { 200: 'Marked as no-show', 409: conflict, 422: unmet },
  },
  {
    method: 'post',
    path: '/api/appointments/{id}/start',
    access: 'staff',
    params: id,
    body: startBody,
    responses: { 200: 'Service started', 409: conflict, 422: unmet },
  },
];

const tasks: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/tasks',
    access: 'staff',
    summary:
      'Tasks, overdue first; an open deliver task carries `deliver`: whether it can be completed now, or why not',
    query: taskListQuery,
    responses: { 200: 'Tasks' },
  },
  {
    method: 'post',
    path: '/api/tasks/{id}/complete',
    access: 'staff',
    summary: 'Complete a task with its form (billable minutes, charge amount)',
    params: id,
    body: completeTaskBody,
    responses: {
      200: 'Task and workflow state',
      409: 'Not allowed in the current state, or `delivery_not_yet_due`: the service has not started nor is within its window before the start',
      422: unmet,
    },
  },
  {
    method: 'post',
    path: '/api/tasks/{id}/reassign',
    access: 'staff',
    params: id,
    body: reassignTaskBody,
    responses: { 200: 'Task', 409: 'The task is no longer open', 422: 'Unknown staff member' },
  },
];

const memberships: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/memberships/{id}',
    access: 'staff',
    summary: 'The membership card with the workflow state',
    params: id,
    responses: { 200: 'Membership card and workflow state' },
  },
  {
    method: 'post',
    path: '/api/memberships/{id}/extend',
    access: 'staff',
    summary: 'Move the end of validity',
    description:
      'Extends or shortens the validity (an instant, or the end of a date in the membership time zone). Refused with 422 when it would end before a booked visit or before it starts, or when the membership has expired. Answers once the membership workflow has written the change, with the card showing it.',
    params: id,
    body: extendValidityBody,
    responses: { 200: 'Membership card', 409: 'Not allowed in the current state', 422: unmet },
  },
  {
    method: 'post',
    path: '/api/membership-plans',
    access: 'staff',
    summary: 'Create a membership plan (admin; audited as membership_plan:created)',
    body: membershipPlanBody,
    responses: { 201: 'Created', 422: 'Unknown service' },
  },
  {
    method: 'patch',
    path: '/api/membership-plans/{id}',
    access: 'staff',
    summary: 'Change a membership plan (admin; audited)',
    description:
      'Name, description and price apply to new purchases only (a membership keeps the name and price it was sold with); active: false retires the plan (no longer for sale), true offers it again. Visits, validity, covered services and the visit policy may change only while the plan has sold nothing: otherwise 409 plan_terms_locked naming the field (create a new plan instead). 404 for an unknown plan, 422 for an unknown service.',
    params: id,
    body: membershipPlanUpdateBody,
    responses: { 200: 'The plan and the fields changed (from, to)', 409: 'plan_terms_locked', 422: 'Unknown service' },
  },
  {
    method: 'get',
    path: '/api/admin/membership-plans',
    access: 'staff',
    summary: 'Every membership plan, retired ones included, with memberships sold and active (staff)',
    responses: { 200: 'Plans' },
  },
  {
    method: 'get',
    path: '/api/admin/membership-plans/{id}',
    access: 'staff',
    summary: 'One membership plan with its audit trail (staff)',
    params: id,
    responses: { 200: 'Plan and history' },
  },
];

const templates: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/message-templates',
    access: 'staff',
    summary: 'Message templates per event and channel, and whether staff overrode them',
    responses: { 200: 'Templates' },
  },
  {
    method: 'get',
    path: '/api/message-templates/{event}/{channel}',
    access: 'staff',
    summary: 'A template: its variables, the override and the default rendered with sample data',
    params: templateParams,
    responses: { 200: 'Template' },
  },
  {
    method: 'put',
    path: '/api/message-templates/{event}/{channel}',
    access: 'staff',
    summary: 'Save a Handlebars override (422 names unknown variables or an SMS over two segments)',
    params: templateParams,
    body: templateBody,
    responses: { 200: 'Saved, with a preview', 422: 'Invalid template' },
  },
  {
    method: 'post',
    path: '/api/message-templates/{event}/{channel}/preview',
    access: 'staff',
    summary: 'Render a draft (or the current template) with sample data',
    params: templateParams,
    body: previewBody,
    responses: { 200: 'Preview', 422: 'Invalid template' },
  },
  {
    method: 'delete',
    path: '/api/message-templates/{event}/{channel}',
    access: 'staff',
    summary: 'Reset to the built-in default',
    params: templateParams,
    responses: { 204: noContent('Reset') },
  },
];

const integrations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/integrations',
    access: 'staff',
    summary: 'Inbound platforms: the known ones and the configured ones (enabled, vendor API base, options)',
    responses: { 200: 'Platforms' },
  },
  {
    method: 'put',
    path: '/api/integrations/{platform}/inbound',
    access: 'staff',
    summary: 'Configure an inbound platform (secrets, vendor API base, options)',
    params: platform,
    body: inboundSettingsBody,
    responses: { 200: 'Platform and the webhook URL to register' },
  },
  {
    method: 'post',
    path: '/api/integrations/links',
    access: 'staff',
    summary: 'Link a platform’s external id to an appointment',
    body: externalLinkBody,
    responses: { 201: 'Link', 404: 'Unknown appointment' },
  },
  {
    method: 'get',
    path: '/api/integrations/deliveries',
    access: 'staff',
    summary: 'Inbound deliveries, newest first (verified, duplicate, outcome)',
    query: deliveriesQuery,
    responses: { 200: 'Deliveries' },
  },
];

export const staffOperations: ApiOperation[] = [
  ...appointments,
  ...tasks,
  ...memberships,
  ...templates,
  ...integrations,
];
