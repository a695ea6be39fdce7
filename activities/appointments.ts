/**
 * Activities that change an appointment's row on behalf of its workflow. Each runs in one transaction,
 * appends its timeline entry in the same transaction, and is idempotent: the timeline entry's key
 * records that the change was applied, so a retry after a crash returns the result instead of applying
 * it twice. Refusals are non-retryable ApplicationFailures typed with REFUSALS.
 */
import { formatWhenShort } from '../src/messaging/templates';
import { ApplicationFailure } from '@temporalio/activity';
import type { Kysely, Transaction } from 'kysely';
import {
  appendTimeline,
  isDoubleBooking,
  loadSnapshot,
  lockAppointment,
  timelineHasKey,
} from '../src/appointments/repository';
import { businessTaxRateBps, termsOf } from '../src/appointments/terms';
import type { Database, TaskKind } from '../src/db/schema';
import { computeMarks, stageAt } from '../src/domain/marks';
import { resolveLifecyclePolicy } from '../src/domain/lifecycle-policy';
import { canReschedule, canTransitionStatus, type PipelineStage, type ServiceStatus } from '../src/domain/stages';
import { MINUTE_MS } from '../src/domain/time';
import { loadMembership } from '../src/memberships/repository';
import { visitMoveProblem } from '../src/memberships/visit-moves';
import { countReschedule, countStatusChange } from '../src/metrics';
import { type Actor, type AppointmentSnapshot, type Channel, REFUSALS } from '../workflows/appointment/messages';

export interface AppointmentActivityDeps {
  db: Kysely<Database>;
}

function refuse(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

async function lockedOrRefused(trx: Transaction<Database>, appointmentId: string) {
  const row = await lockAppointment(trx, appointmentId);
  if (!row) throw refuse(REFUSALS.notFound, `Appointment ${appointmentId} does not exist.`);
  return row;
}

const describeActor = (actor: Actor) => `${actor.name}${actor.kind === 'customer' ? '' : ` (${actor.kind})`}`;

export function appointmentActivities({ db }: AppointmentActivityDeps) {
  async function snapshot(appointmentId: string): Promise<AppointmentSnapshot> {
    const found = await loadSnapshot(db, appointmentId);
    if (!found) throw refuse(REFUSALS.notFound, `Appointment ${appointmentId} does not exist.`);
    return found;
  }

  return {
    /** Moves the appointment to a new time (and optionally staff or service); the database decides whether the slot is free. */
    async applyReschedule(input: {
      appointmentId: string;
      expectedRevision: number;
      startsAt: number;
      staffId?: string;
      serviceId?: string;
      note?: string;
      actor: Actor;
      channel: Channel;
      now: number;
      idempotencyKey: string;
    }): Promise<AppointmentSnapshot> {
      if (await timelineHasKey(db, input.idempotencyKey)) return snapshot(input.appointmentId);
      try {
        await db.transaction().execute(async (trx) => {
          const row = await lockAppointment(trx, input.appointmentId);
          if (!row) throw refuse(REFUSALS.notFound, `Appointment ${input.appointmentId} does not exist.`);
          if (row.revision !== input.expectedRevision) {
            throw refuse(REFUSALS.invalidRequest, 'The appointment changed in the meantime; reload it and try again.');
          }
          if (!canReschedule(row.status)) {
            throw refuse(
              REFUSALS.invalidTransition,
              `This appointment is ${row.status} and can no longer be rescheduled.`,
            );
          }
          const serviceId = input.serviceId ?? row.service_id;
          const staffId = input.staffId ?? row.staff_id;
          const service = await trx
            .selectFrom('services')
            .selectAll()
            .where('id', '=', serviceId)
            .where('active', '=', true)
            .executeTakeFirst();
          if (!service) throw refuse(REFUSALS.invalidRequest, `Service ${serviceId} is not available.`);
          const offers = await trx
            .selectFrom('staff_services')
            .innerJoin('staff', 'staff.id', 'staff_services.staff_id')
            .select('staff.name')
            .where('staff_services.staff_id', '=', staffId)
            .where('staff_services.service_id', '=', serviceId)
            .where('staff.active', '=', true)
            .executeTakeFirst();
          if (!offers) throw refuse(REFUSALS.invalidRequest, `That staff member does not offer ${service.name}.`);
          const startsAt = input.startsAt;
          if (row.membership_id) {
            // A membership visit stays within the membership's validity and the services it covers.
            const membership = await loadMembership(trx, { id: row.membership_id });
            const problem =
              membership &&
              visitMoveProblem(
                {
                  certificateNumber: membership.certificateNumber,
                  validUntil: membership.validUntil.getTime(),
                  timeZone: membership.timeZone,
                  expired: membership.expiredAt !== null || membership.stage === 'Membership Expired',
                  serviceIds: membership.serviceIds,
                },
                { startsAt, serviceId, serviceChanged: serviceId !== row.service_id },
              );
            if (problem) throw refuse(problem.refusal, problem.message);
          }
          const endsAt = startsAt + service.duration_minutes * MINUTE_MS;
          // The appointment keeps the terms it was booked with; moved to another service, it takes that one's.
          const serviceChanged = serviceId !== row.service_id;
          const policy = resolveLifecyclePolicy(
            (!serviceChanged ? row.lifecycle_policy : null) ?? service.lifecycle_policy,
          );
          const stage: PipelineStage = stageAt(
            computeMarks({ startsAt, endsAt, timeZone: row.time_zone, policy }),
            input.now,
          );
          await trx
            .updateTable('appointments')
            .set({
              starts_at: new Date(startsAt),
              ends_at: new Date(endsAt),
              blocked_from: new Date(startsAt - service.buffer_before_minutes * MINUTE_MS),
              blocked_until: new Date(endsAt + service.buffer_after_minutes * MINUTE_MS),
              staff_id: staffId,
              service_id: serviceId,
              ...(serviceChanged
                ? {
                    // A membership visit stays covered (priced 0) on another covered service.
                    price_minor: service.pricing === 'fixed' && !row.membership_id ? service.price_minor : 0,
                    currency: service.currency,
                    ...termsOf(service, await businessTaxRateBps(trx)),
                  }
                : {}),
              stage,
              revision: row.revision + 1,
              updated_at: new Date(input.now),
            })
            .where('id', '=', row.id)
            .execute();
          await trx
            .updateTable('tasks')
            .set({ due_at: new Date(startsAt), assignee_staff_id: staffId, updated_at: new Date(input.now) })
            .where('appointment_id', '=', row.id)
            .where('kind', '=', 'deliver_service')
            .where('status', '=', 'open')
            .execute();
          // Staff read the timeline: times in the appointment's zone, zone named (the data keeps ISO).
          const from = row.starts_at.toISOString();
          const to = new Date(startsAt).toISOString();
          await appendTimeline(trx, {
            appointmentId: row.id,
            contactId: row.contact_id,
            kind: 'rescheduled',
            actor: describeActor(input.actor),
            channel: input.channel,
            summary: `Rescheduled from ${formatWhenShort(row.starts_at.getTime(), row.time_zone)} to ${formatWhenShort(startsAt, row.time_zone)}${input.note ? ` — ${input.note}` : ''}`,
            data: {
              from,
              to,
              staffFrom: row.staff_id,
              staffTo: staffId,
              serviceFrom: row.service_id,
              serviceTo: serviceId,
              revision: row.revision + 1,
              ...(input.note ? { note: input.note } : {}),
            },
            idempotencyKey: input.idempotencyKey,
          });
        });
      } catch (error) {
        if (isDoubleBooking(error))
          throw refuse(REFUSALS.slotTaken, 'That time is no longer available for this staff member.');
        throw error;
      }
      countReschedule(input.channel);
      return snapshot(input.appointmentId);
    },

    /** Moves the service status (and stage) along an allowed transition; terminal statuses kill manage links. */
    async applyStatusChange(input: {
      appointmentId: string;
      status: ServiceStatus;
      stage: PipelineStage;
      reason: string;
      actor: Actor;
      channel: Channel;
      idempotencyKey: string;
    }): Promise<AppointmentSnapshot> {
      if (await timelineHasKey(db, input.idempotencyKey)) return snapshot(input.appointmentId);
      await db.transaction().execute(async (trx) => {
        const row = await lockedOrRefused(trx, input.appointmentId);
        if (!canTransitionStatus(row.status, input.status)) {
          throw refuse(
            REFUSALS.invalidTransition,
            `cannot move an appointment from "${row.status}" to "${input.status}"`,
          );
        }
        const now = new Date();
        await trx
          .updateTable('appointments')
          .set({
            status: input.status,
            stage: input.stage,
            updated_at: now,
            ...(input.status === 'cancelled' ? { cancelled_at: now, cancel_reason: input.reason } : {}),
          })
          .where('id', '=', row.id)
          .execute();
        if (input.status === 'cancelled' || input.status === 'no_show') {
          await trx
            .updateTable('tasks')
            .set({ status: 'cancelled', updated_at: now })
            .where('appointment_id', '=', row.id)
            .where('kind', 'in', ['deliver_service', 'charge_customer'])
            .where('status', '=', 'open')
            .execute();
        }
        if (input.status === 'cancelled' || input.status === 'done' || input.status === 'no_show') {
          await trx
            .updateTable('manage_tokens')
            .set({ revoked_at: now })
            .where('appointment_id', '=', row.id)
            .where('revoked_at', 'is', null)
            .execute();
        }
        const verb = {
          cancelled: 'Cancelled',
          done: 'Completed',
          no_show: 'Marked as no-show',
          in_progress: 'Service started',
          scheduled: 'Scheduled',
        }[input.status];
        await appendTimeline(trx, {
          appointmentId: row.id,
          contactId: row.contact_id,
          kind: `status:${input.status}`,
          actor: describeActor(input.actor),
          channel: input.channel,
          summary: `${verb}${input.reason ? `: ${input.reason}` : ''}`,
          data: { from: row.status, to: input.status, stage: input.stage, reason: input.reason },
          idempotencyKey: input.idempotencyKey,
        });
      });
      countStatusChange(input.status, input.channel);
      return snapshot(input.appointmentId);
    },

    /** Moves the pipeline stage at a mark; a stage for an older revision is ignored. */
    async setStage(input: {
      appointmentId: string;
      stage: PipelineStage;
      revision: number;
      reason: string;
      idempotencyKey: string;
    }): Promise<AppointmentSnapshot> {
      if (await timelineHasKey(db, input.idempotencyKey)) return snapshot(input.appointmentId);
      await db.transaction().execute(async (trx) => {
        const row = await lockedOrRefused(trx, input.appointmentId);
        if (row.revision !== input.revision || row.stage === input.stage) return;
        await trx
          .updateTable('appointments')
          .set({ stage: input.stage, updated_at: new Date() })
          .where('id', '=', row.id)
          .execute();
        await appendTimeline(trx, {
          appointmentId: row.id,
          contactId: row.contact_id,
          kind: 'stage',
          actor: 'appointflow',
          channel: 'system',
          summary: `Stage: ${row.stage} → ${input.stage} (${input.reason})`,
          data: { from: row.stage, to: input.stage, reason: input.reason },
          idempotencyKey: input.idempotencyKey,
        });
      });
      return snapshot(input.appointmentId);
    },

    async recordTimeline(input: {
      appointmentId: string;
      kind: string;
      actor: Actor;
      channel: Channel;
      summary: string;
      idempotencyKey: string | null;
    }): Promise<void> {
      await appendTimeline(db, {
        appointmentId: input.appointmentId,
        kind: input.kind,
        actor: describeActor(input.actor),
        channel: input.channel,
        summary: input.summary,
        idempotencyKey: input.idempotencyKey,
      });
    },

    /** Has the contact booked another appointment since `since` (epoch ms)? */
    async contactHasRebooked(input: {
      contactId: string;
      since: number;
      excludeAppointmentId: string;
    }): Promise<boolean> {
      const row = await db
        .selectFrom('appointments')
        .select('id')
        .where('contact_id', '=', input.contactId)
        .where('id', '!=', input.excludeAppointmentId)
        .where('created_at', '>', new Date(input.since))
        .where('status', 'in', ['scheduled', 'in_progress', 'done'])
        .executeTakeFirst();
      return row !== undefined;
    },

    /**
     * "Book again" (workflows/appointment/follow-ups.ts): has the contact another active appointment made
     * since `since` (epoch ms; the visit's start) or one starting after it? Read-only, so a retry is harmless.
     */
    async contactBookedAgain(input: { contactId: string; appointmentId: string; since: number }): Promise<boolean> {
      const since = new Date(input.since);
      const row = await db
        .selectFrom('appointments')
        .select('id')
        .where('contact_id', '=', input.contactId)
        .where('id', '!=', input.appointmentId)
        .where('status', 'in', ['scheduled', 'in_progress', 'done'])
        .where((eb) => eb.or([eb('created_at', '>', since), eb('starts_at', '>', since)]))
        .executeTakeFirst();
      return row !== undefined;
    },

    async createTask(input: {
      appointmentId: string;
      kind: TaskKind;
      title: string;
      assigneeStaffId: string | null;
      /** Give it to the business's billing owner when one is configured. */
      assignToBillingOwner?: boolean;
      dueAt: number | null;
      idempotencyKey: string;
    }): Promise<{ taskId: string }> {
      let assignee = input.assigneeStaffId;
      if (input.assignToBillingOwner) {
        const business = await db.selectFrom('business').select('billing_owner_staff_id').executeTakeFirst();
        assignee = business?.billing_owner_staff_id ?? assignee;
      }
      await db
        .insertInto('tasks')
        .values({
          appointment_id: input.appointmentId,
          kind: input.kind,
          title: input.title,
          assignee_staff_id: assignee,
          due_at: input.dueAt === null ? null : new Date(input.dueAt),
          idempotency_key: input.idempotencyKey,
        })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .execute();
      const task = await db
        .selectFrom('tasks')
        .select('id')
        .where('idempotency_key', '=', input.idempotencyKey)
        .executeTakeFirstOrThrow();
      await appendTimeline(db, {
        appointmentId: input.appointmentId,
        kind: 'task:created',
        actor: 'appointflow',
        channel: 'system',
        summary: `Task: ${input.title}`,
        data: { taskId: task.id, kind: input.kind },
        idempotencyKey: `${input.idempotencyKey}:timeline`,
      });
      return { taskId: task.id };
    },
  };
}
