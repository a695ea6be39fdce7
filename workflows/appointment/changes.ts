/**
 * Changes from the outside world: the updates reschedule, cancel, markNoShow, startService and
 * completeTask (validated without touching history, then applied under the lock and answered with the
 * new state) and the signal forms of the first three. One lock serialises them with mark handling, so
 * a change never interleaves with a mark.
 */
import { setHandler, workflowInfo } from '@temporalio/workflow';
import { billableMinutesSchema } from '../../src/billing/invoice';
import { type FeeChoice, type FeeKind, feeFor } from '../../src/domain/cancellation-policy';
import { depositOnCancel } from '../../src/domain/deposit-policy';
import { deliveryRefusal } from '../../src/domain/delivery';
import { HOUR_MS } from '../../src/domain/durations';
import { canCancel, canMarkNoShow, canReschedule, canTransitionStatus, isActiveStatus } from '../../src/domain/stages';
import { data } from './activities';
import { completeDeliver, confirmCharge } from './billing';
import type { Lock } from './lock';
import {
  type Actor,
  type AppointmentState,
  type CancelRequest,
  type Channel,
  type CompleteTaskRequest,
  type DepositOutcome,
  type NoShowRequest,
  PATCHES,
  REFUSALS,
  type RescheduleRequest,
  type StartServiceRequest,
  cancelSignal,
  cancelUpdate,
  cardUpdatedSignal,
  completeTaskUpdate,
  markNoShowUpdate,
  noShowSignal,
  rescheduleSignal,
  rescheduleUpdate,
  startServiceUpdate,
  stateQuery,
} from './messages';
import type { Outbox } from './outbox';
import { refuse, refusing } from './refusals';
import type { AppointmentModel } from './state';

export function validateReschedule(model: AppointmentModel, request: RescheduleRequest): void {
  const { appointment } = model;
  if (!canReschedule(appointment.status)) {
    throw refuse(
      REFUSALS.invalidTransition,
      `This appointment is ${appointment.status} and can no longer be rescheduled.`,
    );
  }
  if (!Number.isFinite(request.startsAt)) throw refuse(REFUSALS.invalidRequest, 'startsAt must be a valid time.');
  if (request.startsAt <= Date.now()) throw refuse(REFUSALS.invalidRequest, 'The new time is in the past.');
  const sameSlot =
    request.startsAt === appointment.startsAt &&
    (request.staffId ?? appointment.staffId) === appointment.staffId &&
    (request.serviceId ?? appointment.serviceId) === appointment.serviceId;
  if (sameSlot) throw refuse(REFUSALS.invalidRequest, 'The appointment is already at that time.');
  if (request.reminders !== undefined && typeof request.reminders !== 'boolean')
    throw refuse(REFUSALS.invalidRequest, 'reminders must be true or false.');
  const edited = request.message;
  if (edited !== undefined) {
    const text = (v: unknown) => typeof v === 'string' && v.trim() !== '';
    if (typeof edited !== 'object' || edited === null)
      throw refuse(REFUSALS.invalidRequest, 'message must be an object.');
    if (edited.email !== undefined && !(text(edited.email?.subject) && text(edited.email?.body)))
      throw refuse(REFUSALS.invalidRequest, 'message.email needs a subject and a body.');
    if (edited.sms !== undefined && !text(edited.sms))
      throw refuse(REFUSALS.invalidRequest, 'message.sms must not be empty.');
  }
}

export function validateCancel(model: AppointmentModel, request: CancelRequest): void {
  if (!canCancel(model.appointment.status)) {
    throw refuse(
      REFUSALS.invalidTransition,
      `This appointment is ${model.appointment.status} and cannot be cancelled.`,
    );
  }
  if (typeof request.reason !== 'string') throw refuse(REFUSALS.invalidRequest, 'reason is required.');
  validateFeeChoice(request.cancellationFee);
}

function validateFeeChoice(choice: unknown): void {
  if (choice !== undefined && choice !== 'charge' && choice !== 'waive')
    throw refuse(REFUSALS.invalidRequest, 'cancellationFee must be charge or waive.');
}

export function validateNoShow(model: AppointmentModel, request?: NoShowRequest): void {
  validateFeeChoice(request?.cancellationFee);
  if (!canMarkNoShow(model.appointment.status)) {
    throw refuse(
      REFUSALS.invalidTransition,
      `This appointment is ${model.appointment.status}; only a scheduled appointment can be a no-show.`,
    );
  }
  if (Date.now() < model.appointment.startsAt) {
    throw refuse(REFUSALS.invalidRequest, 'The appointment has not started yet, so it cannot be a no-show.');
  }
}

export function validateStart(model: AppointmentModel): void {
  if (!canTransitionStatus(model.appointment.status, 'in_progress')) {
    throw refuse(REFUSALS.invalidTransition, `This appointment is ${model.appointment.status} and cannot be started.`);
  }
}

export function validateCompleteTask(model: AppointmentModel, request: CompleteTaskRequest): void {
  const { deliverTask, chargeTask, appointment } = model;
  const task =
    request.taskId === deliverTask?.taskId ? deliverTask : request.taskId === chargeTask?.taskId ? chargeTask : null;
  if (!model.billingEnabled || !task)
    throw refuse(REFUSALS.notFound, `Task ${request.taskId} is not open on this appointment.`);
  if (task.status === 'done') return; // completed twice: answered with the first result
  if (task === deliverTask) {
    if (!isActiveStatus(appointment.status)) {
      throw refuse(
        REFUSALS.invalidTransition,
        `This appointment is ${appointment.status}; its service cannot be completed.`,
      );
    }
    // Delivery follows the appointment: not days ahead, not before its reminders (validators do not run on replay).
    const early = deliveryRefusal({
      now: Date.now(),
      startsAt: appointment.startsAt,
      timeZone: appointment.timeZone,
      status: appointment.status,
      policy: appointment.policy,
      pendingMarks: model.pendingMarks(),
    });
    if (early) throw refuse(REFUSALS.deliveryNotYetDue, early);
    const form = billableMinutesSchema({ incrementMinutes: appointment.billing?.incrementMinutes ?? 1 }).safeParse({
      minutes: request.form.minutes,
      ...(request.form.notes ? { notes: request.form.notes } : {}),
    });
    if (!form.success)
      throw refuse(REFUSALS.invalidRequest, `minutes ${form.error.issues[0]?.message ?? 'is invalid'}`);
  } else if (
    request.form.amountMinor !== undefined &&
    (!Number.isInteger(request.form.amountMinor) || request.form.amountMinor <= 0)
  ) {
    throw refuse(REFUSALS.invalidRequest, 'amountMinor must be a positive whole number of minor units');
  }
}

/** The change handlers of one workflow run, bound to its state, outbox and lock. */
export class Changes {
  private readonly workflowId = workflowInfo().workflowId;

  constructor(
    private readonly model: AppointmentModel,
    private readonly outbox: Outbox,
    private readonly lock: Lock,
  ) {}

  /**
   * A late cancel or a no-show: the fee the appointment's frozen policy sets, if one applies (collected
   * by the main path, src/domain/cancellation-policy.ts has the rule). Histories from before the policy
   * carry no terms, so they never reach the patch.
   */
  private decideFee(kind: FeeKind, request: { actor: Actor; cancellationFee?: FeeChoice }): void {
    const { model } = this;
    if (model.fee) return;
    const amountMinor = feeFor({
      terms: model.appointment.cancellation,
      kind,
      startsAt: model.appointment.startsAt,
      at: Date.now(),
      actorKind: request.actor.kind,
      choice: request.cancellationFee,
    });
    if (amountMinor > 0 && model.patched(PATCHES.cancellationFees)) model.fee = { kind, amountMinor };
    this.decideDeposit();
  }

  /**
   * A deposit paid at booking: refunded, less what the fee keeps (src/domain/deposit-policy.ts); settled
   * by the main path. Appointments without a deposit never reach the patch.
   */
  private decideDeposit(): void {
    const { model } = this;
    const deposit = model.appointment.deposit;
    if (!deposit || model.deposit || !model.patched(PATCHES.deposits)) return;
    model.deposit = { ...depositOnCancel(deposit.amountMinor, model.fee?.amountMinor ?? 0), settled: false };
  }

  /** The deposit's fate for the customer's message (absent without a deposit). */
  private depositNote(): { deposit?: DepositOutcome } {
    const { deposit } = this.model;
    return deposit ? { deposit: { refundMinor: deposit.refundMinor, keptMinor: deposit.keptMinor } } : {};
  }

  /** Marks the state changed, publishes it and answers the caller with it. */
  private answer(): AppointmentState {
    this.model.changed = true;
    this.model.publish();
    return this.model.state();
  }

  readonly reschedule = refusing(async (request: RescheduleRequest): Promise<AppointmentState> => {
    const { model } = this;
    validateReschedule(model, request); // again: the state may have moved while this request waited for the lock
    // Staff options (edited message, public note in the message, no reminders) change what the workflow
    // does from here on; histories from before them replay without (patch appointment-reschedule-options-v1).
    const options =
      (request.message !== undefined || request.reminders === false || Boolean(request.publicNote)) &&
      model.patched(PATCHES.rescheduleOptions);
    const previous = model.appointment;
    model.appointment = await data.applyReschedule({
      appointmentId: previous.appointmentId,
      expectedRevision: previous.revision,
      startsAt: request.startsAt,
      ...(request.staffId ? { staffId: request.staffId } : {}),
      ...(request.serviceId ? { serviceId: request.serviceId } : {}),
      ...(request.note ? { note: request.note } : {}),
      actor: request.actor,
      channel: request.channel,
      now: Date.now(),
      idempotencyKey: `${this.workflowId}:reschedule:from-r${previous.revision}`,
    });
    model.revisionSince = Date.now();
    if (options && request.reminders === false) model.remindersOff.add(model.appointment.revision);
    model.changed = true;
    model.publish();
    this.outbox.enqueue({
      audience: 'customer',
      event: 'rescheduled',
      step: 'rescheduled',
      onlyIfCurrent: false,
      previousStartsAt: previous.startsAt,
      ...(options && request.message ? { edited: request.message } : {}),
      ...(options && request.publicNote ? { publicNote: request.publicNote } : {}),
    });
    return model.state();
  });

  readonly cancel = refusing(async (request: CancelRequest): Promise<AppointmentState> => {
    const { model } = this;
    validateCancel(model, request);
    model.appointment = await data.applyStatusChange({
      appointmentId: model.appointment.appointmentId,
      status: 'cancelled',
      stage: 'Closed Lost',
      reason: request.reason,
      actor: request.actor,
      channel: request.channel,
      idempotencyKey: `${this.workflowId}:status:cancelled`,
    });
    model.cancelledAt = Date.now();
    model.cancelReason = request.reason;
    this.decideFee('late_cancel', request);
    const answer = this.answer();
    this.outbox.enqueue({
      audience: 'customer',
      event: 'cancelled',
      step: 'cancelled',
      onlyIfCurrent: false,
      ...this.depositNote(),
    });
    return answer;
  });

  readonly markNoShow = refusing(async (request: NoShowRequest): Promise<AppointmentState> => {
    const { model } = this;
    validateNoShow(model, request);
    model.appointment = await data.applyStatusChange({
      appointmentId: model.appointment.appointmentId,
      status: 'no_show',
      stage: 'Missed',
      reason: request.note ?? 'no-show',
      actor: request.actor,
      channel: request.channel,
      idempotencyKey: `${this.workflowId}:status:no_show`,
    });
    this.decideFee('no_show', request);
    model.changed = true;
    model.publish();
    await data.createTask({
      appointmentId: model.appointment.appointmentId,
      kind: 'reach_out',
      title: 'Reach out to reschedule after a no-show',
      assigneeStaffId: model.appointment.staffId,
      dueAt: Date.now() + 24 * HOUR_MS,
      idempotencyKey: `${this.workflowId}:task:reach_out`,
    });
    this.outbox.enqueue({
      audience: 'customer',
      event: 'noShowPrompt',
      step: 'no-show',
      onlyIfCurrent: false,
      suggestSlots: model.appointment.policy.rebookSuggestions,
      ...this.depositNote(),
    });
    this.outbox.enqueue({ audience: 'staff', event: 'staffNoShow', step: 'no-show', onlyIfCurrent: false });
    return model.state();
  });

  readonly startService = refusing(async (request: StartServiceRequest): Promise<AppointmentState> => {
    const { model } = this;
    validateStart(model);
    model.appointment = await data.applyStatusChange({
      appointmentId: model.appointment.appointmentId,
      status: 'in_progress',
      stage: model.appointment.stage,
      reason: 'service started',
      actor: request.actor,
      channel: request.channel,
      idempotencyKey: `${this.workflowId}:status:in_progress`,
    });
    return this.answer();
  });

  readonly completeTask = refusing(async (request: CompleteTaskRequest): Promise<AppointmentState> => {
    const { model } = this;
    validateCompleteTask(model, request);
    if (model.deliverTask && request.taskId === model.deliverTask.taskId && model.deliverTask.status === 'open') {
      await completeDeliver(model, request);
    } else if (
      model.chargeTask &&
      model.billing &&
      request.taskId === model.chargeTask.taskId &&
      model.chargeTask.status === 'open'
    ) {
      await confirmCharge(model, request);
    }
    return this.answer();
  });

  /** A signal (webhook) request that the workflow refuses is recorded on the timeline, not lost. */
  private fromSignal<T extends { actor: Actor; channel: Channel }>(
    name: string,
    handler: (request: T) => Promise<AppointmentState>,
  ) {
    return async (request: T) => {
      this.model.changesThisRun += 1;
      try {
        await this.lock.run(() => handler(request));
      } catch (error) {
        await data.recordTimeline({
          appointmentId: this.model.appointment.appointmentId,
          kind: 'request_refused',
          actor: request.actor,
          channel: request.channel,
          summary: `${name} request refused: ${error instanceof Error ? error.message : String(error)}`,
          idempotencyKey: `${this.workflowId}:refused:${++this.model.refusals}`,
        });
      }
    };
  }

  /** Registers every handler (the order is part of the workflow's history: keep it). */
  register(): void {
    const { model } = this;
    // Every change counts towards the run's share before continue-as-new.
    const lock = {
      run: <T>(fn: () => Promise<T>): Promise<T> => {
        model.changesThisRun += 1;
        return this.lock.run(fn);
      },
    };
    setHandler(completeTaskUpdate, (r) => lock.run(() => this.completeTask(r)), {
      validator: (r) => validateCompleteTask(model, r),
    });
    setHandler(cardUpdatedSignal, () => {
      model.changesThisRun += 1;
      model.cardUpdated = true;
    });
    setHandler(stateQuery, () => model.state());
    setHandler(rescheduleUpdate, (r) => lock.run(() => this.reschedule(r)), {
      validator: (r) => validateReschedule(model, r),
    });
    setHandler(cancelUpdate, (r) => lock.run(() => this.cancel(r)), { validator: (r) => validateCancel(model, r) });
    setHandler(markNoShowUpdate, (r) => lock.run(() => this.markNoShow(r)), {
      validator: (r) => validateNoShow(model, r),
    });
    setHandler(startServiceUpdate, (r) => lock.run(() => this.startService(r)), {
      validator: (_r) => validateStart(model),
    });
    // Signal forms: nothing in appointflow sends them today (inbound integrations, SMS / email replies and
    // the API use the updates); kept because running workflows may hold them in their histories (see
    // docs/architecture.md, "Message surface").
    setHandler(rescheduleSignal, this.fromSignal('reschedule', this.reschedule));
    setHandler(cancelSignal, this.fromSignal('cancel', this.cancel));
    setHandler(noShowSignal, this.fromSignal('no-show', this.markNoShow));
  }
}
