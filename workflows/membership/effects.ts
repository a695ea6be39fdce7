/**
 * Writing what the handlers queued, one effect at a time and in order: a change (row counters and stage
 * + one timeline entry, `recordMembershipChange`) or a message (`sendMembershipMessage`).
 */
import { allHandlersFinished, condition, patched } from '@temporalio/workflow';
import { data, messaging } from './activities';
import { MEMBERSHIP_PATCHES } from './messages';
import type { MembershipModel } from './state';

export async function drain(model: MembershipModel): Promise<void> {
  while (model.effects.length > 0) {
    const effect = model.effects.shift()!;
    model.inFlight = effect;
    const c = model.counts();
    if (effect.kind === 'record') {
      await data.recordMembershipChange({
        membershipId: model.membership.membershipId,
        stage: model.stage,
        visitsUsed: c.used,
        visitsForfeited: c.forfeited,
        visitsReturned: c.returned,
        validUntil: model.membership.validUntil,
        expired: model.expired !== null,
        entry: effect.entry,
      });
    } else {
      await messaging.sendMembershipMessage({
        membershipId: model.membership.membershipId,
        workflowId: model.workflowId,
        event: effect.event,
        step: effect.step,
        ...(model.expired ? { expiredReason: model.expired } : {}),
      });
    }
    model.inFlight = null;
  }
}

/**
 * Waits for every handler to finish before continue-as-new or the end. A handler that waits for its
 * change to be written (`extendValidity`) needs the loop to keep writing meanwhile.
 */
export async function handOverWhenHandlersFinished(model: MembershipModel): Promise<void> {
  if (!patched(MEMBERSHIP_PATCHES.extendWaitsForWrite)) {
    await condition(allHandlersFinished);
    return;
  }
  while (!allHandlersFinished()) {
    await condition(() => allHandlersFinished() || model.effects.length > 0);
    await drain(model);
  }
}
