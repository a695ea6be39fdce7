/**
 * Membership reads shared by the booking service, the card API and the activities: the membership
 * with its plan, a visit as the membership workflow sees it, and telling the membership workflow that
 * one of its visits changed.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { MembershipStage } from '../domain/stages';
import { membershipWorkflowId, visitChangedSignal } from '../../workflows/membership/messages';
import { type VisitPolicy, type VisitSnapshot, visitPolicyOf } from './policy';

type Db = Kysely<Database>;

export interface MembershipWithPlan {
  id: string;
  planId: string;
  planName: string;
  /** The price it was sold for (the plan's current price for rows from before 0013). */
  priceMinor: number;
  currency: string;
  contactId: string;
  certificateNumber: string;
  visitsTotal: number | null;
  visitsUsed: number;
  visitsForfeited: number;
  visitsReturned: number;
  validFrom: Date;
  validUntil: Date;
  stage: MembershipStage;
  timeZone: string;
  workflowId: string;
  expiredAt: Date | null;
  policy: VisitPolicy;
  serviceIds: string[];
}

export async function loadMembership(
  db: Db,
  where: { id: string } | { certificateNumber: string },
): Promise<MembershipWithPlan | undefined> {
  let query = db
    .selectFrom('memberships as m')
    .innerJoin('membership_plans as p', 'p.id', 'm.plan_id')
    .select([
      'm.id',
      'm.plan_id',
      // The name it was sold with (0013); rows written before or by hand fall back to the plan's.
      (eb) => eb.fn.coalesce('m.plan_name', 'p.name').as('plan_name'),
      (eb) => eb.fn.coalesce('m.price_minor', 'p.price_minor').as('price_minor'),
      (eb) => eb.fn.coalesce('m.currency', 'p.currency').as('currency'),
      'm.contact_id',
      'm.certificate_number',
      'm.visits_total',
      'm.visits_used',
      'm.visits_forfeited',
      'm.visits_returned',
      'm.valid_from',
      'm.valid_until',
      'm.stage',
      'm.time_zone',
      'm.workflow_id',
      'm.expired_at',
      'p.late_cancel_hours',
      'p.late_cancel_forfeits',
      'p.no_show_forfeits',
      'p.expiry_reminder_days',
    ]);
  query =
    'id' in where
      ? query.where('m.id', '=', where.id)
      : query.where('m.certificate_number', '=', where.certificateNumber);
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const services = await db
    .selectFrom('membership_plan_services')
    .select('service_id')
    .where('plan_id', '=', row.plan_id)
    .execute();
  return {
    id: row.id,
    planId: row.plan_id,
    planName: row.plan_name,
    priceMinor: Number(row.price_minor),
    currency: row.currency.trim(),
    contactId: row.contact_id,
    certificateNumber: row.certificate_number,
    visitsTotal: row.visits_total,
    visitsUsed: row.visits_used,
    visitsForfeited: row.visits_forfeited,
    visitsReturned: row.visits_returned,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    stage: row.stage,
    timeZone: row.time_zone,
    workflowId: row.workflow_id,
    expiredAt: row.expired_at,
    policy: visitPolicyOf(row),
    serviceIds: services.map((s) => s.service_id),
  };
}

/** The appointment as a visit of its membership, or undefined when it is not a membership visit. */
export async function loadVisit(
  db: Db,
  appointmentId: string,
): Promise<{ membershipId: string; visit: VisitSnapshot } | undefined> {
  const row = await db
    .selectFrom('appointments as a')
    .innerJoin('services as s', 's.id', 'a.service_id')
    .select([
      'a.id',
      'a.membership_id',
      's.name as service_name',
      'a.starts_at',
      'a.ends_at',
      'a.time_zone',
      'a.status',
      'a.stage',
      'a.revision',
      'a.cancelled_at',
      'a.updated_at',
    ])
    .where('a.id', '=', appointmentId)
    .executeTakeFirst();
  if (!row?.membership_id) return undefined;
  return {
    membershipId: row.membership_id,
    visit: {
      appointmentId: row.id,
      serviceName: row.service_name,
      startsAt: row.starts_at.getTime(),
      endsAt: row.ends_at.getTime(),
      timeZone: row.time_zone,
      status: row.status,
      stage: row.stage,
      revision: row.revision,
      cancelledAt: row.cancelled_at?.getTime() ?? null,
      version: row.updated_at.getTime(),
    },
  };
}

/**
 * Sends the visit's current state to its membership workflow. State, not an event: sending it twice,
 * or late, is harmless (the workflow ignores older versions and never reopens a closed visit). A
 * membership whose workflow has finished (expired) has nothing more to hear.
 */
export async function notifyMembershipOfVisit(client: Client, db: Db, appointmentId: string): Promise<boolean> {
  const found = await loadVisit(db, appointmentId);
  if (!found) return false;
  try {
    await client.workflow.getHandle(membershipWorkflowId(found.membershipId)).signal(visitChangedSignal, found.visit);
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/**
 * For a membership visit: the end of its membership's validity (epoch ms), before which any new time
 * offered for the visit must start; undefined for an appointment that is not a membership visit.
 */
export async function visitValidUntil(db: Db, membershipId: string | null): Promise<number | undefined> {
  if (!membershipId) return undefined;
  const row = await db
    .selectFrom('memberships')
    .select(['valid_until', 'expired_at'])
    .where('id', '=', membershipId)
    .executeTakeFirst();
  if (!row) return undefined;
  return row.expired_at ? 0 : row.valid_until.getTime();
}

/** Visits left on the membership row's counters (used and forfeited visits are gone; unlimited = null). */
function withVisitsLeft<T extends { visitsTotal: number | null; visitsUsed: number; visitsForfeited: number }>(row: T) {
  return {
    ...row,
    visitsLeft: row.visitsTotal === null ? null : Math.max(0, row.visitsTotal - row.visitsUsed - row.visitsForfeited),
  };
}

function membershipsWithParties(db: Db) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('membership_plans as p', 'p.id', 'm.plan_id')
    .innerJoin('contacts as c', 'c.id', 'm.contact_id');
}

/** The pipeline board's memberships, by end of validity (the first 1000). */
export async function boardMemberships(db: Db) {
  const rows = await membershipsWithParties(db)
    .select([
      'm.id',
      'm.stage',
      'm.certificate_number as certificateNumber',
      'm.visits_total as visitsTotal',
      'm.visits_used as visitsUsed',
      'm.visits_forfeited as visitsForfeited',
      'm.valid_until as validUntil',
      (eb) => eb.fn.coalesce('m.plan_name', 'p.name').as('planName'),
      'c.name as contactName',
    ])
    .orderBy('m.valid_until')
    .limit(1000)
    .execute();
  return rows.map(withVisitsLeft);
}

/**
 * The memberships list, newest first (the first 200): in one stage, and / or found by `text` (part of
 * the contact's name or email) or by `certificate` (the text read as a certificate number).
 */
export async function listMemberships(
  db: Db,
  filter: { stage?: MembershipStage | undefined; text?: string | undefined; certificate: string | null },
) {
  let q = membershipsWithParties(db)
    .select([
      'm.id',
      'm.certificate_number as certificateNumber',
      'm.stage',
      'm.visits_total as visitsTotal',
      'm.visits_used as visitsUsed',
      'm.visits_forfeited as visitsForfeited',
      'm.valid_until as validUntil',
      (eb) => eb.fn.coalesce('m.plan_name', 'p.name').as('planName'),
      'c.id as contactId',
      'c.name as contactName',
      'c.email as contactEmail',
    ])
    .orderBy('m.created_at', 'desc')
    .limit(200);
  if (filter.stage) q = q.where('m.stage', '=', filter.stage);
  const { text, certificate } = filter;
  if (text) {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        ...(certificate ? [eb('m.certificate_number', '=', certificate)] : []),
        eb('c.name', 'ilike', like),
        eb('c.email', 'ilike', like),
      ]),
    );
  }
  return (await q.execute()).map(withVisitsLeft);
}
