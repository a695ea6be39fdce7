/**
 * The business's template overrides in the database (`message_templates`, one per event and channel):
 * read by the template API and the reschedule preview, written by the template API (admins).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { TemplateChannel } from './template-registry';

type Db = Kysely<Database>;

export async function allOverrides(db: Db) {
  return db.selectFrom('message_templates').selectAll().execute();
}

export async function findOverride(db: Db, event: string, channel: TemplateChannel) {
  return db
    .selectFrom('message_templates')
    .selectAll()
    .where('event', '=', event)
    .where('channel', '=', channel)
    .executeTakeFirst();
}

/** The overrides of one event, on every channel. */
export async function overridesOf(db: Db, event: string) {
  return db.selectFrom('message_templates').select(['channel', 'subject', 'body']).where('event', '=', event).execute();
}

/** Creates or replaces the override of an event on a channel. */
export async function saveOverride(
  db: Db,
  key: { event: string; channel: TemplateChannel },
  override: { subject: string | null; body: string; updatedBy: string; at: Date },
): Promise<void> {
  const values = {
    subject: override.subject,
    body: override.body,
    updated_by: override.updatedBy,
    updated_at: override.at,
  };
  await db
    .insertInto('message_templates')
    .values({ ...key, ...values })
    .onConflict((oc) => oc.columns(['event', 'channel']).doUpdateSet(values))
    .execute();
}

export async function deleteOverride(db: Db, event: string, channel: TemplateChannel): Promise<void> {
  await db.deleteFrom('message_templates').where('event', '=', event).where('channel', '=', channel).execute();
}
