/**
 * Staff set a contact's message channels from the contact page (issue 16): the preferred text channel
 * and the WhatsApp opt-in the customer gave them (on the phone, at the desk), recorded with the time
 * and `staff:<name>` as its source. `PATCH /api/admin/contacts/{id}/channels`.
 */
import { Router } from 'express';
import { z } from 'zod';
import { NoPhoneError, preferredChannel, updateChannels } from '../../contacts/channels';
import { contactWithReachability } from '../../contacts/repository';
import type { AppDeps } from '../app';
import { callerActor, requireOfficeRole } from '../auth';
import { HttpError } from '../errors';
import { uuid } from '../schemas';
import { parseInput } from '../validate';

export const contactChannelsBody = z
  .object({ preferredChannel, whatsappOptIn: z.boolean({ error: 'expected true or false' }) })
  .partial()
  .strict();

export function contactChannelsRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  router.patch('/api/admin/contacts/:id/channels', requireOfficeRole, async (req, res) => {
    const { id } = parseInput(z.object({ id: uuid }), req.params, 'params');
    const body = parseInput(contactChannelsBody, req.body, 'body');
    const actor = callerActor(res).name;
    let changed: string[] | undefined;
    try {
      changed = await updateChannels(db, id, body, { source: `staff:${actor}`, actor });
    } catch (error) {
      if (error instanceof NoPhoneError) {
        throw new HttpError(422, 'phone_required', error.message, {}, [
          { field: 'whatsappOptIn', message: error.message },
        ]);
      }
      throw error;
    }
    if (changed === undefined) throw new HttpError(404, 'not_found', `Contact ${id} does not exist.`);
    res.json({ changed, contact: await contactWithReachability(db, id) });
  });
  return router;
}
