/**
 * Membership rules, pure and deterministic (used by the booking service, the card API and the
 * `membership:<id>` workflow alike, so all three count visits the same way):
 * - what became of a visit (booked, used, returned by an in-policy cancel, forfeited by a late cancel
 *   or a no-show — each configurable per plan);
 * - visits used / forfeited / booked / left;
 * - the membership's stage, mirroring its next visit;
 * - when the expiry reminder is due.
 */
import type { MembershipStage, PipelineStage, ServiceStatus } from '../domain/stages';
import { DAY_MS, HOUR_MS } from '../domain/durations';

export interface VisitPolicy {
  /** A cancel less than this many hours before the start is late. */
  lateCancelHours: number;
  /** A late cancel uses up the visit (true) or returns it (false). */
  lateCancelForfeits: boolean;
  /** A no-show uses up the visit (true) or returns it (false). */
  noShowForfeits: boolean;
  /** Days before the validity ends to remind the customer while visits remain (0: no reminder). */
  expiryReminderDays: number;
}

export const DEFAULT_VISIT_POLICY: VisitPolicy = {
  lateCancelHours: 24,
  lateCancelForfeits: true,
  noShowForfeits: true,
  expiryReminderDays: 7,
};

/** What the membership knows about one of its visits (an appointment booked against it). */
export interface VisitSnapshot {
  appointmentId: string;
  serviceName: string;
  startsAt: number;
  endsAt: number;
  timeZone: string;
  status: ServiceStatus;
  stage: PipelineStage;
  revision: number;
  cancelledAt: number | null;
  /** Monotonic version of the appointment row (its updated_at, epoch ms): older news is ignored. */
  version: number;
}

export type VisitOutcome = 'booked' | 'used' | 'returned' | 'forfeited';

export function visitOutcome(
  visit: Pick<VisitSnapshot, 'status' | 'startsAt' | 'cancelledAt'>,
  policy: VisitPolicy,
): VisitOutcome {
  switch (visit.status) {
    case 'scheduled':
    case 'in_progress':
      return 'booked';
    case 'done':
      return 'used';
    case 'no_show':
      return policy.noShowForfeits ? 'forfeited' : 'returned';
    case 'cancelled':
      return isLateCancel(visit, policy) && policy.lateCancelForfeits ? 'forfeited' : 'returned';
  }
}

export function isLateCancel(visit: Pick<VisitSnapshot, 'startsAt' | 'cancelledAt'>, policy: VisitPolicy): boolean {
  const cancelledAt = visit.cancelledAt ?? visit.startsAt;
  return cancelledAt > visit.startsAt - policy.lateCancelHours * HOUR_MS;
}

export interface VisitCounts {
  used: number;
  forfeited: number;
  returned: number;
  booked: number;
  /** null for an unlimited plan. */
  left: number | null;
  /** Visits that may still be booked: left minus those already booked. */
  bookable: number | null;
}

export function countVisits(visitsTotal: number | null, outcomes: Iterable<VisitOutcome>): VisitCounts {
  const counts = { used: 0, forfeited: 0, returned: 0, booked: 0 };
  for (const outcome of outcomes) counts[outcome] += 1;
  const left = visitsTotal === null ? null : Math.max(0, visitsTotal - counts.used - counts.forfeited);
  return { ...counts, left, bookable: left === null ? null : Math.max(0, left - counts.booked) };
}

/** All visits of a limited plan are used or forfeited. */
export function visitsExhausted(counts: VisitCounts): boolean {
  return counts.left === 0;
}

/** The next visit still to happen: the earliest booked one. */
export function nextVisit<T extends Pick<VisitSnapshot, 'status' | 'startsAt'>>(visits: Iterable<T>): T | null {
  let next: T | null = null;
  for (const visit of visits) {
    if (visit.status !== 'scheduled' && visit.status !== 'in_progress') continue;
    if (!next || visit.startsAt < next.startsAt) next = visit;
  }
  return next;
}

/** The stage mirrors the next visit's stage; with none booked it is Unscheduled. */
export function membershipStage(expired: boolean, next: Pick<VisitSnapshot, 'stage'> | null): MembershipStage {
  if (expired) return 'Membership Expired';
  if (!next) return 'Appointment Unscheduled';
  switch (next.stage) {
    case 'Appointment Tomorrow':
      return 'Appointment Tomorrow';
    case 'Appointment Today':
      return 'Appointment Today';
    default:
      return 'Appointment Scheduled';
  }
}

/** When the expiry reminder is due, or null when the plan sends none. */
export function expiryReminderAt(validUntil: number, policy: VisitPolicy): number | null {
  return policy.expiryReminderDays > 0 ? validUntil - policy.expiryReminderDays * DAY_MS : null;
}

/** Reads a plan's policy columns, filling defaults. */
export function visitPolicyOf(row: {
  late_cancel_hours?: number | null;
  late_cancel_forfeits?: boolean | null;
  no_show_forfeits?: boolean | null;
  expiry_reminder_days?: number | null;
}): VisitPolicy {
  return {
    lateCancelHours: row.late_cancel_hours ?? DEFAULT_VISIT_POLICY.lateCancelHours,
    lateCancelForfeits: row.late_cancel_forfeits ?? DEFAULT_VISIT_POLICY.lateCancelForfeits,
    noShowForfeits: row.no_show_forfeits ?? DEFAULT_VISIT_POLICY.noShowForfeits,
    expiryReminderDays: row.expiry_reminder_days ?? DEFAULT_VISIT_POLICY.expiryReminderDays,
  };
}
