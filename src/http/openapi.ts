/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with, served at
 * /api/openapi.json.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { registerStaffAppPaths } from './openapi-staff-app';
import {
  availabilityQuery,
  bookingSchema,
  cancelBody,
  completeTaskBody,
  manageCancelBody,
  manageRescheduleBody,
  noShowBody,
  reassignTaskBody,
  rescheduleBody,
  staffBookingSchema,
  startBody,
  taskListQuery,
} from './schemas';
import { deliveriesQuery, externalLinkBody, inboundSettingsBody } from './routes/integrations';
import { previewBody, templateBody, templateParams } from './routes/message-templates';
import { registerOutboundPaths } from './openapi-outbound';
import { registerFeedbackPaths } from './openapi-feedback';
import { extendValidityBody, membershipPlanBody, membershipPlanUpdateBody, membershipPurchaseBody } from './schemas';
import { reschedulePreviewBody } from './schemas';

const error = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

function json(schema: z.ZodType) {
  return { content: { 'application/json': { schema } } };
}

export function openApiDocument(): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An appointflow API key',
  });
  const errors = {
    400: { description: 'Invalid input; `fields` names each failing field', ...json(error) },
    404: { description: 'Unknown resource', ...json(error) },
    409: { description: 'Slot unavailable (with `nextSlots`) or not allowed in the current state', ...json(error) },
    422: { description: 'A request that cannot be met, e.g. a time in the past', ...json(error) },
  };
  const ok = (description: string) => ({ 200: { description, ...json(z.object({}).loose()) } });
  const token = z.object({ token: z.string() });
  const id = z.object({ id: z.uuid() });

  registry.registerPath({
    method: 'get',
    path: '/api/services',
    summary: 'Bookable services',
    description:
      'Active services with their current slug (`/book/<slug>`) and `formerSlugs`: addresses a service had before an admin renamed it, which keep leading to it.',
    responses: ok('Services'),
  });
  registry.registerPath({
    method: 'get',
    path: '/api/services/{serviceId}/availability',
    summary: 'Free slots over a date range, in the given time zone',
    request: { params: z.object({ serviceId: z.uuid() }), query: availabilityQuery },
    responses: { ...ok('Slots grouped by local date'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/bookings',
    summary: 'Guest booking',
    request: { body: json(bookingSchema) },
    responses: {
      201: { description: 'Booked; the appointment and its manage link', ...json(z.object({}).loose()) },
      ...errors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/manage/{token}',
    summary: 'The appointment behind a manage link',
    request: { params: token },
    responses: { ...ok('Appointment'), 410: { description: 'Dead link, with the reason', ...json(error) }, ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/manage/{token}/availability',
    request: { params: token, query: availabilityQuery },
    responses: { ...ok('Slots'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/manage/{token}/reschedule',
    description:
      'A membership visit must still start within its membership validity (422 `outside_membership_validity`, field `startsAt`) and a changed service must be covered (422 `service_not_covered`).',
    request: { params: token, body: json(manageRescheduleBody) },
    responses: { ...ok('Rescheduled'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/manage/{token}/cancel',
    request: { params: token, body: json(manageCancelBody) },
    responses: { ...ok('Cancelled'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/manage/{token}/invoice',
    summary: 'The invoice (format=json, or html as a download)',
    request: { params: token, query: z.object({ format: z.enum(['json', 'html']).optional() }) },
    responses: { ...ok('Invoice'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/manage/{token}/card',
    summary: 'Update the saved card: a SetupIntent with Stripe; a test payment method in simulated mode',
    request: { params: token, body: json(z.object({ paymentMethodId: z.string().optional() })) },
    responses: { ...ok('SetupIntent client secret, or the saved test card'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/webhooks/stripe',
    summary: 'Stripe events (Stripe-Signature verified, deduplicated by event id)',
    responses: {
      200: { description: 'Received (or duplicate)', ...json(z.object({}).loose()) },
      400: { description: 'Missing, forged, tampered or stale signature', ...json(error) },
    },
  });
  const secured = [{ [bearer.name]: [] }];
  registry.registerPath({
    method: 'post',
    path: '/api/appointments',
    summary: 'Book for a caller (staff or external system)',
    security: secured,
    request: { body: json(staffBookingSchema) },
    responses: { 201: { description: 'Booked', ...json(z.object({}).loose()) }, ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/appointments/{id}',
    security: secured,
    request: { params: id },
    responses: { ...ok('Appointment, timeline, messages, workflow state'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/appointments/{id}/messages',
    security: secured,
    request: { params: id },
    responses: { ...ok('Messages with delivery status'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/appointments/{id}/reschedule',
    description:
      'A membership visit must still start within its membership validity (422 `outside_membership_validity`, field `startsAt`) and a changed service must be covered (422 `service_not_covered`).',
    security: secured,
    request: { params: id, body: json(rescheduleBody) },
    responses: { ...ok('Rescheduled'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/appointments/{id}/cancel',
    security: secured,
    request: { params: id, body: json(cancelBody) },
    responses: { ...ok('Cancelled'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/appointments/{id}/no-show',
    security: secured,
    request: { params: id, body: json(noShowBody) },
    responses: { ...ok('Marked as no-show'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/appointments/{id}/start',
    security: secured,
    request: { params: id, body: json(startBody) },
    responses: { ...ok('Service started'), ...errors },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/tasks',
    summary: 'Tasks, overdue first',
    security: secured,
    request: { query: taskListQuery },
    responses: { ...ok('Tasks'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/tasks/{id}/complete',
    summary: 'Complete a task with its form (billable minutes, charge amount)',
    security: secured,
    request: { params: id, body: json(completeTaskBody) },
    responses: { ...ok('Task and workflow state'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/tasks/{id}/reassign',
    security: secured,
    request: { params: id, body: json(reassignTaskBody) },
    responses: { ...ok('Task'), ...errors },
  });
  registerStaffAppPaths(registry);

  // Inbound integrations (issue 7).
  registry.registerPath({
    method: 'post',
    path: '/webhooks/integrations/{platform}',
    summary: 'Inbound webhook of a configured platform, verified by its adapter (401/403 when not verified)',
    request: { params: z.object({ platform: z.string() }) },
    responses: { ...ok('Received (per-event outcome, duplicates marked)'), ...errors },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/integrations/{platform}/inbound',
    summary: 'Configure an inbound platform (secrets, vendor API base, options)',
    security: secured,
    request: { params: z.object({ platform: z.string() }), body: json(inboundSettingsBody) },
    responses: { ...ok('Platform and the webhook URL to register'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/integrations/links',
    summary: 'Link a platform’s external id to an appointment',
    security: secured,
    request: { body: json(externalLinkBody) },
    responses: { ...ok('Link'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/integrations/deliveries',
    summary: 'Inbound deliveries, newest first (verified, duplicate, outcome)',
    security: secured,
    request: { query: deliveriesQuery },
    responses: { ...ok('Deliveries'), ...errors },
  });
  // Messaging (issue 8): delivery status, message templates, provider webhooks.
  registry.registerPath({
    method: 'get',
    path: '/api/appointments/{id}/messages',
    summary: 'Every message of the appointment with its delivery status (queued, sent, delivered, bounced, failed)',
    security: secured,
    request: { params: id },
    responses: { ...ok('Messages'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/message-templates',
    summary: 'Message templates per event and channel, and whether staff overrode them',
    security: secured,
    responses: ok('Templates'),
  });
  registry.registerPath({
    method: 'get',
    path: '/api/message-templates/{event}/{channel}',
    summary: 'A template: its variables, the override and the default rendered with sample data',
    security: secured,
    request: { params: templateParams },
    responses: { ...ok('Template'), ...errors },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/message-templates/{event}/{channel}',
    summary: 'Save a Handlebars override (422 names unknown variables or an SMS over two segments)',
    security: secured,
    request: { params: templateParams, body: json(templateBody) },
    responses: { ...ok('Saved, with a preview'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/message-templates/{event}/{channel}/preview',
    summary: 'Render a draft (or the current template) with sample data',
    security: secured,
    request: { params: templateParams, body: json(previewBody) },
    responses: { ...ok('Preview'), ...errors },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/message-templates/{event}/{channel}',
    summary: 'Reset to the built-in default',
    security: secured,
    request: { params: templateParams },
    responses: { 204: { description: 'Reset' }, ...errors },
  });
  for (const [path, summary] of [
    ['/webhooks/twilio/sms', 'Twilio inbound SMS (X-Twilio-Signature); answers TwiML'],
    ['/webhooks/twilio/status', 'Twilio message status callback (X-Twilio-Signature)'],
    ['/webhooks/sendgrid/events', 'SendGrid Event Webhook (ECDSA signature + timestamp headers)'],
    ['/webhooks/sendgrid/inbound/{secret}', 'SendGrid Inbound Parse (multipart form; secret in the URL)'],
  ] as const) {
    registry.registerPath({
      method: 'post',
      path,
      summary,
      responses: {
        200: { description: 'Processed, or a redelivery that changed nothing' },
        400: { description: 'Invalid body or stale timestamp', ...json(error) },
        403: { description: 'Signature or secret does not match; nothing changed', ...json(error) },
        404: { description: 'Not configured', ...json(error) },
      },
    });
  }
  registerOutboundPaths(registry, { secured, errors, ok, json });
  registerFeedbackPaths(registry, { errors, json });
  // Memberships (issue 5)
  // Staff reschedule: preview of the message the customer would get (edited, then sent with the reschedule).
  registry.registerPath({
    method: 'post',
    path: '/api/appointments/{id}/reschedule/preview',
    summary:
      'The reschedule email and SMS the customer would get for the new time (rendered, not sent); `{manage-link}` is filled in when sent',
    security: secured,
    request: { params: id, body: json(reschedulePreviewBody) },
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
      ...errors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/membership-plans',
    summary: 'Membership plans for sale',
    responses: ok('Plans'),
  });
  registry.registerPath({
    method: 'post',
    path: '/api/membership-plans',
    summary: 'Create a membership plan (admin; audited as membership_plan:created)',
    security: secured,
    request: { body: json(membershipPlanBody) },
    responses: { 201: { description: 'Created', ...json(z.object({}).loose()) }, ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/memberships',
    summary: 'Buy a membership: charges the card, issues the certificate number (idempotent on idempotencyKey)',
    request: { body: json(membershipPurchaseBody) },
    responses: {
      201: { description: 'Bought; the membership card', ...json(z.object({}).loose()) },
      200: { description: 'The same purchase again; the first membership', ...json(z.object({}).loose()) },
      402: { description: 'The card was declined', ...json(error) },
      ...errors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/memberships/certificates/{certificateNumber}',
    summary: 'The membership card by certificate number',
    request: { params: z.object({ certificateNumber: z.string() }) },
    responses: { ...ok('Membership card'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/memberships/{id}',
    summary: 'The membership card with the workflow state',
    security: secured,
    request: { params: id },
    responses: { ...ok('Membership card and workflow state'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/memberships/{id}/extend',
    summary: 'Move the end of validity',
    description:
      'Extends or shortens the validity (an instant, or the end of a date in the membership time zone). Refused with 422 when it would end before a booked visit or before it starts, or when the membership has expired. Answers once the membership workflow has written the change, with the card showing it.',
    security: secured,
    request: { params: id, body: json(extendValidityBody) },
    responses: { ...ok('Membership card'), ...errors },
  });
  // Membership plans in the admin app (routes/membership-plans.ts).
  registry.registerPath({
    method: 'get',
    path: '/api/admin/membership-plans',
    summary: 'Every membership plan, retired ones included, with memberships sold and active (staff)',
    security: secured,
    responses: ok('Plans'),
  });
  registry.registerPath({
    method: 'get',
    path: '/api/admin/membership-plans/{id}',
    summary: 'One membership plan with its audit trail (staff)',
    security: secured,
    request: { params: id },
    responses: { ...ok('Plan and history'), ...errors },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/membership-plans/{id}',
    summary: 'Change a membership plan (admin; audited)',
    description:
      'Name, description and price apply to new purchases only (a membership keeps the name and price it was sold with); active: false retires the plan (no longer for sale), true offers it again. Visits, validity, covered services and the visit policy may change only while the plan has sold nothing: otherwise 409 plan_terms_locked naming the field (create a new plan instead). 404 for an unknown plan, 422 for an unknown service.',
    security: secured,
    request: { params: id, body: json(membershipPlanUpdateBody) },
    responses: { ...ok('The plan and the fields changed (from, to)'), ...errors },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'appointflow API',
      version: '0.1.0',
      description: 'Booking, manage links and the appointment lifecycle.',
    },
  });
}
