/**
 * The staff Messages inbox (issue 16): customer threads with the signed-in staff member's unread
 * counts, assignment and "needs reply" / "waiting on customer", filtered by them; opening a thread
 * marks it read; the unread total for the nav badge. Read marks belong to a staff account, so the inbox
 * needs a staff session (an API key has no one to read for: 403). Technicians are refused, as on every
 * office page (they see their own day only).
 */
import { Router } from 'express';
import { z } from 'zod';
import { assignThread, inboxThreads, INBOX_STATES, markThreadRead, unreadTotal } from '../../conversations/inbox';
import { conversationThread, notifyCustomer, postMessage } from '../../conversations/thread';
import { messageProvidersFromConfig } from '../../messaging/from-config';
import type { AppDeps } from '../app';
import { callerActor, requireApiKey, requireOfficeRole, sessionStaff } from '../auth';
import { HttpError } from '../errors';
import { uuid } from '../schemas';
import { parseInput } from '../validate';
import { attachmentLinkKey, staffConversationBody } from './conversations';

export const inboxQuery = z.strictObject({
  state: z.enum(INBOX_STATES, { error: 'expected needs_reply or waiting_on_customer' }).optional(),
  assignee: z.union([uuid, z.enum(['me', 'none'])], { error: 'expected a staff id, me or none' }).optional(),
});
export const inboxParams = z.object({ contactId: uuid });
export const assigneeBody = z.strictObject({
  staffId: z.union([uuid, z.null()], { error: 'expected a staff id, or null to unassign' }),
});

export function inboxRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const linkKey = attachmentLinkKey(deps);
  const providers = messageProvidersFromConfig(deps.config);
  router.use('/api/admin/inbox', requireApiKey(db), requireOfficeRole);

  function me(res: Parameters<typeof sessionStaff>[0]) {
    const staff = sessionStaff(res);
    if (!staff)
      throw new HttpError(403, 'staff_session_required', 'The inbox is per staff member: sign in to the app.');
    return staff;
  }
  async function contactOf(rawId: unknown) {
    const { contactId } = parseInput(inboxParams, { contactId: rawId }, 'params');
    const contact = await db
      .selectFrom('contacts')
      .select(['id', 'name'])
      .where('id', '=', contactId)
      .executeTakeFirst();
    if (!contact) throw new HttpError(404, 'not_found', `Contact ${contactId} does not exist.`);
    return contact;
  }

  router.get('/api/admin/inbox', async (req, res) => {
    const staff = me(res);
    const query = parseInput(inboxQuery, req.query, 'query');
    if (query.assignee === 'me' && !staff.staffId) {
      throw new HttpError(422, 'invalid_request', 'Your account is not a staff member with assignments.', {}, [
        { field: 'assignee', message: 'your account has no staff member' },
      ]);
    }
    const assignee = query.assignee === 'me' ? staff.staffId! : query.assignee;
    res.json({ threads: await inboxThreads(db, { accountId: staff.accountId, state: query.state, assignee }) });
  });

  router.get('/api/admin/inbox/unread', async (_req, res) => {
    res.json({ unread: await unreadTotal(db, me(res).accountId) });
  });

  router.get('/api/admin/inbox/:contactId', async (req, res) => {
    const staff = me(res);
    const contact = await contactOf(req.params.contactId);
    const messages = await conversationThread(db, linkKey, { contactId: contact.id });
    await markThreadRead(db, contact.id, staff.accountId);
    res.json({ contact, messages });
  });

  // Answer from the inbox: a message to the customer (not about one appointment), told on their channel
  // with the portal link; answering reads the thread. A retry with the same Idempotency-Key answers once.
  router.post('/api/admin/inbox/:contactId/messages', async (req, res) => {
    const staff = me(res);
    const contact = await contactOf(req.params.contactId);
    const { body } = parseInput(staffConversationBody, req.body, 'body');
    const author = callerActor(res).name;
    const id = await postMessage(db, {
      contactId: contact.id,
      appointmentId: null,
      direction: 'from_staff',
      channel: 'staff',
      author,
      body,
    });
    await markThreadRead(db, contact.id, staff.accountId);
    await notifyCustomer(
      { db, config: deps.config, providers },
      { messageId: id, contactId: contact.id, appointmentId: null, staffName: author, body },
    );
    res.status(201).json({ id });
  });

  router.put('/api/admin/inbox/:contactId/assignee', async (req, res) => {
    me(res);
    const contact = await contactOf(req.params.contactId);
    const body = parseInput(assigneeBody, req.body, 'body');
    if (body.staffId) {
      const staff = await db.selectFrom('staff').select('id').where('id', '=', body.staffId).executeTakeFirst();
      if (!staff) {
        throw new HttpError(422, 'unknown_reference', `Staff member ${body.staffId} does not exist.`, {}, [
          { field: 'staffId', message: 'unknown staff member' },
        ]);
      }
    }
    await assignThread(db, contact.id, body.staffId, callerActor(res).name);
    res.status(204).end();
  });

  return router;
}
