/**
 * Conversations over HTTP (issue 16):
 * - the customer, signed in to the portal: upload an attachment (the raw file as the body, its type
 *   as Content-Type: JPEG, PNG, WebP or PDF up to 10 MB; 415 / 413 otherwise), read the thread, post;
 * - staff, on the appointment card: read the customer's thread about the appointment (marks it read)
 *   and answer, which reaches the customer on their channel;
 * - anyone holding a signed link: download an attachment until the link expires (from S3-compatible
 *   storage: redirected to the bucket's presigned link, valid for a minute).
 */
import { createHmac } from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import {
  ATTACHMENT_TYPES,
  AttachmentRefused,
  MAX_ATTACHMENT_BYTES,
  storeAttachment,
  verifyAttachmentLink,
} from '../../conversations/attachments';
import { attachmentStorageFromConfig } from '../../conversations/storage';
import {
  conversationThread,
  markRead,
  notifyCustomer,
  postMessage,
  UnknownAttachment,
} from '../../conversations/thread';
import { messageProvidersFromConfig } from '../../messaging/from-config';
import { ownAppointment } from '../../portal/account';
import { keyringOf } from '../../secrets/keys';
import type { AppDeps } from '../app';
import { both, callerActor, requireApiKey, technicianOwnAppointments } from '../auth';
import { HttpError } from '../errors';
import { portalContact, requirePortalSession } from '../portal-auth';
import { uuid } from '../schemas';
import { text } from '../text';
import { parseInput } from '../validate';

/** The key of the attachments' signed download links, derived from the secrets key (same on every replica). */
export function attachmentLinkKey(deps: Pick<AppDeps, 'config'>): Buffer {
  return createHmac('sha256', keyringOf(deps.config.secrets).current.key).update('attachment-links').digest();
}

export const conversationBody = z.object({
  body: text(4000, { min: 1 }),
  appointmentId: uuid.optional(),
  attachmentIds: z.array(uuid).max(10, 'at most 10 attachments').optional(),
});
export const staffConversationBody = z.object({ body: text(4000, { min: 1 }) });
export const threadQuery = z.object({ appointmentId: uuid.optional() });
export const uploadQuery = z.object({ filename: text(200).optional() });
export const downloadQuery = z.object({
  expires: z.coerce.number({ error: 'expected a number' }).int(),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected the link signature'),
});
const idParams = z.object({ id: uuid });
/** How long the bucket's own presigned download link lives (after our signed link was checked). */
const S3_LINK_SECONDS = 60;

export function conversationsRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const storage = attachmentStorageFromConfig(deps.config.attachments);
  const linkKey = attachmentLinkKey(deps);
  const providers = messageProvidersFromConfig(deps.config);
  const signedIn = requirePortalSession(db);
  const refused = (error: unknown) =>
    error instanceof AttachmentRefused
      ? new HttpError(error.status, error.status === 413 ? 'too_large' : 'unsupported_type', error.message, {
          accepted: ATTACHMENT_TYPES,
        })
      : error;

  router.post(
    '/api/portal/attachments',
    signedIn,
    express.raw({ type: () => true, limit: MAX_ATTACHMENT_BYTES }),
    async (req, res) => {
      const { filename } = parseInput(uploadQuery, req.query, 'query');
      const contentType = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      try {
        const stored = await storeAttachment(db, storage, {
          contactId: portalContact(res),
          filename: filename ?? '',
          contentType,
          bytes,
        });
        res.status(201).json({
          attachment: {
            id: stored.id,
            filename: stored.filename,
            contentType: stored.content_type,
            size: stored.size_bytes,
          },
        });
      } catch (error) {
        throw refused(error);
      }
    },
  );

  router.get('/api/portal/messages', signedIn, async (req, res) => {
    const { appointmentId } = parseInput(threadQuery, req.query, 'query');
    const filter = { contactId: portalContact(res), appointmentId };
    const messages = await conversationThread(db, linkKey, filter);
    await markRead(db, filter, 'customer');
    res.json({ messages });
  });

  router.post('/api/portal/messages', signedIn, async (req, res) => {
    const body = parseInput(conversationBody, req.body, 'body');
    const contactId = portalContact(res);
    if (body.appointmentId && !(await ownAppointment(db, contactId, body.appointmentId))) {
      throw new HttpError(404, 'not_found', 'You have no appointment with that id.');
    }
    const contact = await db
      .selectFrom('contacts')
      .select('name')
      .where('id', '=', contactId)
      .executeTakeFirstOrThrow();
    try {
      const id = await postMessage(db, {
        contactId,
        appointmentId: body.appointmentId ?? null,
        direction: 'from_customer',
        channel: 'portal',
        author: contact.name,
        body: body.body,
        attachmentIds: body.attachmentIds,
      });
      res.status(201).json({ id });
    } catch (error) {
      if (error instanceof UnknownAttachment) {
        throw new HttpError(422, 'unknown_attachment', error.message, {}, [
          { field: 'attachmentIds', message: error.message },
        ]);
      }
      throw error;
    }
  });

  const staff = both(requireApiKey(db), technicianOwnAppointments(db));
  async function appointmentOf(rawId: unknown) {
    const { id } = parseInput(idParams, { id: rawId }, 'params');
    const row = await db
      .selectFrom('appointments')
      .select(['id', 'contact_id'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new HttpError(404, 'not_found', `Appointment ${id} does not exist.`);
    return row;
  }

  router.get('/api/appointments/:id/conversation', ...staff, async (req, res) => {
    const appointment = await appointmentOf(req.params.id);
    const filter = { contactId: appointment.contact_id, appointmentId: appointment.id };
    const messages = await conversationThread(db, linkKey, filter);
    await markRead(db, filter, 'staff');
    res.json({ messages });
  });

  router.post('/api/appointments/:id/conversation', ...staff, async (req, res) => {
    const appointment = await appointmentOf(req.params.id);
    const { body } = parseInput(staffConversationBody, req.body, 'body');
    const author = callerActor(res).name;
    const id = await postMessage(db, {
      contactId: appointment.contact_id,
      appointmentId: appointment.id,
      direction: 'from_staff',
      channel: 'staff',
      author,
      body,
    });
    await notifyCustomer(
      { db, config: deps.config, providers },
      { messageId: id, contactId: appointment.contact_id, appointmentId: appointment.id, staffName: author, body },
    );
    res.status(201).json({ id });
  });

  router.get('/api/attachments/:id', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const { expires, sig } = parseInput(downloadQuery, req.query, 'query');
    if (!verifyAttachmentLink(linkKey, id, expires, sig)) {
      throw new HttpError(
        403,
        'link_expired',
        'This download link has expired. Open the conversation again for a new one.',
      );
    }
    const row = await db.selectFrom('conversation_attachments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new HttpError(404, 'not_found', 'No such attachment.');
    if (storage.downloadLink) {
      // S3: straight to the bucket through a presigned link that lives a minute.
      const url = await storage.downloadLink(row.storage_key, {
        filename: row.filename,
        contentType: row.content_type,
        expiresInSeconds: S3_LINK_SECONDS,
      });
      res.set('cache-control', 'private, no-store').redirect(302, url);
      return;
    }
    const bytes = await storage.get(row.storage_key);
    res
      .type(row.content_type)
      .set({
        'content-disposition': `attachment; filename="${row.filename.replace(/"/g, '')}"`,
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, no-store',
      })
      .send(bytes);
  });

  return router;
}
