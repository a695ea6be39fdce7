/**
 * What a technician does from the job site that is not an appointment workflow update (issue 15): tell
 * the customer they are on the way, with an ETA. A technician may do it for their own appointments only
 * (technicianOwnAppointments); office staff and API keys for any.
 */
import { Router } from 'express';
import { z } from 'zod';
import { messageProvidersFromConfig } from '../../messaging/from-config';
import { sendOnMyWay } from '../../messaging/on-my-way';
import { callerActor, requireApiKey, technicianOwnAppointments } from '../auth';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { uuid } from '../schemas';
import { parseInput } from '../validate';

export const onMyWayBody = z.object({
  etaMinutes: z
    .number({ error: 'expected a number of minutes' })
    .int('expected whole minutes')
    .min(1, 'at least 1 minute')
    .max(240, 'at most 240 minutes'),
});

const idParams = z.object({ id: uuid });

export function technicianRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  router.post('/api/appointments/:id/on-my-way', requireApiKey(db), technicianOwnAppointments(db), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(onMyWayBody, req.body, 'body');
    const status = await db.selectFrom('appointments').select('status').where('id', '=', id).executeTakeFirst();
    if (!status) throw new HttpError(404, 'not_found', `Appointment ${id} does not exist.`);
    if (status.status !== 'scheduled')
      throw new HttpError(
        409,
        'invalid_transition',
        `This appointment is ${status.status.replace('_', ' ')}; the customer is not told you are on the way.`,
      );
    const sent = await sendOnMyWay(
      { db, config: deps.config, providers: messageProvidersFromConfig(deps.config) },
      {
        appointmentId: id,
        etaMinutes: body.etaMinutes,
        actor: callerActor(res).name,
      },
    );
    res.status(201).json({ message: sent });
  });
  return router;
}
