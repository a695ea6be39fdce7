/**
 * Customer SMS replies without Twilio: while SMS goes to the local outbox (no Twilio number
 * configured, as on `npm start`'s embedded defaults), staff can send a reply "from" a customer's
 * phone and see what appointflow does with it — the same handling as Twilio's webhook (cancel,
 * reschedule with offered times, a slot choice, STOP/START, anything else to staff), with the answer
 * in the outbox. Refused (404) once Twilio is configured at all: replies then come from Twilio; and only
 * for staff signed in to the admin app (403 for API keys).
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { messageProvidersFromConfig, smsUsesLocalOutbox } from '../../messaging/from-config';
import { receiveSms } from '../../messaging/inbound-sms';
import type { AppDeps } from '../app';
import { both, requireApiKey, requireOfficeRole, requireStaffSession } from '../auth';
import { HttpError } from '../errors';
import { e164 } from '../schemas';
import { text } from '../text';
import { parseInput } from '../validate';

export const localSmsReplyBody = z.object({
  from: e164,
  text: text(1600, { min: 1 }),
});

export function localSmsRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const providers = messageProvidersFromConfig(deps.config);

  router.post(
    '/api/local/sms-replies',
    ...both(requireApiKey(db), requireOfficeRole, requireStaffSession),
    async (req, res) => {
      // Any Twilio configuration (even only the auth token for its webhooks) means replies come from Twilio.
      if (!smsUsesLocalOutbox(deps.config) || deps.config.messaging.twilio) {
        throw new HttpError(
          404,
          'not_available',
          'SMS goes through Twilio here; customer replies arrive from Twilio, not from this form.',
        );
      }
      const body = parseInput(localSmsReplyBody, req.body, 'body');
      const result = await receiveSms(
        { db, config: deps.config, providers, temporal: deps.temporal },
        { from: body.from, body: body.text, messageId: `local-${randomUUID()}`, via: 'local' },
      );
      if (result.duplicate) throw new Error('a fresh local message id was seen before');
      res.status(201).json({ outcome: result.outcome, reply: result.reply, appointmentId: result.appointmentId });
    },
  );

  return router;
}
