/**
 * Everything the outside world can say to a `membership:<id>` workflow and what it answers. Visits
 * report their changes as `visitChanged` signals (sent by the activities that change an appointment
 * row, and by the booking service when a visit is booked) or as the `syncVisit` update when the caller
 * wants the new membership state back; staff extend the validity with `extendValidity`.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { VisitCounts, VisitOutcome, VisitPolicy, VisitSnapshot } from '../../src/memberships/policy';
import type { MembershipStage } from '../../src/domain/stages';
import type { Actor, Channel } from '../appointment/messages';

export type { VisitSnapshot } from '../../src/memberships/policy';

export const MEMBERSHIP_WORKFLOW_TYPE = 'membershipWorkflow';

export function membershipWorkflowId(membershipId: string): string {
  return `membership:${membershipId}`;
}

/** What the workflow knows about its membership; fixed at purchase except the validity end. */
export interface MembershipSnapshot {
  membershipId: string;
  contactId: string;
  planName: string;
  certificateNumber: string;
  /** null: unlimited visits within the validity. */
  visitsTotal: number | null;
  validFrom: number;
  validUntil: number;
  timeZone: string;
  policy: VisitPolicy;
}

export type ExpiredReason = 'visits_used' | 'validity_ended';

/** A change the workflow has still to record (database row + timeline) or a message still to send. */
export type MembershipEffect =
  | {
      kind: 'record';
      entry: {
        kind: string;
        summary: string;
        data?: Record<string, unknown>;
        appointmentId?: string;
        actor?: Actor;
        channel?: Channel;
        idempotencyKey: string;
      };
    }
  | { kind: 'message'; event: 'membershipPurchased' | 'membershipExpiring' | 'membershipExpired'; step: string };

/** State handed from one run to the next by continue-as-new. */
export interface MembershipCarry {
  /** Visits still to happen, by appointment id. */
  visits: Record<string, VisitSnapshot>;
  /** Closed visits and what became of each (small: one entry per visit of the plan). */
  closed: Record<string, Exclude<VisitOutcome, 'booked'>>;
  stage: MembershipStage;
  expired: ExpiredReason | null;
  reminderSent: boolean;
  /** Sequence of recorded changes, part of their idempotency keys; continues across runs. */
  seq: number;
  /** Which run this is (1 = the first). */
  run: number;
  /** Changes queued but not yet written when the run handed over; the next run writes them first. */
  pending?: MembershipEffect[];
  /** The validity has ended and the membership waits for its open visits (noted once on the timeline). */
  validityWaitNoted?: boolean;
}

export interface MembershipWorkflowInput {
  membership: MembershipSnapshot;
  /** Present when continued-as-new. */
  carried?: MembershipCarry;
}

export interface MembershipState {
  membership: MembershipSnapshot;
  stage: MembershipStage;
  counts: VisitCounts;
  nextVisit: VisitSnapshot | null;
  visits: VisitSnapshot[];
  closed: Record<string, Exclude<VisitOutcome, 'booked'>>;
  expired: ExpiredReason | null;
  reminderSent: boolean;
  run: number;
  historyLength: number;
}

export interface ExtendValidityRequest {
  /** New validity end, epoch milliseconds. */
  validUntil: number;
  actor: Actor;
  channel: Channel;
}

export const visitChangedSignal = defineSignal<[VisitSnapshot]>('visitChanged');
/** The update form of `visitChanged`, answering with the membership's state. Nothing sends it today (kept, see docs/architecture.md). */
export const syncVisitUpdate = defineUpdate<MembershipState, [VisitSnapshot]>('syncVisit');
export const extendValidityUpdate = defineUpdate<MembershipState, [ExtendValidityRequest]>('extendValidity');
export const membershipStateQuery = defineQuery<MembershipState>('membershipState');

/** Changes to running membership workflow code, each behind `patched()` and proven by replay tests. */
export const MEMBERSHIP_PATCHES = {
  /**
   * `extendValidity` answers once its change is written (row, timeline and event), so the caller's
   * next read shows it; the hand-over to a new run keeps writing while such an update waits.
   */
  extendWaitsForWrite: 'membership-extend-waits-for-write-v1',
  /**
   * When the validity ends while a visit that started within it is still open (not yet done,
   * cancelled or a no-show), the membership expires once that visit closes — so it is counted — or at
   * the latest `VISIT_CLOSE_GRACE_MS` after the end.
   */
  validityWaitsForOpenVisits: 'membership-validity-waits-for-open-visits-v1',
} as const;

/** How long after the validity end an open visit may still close and be counted. */
export const VISIT_CLOSE_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

export const MEMBERSHIP_REFUSALS = {
  invalidRequest: 'InvalidRequest',
  expired: 'MembershipExpired',
  /** A validity change that would leave one of the membership's open visits after the new end. */
  visitOutsideValidity: 'VisitOutsideValidity',
} as const;
