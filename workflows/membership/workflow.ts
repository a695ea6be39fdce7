/**
 * `membership:<id>` — one durable workflow per membership, from purchase to Membership Expired.
 *
 * The stage mirrors the membership's next visit: Appointment Unscheduled (none booked) ↔ Appointment
 * Scheduled → Tomorrow → Today (the visit's own workflow moves its stage at 48 h and 12 h and the
 * membership hears of it), and back to Scheduled or Unscheduled when the visit closes. What became of
 * a closed visit (used, returned by an in-policy cancel, forfeited by a late cancel or a no-show) is
 * the pure `visitOutcome` of the plan's policy. Used-up visits or the end of validity expire it, with
 * a message and a renewal offer; a reminder goes out some days before the end while visits remain.
 *
 * Handlers are synchronous: they only update the in-memory state and queue the changes to record,
 * which the main loop writes (database row + timeline) and sends (messages) one at a time, in order.
 * The validity end is an updatable timer (`condition(() => changed, untilNextTimer)`, recomputed after
 * every wake-up; `extendValidity` moves it).
 *
 * History stays bounded: after each closed visit, or when Temporal suggests it, the run hands its
 * state to a new run with continue-as-new once every handler has finished; changes queued but not yet
 * written travel with the state (written first by the next run), so no signal or update is lost
 * across the hand-over and a busy membership still hands over.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from '../../activities';
import {
  countVisits,
  expiryReminderAt,
  membershipStage,
  nextVisit,
  visitOutcome,
  visitsExhausted,
  type VisitOutcome,
} from '../../src/memberships/policy';
import { CertificateNumber, ContactId, MembershipId, MembershipStage } from '../../temporal/search-attributes';
import {
  type ExtendValidityRequest,
  MEMBERSHIP_PATCHES,
  MEMBERSHIP_REFUSALS,
  VISIT_CLOSE_GRACE_MS,
  type MembershipCarry,
  type MembershipEffect,
  type MembershipSnapshot,
  type MembershipState,
  type MembershipWorkflowInput,
  type VisitSnapshot,
  extendValidityUpdate,
  membershipStateQuery,
  syncVisitUpdate,
  visitChangedSignal,
} from './messages';

type Activities = ReturnType<typeof activities.createActivities>;

const data = proxyActivities<Activities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const messaging = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

type Effect = MembershipEffect;

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

export async function membershipWorkflow(input: MembershipWorkflowInput): Promise<MembershipState> {
  const workflowId = workflowInfo().workflowId;
  let membership: MembershipSnapshot = input.membership;
  const carried: MembershipCarry = input.carried ?? {
    visits: {},
    closed: {},
    stage: 'Appointment Unscheduled',
    expired: null,
    reminderSent: false,
    seq: 0,
    run: 0,
  };
  const visits: Record<string, VisitSnapshot> = { ...carried.visits };
  const closed: MembershipCarry['closed'] = { ...carried.closed };
  let stage = carried.stage;
  let expired = carried.expired;
  let reminderSent = carried.reminderSent;
  let validityWaitNoted = carried.validityWaitNoted ?? false;
  let seq = carried.seq;
  const run = carried.run + 1;
  let closedThisRun = 0;
  let changed = false;
  const effects: Effect[] = [...(carried.pending ?? [])];
  /** The effect the main loop is writing or sending right now (taken off `effects` already). */
  let inFlight: Effect | null = null;
  /** Resolves once `effect` is written: neither queued nor being written. */
  const written = (effect: Effect) => condition(() => inFlight !== effect && !effects.includes(effect));

  const counts = () =>
    countVisits(membership.visitsTotal, [
      ...Object.values(visits).map((v) => visitOutcome(v, membership.policy)),
      ...Object.values(closed),
    ]);

  const state = (): MembershipState => ({
    membership,
    stage,
    counts: counts(),
    nextVisit: nextVisit(Object.values(visits)),
    visits: Object.values(visits).sort((a, b) => a.startsAt - b.startsAt),
    closed: { ...closed },
    expired,
    reminderSent,
    run,
    historyLength: workflowInfo().historyLength,
  });

  const publish = () => {
    upsertSearchAttributes([
      { key: MembershipId, value: membership.membershipId },
      { key: MembershipStage, value: stage },
      { key: ContactId, value: membership.contactId },
      { key: CertificateNumber, value: membership.certificateNumber },
    ]);
    const c = counts();
    const next = nextVisit(Object.values(visits));
    setCurrentDetails(
      [
        `**${stage}** · certificate \`${membership.certificateNumber}\` · run ${run}`,
        `${membership.planName}: ${c.left === null ? 'unlimited' : `${c.left} of ${membership.visitsTotal} visits left`} (used ${c.used}, forfeited ${c.forfeited}, booked ${c.booked})`,
        next ? `Next visit: ${next.serviceName} at ${new Date(next.startsAt).toISOString()}` : 'No visit booked.',
        `Valid until ${new Date(membership.validUntil).toISOString()}`,
      ].join('\n\n'),
    );
  };

  const record = (entry: Omit<Extract<Effect, { kind: 'record' }>['entry'], 'idempotencyKey'>) => {
    seq += 1;
    effects.push({ kind: 'record', entry: { ...entry, idempotencyKey: `${workflowId}:e${seq}` } });
  };

  /** Recomputes the stage from the next visit; a move is recorded. */
  const restage = () => {
    const next = membershipStage(expired !== null, nextVisit(Object.values(visits)));
    if (next === stage) return;
    const from = stage;
    stage = next;
    record({ kind: 'membership:stage', summary: `Stage: ${from} → ${next}`, data: { from, to: next } });
    publish();
  };

  const expire = (reason: NonNullable<MembershipCarry['expired']>) => {
    if (expired) return;
    expired = reason;
    record({
      kind: 'membership:expired',
      summary: reason === 'visits_used' ? 'Membership expired: all visits used' : 'Membership expired: validity ended',
      data: { reason },
    });
    restage();
    effects.push({ kind: 'message', event: 'membershipExpired', step: 'expired' });
  };

  // --- visits --------------------------------------------------------------------------------------

  const validateVisit = (visit: VisitSnapshot) => {
    if (!visit || typeof visit.appointmentId !== 'string' || !Number.isFinite(visit.startsAt)) {
      throw ApplicationFailure.create({
        type: MEMBERSHIP_REFUSALS.invalidRequest,
        message: 'A visit needs an appointmentId and a start time.',
        nonRetryable: true,
      });
    }
  };

  const applyVisit = (visit: VisitSnapshot) => {
    if (expired || closed[visit.appointmentId] !== undefined) return; // a closed visit stays closed
    const previous = visits[visit.appointmentId];
    if (previous && visit.version < previous.version) return; // older news
    const outcome = visitOutcome(visit, membership.policy);
    if (outcome === 'booked') {
      visits[visit.appointmentId] = visit;
      if (!previous) {
        record({
          kind: 'membership:visit_booked',
          appointmentId: visit.appointmentId,
          summary: `Visit booked: ${visit.serviceName} on ${new Date(visit.startsAt).toISOString()}`,
          data: { startsAt: new Date(visit.startsAt).toISOString() },
        });
      } else if (previous.startsAt !== visit.startsAt) {
        record({
          kind: 'membership:visit_rescheduled',
          appointmentId: visit.appointmentId,
          summary: `Visit moved: ${visit.serviceName} from ${new Date(previous.startsAt).toISOString()} to ${new Date(visit.startsAt).toISOString()}`,
          data: { from: new Date(previous.startsAt).toISOString(), to: new Date(visit.startsAt).toISOString() },
        });
      }
    } else {
      delete visits[visit.appointmentId];
      closed[visit.appointmentId] = outcome;
      closedThisRun += 1;
      record({
        kind: `membership:visit_${outcome}`,
        appointmentId: visit.appointmentId,
        summary: describeClose(visit, outcome),
        data: { outcome, status: visit.status, startsAt: new Date(visit.startsAt).toISOString() },
      });
      if (visitsExhausted(counts())) expire('visits_used');
    }
    restage();
    changed = true;
  };

  setHandler(visitChangedSignal, (visit) => {
    try {
      validateVisit(visit);
    } catch {
      return; // a malformed signal is dropped (signals cannot be refused)
    }
    applyVisit(visit);
  });
  setHandler(
    syncVisitUpdate,
    (visit) => {
      applyVisit(visit);
      return state();
    },
    { validator: validateVisit },
  );

  const validateExtend = (request: ExtendValidityRequest) => {
    if (expired) {
      throw ApplicationFailure.create({
        type: MEMBERSHIP_REFUSALS.expired,
        message: 'This membership has expired; sell a new one instead.',
        nonRetryable: true,
      });
    }
    if (!Number.isFinite(request.validUntil) || request.validUntil <= Date.now()) {
      throw ApplicationFailure.create({
        type: MEMBERSHIP_REFUSALS.invalidRequest,
        message: 'validUntil must be in the future.',
        nonRetryable: true,
      });
    }
  };
  setHandler(
    extendValidityUpdate,
    async (request) => {
      const from = membership.validUntil;
      membership = { ...membership, validUntil: request.validUntil };
      if (request.validUntil > from) reminderSent = false;
      record({
        kind: 'membership:validity',
        summary: `Validity changed from ${new Date(from).toISOString()} to ${new Date(request.validUntil).toISOString()} by ${request.actor.name}`,
        data: { from: new Date(from).toISOString(), to: new Date(request.validUntil).toISOString() },
        actor: request.actor,
        channel: request.channel,
      });
      changed = true;
      publish();
      if (patched(MEMBERSHIP_PATCHES.extendWaitsForWrite)) await written(effects.at(-1)!);
      return state();
    },
    { validator: validateExtend },
  );
  setHandler(membershipStateQuery, state);

  // --- effects ---------------------------------------------------------------------------------------

  const drain = async () => {
    while (effects.length > 0) {
      const effect = effects.shift()!;
      inFlight = effect;
      const c = counts();
      if (effect.kind === 'record') {
        await data.recordMembershipChange({
          membershipId: membership.membershipId,
          stage,
          visitsUsed: c.used,
          visitsForfeited: c.forfeited,
          visitsReturned: c.returned,
          validUntil: membership.validUntil,
          expired: expired !== null,
          entry: effect.entry,
        });
      } else {
        await messaging.sendMembershipMessage({
          membershipId: membership.membershipId,
          workflowId,
          event: effect.event,
          step: effect.step,
          ...(expired ? { expiredReason: expired } : {}),
        });
      }
      inFlight = null;
    }
  };

  /**
   * Waits for every handler to finish before continue-as-new. A handler that waits for its change to
   * be written (`extendValidity`) needs the loop to keep writing meanwhile.
   */
  const handOverWhenHandlersFinished = async () => {
    if (!patched(MEMBERSHIP_PATCHES.extendWaitsForWrite)) {
      await condition(allHandlersFinished);
      return;
    }
    while (!allHandlersFinished()) {
      await condition(() => allHandlersFinished() || effects.length > 0);
      await drain();
    }
  };

  /** Visits that started within the validity and are still open once it has ended. */
  const openAtEnd = () => Object.values(visits).filter((v) => v.startsAt < membership.validUntil);
  /** Past the validity end, within the grace, with an open visit: expiry waits for the visit to close. */
  const waitingForOpenVisits = (): boolean => {
    const now = Date.now();
    if (now < membership.validUntil || now >= membership.validUntil + VISIT_CLOSE_GRACE_MS) return false;
    return openAtEnd().length > 0 && patched(MEMBERSHIP_PATCHES.validityWaitsForOpenVisits);
  };
  const noteValidityWait = () => {
    if (validityWaitNoted) return;
    validityWaitNoted = true;
    const open = openAtEnd().sort((a, b) => a.startsAt - b.startsAt);
    const latest = membership.validUntil + VISIT_CLOSE_GRACE_MS;
    record({
      kind: 'membership:validity_wait',
      summary: `Validity ended ${new Date(membership.validUntil).toISOString()}; expiring once the visit on ${open
        .map((v) => new Date(v.startsAt).toISOString())
        .join(', ')} closes (at the latest ${new Date(latest).toISOString()})`,
      data: { openVisits: open.map((v) => v.appointmentId), latest: new Date(latest).toISOString() },
    });
  };

  // --- the loop ------------------------------------------------------------------------------------

  if (!input.carried) {
    record({
      kind: 'membership:purchased',
      summary: `Membership ${membership.planName} started, certificate ${membership.certificateNumber}`,
      data: { visitsTotal: membership.visitsTotal, validUntil: new Date(membership.validUntil).toISOString() },
    });
    effects.push({ kind: 'message', event: 'membershipPurchased', step: 'purchased' });
  }
  publish();

  for (;;) {
    await drain();
    if (expired) break;
    if (closedThisRun > 0 || workflowInfo().continueAsNewSuggested) {
      // Hand over once every handler has finished. Changes queued meanwhile (visits keep reporting
      // while the last ones are written) travel with the state, so a busy membership still hands over.
      await handOverWhenHandlersFinished();
      await continueAsNew<typeof membershipWorkflow>({
        membership,
        carried: {
          visits,
          closed,
          stage,
          expired,
          reminderSent,
          seq,
          run,
          pending: [...effects],
          ...(validityWaitNoted ? { validityWaitNoted } : {}),
        },
      });
    }
    const left = counts().left;
    const reminderAt = expiryReminderAt(membership.validUntil, membership.policy);
    const remind = !reminderSent && reminderAt !== null && (left === null || left > 0);
    const validityEnd = waitingForOpenVisits() ? membership.validUntil + VISIT_CLOSE_GRACE_MS : membership.validUntil;
    const nextTimer = remind ? Math.min(reminderAt, validityEnd) : validityEnd;
    changed = false;
    const interrupted =
      nextTimer > Date.now() ? await condition(() => changed || effects.length > 0, nextTimer - Date.now()) : false;
    if (interrupted) continue;
    if (Date.now() >= membership.validUntil) {
      if (waitingForOpenVisits()) {
        noteValidityWait();
        continue;
      }
      expire('validity_ended');
    } else if (remind && reminderAt !== null && Date.now() >= reminderAt) {
      reminderSent = true;
      record({
        kind: 'membership:reminder',
        summary: `Expiry reminder sent: ${left === null ? 'unlimited' : left} visits left before ${new Date(membership.validUntil).toISOString()}`,
        data: { visitsLeft: left },
      });
      effects.push({ kind: 'message', event: 'membershipExpiring', step: `expiring:${membership.validUntil}` });
    }
  }

  await handOverWhenHandlersFinished();
  await drain();
  publish();
  return state();
}
