/**
 * Membership activities:
 * - `recordMembershipChange` writes the membership workflow's state onto the membership row (absolute
 *   values, so a retry or a replay writes the same thing) and appends its timeline entry once;
 * - `sendMembershipMessage` renders a membership message through the template registry (a staff
 *   override of the event and channel is used when there is one), stores it in the outbox (idempotency
 *   key from workflow id + step + channel) and delivers it through the configured provider, with the
 *   same SMS rules as appointment messages (opted-out or failed numbers get none, re-checked before
 *   sending; a permanent failure marks the message, flags the contact and alerts staff);
 * - `membershipSync` wraps the activities that change an appointment row so that, when the
 *   appointment is a membership visit, the membership workflow hears of the change at once. The
 *   appointment workflow itself is untouched (no patch, no new commands in its history).
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { type Kysely, sql } from 'kysely';
import { appendTimeline } from '../src/appointments/repository';
import type { Config } from '../src/config';
import type { Database, MessageChannel } from '../src/db/schema';
import type { MembershipStage } from '../src/domain/stages';
import { eventTypeForMembershipChange, recordMembershipEvent } from '../src/memberships/events';
import { countVisits } from '../src/memberships/policy';
import { loadMembership, notifyMembershipOfVisit } from '../src/memberships/repository';
import { dispatchStoredMessages } from '../src/messaging/dispatch';
import type { MembershipCustomerEvent, MembershipMessageContext } from '../src/messaging/membership-templates';
import { resolveLocale } from '../src/i18n/locales';
import { type MessageProviders, providerName } from '../src/messaging/providers';
import { customerRecipients } from '../src/messaging/recipients';
import { TEMPLATE_REGISTRY, renderTemplate } from '../src/messaging/template-registry';
import { formatWhenShort } from '../src/messaging/templates';
import type { MembershipEffect } from '../workflows/membership/messages';

export interface MembershipActivityDeps {
  db: Kysely<Database>;
  config: Config;
  providers: MessageProviders;
}

export type MembershipTimelineEntry = Extract<MembershipEffect, { kind: 'record' }>['entry'];

export interface RecordMembershipChangeInput {
  membershipId: string;
  stage: MembershipStage;
  visitsUsed: number;
  visitsForfeited: number;
  visitsReturned: number;
  validUntil: number;
  expired: boolean;
  entry: MembershipTimelineEntry;
}

export interface SendMembershipMessageInput {
  membershipId: string;
  workflowId: string;
  event: MembershipCustomerEvent;
  step: string;
  expiredReason?: 'visits_used' | 'validity_ended';
}

export function membershipActivities({ db, config, providers }: MembershipActivityDeps) {
  return {
    async recordMembershipChange(input: RecordMembershipChangeInput): Promise<void> {
      await db.transaction().execute(async (trx) => {
        // Lock order: the timeline entry first (its foreign keys share-lock the contact and the
        // membership), the membership row after. A visit booking locks the contact, then the membership
        // row: taking the row first here could deadlock with it. The row's values are absolute, so
        // concurrent writers need no read lock.
        const row = await trx
          .selectFrom('memberships')
          .select(['id', 'contact_id', 'visits_total', 'expired_at', 'time_zone'])
          .where('id', '=', input.membershipId)
          .executeTakeFirst();
        if (!row) throw new Error(`Membership ${input.membershipId} does not exist`);
        const actor = input.entry.actor;
        const summary = readableInstants(input.entry.summary, row.time_zone);
        await appendTimeline(trx, {
          membershipId: row.id,
          contactId: row.contact_id,
          appointmentId: input.entry.appointmentId ?? null,
          kind: input.entry.kind,
          actor: actor ? `${actor.name}${actor.kind === 'customer' ? '' : ` (${actor.kind})`}` : 'appointflow',
          channel: input.entry.channel ?? 'system',
          summary,
          data: {
            ...input.entry.data,
            stage: input.stage,
            visitsUsed: input.visitsUsed,
            visitsForfeited: input.visitsForfeited,
          },
          idempotencyKey: input.entry.idempotencyKey,
        });
        const now = new Date();
        await trx
          .updateTable('memberships')
          .set({
            stage: input.stage,
            // The row's CHECK keeps used ≤ total; forfeited visits are counted apart.
            visits_used: input.visitsUsed,
            visits_forfeited: input.visitsForfeited,
            visits_returned: input.visitsReturned,
            valid_until: new Date(input.validUntil),
            ...(input.expired ? { expired_at: sql<Date>`coalesce(expired_at, ${now})` } : {}),
            updated_at: now,
          })
          .where('id', '=', row.id)
          .execute();
        // The webhook event of this change, in the same transaction, once per change (the purchase
        // records its own event when the membership is bought).
        const type = eventTypeForMembershipChange(input.entry.kind);
        if (type) {
          await recordMembershipEvent(trx, {
            type,
            membershipId: row.id,
            appointmentId: input.entry.appointmentId ?? null,
            change: {
              kind: input.entry.kind,
              actor: actor ? actor.name : 'appointflow',
              channel: input.entry.channel ?? 'system',
              summary,
              ...input.entry.data,
            },
            key: `membership-change:${input.entry.idempotencyKey}`,
          });
        }
      });
    },

    async sendMembershipMessage(input: SendMembershipMessageInput): Promise<{ messageIds: string[] }> {
      const membership = await loadMembership(db, { id: input.membershipId });
      if (!membership) throw new Error(`Membership ${input.membershipId} does not exist`);
      const [contact, business, services, visits] = await Promise.all([
        db.selectFrom('contacts').selectAll().where('id', '=', membership.contactId).executeTakeFirstOrThrow(),
        db.selectFrom('business').selectAll().executeTakeFirstOrThrow(),
        db
          .selectFrom('membership_plan_services as ps')
          .innerJoin('services as s', 's.id', 'ps.service_id')
          .select('s.name')
          .where('ps.plan_id', '=', membership.planId)
          .orderBy('s.name')
          .execute(),
        db
          .selectFrom('appointments')
          .select(['status'])
          .where('membership_id', '=', membership.id)
          .where('status', 'in', ['scheduled', 'in_progress'])
          .execute(),
      ]);
      const counts = countVisits(membership.visitsTotal, [
        ...visits.map(() => 'booked' as const),
        ...Array.from({ length: membership.visitsUsed }, () => 'used' as const),
        ...Array.from({ length: membership.visitsForfeited }, () => 'forfeited' as const),
      ]);
      const base = config.http.publicBaseUrl;
      const context: MembershipMessageContext = {
        locale: resolveLocale(contact.locale, resolveLocale(business.default_locale)),
        business: { name: business.name, email: business.email, phone: business.phone },
        contact: { name: contact.name },
        plan: {
          // As sold: a plan renamed or repriced later applies to new purchases only.
          name: membership.planName,
          priceMinor: membership.priceMinor,
          currency: membership.currency,
          services: services.map((s) => s.name),
        },
        membership: {
          certificateNumber: membership.certificateNumber,
          visitsTotal: membership.visitsTotal,
          visitsLeft: counts.left,
          validUntil: membership.validUntil.getTime(),
          timeZone: membership.timeZone,
          ...(input.expiredReason ? { expiredReason: input.expiredReason } : {}),
        },
        bookingUrl: `${base}/book?certificate=${encodeURIComponent(membership.certificateNumber)}`,
        renewUrl: `${base}/memberships/plans/${membership.planId}`,
      };
      const recipients = customerRecipients(contact);
      const keyOf = (channel: MessageChannel) => `${input.workflowId}:${input.step}:${channel}:customer`;
      const entry = TEMPLATE_REGISTRY.get(input.event);
      if (!entry) throw new Error(`No template for the event ${input.event}`);
      const overrides = await db
        .selectFrom('message_templates')
        .select(['channel', 'subject', 'body'])
        .where('event', '=', input.event)
        .execute();
      for (const recipient of recipients) {
        // Overrides are written in the business's language (see activities/notifications.ts).
        // WhatsApp carries the SMS text (and its override).
        const form = recipient.channel === 'email' ? 'email' : 'sms';
        const override =
          context.locale === resolveLocale(business.default_locale)
            ? overrides.find((o) => o.channel === form)
            : undefined;
        const rendered = renderTemplate(entry, form, context, override);
        const email = rendered.email ?? null;
        await db
          .insertInto('messages')
          .values({
            membership_id: membership.id,
            contact_id: contact.id,
            channel: recipient.channel,
            template: input.event,
            recipient: recipient.to,
            subject: email?.subject ?? null,
            body: email ? email.text : rendered.sms!,
            html: email?.html ?? null,
            provider: providerName(providers, recipient.channel),
            idempotency_key: keyOf(recipient.channel),
            // What an approved WhatsApp template is filled with outside the 24-hour window.
            template_values:
              recipient.channel === 'whatsapp'
                ? JSON.stringify({
                    name: contact.name,
                    business: business.name,
                    service: membership.planName,
                    when: formatWhenShort(membership.validUntil.getTime(), membership.timeZone, context.locale),
                    link: context.bookingUrl,
                    text: rendered.sms!,
                  })
                : null,
          })
          .onConflict((oc) => oc.column('idempotency_key').doNothing())
          .execute();
      }
      // Also an SMS stored on an earlier attempt before a STOP: it must be suppressed, not left queued.
      const keys = [keyOf('email'), keyOf('sms'), keyOf('whatsapp')];
      const messages = await dispatchStoredMessages({ db, config, providers }, keys, {
        membershipId: membership.id,
        contactId: contact.id,
      });
      return { messageIds: messages.map((m) => m.id) };
    },
  };
}

/** The worker's client inside an activity; undefined when called outside one (plain unit tests). */
function activityClient(): Client | undefined {
  try {
    return Context.current().client;
  } catch {
    return undefined;
  }
}

/**
 * Wraps an activity that changes an appointment row: after the change (also when it was already
 * applied and the activity answers from its idempotency record), the appointment's membership, if any,
 * is sent the visit's current state. A failed signal fails the activity, whose retry is idempotent.
 */
export function membershipSync(db: Kysely<Database>, client: () => Client | undefined = activityClient) {
  return <I extends { appointmentId: string }, R>(fn: (input: I) => Promise<R>) =>
    async (input: I): Promise<R> => {
      const result = await fn(input);
      const temporal = client();
      if (temporal) await notifyMembershipOfVisit(temporal, db, input.appointmentId);
      return result;
    };
}

/**
 * The workflow writes instants as ISO strings (it has no business formatting rules); people read the
 * timeline, so each instant in a summary is shown in the membership's zone with the zone named.
 */
export function readableInstants(summary: string, timeZone: string): string {
  return summary.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z/g, (iso) => {
    const instant = Date.parse(iso);
    return Number.isNaN(instant) ? iso : formatWhenShort(instant, timeZone);
  });
}
