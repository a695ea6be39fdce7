/**
 * What one membership workflow run knows: the membership, its open and closed visits, the stage, the
 * expiry, and the changes still to write (`effects`). Handlers only change this state and queue
 * effects; the main loop writes them (effects.ts). Carried to the next run by continue-as-new.
 */
import { condition, patched, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { countVisits, membershipStage, nextVisit, visitOutcome, visitsExhausted } from '../../src/memberships/policy';
import type { VisitCounts, VisitOutcome } from '../../src/memberships/policy';
import { CertificateNumber, ContactId, MembershipId, MembershipStage } from '../../temporal/search-attributes';
import {
  MEMBERSHIP_PATCHES,
  VISIT_CLOSE_GRACE_MS,
  type MembershipCarry,
  type MembershipEffect,
  type MembershipSnapshot,
  type MembershipState,
  type MembershipWorkflowInput,
  type VisitSnapshot,
} from './messages';

const OUTCOME_WORDS: Record<Exclude<VisitOutcome, 'booked'>, string> = {
  used: 'Visit used',
  returned: 'Visit returned',
  forfeited: 'Visit forfeited',
};

function describeClose(visit: VisitSnapshot, outcome: Exclude<VisitOutcome, 'booked'>): string {
  const why =
    visit.status === 'done'
      ? 'the visit took place'
      : visit.status === 'no_show'
        ? 'no-show'
        : outcome === 'forfeited'
          ? 'late cancel'
          : 'cancelled in policy';
  return `${OUTCOME_WORDS[outcome]}: ${visit.serviceName} on ${new Date(visit.startsAt).toISOString()} (${why})`;
}

const iso = (at: number) => new Date(at).toISOString();

export class MembershipModel {
  readonly workflowId = workflowInfo().workflowId;
  membership: MembershipSnapshot;
  readonly visits: Record<string, VisitSnapshot>;
  readonly closed: MembershipCarry['closed'];
  stage: MembershipCarry['stage'];
  expired: MembershipCarry['expired'];
  reminderSent: boolean;
  validityWaitNoted: boolean;
  seq: number;
  readonly run: number;
  closedThisRun = 0;
  /** Set by every change; wakes the main loop's timer. */
  changed = false;
  readonly effects: MembershipEffect[];
  /** The effect the main loop is writing or sending right now (taken off `effects` already). */
  inFlight: MembershipEffect | null = null;

  constructor(input: MembershipWorkflowInput) {
    const carried: MembershipCarry = input.carried ?? {
      visits: {},
      closed: {},
      stage: 'Appointment Unscheduled',
      expired: null,
      reminderSent: false,
      seq: 0,
      run: 0,
    };
    this.membership = input.membership;
    this.visits = { ...carried.visits };
    this.closed = { ...carried.closed };
    this.stage = carried.stage;
    this.expired = carried.expired;
    this.reminderSent = carried.reminderSent;
    this.validityWaitNoted = carried.validityWaitNoted ?? false;
    this.seq = carried.seq;
    this.run = carried.run + 1;
    this.effects = [...(carried.pending ?? [])];
  }

  /** What the next run starts from. */
  carry(): MembershipCarry {
    return {
      visits: this.visits,
      closed: this.closed,
      stage: this.stage,
      expired: this.expired,
      reminderSent: this.reminderSent,
      seq: this.seq,
      run: this.run,
      pending: [...this.effects],
      ...(this.validityWaitNoted ? { validityWaitNoted: this.validityWaitNoted } : {}),
    };
  }

  /** Resolves once `effect` is written: neither queued nor being written. */
  written(effect: MembershipEffect): Promise<void> {
    return condition(() => this.inFlight !== effect && !this.effects.includes(effect));
  }

  counts(): VisitCounts {
    return countVisits(this.membership.visitsTotal, [
      ...Object.values(this.visits).map((v) => visitOutcome(v, this.membership.policy)),
      ...Object.values(this.closed),
    ]);
  }

  state(): MembershipState {
    return {
      membership: this.membership,
      stage: this.stage,
      counts: this.counts(),
      nextVisit: nextVisit(Object.values(this.visits)),
      visits: Object.values(this.visits).sort((a, b) => a.startsAt - b.startsAt),
      closed: { ...this.closed },
      expired: this.expired,
      reminderSent: this.reminderSent,
      run: this.run,
      historyLength: workflowInfo().historyLength,
    };
  }

  publish(): void {
    const { membership, stage } = this;
    upsertSearchAttributes([
      { key: MembershipId, value: membership.membershipId },
      { key: MembershipStage, value: stage },
      { key: ContactId, value: membership.contactId },
      { key: CertificateNumber, value: membership.certificateNumber },
    ]);
    const c = this.counts();
    const next = nextVisit(Object.values(this.visits));
    setCurrentDetails(
      [
        `**${stage}** · certificate \`${membership.certificateNumber}\` · run ${this.run}`,
        `${membership.planName}: ${c.left === null ? 'unlimited' : `${c.left} of ${membership.visitsTotal} visits left`} (used ${c.used}, forfeited ${c.forfeited}, booked ${c.booked})`,
        next ? `Next visit: ${next.serviceName} at ${iso(next.startsAt)}` : 'No visit booked.',
        `Valid until ${iso(membership.validUntil)}`,
      ].join('\n\n'),
    );
  }

  record(entry: Omit<Extract<MembershipEffect, { kind: 'record' }>['entry'], 'idempotencyKey'>): void {
    this.seq += 1;
    this.effects.push({ kind: 'record', entry: { ...entry, idempotencyKey: `${this.workflowId}:e${this.seq}` } });
  }

  /** Recomputes the stage from the next visit; a move is recorded. */
  restage(): void {
    const next = membershipStage(this.expired !== null, nextVisit(Object.values(this.visits)));
    if (next === this.stage) return;
    const from = this.stage;
    this.stage = next;
    this.record({ kind: 'membership:stage', summary: `Stage: ${from} → ${next}`, data: { from, to: next } });
    this.publish();
  }

  expire(reason: NonNullable<MembershipCarry['expired']>): void {
    if (this.expired) return;
    this.expired = reason;
    this.record({
      kind: 'membership:expired',
      summary: reason === 'visits_used' ? 'Membership expired: all visits used' : 'Membership expired: validity ended',
      data: { reason },
    });
    this.restage();
    this.effects.push({ kind: 'message', event: 'membershipExpired', step: 'expired' });
  }

  /** A visit's row state, as its appointment reported it: booked, moved, or closed (used, returned, forfeited). */
  applyVisit(visit: VisitSnapshot): void {
    if (this.expired || this.closed[visit.appointmentId] !== undefined) return; // a closed visit stays closed
    const previous = this.visits[visit.appointmentId];
    if (previous && visit.version < previous.version) return; // older news
    const outcome = visitOutcome(visit, this.membership.policy);
    if (outcome === 'booked') {
      this.visits[visit.appointmentId] = visit;
      if (!previous) {
        this.record({
          kind: 'membership:visit_booked',
          appointmentId: visit.appointmentId,
          summary: `Visit booked: ${visit.serviceName} on ${iso(visit.startsAt)}`,
          data: { startsAt: iso(visit.startsAt) },
        });
      } else if (previous.startsAt !== visit.startsAt) {
        this.record({
          kind: 'membership:visit_rescheduled',
          appointmentId: visit.appointmentId,
          summary: `Visit moved: ${visit.serviceName} from ${iso(previous.startsAt)} to ${iso(visit.startsAt)}`,
          data: { from: iso(previous.startsAt), to: iso(visit.startsAt) },
        });
      }
    } else {
      delete this.visits[visit.appointmentId];
      this.closed[visit.appointmentId] = outcome;
      this.closedThisRun += 1;
      this.record({
        kind: `membership:visit_${outcome}`,
        appointmentId: visit.appointmentId,
        summary: describeClose(visit, outcome),
        data: { outcome, status: visit.status, startsAt: iso(visit.startsAt) },
      });
      if (visitsExhausted(this.counts())) this.expire('visits_used');
    }
    this.restage();
    this.changed = true;
  }

  /** Visits that started within the validity and are still open once it has ended. */
  openAtEnd(): VisitSnapshot[] {
    return Object.values(this.visits).filter((v) => v.startsAt < this.membership.validUntil);
  }

  /** Past the validity end, within the grace, with an open visit: expiry waits for the visit to close. */
  waitingForOpenVisits(): boolean {
    const now = Date.now();
    const { validUntil } = this.membership;
    if (now < validUntil || now >= validUntil + VISIT_CLOSE_GRACE_MS) return false;
    return this.openAtEnd().length > 0 && patched(MEMBERSHIP_PATCHES.validityWaitsForOpenVisits);
  }

  noteValidityWait(): void {
    if (this.validityWaitNoted) return;
    this.validityWaitNoted = true;
    const open = this.openAtEnd().sort((a, b) => a.startsAt - b.startsAt);
    const latest = this.membership.validUntil + VISIT_CLOSE_GRACE_MS;
    this.record({
      kind: 'membership:validity_wait',
      summary: `Validity ended ${iso(this.membership.validUntil)}; expiring once the visit on ${open
        .map((v) => iso(v.startsAt))
        .join(', ')} closes (at the latest ${iso(latest)})`,
      data: { openVisits: open.map((v) => v.appointmentId), latest: iso(latest) },
    });
  }
}
