/**
 * `appointment:<id>` — one durable workflow per appointment, from booking to close-out.
 *
 * It sleeps until each lifecycle mark (48 h before → Appointment Tomorrow + reminder; 12 h before →
 * Appointment Today + reminder + staff day-of brief; 2 h after the end → close-out) with the
 * updatable-timer idiom: the marks are absolute instants recomputed from the current appointment after
 * every wake-up and every change, and the loop waits on `condition(() => changed, untilNextMark)`.
 * Marks already past when the appointment was booked or rescheduled are skipped, never fired late.
 *
 * The parts, as in temporalio/samples-typescript's safe-message-handlers: the state (`state.ts`), the
 * changes from outside (`changes.ts`, one lock with the marks), what a mark does (`mark-handling.ts`),
 * billing (`billing.ts`) and the outbox with its notifier (`outbox.ts`).
 */
import { allHandlersFinished, condition, continueAsNew, sleep, workflowInfo } from '@temporalio/workflow';
import { stageAt } from '../../src/domain/marks';
import { isActiveStatus, type PipelineStage } from '../../src/domain/stages';
import { HOUR_MS } from '../../src/domain/durations';
import { data, persistently } from './activities';
import { billingEnabled, collectFee, collectPayment, openDeliverTask, settleDeposit } from './billing';
import { Changes } from './changes';
import { Lock } from './lock';
import { bookAgain, bookAgainWeeks } from './follow-ups';
import { fireMark, markStuck } from './mark-handling';
import { type AppointmentState, type AppointmentWorkflowInput, PATCHES } from './messages';
import { Outbox } from './outbox';
import { AppointmentModel } from './state';

export async function appointmentWorkflow(input: AppointmentWorkflowInput): Promise<AppointmentState> {
  const model = AppointmentModel.start(input); // a new booking, or the state a previous run handed over
  const lock = new Lock();
  const outbox = new Outbox(model, input.carried?.outbox);
  const notifier = outbox.notifier();
  new Changes(model, outbox, lock).register();

  if (!input.carried) {
    // Booked: the deliver task (billing), the stage a late booking starts in, the confirmation.
    // (Only awaited when there is work: the order of the first commands is part of the histories.)
    model.billingEnabled = billingEnabled(model);
    if (model.billingEnabled) await openDeliverTask(model);
    const initialStage = stageAt(model.marks(), model.revisionSince, model.appointment.stage);
    if (initialStage !== model.appointment.stage) await startInStage(model, initialStage);
    outbox.enqueue({ audience: 'customer', event: 'confirmation', step: 'booked', onlyIfCurrent: false });
  }
  model.publish();

  // The marks, each at its instant; every change wakes the loop to recompute them. A long-lived run
  // hands over to a new one (continue-as-new) between marks.
  for (;;) {
    if (model.continueAsNewDue() && model.patched(PATCHES.continueAsNew)) await handOver(input, model, outbox);
    const next = model.pendingMarks()[0];
    if (!next) break;
    model.changed = false;
    const interrupted = await condition(() => model.changed, next.at - Date.now());
    if (interrupted) continue;
    const failure = await lock.run(() => fireMark(model, outbox, next));
    if (failure) await markStuck(model, next, failure);
  }

  // Delivery and payment: close-out no longer ends the service; wait for the deliver task (or a cancel / no-show).
  if (model.billingEnabled) {
    const delivered = () => model.deliverTask?.status === 'done' || !isActiveStatus(model.appointment.status);
    while (!delivered()) {
      await condition(() => delivered() || model.continueAsNewDue());
      if (delivered()) break;
      if (model.patched(PATCHES.continueAsNew)) await handOver(input, model, outbox);
      else await condition(delivered); // a run replaying from before continue-as-new waits as it did
    }
    if (model.deliverTask?.status === 'done' && model.billing) await collectPayment(model, outbox);
  }

  // Delivered and settled: "book again" after the service's weeks unless the contact booked meanwhile
  // (patch appointment-follow-ups-v1, asked only when the service sets it).
  const weeks = bookAgainWeeks(model);
  if (weeks !== null && model.patched(PATCHES.followUps)) await bookAgain(model, outbox, weeks);

  // Cancelled: ask to rebook unless the contact booked again within the window. A late cancel or a
  // no-show with a fee (patch appointment-cancellation-fees-v1) collects it meanwhile.
  const cancelled = model.appointment.status === 'cancelled' && model.cancelledAt !== null;
  // The deposit: refunded less what the fee keeps (patch appointment-deposits-v1, decided by the handler).
  if (model.deposit && !model.deposit.settled) await settleDeposit(model);
  if (model.fee) await Promise.all([collectFee(model, outbox), cancelled ? rebookFollowUp(model, outbox) : undefined]);
  else if (cancelled) await rebookFollowUp(model, outbox);

  // The end: drain the outbox and wait for handlers until both are quiet (patch appointment-end-of-run-v1).
  if (model.patched(PATCHES.endOfRun)) {
    await outbox.drainAndClose(notifier);
  } else {
    await condition(allHandlersFinished);
    outbox.close();
    await notifier;
  }
  model.closed = true;
  model.publish();
  return model.state();
}

/** A booking made after a mark starts in the stage that mark implies (its messages are skipped). */
async function startInStage(model: AppointmentModel, initialStage: PipelineStage): Promise<void> {
  const { appointment } = model;
  model.appointment = await persistently(appointment.appointmentId, 'initial stage', () =>
    model.steps.setStage({
      appointmentId: appointment.appointmentId,
      stage: initialStage,
      revision: appointment.revision,
      reason: 'booked after mark',
      idempotencyKey: `${workflowInfo().workflowId}:stage:r${appointment.revision}:initial`,
    }),
  );
}

/** After a cancel: wait the rebook window, then a follow-up with free slots unless the contact rebooked. */
async function rebookFollowUp(model: AppointmentModel, outbox: Outbox): Promise<void> {
  const cancelledAt = model.cancelledAt!;
  const { appointment } = model;
  model.rebookFollowUp = 'waiting';
  const windowEnds = cancelledAt + appointment.policy.rebookWindowHours * HOUR_MS;
  if (windowEnds > Date.now()) await sleep(windowEnds - Date.now());
  const rebooked = await persistently(appointment.appointmentId, 'rebook check', () =>
    data.contactHasRebooked({
      contactId: appointment.contactId,
      since: cancelledAt,
      excludeAppointmentId: appointment.appointmentId,
    }),
  );
  model.rebookFollowUp = rebooked ? 'not_needed' : 'sent';
  if (rebooked) return;
  outbox.enqueue({
    audience: 'customer',
    event: 'rebookFollowUp',
    step: 'rebook-follow-up',
    onlyIfCurrent: false,
    suggestSlots: appointment.policy.rebookSuggestions,
  });
}

/**
 * Continue-as-new (patch appointment-continue-as-new-v1, asked by the callers when a hand-over is due,
 * so histories from before it replay unchanged): sending stops after the message in flight,
 * every handler finishes, then the state — marks fired, revision, tasks, billing, the messages still
 * queued — goes to a new run, which sends those messages first.
 */
async function handOver(input: AppointmentWorkflowInput, model: AppointmentModel, outbox: Outbox): Promise<never> {
  outbox.pause();
  await condition(() => allHandlersFinished() && outbox.isQuiet());
  const { appointment, bookedBy, bookedAt } = { ...input, appointment: model.appointment };
  return continueAsNew<typeof appointmentWorkflow>({
    appointment,
    bookedBy,
    ...(bookedAt !== undefined ? { bookedAt } : {}),
    carried: model.carry(outbox.queued()),
  });
}
