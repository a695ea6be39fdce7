/**
 * Customer feedback after a visit. The feedbackRequest message links `/feedback/<token>`, a random
 * token hashed in `manage_tokens` with purpose `feedback` (bound to one appointment, good for
 * FEEDBACK_LINK_DAYS). The customer sees what the visit was (service, staff first name, date in the
 * appointment's zone) and answers once: rating 1–5, comment, consent to publish. The answer is stored
 * (`feedback`, one row per appointment), written on the appointment's timeline (channel `web`, actor the
 * customer) and recorded as the outbound event `appointment.feedback_received`, all in one transaction;
 * a low rating (≤ LOW_RATING) then alerts staff (Slack when configured) and opens a follow-up task.
 *
 * Links of the old form `/feedback/<appointment id>` are not accepted: an appointment id is not a
 * secret (it is in admin URLs, webhook payloads, calendar events), so such a link answers "expired".
 */
import type { Kysely } from 'kysely';
import { appendTimeline } from '../appointments/repository';
import type { Config } from '../config';
import type { Appointment, Database } from '../db/schema';
import { findToken } from '../manage/tokens';
import { alertStaff, type StaffAlertDeps } from '../messaging/staff-alerts';
import { appointmentEventView, recordEvent } from '../outbound/events';

export const FEEDBACK_LINK_DAYS = 60;
export const LOW_RATING = 2;
export const COMMENT_MAX = 2000;

export type FeedbackLookup =
  { ok: true; appointment: Appointment } | { ok: false; reason: 'unknown' | 'expired' | 'cancelled' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The appointment a feedback link is for, or why the link does not work. */
export async function lookupFeedbackToken(db: Kysely<Database>, raw: string, now: Date): Promise<FeedbackLookup> {
  // The old bare-appointment-id links: guessable by anyone who has seen the id, so never honoured.
  if (UUID.test(raw)) return { ok: false, reason: 'expired' };
  const found = await findToken(db, raw, 'feedback');
  if (!found) return { ok: false, reason: 'unknown' };
  const { token, appointment } = found;
  if (appointment.status === 'cancelled') return { ok: false, reason: 'cancelled' };
  if (token.revoked_at || token.expires_at <= now) return { ok: false, reason: 'expired' };
  return { ok: true, appointment };
}

export interface FeedbackAnswer {
  rating: number;
  comment: string;
  mayPublish: boolean;
  answeredAt: string;
}

async function storedAnswer(db: Kysely<Database>, appointmentId: string) {
  return db.selectFrom('feedback').selectAll().where('appointment_id', '=', appointmentId).executeTakeFirst();
}

function answerView(row: { rating: number; comment: string; may_publish: boolean; created_at: Date }): FeedbackAnswer {
  return {
    rating: row.rating,
    comment: row.comment,
    mayPublish: row.may_publish,
    answeredAt: row.created_at.toISOString(),
  };
}

/** What the feedback page shows: the visit in the customer's zone, and the answer if already given. */
export async function feedbackPrompt(db: Kysely<Database>, appointment: Appointment) {
  const [row, business, answer] = await Promise.all([
    db
      .selectFrom('appointments as a')
      .innerJoin('services as sv', 'sv.id', 'a.service_id')
      .innerJoin('staff as st', 'st.id', 'a.staff_id')
      .select(['sv.name as service_name', 'st.name as staff_name'])
      .where('a.id', '=', appointment.id)
      .executeTakeFirstOrThrow(),
    db.selectFrom('business').select(['name']).executeTakeFirst(),
    storedAnswer(db, appointment.id),
  ]);
  return {
    business: { name: business?.name ?? '' },
    service: { name: row.service_name },
    staff: { firstName: row.staff_name.trim().split(/\s+/)[0] ?? '' },
    startsAt: appointment.starts_at.toISOString(),
    timeZone: appointment.time_zone,
    /** The visit's date and time in the customer's zone, ready to show. */
    when: new Intl.DateTimeFormat('en-US', {
      timeZone: appointment.time_zone,
      weekday: 'long',
      month: 'long',
      day: 'numeric',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(appointment.starts_at),
    answered: answer ? answerView(answer) : null,
  };
}

export interface FeedbackInput {
  rating: number;
  comment: string;
  mayPublish: boolean;
}

export type SubmitResult =
  | { outcome: 'recorded' | 'same_answer'; answer: FeedbackAnswer; followUpTaskId: string | null }
  | { outcome: 'already_answered'; answer: FeedbackAnswer };

export interface FeedbackDeps {
  db: Kysely<Database>;
  config: Pick<Config, 'messaging'>;
  providers: StaffAlertDeps['providers'];
}

/**
 * Stores the one answer for the appointment. The same answer again (a double tap, a retry after a lost
 * response) is accepted without a second row, entry or event; a different one is refused. A low rating
 * alerts staff after the commit; a retry finishes an alert that did not happen.
 */
export async function submitFeedback(
  deps: FeedbackDeps,
  appointment: Appointment,
  input: FeedbackInput,
): Promise<SubmitResult> {
  const { db } = deps;
  const contact = await db
    .selectFrom('contacts')
    .select(['id', 'name'])
    .where('id', '=', appointment.contact_id)
    .executeTakeFirstOrThrow();
  const inserted = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('feedback')
      .values({
        appointment_id: appointment.id,
        contact_id: contact.id,
        rating: input.rating,
        comment: input.comment,
        may_publish: input.mayPublish,
      })
      .onConflict((oc) => oc.column('appointment_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    const stars = `${input.rating} star${input.rating === 1 ? '' : 's'}`;
    await appendTimeline(trx, {
      appointmentId: appointment.id,
      contactId: contact.id,
      kind: 'feedback:received',
      actor: contact.name,
      channel: 'web',
      summary: `Feedback: ${stars}${input.comment ? ` — “${input.comment.length > 120 ? `${input.comment.slice(0, 117)}...` : input.comment}”` : ''}`,
      data: { rating: input.rating, mayPublish: input.mayPublish, hasComment: input.comment.length > 0 },
      idempotencyKey: `feedback:${appointment.id}:timeline`,
    });
    const view = await appointmentEventView(trx, appointment.id);
    await recordEvent(trx, {
      type: 'appointment.feedback_received',
      subject: { type: 'appointment', id: appointment.id },
      payload: {
        ...(view ? { appointment: view } : {}),
        feedback: {
          rating: input.rating,
          comment: input.comment,
          mayPublish: input.mayPublish,
          answeredAt: row.created_at.toISOString(),
        },
        change: { kind: 'feedback:received', actor: contact.name, channel: 'web' },
      },
      key: `feedback:${appointment.id}`,
    });
    return row;
  });

  const row = inserted ?? (await storedAnswer(db, appointment.id));
  if (!row) throw new Error(`Feedback for ${appointment.id} vanished`);
  const same = row.rating === input.rating && row.comment === input.comment && row.may_publish === input.mayPublish;
  if (!inserted && !same) return { outcome: 'already_answered', answer: answerView(row) };

  let followUpTaskId = row.follow_up_task_id;
  if (row.rating <= LOW_RATING && !followUpTaskId) {
    followUpTaskId = await alertLowRating(deps, appointment, contact.name, row.rating, row.comment);
    await db
      .updateTable('feedback')
      .set({ follow_up_task_id: followUpTaskId })
      .where('appointment_id', '=', appointment.id)
      .execute();
  }
  return { outcome: inserted ? 'recorded' : 'same_answer', answer: answerView(row), followUpTaskId };
}

async function alertLowRating(
  deps: FeedbackDeps,
  appointment: Appointment,
  contactName: string,
  rating: number,
  comment: string,
): Promise<string | null> {
  const service = await deps.db
    .selectFrom('services')
    .select('name')
    .where('id', '=', appointment.service_id)
    .executeTakeFirstOrThrow();
  const quoted = comment ? ` “${comment.length > 200 ? `${comment.slice(0, 197)}...` : comment}”` : '';
  const { taskId } = await alertStaff(deps, {
    key: `feedback:${appointment.id}:low-rating`,
    text: `Follow up: ${contactName} rated ${service.name} ${rating}/5.${quoted}`,
    appointmentId: appointment.id,
    contactId: appointment.contact_id,
    task: true,
  });
  return taskId;
}

/** The answer as staff see it on the appointment (null when none yet). */
export async function feedbackForStaff(db: Kysely<Database>, appointmentId: string) {
  const row = await storedAnswer(db, appointmentId);
  if (!row) return null;
  return { ...answerView(row), followUpTaskId: row.follow_up_task_id };
}
