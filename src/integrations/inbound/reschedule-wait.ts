/**
 * The end of a bounded wait for the second half of a platform-side reschedule (Calendly's cancel with
 * `rescheduled: true` announces a new invitee whose `invitee.created` carries the new time). If the new
 * booking arrived, nothing is left to do. If it did not, the appointment keeps its time — the customer
 * asked to move, not to cancel, so cancelling would free a slot they still expect — and staff get a
 * reach-out task (plus a timeline note) to look the new time up in the platform and move the
 * appointment, or cancel it. Idempotent: the task and the note are keyed by the cancel's event id.
 */
import type { Kysely } from 'kysely';
import { appendTimeline } from '../../appointments/repository';
import type { Database } from '../../db/schema';
import type { RescheduleWaitInput } from '../../../workflows/integration-inbound/messages';
import { PLATFORM_NAMES } from './apply';

export async function resolvePendingReschedule(db: Kysely<Database>, input: RescheduleWaitInput): Promise<string> {
  const arrived = await db
    .selectFrom('integration_deliveries')
    .select('id')
    .where('platform', '=', input.platform)
    .where('external_id', '=', input.newExternalId)
    .where('verified', '=', true)
    .where('duplicate', '=', false)
    .executeTakeFirst();
  if (arrived) return 'new booking arrived';
  const appointment = await db
    .selectFrom('appointments')
    .select(['id', 'status', 'staff_id', 'contact_id', 'starts_at'])
    .where('id', '=', input.appointmentId)
    .executeTakeFirst();
  if (!appointment) return 'appointment not found';
  if (appointment.status !== 'scheduled') return `appointment is ${appointment.status}; nothing to do`;
  const name = PLATFORM_NAMES[input.platform] ?? input.platform;
  const minutes = Math.round(input.waitMs / 60_000);
  const waited = minutes >= 1 ? `${minutes} min` : `${Math.round(input.waitMs / 1000)} s`;
  const summary = `${name} reported a reschedule, but the new booking did not arrive within ${waited}; the appointment keeps its time`;
  const key = `integration:${input.platform}:${input.vendorEventId}:reschedule-missing`;
  await db.transaction().execute(async (trx) => {
    await appendTimeline(trx, {
      appointmentId: appointment.id,
      contactId: appointment.contact_id,
      kind: 'integration:reschedule_missing',
      actor: name,
      channel: `integration:${input.platform}`,
      summary,
      data: { newExternalId: input.newExternalId, waitedMs: input.waitMs },
      idempotencyKey: key,
    });
    await trx
      .insertInto('tasks')
      .values({
        appointment_id: appointment.id,
        kind: 'reach_out',
        title:
          `Find the new time in ${name} (booking ${input.newExternalId}) and move the appointment, or cancel it: ${summary}`.slice(
            0,
            500,
          ),
        assignee_staff_id: appointment.staff_id,
        due_at: new Date(Math.min(Date.now() + 24 * 3600_000, appointment.starts_at.getTime())),
        idempotency_key: key,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
  });
  return 'new booking missing: staff task opened';
}
