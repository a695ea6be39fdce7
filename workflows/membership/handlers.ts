/**
 * What the outside world can say to a membership: visits report their row state (`visitChanged`, and
 * the `syncVisit` update), staff move the validity end (`extendValidity`). Handlers only change the
 * state and queue what to write; `extendValidity` then waits until its change is written.
 */
import { ApplicationFailure, patched, setHandler } from '@temporalio/workflow';
import { isActiveStatus } from '../../src/domain/stages';
import {
  type ExtendValidityRequest,
  MEMBERSHIP_PATCHES,
  MEMBERSHIP_REFUSALS,
  type VisitSnapshot,
  extendValidityUpdate,
  membershipStateQuery,
  syncVisitUpdate,
  visitChangedSignal,
} from './messages';
import type { MembershipModel } from './state';

function validateVisit(visit: VisitSnapshot): void {
  if (!visit || typeof visit.appointmentId !== 'string' || !Number.isFinite(visit.startsAt)) {
    throw ApplicationFailure.create({
      type: MEMBERSHIP_REFUSALS.invalidRequest,
      message: 'A visit needs an appointmentId and a start time.',
      nonRetryable: true,
    });
  }
}

function validateExtend(model: MembershipModel, request: ExtendValidityRequest): void {
  if (model.expired) {
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
  // The workflow's own visits, not only the database's before the update: a visit booked or moved in
  // between (its signal already applied here) must not end up outside the validity.
  const stranded = Object.values(model.visits)
    .filter((v) => isActiveStatus(v.status) && v.startsAt >= request.validUntil)
    .sort((a, b) => a.startsAt - b.startsAt)[0];
  if (stranded) {
    throw ApplicationFailure.create({
      type: MEMBERSHIP_REFUSALS.visitOutsideValidity,
      message: `A visit is booked for ${new Date(stranded.startsAt).toISOString()}, after the new end; move or cancel it first.`,
      nonRetryable: true,
    });
  }
}

async function extendValidity(model: MembershipModel, request: ExtendValidityRequest) {
  const from = model.membership.validUntil;
  model.membership = { ...model.membership, validUntil: request.validUntil };
  if (request.validUntil > from) model.reminderSent = false;
  model.record({
    kind: 'membership:validity',
    summary: `Validity changed from ${new Date(from).toISOString()} to ${new Date(request.validUntil).toISOString()} by ${request.actor.name}`,
    data: { from: new Date(from).toISOString(), to: new Date(request.validUntil).toISOString() },
    actor: request.actor,
    channel: request.channel,
  });
  model.changed = true;
  model.publish();
  if (patched(MEMBERSHIP_PATCHES.extendWaitsForWrite)) await model.written(model.effects.at(-1)!);
  return model.state();
}

export function registerHandlers(model: MembershipModel): void {
  setHandler(visitChangedSignal, (visit) => {
    try {
      validateVisit(visit);
    } catch {
      return; // a malformed signal is dropped (signals cannot be refused)
    }
    model.applyVisit(visit);
  });
  // Nothing in appointflow sends `syncVisit` today (the synced activities and the booking service send
  // `visitChanged`); kept for callers that want the membership's state back, and for running histories.
  setHandler(
    syncVisitUpdate,
    (visit) => {
      model.applyVisit(visit);
      return model.state();
    },
    { validator: validateVisit },
  );
  setHandler(extendValidityUpdate, (request) => extendValidity(model, request), {
    validator: (request) => validateExtend(model, request),
  });
  setHandler(membershipStateQuery, () => model.state());
}
