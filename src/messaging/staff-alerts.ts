/**
 * Staff alerts: something a person must see (an unmatched SMS / email reply, an opt-out, a permanent
 * delivery failure, a cancellation, a no-show). With Slack configured the alert is posted there
 * (stored first in `messages` with channel `slack`, so it is auditable and idempotent); when it needs
 * action (`task`), or when Slack is not configured or refuses it, it also becomes an open staff task,
 * so an alert is never lost silently. Idempotent by `key`.
 */
import type { Kysely } from 'kysely';
import { appendTimeline } from '../appointments/repository';
import type { Database } from '../db/schema';
import type { Config } from '../config';
import type { MessageProviders } from './providers';

export interface StaffAlert {
  /** Idempotency key: the same alert is posted and tasked once. */
  key: string;
  text: string;
  appointmentId?: string | null;
  contactId?: string | null;
  /** Also open a staff task (the alert asks for action). */
  task?: boolean;
}

export interface StaffAlertDeps {
  db: Kysely<Database>;
  config: Pick<Config, 'messaging'>;
  providers: Pick<MessageProviders, 'slack'>;
}

/**
 * Posts the alert. A Slack failure (down, rate-limited, misconfigured) does not hold up the caller — a
 * customer's SMS reply or a workflow's messages — and is not lost either: the alert becomes a task.
 */
export async function alertStaff(
  deps: StaffAlertDeps,
  alert: StaffAlert,
): Promise<{ slack: 'sent' | 'failed' | 'not_configured'; taskId: string | null }> {
  const { db } = deps;
  const slack = deps.providers.slack;
  const channel = deps.config.messaging.slack?.channel;
  let outcome: 'sent' | 'failed' | 'not_configured' = 'not_configured';
  if (slack && channel) {
    const key = `alert:${alert.key}:slack`;
    await db
      .insertInto('messages')
      .values({
        appointment_id: alert.appointmentId ?? null,
        contact_id: null,
        channel: 'slack',
        template: 'staffAlert',
        recipient: channel,
        subject: null,
        body: alert.text,
        provider: slack.name,
        idempotency_key: key,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
    const message = await db
      .selectFrom('messages')
      .selectAll()
      .where('idempotency_key', '=', key)
      .executeTakeFirstOrThrow();
    if (message.status !== 'queued') {
      outcome = message.status === 'sent' || message.status === 'delivered' ? 'sent' : 'failed';
    } else {
      try {
        const { providerMessageId } = await slack.send({
          id: message.id,
          channel: 'slack',
          to: channel,
          subject: null,
          text: alert.text,
          html: null,
          attachments: [],
          idempotencyKey: key,
          template: 'staffAlert',
        });
        await db
          .updateTable('messages')
          .set({ status: 'sent', provider_message_id: providerMessageId, sent_at: new Date(), updated_at: new Date() })
          .where('id', '=', message.id)
          .execute();
        outcome = 'sent';
      } catch (error) {
        await db
          .updateTable('messages')
          .set({ status: 'failed', error: (error as Error).message.slice(0, 500), updated_at: new Date() })
          .where('id', '=', message.id)
          .execute();
        outcome = 'failed';
      }
    }
  }
  let taskId: string | null = null;
  if (alert.task || outcome !== 'sent') {
    const taskKey = `alert:${alert.key}:task`;
    await db
      .insertInto('tasks')
      .values({
        appointment_id: alert.appointmentId ?? null,
        kind: 'reach_out',
        title: alert.text.length > 300 ? `${alert.text.slice(0, 297)}...` : alert.text,
        assignee_staff_id: null,
        due_at: null,
        idempotency_key: taskKey,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
    taskId = (
      await db.selectFrom('tasks').select('id').where('idempotency_key', '=', taskKey).executeTakeFirstOrThrow()
    ).id;
    if (alert.appointmentId) {
      await appendTimeline(db, {
        appointmentId: alert.appointmentId,
        contactId: alert.contactId ?? null,
        kind: 'task:created',
        actor: 'appointflow',
        channel: 'system',
        summary: `Task for staff: ${alert.text}`,
        data: { taskId, kind: 'reach_out' },
        idempotencyKey: `${taskKey}:timeline`,
      });
    }
  }
  return { slack: outcome, taskId };
}
