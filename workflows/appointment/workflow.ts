/**
 * `appointment:<id>` — one durable workflow per appointment, from booking to close-out.
 *
 * It sleeps until each lifecycle mark (48 h before → Appointment Tomorrow + reminder; 12 h before →
 * Appointment Today + reminder + staff day-of brief; 2 h after the end → close-out) with the
 * updatable-timer idiom: the marks are absolute instants recomputed from the current appointment after
 * every wake-up and every change, and the loop waits on `condition(() => changed, untilNextMark)`.
 * Marks already past when the appointment was booked or rescheduled are skipped, never fired late.
 *
 * Changes arrive as updates (validated, answered to the caller) or as their signal forms from
 * webhooks; one lock serialises them with mark handling, so a change never interleaves with a mark.
 * Messages go through an in-workflow queue drained by a notifier, so a slow provider never holds up an
 * answer to a caller, and every message is dropped if it became stale (cancelled, or an old time).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setCurrentDetails,
  patched,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from '../../activities';
import { computeMarks, type Mark, stageAt } from '../../src/domain/marks';
import { canCancel, canMarkNoShow, canReschedule, canTransitionStatus, isActiveStatus } from '../../src/domain/stages';
import { billableMinutesSchema } from '../../src/billing/invoice';
import { DAY_MS, HOUR_MS } from '../../src/domain/time';
import { DEFAULT_LIFECYCLE_POLICY } from '../../src/domain/lifecycle-policy';
import {
  AppointmentStage,
  AppointmentStartsAt,
  AppointmentStatus,
  ContactId,
  StaffId,
} from '../../temporal/search-attributes';
import {
  type AppointmentSnapshot,
  type AppointmentState,
  type AppointmentWorkflowInput,
  type BillingState,
  type CancelRequest,
  type CompleteTaskRequest,
  type MarkState,
  PATCHES,
  type TaskState,
  type NoShowRequest,
  REFUSALS,
  type RescheduleMessage,
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
import type { CustomerEvent, StaffEvent } from '../../src/messaging/templates';

type Activities = ReturnType<typeof activities.createActivities>;

const data = proxyActivities<Activities>({
  startToCloseTimeout: '20 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: Object.values(REFUSALS),
  },
});

const messaging = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** Runs critical sections one at a time, in arrival order (deterministic: plain promises). */
class Lock {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

interface QueuedMessage {
  audience: 'customer' | 'staff';
  event: CustomerEvent | StaffEvent;
  /** Step name, part of the message's idempotency key. */
  step: string;
  revision: number;
  /** Drop the message if, by the time it is sent, the appointment moved on (reminders, briefs). */
  onlyIfCurrent: boolean;
  previousStartsAt?: number;
  suggestSlots?: number;
  nextAttemptAt?: number;
  assignee?: 'staff' | 'billing_owner';
  /** The reschedule message as staff edited it, and the public note (patch appointment-reschedule-options-v1). */
  edited?: RescheduleMessage;
  publicNote?: string;
}

function refuse(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** A refusal raised by an activity reaches the caller as itself, not wrapped in ActivityFailure. */
function unwrapRefusal(error: unknown): unknown {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) return error.cause;
  return error;
}

function refusing<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (error) {
      throw unwrapRefusal(error);
    }
  };
}

export async function appointmentWorkflow(input: AppointmentWorkflowInput): Promise<AppointmentState> {
  const workflowId = workflowInfo().workflowId;
  let appointment: AppointmentSnapshot = input.appointment;
  /** Marks at or before this instant belong to the past of the current revision: skipped. */
  let revisionSince = Date.now();
  const fired = new Set<string>();
  let changed = false;
  let closed = false;
  let cancelledAt: number | null = null;
  let cancelReason: string | null = null;
  let rebookFollowUp: AppointmentState['rebookFollowUp'] = 'not_applicable';
  const lock = new Lock();
  const outbox: QueuedMessage[] = [];
  // Billing (patch appointment-billing-v1): tasks, invoice, payment.
  let billingEnabled = false;
  let deliverTask: TaskState | null = null;
  let chargeTask: TaskState | null = null;
  let billing: BillingState | null = null;
  let cardUpdated = false;
  let outboxClosed = false;
  /** Revisions whose customer reminders staff turned off at the reschedule (patch appointment-reschedule-options-v1). */
  const remindersOff = new Set<number>();

  const markKey = (mark: Mark) => `r${appointment.revision}:${mark.kind}`;
  const marks = () =>
    computeMarks({
      startsAt: appointment.startsAt,
      endsAt: appointment.endsAt,
      timeZone: appointment.timeZone,
      policy: appointment.policy,
    });
  const markState = (mark: Mark): MarkState =>
    fired.has(markKey(mark)) ? 'fired' : mark.at <= revisionSince ? 'skipped' : 'pending';
  const pendingMarks = () =>
    isActiveStatus(appointment.status) ? marks().filter((m) => markState(m) === 'pending') : [];

  const state = (): AppointmentState => {
    const next = pendingMarks()[0];
    return {
      appointment,
      marks: marks().map((m) => ({ kind: m.kind, at: m.at, state: markState(m) })),
      nextMarkAt: next?.at ?? null,
      cancelledAt,
      cancelReason,
      rebookFollowUp,
      closed,
      tasks: { deliver: deliverTask, charge: chargeTask },
      billing,
      reminders: !remindersOff.has(appointment.revision),
    };
  };

  /** Search attributes and the Web UI's current details follow every change. */
  const publish = () => {
    upsertSearchAttributes([
      { key: AppointmentStage, value: appointment.stage },
      { key: AppointmentStatus, value: appointment.status },
      { key: StaffId, value: appointment.staffId },
      { key: ContactId, value: appointment.contactId },
      { key: AppointmentStartsAt, value: new Date(appointment.startsAt) },
    ]);
    const next = pendingMarks()[0];
    setCurrentDetails(
      [
        `**${appointment.stage}** · status \`${appointment.status}\` · revision ${appointment.revision}`,
        `${appointment.serviceName}, ${new Date(appointment.startsAt).toISOString()} → ${new Date(appointment.endsAt).toISOString()}`,
        next ? `Next: ${next.kind} at ${new Date(next.at).toISOString()}` : 'No further marks.',
      ].join('\n\n'),
    );
  };

  const enqueue = (message: Omit<QueuedMessage, 'revision'> & { revision?: number }) => {
    outbox.push({ revision: appointment.revision, ...message });
  };

  const isStale = (message: QueuedMessage) =>
    message.onlyIfCurrent && (message.revision !== appointment.revision || !isActiveStatus(appointment.status));

  const notifier = (async () => {
    for (;;) {
      await condition(() => outbox.length > 0 || outboxClosed);
      const message = outbox.shift();
      if (!message) return;
      if (isStale(message)) continue;
      await messaging.sendAppointmentMessages({
        appointmentId: appointment.appointmentId,
        workflowId,
        audience: message.audience,
        event: message.event,
        step: message.step,
        revision: message.revision,
        onlyIfCurrent: message.onlyIfCurrent,
        ...(message.previousStartsAt !== undefined ? { previousStartsAt: message.previousStartsAt } : {}),
        ...(message.suggestSlots ? { suggestSlots: message.suggestSlots } : {}),
        ...(message.nextAttemptAt !== undefined ? { nextAttemptAt: message.nextAttemptAt } : {}),
        ...(message.assignee === 'billing_owner' ? { toBillingOwner: true } : {}),
        ...(message.edited ? { edited: message.edited } : {}),
        ...(message.publicNote ? { publicNote: message.publicNote } : {}),
      });
    }
  })();

  // --- changes -------------------------------------------------------------------------------------

  const validateReschedule = (request: RescheduleRequest) => {
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
  };

  const reschedule = refusing(async (request: RescheduleRequest): Promise<AppointmentState> => {
    validateReschedule(request); // again: the state may have moved while this request waited for the lock
    // Staff options (edited message, public note in the message, no reminders) change what the workflow
    // does from here on; histories from before them replay without (patch appointment-reschedule-options-v1).
    const options =
      (request.message !== undefined || request.reminders === false || Boolean(request.publicNote)) &&
      patched(PATCHES.rescheduleOptions);
    const previous = appointment;
    appointment = await data.applyReschedule({
      appointmentId: appointment.appointmentId,
      expectedRevision: appointment.revision,
      startsAt: request.startsAt,
      ...(request.staffId ? { staffId: request.staffId } : {}),
      ...(request.serviceId ? { serviceId: request.serviceId } : {}),
      ...(request.note ? { note: request.note } : {}),
      actor: request.actor,
      channel: request.channel,
      now: Date.now(),
      idempotencyKey: `${workflowId}:reschedule:from-r${previous.revision}`,
    });
    revisionSince = Date.now();
    if (options && request.reminders === false) remindersOff.add(appointment.revision);
    changed = true;
    publish();
    enqueue({
      audience: 'customer',
      event: 'rescheduled',
      step: 'rescheduled',
      onlyIfCurrent: false,
      previousStartsAt: previous.startsAt,
      ...(options && request.message ? { edited: request.message } : {}),
      ...(options && request.publicNote ? { publicNote: request.publicNote } : {}),
    });
    return state();
  });

  const validateCancel = (request: CancelRequest) => {
    if (!canCancel(appointment.status)) {
      throw refuse(REFUSALS.invalidTransition, `This appointment is ${appointment.status} and cannot be cancelled.`);
    }
    if (typeof request.reason !== 'string') throw refuse(REFUSALS.invalidRequest, 'reason is required.');
  };

  const cancel = refusing(async (request: CancelRequest): Promise<AppointmentState> => {
    validateCancel(request);
    appointment = await data.applyStatusChange({
      appointmentId: appointment.appointmentId,
      status: 'cancelled',
      stage: 'Closed Lost',
      reason: request.reason,
      actor: request.actor,
      channel: request.channel,
      idempotencyKey: `${workflowId}:status:cancelled`,
    });
    cancelledAt = Date.now();
    cancelReason = request.reason;
    changed = true;
    publish();
    enqueue({ audience: 'customer', event: 'cancelled', step: 'cancelled', onlyIfCurrent: false });
    return state();
  });

  const validateNoShow = (_request?: NoShowRequest) => {
    if (!canMarkNoShow(appointment.status)) {
      throw refuse(
        REFUSALS.invalidTransition,
        `This appointment is ${appointment.status}; only a scheduled appointment can be a no-show.`,
      );
    }
    if (Date.now() < appointment.startsAt) {
      throw refuse(REFUSALS.invalidRequest, 'The appointment has not started yet, so it cannot be a no-show.');
    }
  };

  const markNoShow = refusing(async (request: NoShowRequest): Promise<AppointmentState> => {
    validateNoShow();
    appointment = await data.applyStatusChange({
      appointmentId: appointment.appointmentId,
      status: 'no_show',
      stage: 'Missed',
      reason: request.note ?? 'no-show',
      actor: request.actor,
      channel: request.channel,
      idempotencyKey: `${workflowId}:status:no_show`,
    });
    changed = true;
    publish();
    await data.createTask({
      appointmentId: appointment.appointmentId,
      kind: 'reach_out',
      title: 'Reach out to reschedule after a no-show',
      assigneeStaffId: appointment.staffId,
      dueAt: Date.now() + 24 * HOUR_MS,
      idempotencyKey: `${workflowId}:task:reach_out`,
    });
    enqueue({
      audience: 'customer',
      event: 'noShowPrompt',
      step: 'no-show',
      onlyIfCurrent: false,
      suggestSlots: appointment.policy.rebookSuggestions,
    });
    enqueue({ audience: 'staff', event: 'staffNoShow', step: 'no-show', onlyIfCurrent: false });
    return state();
  });

  const validateStart = (_request?: StartServiceRequest) => {
    if (!canTransitionStatus(appointment.status, 'in_progress')) {
      throw refuse(REFUSALS.invalidTransition, `This appointment is ${appointment.status} and cannot be started.`);
    }
  };

  const startService = refusing(async (request: StartServiceRequest): Promise<AppointmentState> => {
    validateStart();
    appointment = await data.applyStatusChange({
      appointmentId: appointment.appointmentId,
      status: 'in_progress',
      stage: appointment.stage,
      reason: 'service started',
      actor: request.actor,
      channel: request.channel,
      idempotencyKey: `${workflowId}:status:in_progress`,
    });
    changed = true;
    publish();
    return state();
  });

  /** A signal (webhook) request that the workflow refuses is recorded on the timeline, not lost. */
  let refusals = 0;
  const fromSignal =
    <T extends { actor: RescheduleRequest['actor']; channel: RescheduleRequest['channel'] }>(
      name: string,
      handler: (request: T) => Promise<AppointmentState>,
    ) =>
    async (request: T) => {
      try {
        await lock.run(() => handler(request));
      } catch (error) {
        await data.recordTimeline({
          appointmentId: appointment.appointmentId,
          kind: 'request_refused',
          actor: request.actor,
          channel: request.channel,
          summary: `${name} request refused: ${error instanceof Error ? error.message : String(error)}`,
          idempotencyKey: `${workflowId}:refused:${++refusals}`,
        });
      }
    };

  const validateCompleteTask = (request: CompleteTaskRequest) => {
    const task =
      request.taskId === deliverTask?.taskId ? deliverTask : request.taskId === chargeTask?.taskId ? chargeTask : null;
    if (!billingEnabled || !task)
      throw refuse(REFUSALS.notFound, `Task ${request.taskId} is not open on this appointment.`);
    if (task.status === 'done') return; // completed twice: answered with the first result
    if (task === deliverTask) {
      if (!isActiveStatus(appointment.status)) {
        throw refuse(
          REFUSALS.invalidTransition,
          `This appointment is ${appointment.status}; its service cannot be completed.`,
        );
      }
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
  };

  const completeTask = refusing(async (request: CompleteTaskRequest): Promise<AppointmentState> => {
    validateCompleteTask(request);
    if (deliverTask && request.taskId === deliverTask.taskId && deliverTask.status === 'open') {
      const done = await data.completeDeliverTask({
        appointmentId: appointment.appointmentId,
        taskId: deliverTask.taskId,
        minutes: request.form.minutes ?? 0,
        ...(request.form.notes ? { notes: request.form.notes } : {}),
        actor: request.actor,
        channel: request.channel,
      });
      appointment = done.appointment;
      deliverTask = { ...deliverTask, status: 'done', overdue: false };
      billing = {
        invoice: {
          invoiceId: done.invoice.invoiceId,
          number: done.invoice.number,
          currency: done.invoice.currency,
          totalMinor: done.invoice.totalMinor,
        },
        payment:
          appointment.billing?.policy === 'manual' && done.invoice.totalMinor !== 0
            ? 'awaiting_confirmation'
            : 'charging',
        attempts: 0,
      };
    } else if (chargeTask && billing && request.taskId === chargeTask.taskId && chargeTask.status === 'open') {
      const invoice = await data.confirmCharge({
        appointmentId: appointment.appointmentId,
        taskId: chargeTask.taskId,
        ...(request.form.amountMinor !== undefined ? { amountMinor: request.form.amountMinor } : {}),
        actor: request.actor,
        channel: request.channel,
      });
      chargeTask = { ...chargeTask, status: 'done', overdue: false };
      billing = { ...billing, invoice: { ...billing.invoice!, totalMinor: invoice.totalMinor }, payment: 'charging' };
    }
    changed = true;
    publish();
    return state();
  });

  setHandler(completeTaskUpdate, (r) => lock.run(() => completeTask(r)), { validator: validateCompleteTask });
  setHandler(cardUpdatedSignal, () => {
    cardUpdated = true;
  });

  setHandler(stateQuery, state);
  setHandler(rescheduleUpdate, (r) => lock.run(() => reschedule(r)), { validator: validateReschedule });
  setHandler(cancelUpdate, (r) => lock.run(() => cancel(r)), { validator: validateCancel });
  setHandler(markNoShowUpdate, (r) => lock.run(() => markNoShow(r)), { validator: validateNoShow });
  setHandler(startServiceUpdate, (r) => lock.run(() => startService(r)), { validator: validateStart });
  setHandler(rescheduleSignal, fromSignal('reschedule', reschedule));
  setHandler(cancelSignal, fromSignal('cancel', cancel));
  setHandler(noShowSignal, fromSignal('no-show', markNoShow));

  // --- marks ---------------------------------------------------------------------------------------

  const fireMark = async (mark: Mark): Promise<void> => {
    // Re-check under the lock: a change may have landed while the timer fired.
    if (markState(mark) !== 'pending' || !isActiveStatus(appointment.status) || mark.at > Date.now()) return;
    fired.add(markKey(mark));
    if (mark.stage && mark.stage !== appointment.stage) {
      appointment = await data.setStage({
        appointmentId: appointment.appointmentId,
        stage: mark.stage,
        revision: appointment.revision,
        reason: mark.kind,
        idempotencyKey: `${workflowId}:stage:r${appointment.revision}:${mark.kind}`,
      });
    }
    for (const action of mark.actions) {
      if (action === 'reminder48h' || action === 'reminder12h') {
        // Staff may have turned reminders off for this time when they rescheduled.
        if (!remindersOff.has(appointment.revision))
          enqueue({ audience: 'customer', event: action, step: action, onlyIfCurrent: true });
      } else if (action === 'staffBrief') {
        enqueue({ audience: 'staff', event: 'staffBrief', step: 'staff-brief', onlyIfCurrent: true });
      } else if (action === 'closeOut' && billingEnabled) {
        // With billing, the service is done when staff complete the deliver task: no silent auto-close.
        if (deliverTask?.status === 'open') {
          deliverTask = { ...deliverTask, overdue: true };
          enqueue({ audience: 'staff', event: 'staffDeliverOverdue', step: 'deliver-overdue', onlyIfCurrent: false });
        }
      } else if (action === 'closeOut') {
        appointment = await data.applyStatusChange({
          appointmentId: appointment.appointmentId,
          status: 'done',
          stage: 'Paid Won',
          reason: 'closed out after the appointment',
          actor: { kind: 'system', name: 'appointflow' },
          channel: 'system',
          idempotencyKey: `${workflowId}:status:done`,
        });
        closed = true;
      }
    }
    publish();
  };

  // --- billing (patch appointment-billing-v1) ----------------------------------------------------

  /** Manual policy: a charge task first. Then charge; declines follow the retry schedule, then a staff task. */
  const collectPayment = async (): Promise<void> => {
    if (!billing) return;
    // Nothing to charge (a membership visit, a free service): settled like the automatic path does, no
    // charge task for a zero invoice (patch appointment-zero-invoice-v1).
    const zeroTotal = billing.invoice?.totalMinor === 0 && patched(PATCHES.zeroInvoice);
    if (appointment.billing?.policy === 'manual' && !zeroTotal) {
      billing = { ...billing, payment: 'awaiting_confirmation' };
      const { taskId } = await data.createTask({
        appointmentId: appointment.appointmentId,
        kind: 'charge_customer',
        title: `Charge ${appointment.serviceName} to the saved card`,
        assigneeStaffId: appointment.staffId,
        assignToBillingOwner: true,
        dueAt: Date.now() + DAY_MS,
        idempotencyKey: `${workflowId}:task:charge`,
      });
      chargeTask = { taskId, status: 'open', overdue: false };
      enqueue({
        audience: 'staff',
        event: 'staffChargeTask',
        step: 'charge-task',
        onlyIfCurrent: false,
        assignee: 'billing_owner',
      });
      await condition(() => chargeTask?.status === 'done');
    }
    const retryDays = appointment.policy.paymentRetryDays ?? DEFAULT_LIFECYCLE_POLICY.paymentRetryDays;
    for (let attempt = 1; ; attempt += 1) {
      billing = { ...billing, payment: 'charging', attempts: attempt };
      const outcome = await data.chargeInvoice({
        appointmentId: appointment.appointmentId,
        attempt,
        idempotencyKey: `${workflowId}:charge:${attempt}`,
      });
      if (outcome.status === 'succeeded') {
        billing = { ...billing, payment: 'paid' };
        appointment = await data.setStage({
          appointmentId: appointment.appointmentId,
          stage: 'Paid Won',
          revision: appointment.revision,
          reason: 'paid',
          idempotencyKey: `${workflowId}:stage:paid`,
        });
        publish();
        enqueue({ audience: 'customer', event: 'receipt', step: 'receipt', onlyIfCurrent: false });
        await sleep((appointment.policy.feedbackDelayHours ?? DEFAULT_LIFECYCLE_POLICY.feedbackDelayHours) * HOUR_MS);
        enqueue({ audience: 'customer', event: 'feedbackRequest', step: 'feedback', onlyIfCurrent: false });
        return;
      }
      billing = { ...billing, payment: outcome.status === 'requires_action' ? 'requires_action' : 'declined' };
      const waitDays = retryDays[attempt - 1];
      if (waitDays === undefined) {
        billing = { ...billing, payment: 'failed' };
        await data.createTask({
          appointmentId: appointment.appointmentId,
          kind: 'payment_follow_up',
          title: `Payment failed after ${attempt} attempts: contact the customer`,
          assigneeStaffId: appointment.staffId,
          assignToBillingOwner: true,
          dueAt: Date.now() + DAY_MS,
          idempotencyKey: `${workflowId}:task:payment-follow-up`,
        });
        enqueue({
          audience: 'staff',
          event: 'staffPaymentFailed',
          step: 'payment-failed',
          onlyIfCurrent: false,
          assignee: 'billing_owner',
        });
        publish();
        return;
      }
      const nextAttemptAt = Date.now() + waitDays * DAY_MS;
      enqueue({
        audience: 'customer',
        event: outcome.status === 'requires_action' ? 'paymentActionRequired' : 'paymentDeclined',
        step: `payment-attempt-${attempt}`,
        onlyIfCurrent: false,
        nextAttemptAt,
      });
      publish();
      // A new card (manage page or Stripe webhook) retries at once; otherwise on schedule.
      cardUpdated = false;
      await condition(() => cardUpdated, nextAttemptAt - Date.now());
    }
  };

  // --- the lifecycle -------------------------------------------------------------------------------

  billingEnabled = patched(PATCHES.billing) && appointment.billing !== undefined;
  if (billingEnabled) {
    const { taskId } = await data.createTask({
      appointmentId: appointment.appointmentId,
      kind: 'deliver_service',
      title: `Deliver ${appointment.serviceName}`,
      assigneeStaffId: appointment.staffId,
      dueAt: appointment.startsAt,
      idempotencyKey: `${workflowId}:task:deliver`,
    });
    deliverTask = { taskId, status: 'open', overdue: false };
  }

  // A booking made after a mark starts in the stage that mark implies (its messages are skipped).
  const initialStage = stageAt(marks(), Date.now(), appointment.stage);
  if (initialStage !== appointment.stage) {
    appointment = await data.setStage({
      appointmentId: appointment.appointmentId,
      stage: initialStage,
      revision: appointment.revision,
      reason: 'booked after mark',
      idempotencyKey: `${workflowId}:stage:r${appointment.revision}:initial`,
    });
  }
  publish();
  enqueue({ audience: 'customer', event: 'confirmation', step: 'booked', onlyIfCurrent: false });

  for (;;) {
    const next = pendingMarks()[0];
    if (!next) break;
    changed = false;
    const interrupted = await condition(() => changed, next.at - Date.now());
    if (interrupted) continue;
    await lock.run(() => fireMark(next));
  }

  if (billingEnabled) {
    // Close-out no longer ends the service: wait for the deliver task (or a cancel / no-show).
    await condition(() => deliverTask?.status === 'done' || !isActiveStatus(appointment.status));
    if (deliverTask?.status === 'done' && billing) await collectPayment();
  }

  if (appointment.status === 'cancelled' && cancelledAt !== null) {
    rebookFollowUp = 'waiting';
    const windowEnds = cancelledAt + appointment.policy.rebookWindowHours * HOUR_MS;
    if (windowEnds > Date.now()) await sleep(windowEnds - Date.now());
    const rebooked = await data.contactHasRebooked({
      contactId: appointment.contactId,
      since: cancelledAt,
      excludeAppointmentId: appointment.appointmentId,
    });
    rebookFollowUp = rebooked ? 'not_needed' : 'sent';
    if (!rebooked) {
      enqueue({
        audience: 'customer',
        event: 'rebookFollowUp',
        step: 'rebook-follow-up',
        onlyIfCurrent: false,
        suggestSlots: appointment.policy.rebookSuggestions,
      });
    }
  }

  await condition(allHandlersFinished);
  outboxClosed = true;
  await notifier;
  closed = true;
  publish();
  return state();
}
