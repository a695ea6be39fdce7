/**
 * The customer's feedback link (from the feedbackRequest message), logged out: what the visit was and
 * whether it was already answered, and the one answer. A dead link answers 404 (unknown) or 410 (expired,
 * cancelled, or the old bare-appointment-id form) saying so.
 */
import { Router } from 'express';
import { z } from 'zod';
import { COMMENT_MAX, lookupFeedbackToken, feedbackPrompt, submitFeedback } from '../../feedback/service';
import { messageProvidersFromConfig } from '../../messaging/from-config';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { parseInput } from '../validate';
import { text } from '../text';

export const feedbackTokenParams = z.object({ token: text(100, { min: 1 }) });

export const feedbackBody = z.object({
  rating: z
    .number({ error: 'expected a whole number from 1 to 5' })
    .int('expected a whole number from 1 to 5')
    .min(1, 'expected a whole number from 1 to 5')
    .max(5, 'expected a whole number from 1 to 5'),
  comment: text(COMMENT_MAX).optional().default(''),
  mayPublish: z.boolean({ error: 'expected true or false' }),
});

const DEAD_LINK_MESSAGES = {
  unknown: 'This feedback link is not valid. Please use the link from your most recent email or text message.',
  expired:
    'This feedback link has expired. Thank you all the same — you are welcome to reply to our message or call us.',
  cancelled: 'This appointment was cancelled, so there is no visit to give feedback on.',
} as const;

export function feedbackRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const providers = messageProvidersFromConfig(deps.config);

  async function resolve(raw: string) {
    const lookup = await lookupFeedbackToken(db, raw, new Date());
    if (lookup.ok) return lookup.appointment;
    const bookingUrl = `${deps.config.http.publicBaseUrl}/book`;
    if (lookup.reason === 'unknown')
      throw new HttpError(404, 'link_unknown', DEAD_LINK_MESSAGES.unknown, { bookingUrl });
    throw new HttpError(410, 'link_dead', DEAD_LINK_MESSAGES[lookup.reason], { reason: lookup.reason, bookingUrl });
  }

  router.get('/api/feedback/:token', async (req, res) => {
    const { token } = parseInput(feedbackTokenParams, req.params, 'params');
    const appointment = await resolve(token);
    res.json(await feedbackPrompt(db, appointment));
  });

  router.post('/api/feedback/:token', async (req, res) => {
    const { token } = parseInput(feedbackTokenParams, req.params, 'params');
    const appointment = await resolve(token);
    const body = parseInput(feedbackBody, req.body, 'body');
    const result = await submitFeedback({ db, config: deps.config, providers }, appointment, body);
    if (result.outcome === 'already_answered') {
      throw new HttpError(409, 'already_answered', 'Feedback for this visit was already given. Thank you!', {
        answer: result.answer,
      });
    }
    res.status(result.outcome === 'recorded' ? 201 : 200).json({ answer: result.answer });
  });

  return router;
}
