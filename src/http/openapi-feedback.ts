/**
 * OpenAPI operations of the customer feedback link (`/feedback/<token>` from the feedbackRequest
 * message), from the schema its route validates with.
 */
import { z } from 'zod';
import { type ApiOperation, anyObject, json } from './api-docs';
import { feedbackBody, feedbackTokenParams } from './routes/feedback';

const params = feedbackTokenParams;
const answer = z.object({
  rating: z.number().int().min(1).max(5),
  comment: z.string(),
  mayPublish: z.boolean(),
  answeredAt: z.string(),
});
const gone = {
  description: 'Expired link (also the old bare-appointment-id form) or a cancelled visit',
  ...json(anyObject),
};
const tags = ['Customer feedback'];

export const feedbackOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/feedback/{token}',
    access: 'token',
    rateLimited: true,
    tags,
    summary:
      'What the feedback link is about: service, staff first name, date in the customer zone, and the answer if given',
    params,
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
      410: gone,
    },
  },
  {
    method: 'post',
    path: '/api/feedback/{token}',
    access: 'token',
    rateLimited: true,
    tags,
    summary:
      'Answer once: rating 1–5, comment (≤ 2000 characters), consent to publish. A rating ≤ 2 opens a staff follow-up',
    params,
    body: feedbackBody,
    responses: {
      201: { description: 'Recorded', ...json(z.object({ answer })) },
      200: { description: 'The same answer again: nothing changed', ...json(z.object({ answer })) },
      409: { description: 'Already answered differently (`answer` is the stored one)', ...json(anyObject) },
      410: gone,
    },
  },
];
