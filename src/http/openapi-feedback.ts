/**
 * OpenAPI paths of the customer feedback link (`/feedback/<token>` from the feedbackRequest message),
 * from the schema its route validates with.
 */
import type { OpenAPIRegistry, ResponseConfig, ZodRequestBody } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { feedbackBody } from './routes/feedback';

export function registerFeedbackPaths(
  registry: OpenAPIRegistry,
  common: { errors: Record<number, ResponseConfig>; json: (schema: z.ZodType) => ZodRequestBody },
): void {
  const { errors, json } = common;
  const params = z.object({ token: z.string().describe('The feedback token from the message link') });
  const answer = z.object({
    rating: z.number().int().min(1).max(5),
    comment: z.string(),
    mayPublish: z.boolean(),
    answeredAt: z.string(),
  });
  const gone = {
    410: {
      description: 'Expired link (also the old bare-appointment-id form) or a cancelled visit',
      ...json(z.object({}).loose()),
    },
  };
  const tags = ['Customer feedback'];
  registry.registerPath({
    method: 'get',
    path: '/api/feedback/{token}',
    tags,
    summary:
      'What the feedback link is about: service, staff first name, date in the customer zone, and the answer if given',
    request: { params },
    responses: {
      200: {
        description: 'The visit and whether it was already answered',
        ...json(
          z.object({
            business: z.object({ name: z.string() }),
            service: z.object({ name: z.string() }),
            staff: z.object({ firstName: z.string() }),
            startsAt: z.string(),
            timeZone: z.string(),
            when: z.string(),
            answered: answer.nullable(),
          }),
        ),
      },
      404: errors[404]!,
      ...gone,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/feedback/{token}',
    tags,
    summary:
      'Answer once: rating 1–5, comment (≤ 2000 characters), consent to publish. A rating ≤ 2 opens a staff follow-up',
    request: { params, body: json(feedbackBody) },
    responses: {
      201: { description: 'Recorded', ...json(z.object({ answer })) },
      200: { description: 'The same answer again: nothing changed', ...json(z.object({ answer })) },
      400: errors[400]!,
      404: errors[404]!,
      409: {
        description: 'Already answered differently (`answer` is the stored one)',
        ...json(z.object({}).loose()),
      },
      ...gone,
    },
  });
}
