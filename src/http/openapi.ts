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
  const ok = (description: string) => ({ 200: { description, ...json(z.object({}).passthrough()) } });
  const token = z.object({ token: z.string() });
  const id = z.object({ id: z.uuid() });

  registry.registerPath({
    method: 'get',
    path: '/api/services',
    summary: 'Bookable services',
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
      201: { description: 'Booked; the appointment and its manage link', ...json(z.object({}).passthrough()) },
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
      200: { description: 'Received (or duplicate)', ...json(z.object({}).passthrough()) },
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
    responses: { 201: { description: 'Booked', ...json(z.object({}).passthrough()) }, ...errors },
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

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'appointflow API',
      version: '0.1.0',
      description: 'Booking, manage links and the appointment lifecycle.',
    },
  });
}
