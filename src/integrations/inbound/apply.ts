/**
 * From a normalised event to a change: the appointment the external id is linked to receives the
 * matching update of its workflow (reschedule, cancel, mark no-show) with actor `integration` and
 * channel `integration:<platform>`, so the timeline records where the change came from and the
 * workflow does what it does for an in-app change (cancellation message and rebook follow-up,
 * no-show prompt and reach-out task). A `booked` event for an unknown external appointment books
 * through the booking service and links it; anything that matches no appointment, or cannot be
 * applied, becomes a staff task. Applying is state-aware, so an event whose change is already in
 * place changes nothing.
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import type { Kysely } from 'kysely';
import { appendTimeline } from '../../appointments/repository';
import { book, SlotUnavailableError, UnknownEntityError } from '../../booking/service';
import type { Config } from '../../config';
import type { Database } from '../../db/schema';
import {
  type Actor,
  type Channel,
  cancelUpdate,
  markNoShowUpdate,
  rescheduleUpdate,
} from '../../../workflows/appointment/messages';
import {
  RESCHEDULE_WAIT_WORKFLOW_TYPE,
  type RescheduleWaitInput,
  rescheduleWaitWorkflowId,
} from '../../../workflows/integration-inbound/messages';
import type { inboundRescheduleWaitWorkflow } from '../../../workflows/integration-inbound/reschedule-wait';
import { calendarEcho } from './echo';
import { statusNeedsStaff } from './status';
import { findAppointment, findAppointmentById, linkExternal } from './store';
import type { NormalisedEvent, PlatformSettings } from './types';

export interface ApplyDeps {
  db: Kysely<Database>;
  temporal: Client;
  config: Config;
}

export interface ApplyResult {
  outcome: string;
  appointmentId: string | null;
}

export const PLATFORM_NAMES: Record<string, string> = {
  calendly: 'Calendly',
  acuity: 'Acuity Scheduling',
  square: 'Square Appointments',
  google_calendar: 'Google Calendar',
  microsoft_graph: 'Outlook (Microsoft Graph)',
  hubspot: 'HubSpot',
  pipedrive: 'Pipedrive',
  zendesk: 'Zendesk',
  freshdesk: 'Freshdesk',
  zoho_crm: 'Zoho CRM',
  salesforce: 'Salesforce',
  quickbooks: 'QuickBooks Online',
  activecampaign: 'ActiveCampaign',
  google_sheets: 'Google Sheets',
  jobber: 'Jobber',
  servicetitan: 'ServiceTitan',
};

async function staffTask(
  db: Kysely<Database>,
  platform: string,
  event: NormalisedEvent,
  title: string,
  appointmentId: string | null = null,
  kind: 'unmatched_event' | 'reach_out' = 'unmatched_event',
): Promise<void> {
  const business = await db.selectFrom('business').select('billing_owner_staff_id').executeTakeFirst();
  const staff = appointmentId
    ? await db.selectFrom('appointments').select('staff_id').where('id', '=', appointmentId).executeTakeFirst()
    : undefined;
  await db
    .insertInto('tasks')
    .values({
      appointment_id: appointmentId,
      kind,
      title: title.slice(0, 500),
      assignee_staff_id: staff?.staff_id ?? business?.billing_owner_staff_id ?? null,
      due_at: new Date(Date.now() + 24 * 3600_000),
      idempotency_key: `integration:${platform}:${event.vendorEventId}`,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

function describe(platform: string, event: NormalisedEvent): string {
  const name = PLATFORM_NAMES[platform] ?? platform;
  return `${name}: ${event.type.replace('_', '-')} for ${event.externalId || 'an unknown record'}${event.description ? ` — ${event.description}` : ''}`;
}

function refusal(error: unknown): string | undefined {
  if (error instanceof WorkflowUpdateFailedError) return (error.cause as Error | undefined)?.message ?? error.message;
  if (error instanceof WorkflowNotFoundError) return 'the appointment has no running workflow';
  return undefined;
}

export async function applyEvent(
  deps: ApplyDeps,
  settings: PlatformSettings,
  event: NormalisedEvent,
): Promise<ApplyResult> {
  const { db } = deps;
  const platform = settings.platform;
  const channel: Channel = `integration:${platform}`;
  const actor: Actor = { kind: 'integration', name: PLATFORM_NAMES[platform] ?? platform };
  const unmatched = async (why = 'no appointment is linked to it'): Promise<ApplyResult> => {
    await staffTask(db, platform, event, `Check ${describe(platform, event)} (${why})`);
    return { outcome: `unmatched: staff task (${why})`, appointmentId: null };
  };

  if (event.type === 'ignored') return { outcome: 'ignored', appointmentId: null };

  // Calendly: a cancel that is the first half of a reschedule never cancels.
  if (event.type === 'cancelled' && event.replacedBy) {
    const old = await findAppointment(db, platform, event.externalId);
    const moved = await findAppointment(db, platform, event.replacedBy);
    if (old && !moved) {
      await linkExternal(db, platform, event.replacedBy, old.id);
      await startRescheduleWait(deps, platform, old.id, event);
    }
    return {
      outcome: moved ? 'part of a reschedule (already applied)' : 'part of a reschedule (awaiting the new booking)',
      appointmentId: old?.id ?? moved?.id ?? null,
    };
  }

  const target =
    (event.replaces ? await findAppointment(db, platform, event.replaces) : undefined) ??
    (await findAppointment(db, platform, event.externalId)) ??
    (event.appointmentId ? await findAppointmentById(db, event.appointmentId) : undefined);
  // The platform's record names our appointment (an event appointflow's outbound sync wrote): link it.
  if (target && event.appointmentId === target.id && event.externalId) {
    await linkExternal(db, platform, event.externalId, target.id);
  }

  if (event.type === 'booked') {
    if (target) return { outcome: 'already linked', appointmentId: target.id };
    return bookExternal(deps, settings, event, actor, channel, unmatched);
  }
  if (!target) return unmatched();
  // Calendars appointflow writes to: a notification about our own write changes nothing (no loop).
  const echo = await calendarEcho(db, settings, event, target);
  if (echo) return { outcome: `no change (${echo})`, appointmentId: target.id };
  if (event.replaces && event.externalId) await linkExternal(db, platform, event.externalId, target.id);
  const handle = deps.temporal.workflow.getHandle(target.workflow_id);

  try {
    switch (event.type) {
      case 'cancelled':
        if (target.status === 'cancelled')
          return { outcome: 'no change (already cancelled)', appointmentId: target.id };
        await handle.executeUpdate(cancelUpdate, {
          args: [{ reason: event.reason ?? `Cancelled in ${actor.name}`, actor, channel }],
        });
        return { outcome: 'cancelled', appointmentId: target.id };
      case 'no_show':
        if (target.status === 'no_show') return { outcome: 'no change (already a no-show)', appointmentId: target.id };
        await handle.executeUpdate(markNoShowUpdate, {
          args: [{ note: event.reason ?? `No-show reported by ${actor.name}`, actor, channel }],
        });
        return { outcome: 'no-show recorded', appointmentId: target.id };
      case 'rescheduled': {
        if (event.startsAt === undefined || !Number.isFinite(event.startsAt)) return unmatched('no new time given');
        if (target.starts_at.getTime() === event.startsAt)
          return { outcome: 'no change (already at that time)', appointmentId: target.id };
        await handle.executeUpdate(rescheduleUpdate, {
          args: [{ startsAt: event.startsAt, note: `Moved in ${actor.name}`, actor, channel }],
        });
        return { outcome: `rescheduled to ${new Date(event.startsAt).toISOString()}`, appointmentId: target.id };
      }
      case 'status_changed': {
        await appendTimeline(db, {
          appointmentId: target.id,
          contactId: target.contact_id,
          kind: 'integration:status_changed',
          actor: actor.name,
          channel,
          summary: `${actor.name} reports status "${event.status ?? ''}"`,
          data: { externalId: event.externalId, status: event.status ?? null },
          idempotencyKey: `integration:${platform}:${event.vendorEventId}`,
        });
        // Scheduled / confirmed / completed … confirm what appointflow tracks: a note, no task.
        if (!statusNeedsStaff(event.status)) return { outcome: 'status recorded', appointmentId: target.id };
        await staffTask(db, platform, event, `Follow up: ${describe(platform, event)}`, target.id, 'reach_out');
        return { outcome: 'status recorded; staff task opened', appointmentId: target.id };
      }
    }
  } catch (error) {
    const why = refusal(error);
    if (why === undefined) throw error;
    await appendTimeline(db, {
      appointmentId: target.id,
      contactId: target.contact_id,
      kind: 'integration:refused',
      actor: actor.name,
      channel,
      summary: `${event.type} from ${actor.name} not applied: ${why}`,
      idempotencyKey: `integration:${platform}:${event.vendorEventId}:refused`,
    });
    await staffTask(
      db,
      platform,
      event,
      `Resolve ${describe(platform, event)} (refused: ${why})`,
      target.id,
      'reach_out',
    );
    return { outcome: `refused: ${why}`, appointmentId: target.id };
  }
}

/** Bounds the wait for the new booking of a platform-side reschedule (see reschedule-wait.ts). */
async function startRescheduleWait(
  deps: ApplyDeps,
  platform: string,
  appointmentId: string,
  event: NormalisedEvent,
): Promise<void> {
  const input: RescheduleWaitInput = {
    platform,
    appointmentId,
    newExternalId: event.replacedBy ?? '',
    vendorEventId: event.vendorEventId,
    waitMs: deps.config.inbound.rescheduleWaitMs,
  };
  try {
    await deps.temporal.workflow.start<typeof inboundRescheduleWaitWorkflow>(RESCHEDULE_WAIT_WORKFLOW_TYPE, {
      workflowId: rescheduleWaitWorkflowId(platform, appointmentId, input.newExternalId),
      taskQueue: deps.config.temporal.taskQueue,
      args: [input],
      staticSummary: `${platform}: wait for the new booking of ${appointmentId}`,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

async function bookExternal(
  deps: ApplyDeps,
  settings: PlatformSettings,
  event: NormalisedEvent,
  actor: Actor,
  channel: Channel,
  unmatched: (why?: string) => Promise<ApplyResult>,
): Promise<ApplyResult> {
  const serviceId = typeof settings.options.serviceId === 'string' ? settings.options.serviceId : undefined;
  const staffId = typeof settings.options.staffId === 'string' ? settings.options.staffId : undefined;
  if (!event.customer || event.startsAt === undefined || !serviceId) {
    return unmatched(!serviceId ? 'no serviceId configured for new bookings' : 'no customer details');
  }
  const business = await deps.db.selectFrom('business').select('time_zone').executeTakeFirst();
  try {
    const booked = await book(
      { db: deps.db, temporal: deps.temporal, config: deps.config },
      {
        serviceId,
        staffId,
        startsAt: event.startsAt,
        timeZone: event.customer.timeZone ?? business?.time_zone ?? 'UTC',
        customer: {
          name: event.customer.name,
          email: event.customer.email,
          ...(event.customer.phone ? { phone: event.customer.phone } : {}),
          smsOptIn: false,
        },
        actor,
        channel,
      },
    );
    await linkExternal(deps.db, settings.platform, event.externalId, booked.appointmentId);
    return { outcome: 'booked', appointmentId: booked.appointmentId };
  } catch (error) {
    if (error instanceof SlotUnavailableError || error instanceof UnknownEntityError) return unmatched(error.message);
    throw error;
  }
}
