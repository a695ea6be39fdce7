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
 * Handlers (handlers.ts) are synchronous: they only update the state (state.ts) and queue the changes
 * to record, which the main loop writes (effects.ts: database row + timeline) and sends (messages) one
 * at a time, in order. The validity end is an updatable timer (`condition(() => changed,
 * untilNextTimer)`, recomputed after every wake-up; `extendValidity` moves it).
 *
 * History stays bounded: after each closed visit, or when Temporal suggests it, the run hands its
 * state to a new run with continue-as-new once every handler has finished; changes queued but not yet
 * written travel with the state (written first by the next run), so no signal or update is lost
 * across the hand-over and a busy membership still hands over.
 */
import { condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { expiryReminderAt } from '../../src/memberships/policy';
import { VISIT_CLOSE_GRACE_MS, type MembershipState, type MembershipWorkflowInput } from './messages';
import { drain, handOverWhenHandlersFinished } from './effects';
import { registerHandlers } from './handlers';
import { MembershipModel } from './state';

export async function membershipWorkflow(input: MembershipWorkflowInput): Promise<MembershipState> {
  const model = new MembershipModel(input);
  registerHandlers(model);

  if (!input.carried) {
    const { membership } = model;
    model.record({
      kind: 'membership:purchased',
      summary: `Membership ${membership.planName} started, certificate ${membership.certificateNumber}`,
      data: { visitsTotal: membership.visitsTotal, validUntil: new Date(membership.validUntil).toISOString() },
    });
    model.effects.push({ kind: 'message', event: 'membershipPurchased', step: 'purchased' });
  }
  model.publish();

  for (;;) {
    await drain(model);
    if (model.expired) break;
    if (model.closedThisRun > 0 || workflowInfo().continueAsNewSuggested) {
      // Hand over once every handler has finished. Changes queued meanwhile (visits keep reporting
      // while the last ones are written) travel with the state, so a busy membership still hands over.
      await handOverWhenHandlersFinished(model);
      await continueAsNew<typeof membershipWorkflow>({ membership: model.membership, carried: model.carry() });
    }
    const { membership } = model;
    const left = model.counts().left;
    const reminderAt = expiryReminderAt(membership.validUntil, membership.policy);
    const remind = !model.reminderSent && reminderAt !== null && (left === null || left > 0);
    const validityEnd = model.waitingForOpenVisits()
      ? membership.validUntil + VISIT_CLOSE_GRACE_MS
      : membership.validUntil;
    const nextTimer = remind ? Math.min(reminderAt, validityEnd) : validityEnd;
    model.changed = false;
    const interrupted =
      nextTimer > Date.now()
        ? await condition(() => model.changed || model.effects.length > 0, nextTimer - Date.now())
        : false;
    if (interrupted) continue;
    if (Date.now() >= model.membership.validUntil) {
      if (model.waitingForOpenVisits()) {
        model.noteValidityWait();
        continue;
      }
      model.expire('validity_ended');
    } else if (remind && reminderAt !== null && Date.now() >= reminderAt) {
      model.reminderSent = true;
      model.record({
        kind: 'membership:reminder',
        summary: `Expiry reminder sent: ${left === null ? 'unlimited' : left} visits left before ${new Date(model.membership.validUntil).toISOString()}`,
        data: { visitsLeft: left },
      });
      model.effects.push({
        kind: 'message',
        event: 'membershipExpiring',
        step: `expiring:${model.membership.validUntil}`,
      });
    }
  }

  await handOverWhenHandlersFinished(model);
  await drain(model);
  model.publish();
  return model.state();
}
