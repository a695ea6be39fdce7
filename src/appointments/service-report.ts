/**
 * The service report (issue 16): what staff did, what comes next, and photos chosen from the customer's
 * conversation attachments, written with the deliver task and sent with the receipt. Stored in the
 * deliver task's `form_result.report` (the form it was written in); photos stay in the conversation
 * and the email names them with a link to the customer's account, where they open by signed link.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema';
import { text } from '../http/text';
import type { ServiceReport } from '../../workflows/appointment/messages';

export const MAX_REPORT_PHOTOS = 6;

/** What the deliver form may send as `form.report`. */
export const serviceReportSchema = z.strictObject({
  summary: text(4000, { min: 1 }),
  nextSteps: text(2000).optional(),
  photoIds: z
    .array(z.uuid({ error: 'expected attachment ids' }), { error: 'expected a list of attachment ids' })
    .max(MAX_REPORT_PHOTOS, `at most ${MAX_REPORT_PHOTOS} photos`)
    .optional(),
}) satisfies z.ZodType<ServiceReport>;

/** The photo ids that are not images in this contact's conversation (a report shows only their own files). */
export async function foreignPhotoIds(db: Kysely<Database>, contactId: string, photoIds: string[]): Promise<string[]> {
  if (photoIds.length === 0) return [];
  const own = await db
    .selectFrom('conversation_attachments')
    .select('id')
    .where('contact_id', '=', contactId)
    .where('id', 'in', photoIds)
    .where('content_type', 'like', 'image/%')
    .execute();
  const found = new Set(own.map((row) => row.id));
  return photoIds.filter((id) => !found.has(id));
}

/** The report as a message shows it: the photos by file name (only the contact's own). */
export interface ReportForMessage {
  summary: string;
  nextSteps: string | null;
  photos: string[];
}

/** The report written with this appointment's deliver task, if any. */
export async function serviceReportFor(
  db: Kysely<Database>,
  appointmentId: string,
  contactId: string,
): Promise<ReportForMessage | undefined> {
  const task = await db
    .selectFrom('tasks')
    .select('form_result')
    .where('appointment_id', '=', appointmentId)
    .where('kind', '=', 'deliver_service')
    .where('status', '=', 'done')
    .executeTakeFirst();
  const parsed = serviceReportSchema.safeParse(task?.form_result?.report);
  if (!parsed.success) return undefined;
  const { summary, nextSteps, photoIds = [] } = parsed.data;
  const photos =
    photoIds.length === 0
      ? []
      : await db
          .selectFrom('conversation_attachments')
          .select(['id', 'filename'])
          .where('contact_id', '=', contactId)
          .where('id', 'in', photoIds)
          .execute();
  return {
    summary,
    nextSteps: nextSteps || null,
    photos: photoIds.flatMap((id) => photos.filter((p) => p.id === id).map((p) => p.filename)),
  };
}
