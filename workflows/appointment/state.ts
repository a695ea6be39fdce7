/**
 * What one appointment workflow knows: the appointment as the database last answered, which marks
 * fired, the cancellation, the human tasks and the billing. Handlers and the main loop change it; the
 * `state` query and the Web UI read it. Plain data, so a run can hand it to the next (continue-as-new).
 */
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { computeMarks, type Mark } from '../../src/domain/marks';
import { isActiveStatus } from '../../src/domain/stages';
import {
  AppointmentStage,
  AppointmentStartsAt,
  AppointmentStatus,
  ContactId,
  StaffId,
} from '../../temporal/search-attributes';
import type { AppointmentSnapshot, AppointmentState, BillingState, MarkState, TaskState } from './messages';

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
  /** Revisions whose customer reminders staff turned off at the reschedule (patch appointment-reschedule-options-v1). */
  readonly remindersOff = new Set<number>();

  constructor(appointment: AppointmentSnapshot, now: number) {
    this.appointment = appointment;
    this.revisionSince = now;
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
    return {
      appointment: this.appointment,
      marks: this.marks().map((m) => ({ kind: m.kind, at: m.at, state: this.markState(m) })),
      nextMarkAt: next?.at ?? null,
      cancelledAt: this.cancelledAt,
      cancelReason: this.cancelReason,
      rebookFollowUp: this.rebookFollowUp,
      closed: this.closed,
      tasks: { deliver: this.deliverTask, charge: this.chargeTask },
      billing: this.billing,
      reminders: !this.remindersOff.has(this.appointment.revision),
    };
  }

  /** Search attributes and the Web UI's current details follow every change. */
  publish(): void {
    const { appointment } = this;
    upsertSearchAttributes([
      { key: AppointmentStage, value: appointment.stage },
      { key: AppointmentStatus, value: appointment.status },
      { key: StaffId, value: appointment.staffId },
      { key: ContactId, value: appointment.contactId },
      { key: AppointmentStartsAt, value: new Date(appointment.startsAt) },
    ]);
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
