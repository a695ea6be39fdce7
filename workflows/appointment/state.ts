/**
 * What one appointment workflow knows: the appointment as the database last answered, which marks
 * fired, the cancellation, the human tasks and the billing. Handlers and the main loop change it; the
 * `state` query and the Web UI read it. Plain data, so a run can hand it to the next (continue-as-new).
 */
import { patched, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { computeMarks, type Mark } from '../../src/domain/marks';
import { isActiveStatus } from '../../src/domain/stages';
import { appointmentSearchAttributes } from '../../temporal/search-attributes';
import { type LocalDataSteps, data, localData } from './activities';
import {
  type AppointmentCarry,
  type AppointmentSnapshot,
  type AppointmentState,
  type AppointmentWorkflowInput,
  type BillingState,
  type DepositOutcome,
  type FeeState,
  MAX_CHANGES_PER_RUN,
  type MarkState,
  type OutboxMessage,
  PATCHES,
  PATCHES_BEFORE_LEAN_HISTORY,
  type PatchId,
  type TaskState,
} from './messages';

export class AppointmentModel {
  appointment: AppointmentSnapshot;
  /** Marks at or before this instant belong to the past of the current revision: skipped. */
  revisionSince: number;
  readonly fired = new Set<string>();
  /** Set by every change; the main loop's timer wakes on it and recomputes the marks. */
  changed = false;
  closed = false;
  cancelledAt: number | null = null;
  cancelReason: string | null = null;
  rebookFollowUp: AppointmentState['rebookFollowUp'] = 'not_applicable';
  /** Billing (patch appointment-billing-v1): tasks, invoice, payment. */
  billingEnabled = false;
  deliverTask: TaskState | null = null;
  chargeTask: TaskState | null = null;
  billing: BillingState | null = null;
  cardUpdated = false;
  /** The customer was sent a pay link and staff a task (no card on file; patch appointment-pay-links-v1). */
  payLinkSent = false;
  /** A late-cancel or no-show fee to collect (patch appointment-cancellation-fees-v1). */
  fee: FeeState | null = null;
  /** The deposit to refund (less what a fee keeps) after a cancel or no-show (patch appointment-deposits-v1). */
  deposit: (DepositOutcome & { settled: boolean }) | null = null;
  /** Revisions whose customer reminders staff turned off at the reschedule (patch appointment-reschedule-options-v1). */
  readonly remindersOff = new Set<number>();
  /** "Book again" after a delivered visit (patch appointment-follow-ups-v1). */
  bookAgain: AppointmentState['bookAgain'] | null = null;
  /** Late reminders past the policy's limit are dropped (patch appointment-marks-from-booking-v1). */
  lateReminderLimit = false;
  /** The lean history (patch appointment-lean-history-v1): every older patch applies without its marker. */
  lean = false;

  /** Refused signal requests so far, part of their timeline keys. */
  refusals = 0;
  /** Which run this is (continue-as-new) and how many changes it has taken. */
  run = 1;
  changesThisRun = 0;

  constructor(appointment: AppointmentSnapshot, now: number) {
    this.appointment = appointment;
    this.revisionSince = now;
  }

  /**
   * The state a run starts from: a fresh booking — marks measured from `bookedAt` (patch
   * appointment-marks-from-booking-v1), so a late first task still fires a mark due in between — or
   * what the previous run handed over.
   */
  static start(input: AppointmentWorkflowInput): AppointmentModel {
    // Asked first, before any other patch: a run that takes it records no other patch marker.
    const lean = patched(PATCHES.leanHistory);
    const fromBooking = lean || patched(PATCHES.marksFromBooking);
    const carried = input.carried;
    if (!carried) {
      const bookedAt = fromBooking && input.bookedAt !== undefined ? Math.min(input.bookedAt, Date.now()) : Date.now();
      const model = new AppointmentModel(input.appointment, bookedAt);
      model.lateReminderLimit = fromBooking;
      model.lean = lean;
      return model;
    }
    const model = new AppointmentModel(input.appointment, carried.revisionSince);
    model.lean = lean;
    carried.fired.forEach((key) => model.fired.add(key));
    carried.remindersOff.forEach((revision) => model.remindersOff.add(revision));
    model.run = carried.run + 1;
    model.cancelledAt = carried.cancelledAt;
    model.cancelReason = carried.cancelReason;
    model.rebookFollowUp = carried.rebookFollowUp;
    model.billingEnabled = carried.billingEnabled;
    model.deliverTask = carried.deliverTask;
    model.chargeTask = carried.chargeTask;
    model.billing = carried.billing;
    model.cardUpdated = carried.cardUpdated;
    model.fee = carried.fee ?? null;
    model.deposit = carried.deposit ?? null;
    model.lateReminderLimit = carried.lateReminderLimit;
    model.refusals = carried.refusals;
    return model;
  }

  /** What the next run starts from, with the messages still queued. */
  carry(outbox: OutboxMessage[]): AppointmentCarry {
    return {
      run: this.run,
      revisionSince: this.revisionSince,
      fired: [...this.fired],
      cancelledAt: this.cancelledAt,
      cancelReason: this.cancelReason,
      rebookFollowUp: this.rebookFollowUp,
      billingEnabled: this.billingEnabled,
      deliverTask: this.deliverTask,
      chargeTask: this.chargeTask,
      billing: this.billing,
      cardUpdated: this.cardUpdated,
      ...(this.fee ? { fee: this.fee } : {}),
      ...(this.deposit ? { deposit: this.deposit } : {}),
      remindersOff: [...this.remindersOff],
      lateReminderLimit: this.lateReminderLimit,
      refusals: this.refusals,
      outbox,
    };
  }

  /**
   * Whether a patch's code path applies. A run on the lean history has every patch older than it, so
   * asking records nothing; any other run asks Temporal as before (`patched`).
   */
  patched(id: PatchId): boolean {
    return (this.lean && PATCHES_BEFORE_LEAN_HISTORY.includes(id)) || patched(id);
  }

  /** The short database steps: local activities on the lean history, activities before it. */
  get steps(): LocalDataSteps {
    return this.lean ? localData : data;
  }

  /** Time to hand over to a new run: Temporal suggests it, or this run has taken its share of changes. */
  continueAsNewDue(): boolean {
    return this.changesThisRun >= MAX_CHANGES_PER_RUN || workflowInfo().continueAsNewSuggested;
  }

  markKey(mark: Mark): string {
    return `r${this.appointment.revision}:${mark.kind}`;
  }

  marks(): Mark[] {
    const { startsAt, endsAt, timeZone, policy } = this.appointment;
    return computeMarks({ startsAt, endsAt, timeZone, policy });
  }

  markState(mark: Mark): MarkState {
    return this.fired.has(this.markKey(mark)) ? 'fired' : mark.at <= this.revisionSince ? 'skipped' : 'pending';
  }

  pendingMarks(): Mark[] {
    return isActiveStatus(this.appointment.status) ? this.marks().filter((m) => this.markState(m) === 'pending') : [];
  }

  state(): AppointmentState {
    const next = this.pendingMarks()[0];
    const active = isActiveStatus(this.appointment.status);
    return {
      appointment: this.appointment,
      // A mark that can no longer fire (the appointment is done, cancelled or a no-show) is not pending.
      marks: this.marks().map((m) => {
        const state = this.markState(m);
        return { kind: m.kind, at: m.at, state: state === 'pending' && !active ? 'skipped' : state };
      }),
      nextMarkAt: next?.at ?? null,
      cancelledAt: this.cancelledAt,
      cancelReason: this.cancelReason,
      rebookFollowUp: this.rebookFollowUp,
      closed: this.closed,
      tasks: { deliver: this.deliverTask, charge: this.chargeTask },
      billing: this.billing,
      ...(this.fee ? { cancellationFee: this.fee } : {}),
      ...(this.deposit ? { deposit: this.deposit } : {}),
      ...(this.bookAgain ? { bookAgain: this.bookAgain } : {}),
      reminders: !this.remindersOff.has(this.appointment.revision),
      run: this.run,
      historyLength: workflowInfo().historyLength,
    };
  }

  /**
   * Search attributes and the Web UI's current details follow every change. On the lean history only
   * the attributes that differ from what the workflow has (set at start, then upserted) are upserted,
   * and nothing when none does; before it, all of them every time.
   */
  publish(): void {
    const { appointment } = this;
    const attributes = appointmentSearchAttributes(appointment);
    if (!this.lean) upsertSearchAttributes(attributes);
    else {
      const current = workflowInfo().typedSearchAttributes;
      const changed = attributes.filter((pair) => !sameValue(current.get(pair.key), pair.value));
      if (changed.length > 0) upsertSearchAttributes(changed);
    }
    const next = this.pendingMarks()[0];
    setCurrentDetails(
      [
        `**${appointment.stage}** · status \`${appointment.status}\` · revision ${appointment.revision}`,
        `${appointment.serviceName}, ${new Date(appointment.startsAt).toISOString()} → ${new Date(appointment.endsAt).toISOString()}`,
        next ? `Next: ${next.kind} at ${new Date(next.at).toISOString()}` : 'No further marks.',
      ].join('\n\n'),
    );
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
}
