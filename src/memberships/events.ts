/**
 * membership.* domain events for appointflow's webhooks (src/outbound/events.ts): written with
 * `recordEvent` in the same transaction as the membership change — the purchase (service.ts) and every
 * change the membership workflow records (`recordMembershipChange`). Each carries the membership as it
 * is after the change and the change itself; a visit event also carries the visit (the appointment).
 * Keys are unique per source change, so a retried activity or purchase records nothing twice.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { type AppointmentEventView, type EventType, appointmentEventView, recordEvent } from '../outbound/events';

type Db = Kysely<Database> | Transaction<Database>;

/** The membership workflow's timeline kinds and the event each becomes (the purchase is recorded by the purchase itself). */
export const MEMBERSHIP_EVENT_FOR_KIND: Readonly<Record<string, EventType>> = {
  'membership:visit_booked': 'membership.visit_booked',
  'membership:visit_rescheduled': 'membership.visit_rescheduled',
  'membership:visit_used': 'membership.visit_used',
  'membership:visit_returned': 'membership.visit_returned',
  'membership:visit_forfeited': 'membership.visit_forfeited',
  'membership:stage': 'membership.stage_changed',
  'membership:validity': 'membership.validity_changed',
  'membership:reminder': 'membership.expiry_reminder_sent',
  'membership:expired': 'membership.expired',
};

/** Which event (if any) a membership timeline entry of this kind is. Pure. */
export function eventTypeForMembershipChange(kind: string): EventType | undefined {
  return Object.hasOwn(MEMBERSHIP_EVENT_FOR_KIND, kind) ? MEMBERSHIP_EVENT_FOR_KIND[kind] : undefined;
}

/** The membership as every membership event carries it. */
export interface MembershipEventView {
  id: string;
  certificateNumber: string;
  plan: { id: string; name: string };
  contact: { id: string; name: string; email: string; phone: string | null };
  stage: string;
  visits: { total: number | null; used: number; forfeited: number; returned: number; left: number | null };
  validFrom: string;
  validUntil: string;
  expiredAt: string | null;
  timeZone: string;
}

export async function membershipEventView(db: Db, membershipId: string): Promise<MembershipEventView | undefined> {
  const row = await db
    .selectFrom('memberships as m')
    .innerJoin('membership_plans as p', 'p.id', 'm.plan_id')
    .innerJoin('contacts as c', 'c.id', 'm.contact_id')
    .select([
      'm.id',
      'm.certificate_number',
      'm.stage',
      'm.visits_total',
      'm.visits_used',
      'm.visits_forfeited',
      'm.visits_returned',
      'm.valid_from',
      'm.valid_until',
      'm.expired_at',
      'm.time_zone',
      'p.id as plan_id',
      (eb) => eb.fn.coalesce('m.plan_name', 'p.name').as('plan_name'),
      'c.id as contact_id',
      'c.name as contact_name',
      'c.email as contact_email',
      'c.phone as contact_phone',
    ])
    .where('m.id', '=', membershipId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    certificateNumber: row.certificate_number,
    plan: { id: row.plan_id, name: row.plan_name },
    contact: { id: row.contact_id, name: row.contact_name, email: row.contact_email, phone: row.contact_phone },
    stage: row.stage,
    visits: {
      total: row.visits_total,
      used: row.visits_used,
      forfeited: row.visits_forfeited,
      returned: row.visits_returned,
      left: row.visits_total === null ? null : Math.max(0, row.visits_total - row.visits_used - row.visits_forfeited),
    },
    validFrom: row.valid_from.toISOString(),
    validUntil: row.valid_until.toISOString(),
    expiredAt: row.expired_at?.toISOString() ?? null,
    timeZone: row.time_zone,
  };
}

/**
 * Records a membership event in `trx` (the transaction of the change): the membership as it is now,
 * the change, and for a visit event the appointment. Returns the event id, or undefined when `key` was
 * already recorded.
 */
export async function recordMembershipEvent(
  trx: Db,
  input: {
    type: EventType;
    membershipId: string;
    change: Record<string, unknown>;
    appointmentId?: string | null;
    key: string;
  },
): Promise<string | undefined> {
  const membership = await membershipEventView(trx, input.membershipId);
  if (!membership) return undefined;
  let visit: AppointmentEventView | undefined;
  if (input.appointmentId) visit = await appointmentEventView(trx, input.appointmentId);
  return recordEvent(trx, {
    type: input.type,
    subject: { type: 'membership', id: input.membershipId },
    payload: { membership, ...(visit ? { visit } : {}), change: input.change },
    key: input.key,
  });
}
