/**
 * The canonical appointment/membership stages and service statuses, and the one table of which moves
 * between them are allowed. Used by the HTTP API (to refuse bad requests) and by workflow code (to
 * decide what a signal may do), so it is pure and deterministic.
 */

export const PIPELINE_STAGES = [
  'Appointment Scheduled',
  'Appointment Tomorrow',
  'Appointment Today',
  'Paid Won',
  'Closed Lost',
  'Missed',
] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

export const MEMBERSHIP_STAGES = [
  'Appointment Unscheduled',
  'Appointment Scheduled',
  'Appointment Tomorrow',
  'Appointment Today',
  'Membership Expired',
] as const;
export type MembershipStage = (typeof MEMBERSHIP_STAGES)[number];

export const SERVICE_STATUSES = ['scheduled', 'in_progress', 'done', 'cancelled', 'no_show'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

const STATUS_TRANSITIONS: Readonly<Record<ServiceStatus, readonly ServiceStatus[]>> = {
  scheduled: ['in_progress', 'done', 'cancelled', 'no_show'],
  in_progress: ['done', 'cancelled'],
  done: [],
  cancelled: [],
  no_show: [],
};

const STAGE_TRANSITIONS: Readonly<Record<PipelineStage, readonly PipelineStage[]>> = {
  'Appointment Scheduled': ['Appointment Tomorrow', 'Appointment Today', 'Paid Won', 'Closed Lost', 'Missed'],
  'Appointment Tomorrow': ['Appointment Scheduled', 'Appointment Today', 'Paid Won', 'Closed Lost', 'Missed'],
  'Appointment Today': ['Appointment Scheduled', 'Appointment Tomorrow', 'Paid Won', 'Closed Lost', 'Missed'],
  'Paid Won': [],
  'Closed Lost': [],
  Missed: [],
};

/** Type guard for a value read from outside (request body, database row). */
export function isServiceStatus(value: unknown): value is ServiceStatus {
  return typeof value === 'string' && (SERVICE_STATUSES as readonly string[]).includes(value);
}

/** Type guard for a value read from outside (request body, database row). */
export function isPipelineStage(value: unknown): value is PipelineStage {
  return typeof value === 'string' && (PIPELINE_STAGES as readonly string[]).includes(value);
}

/** Type guard for a value read from outside (request body, database row). */
export function isMembershipStage(value: unknown): value is MembershipStage {
  return typeof value === 'string' && (MEMBERSHIP_STAGES as readonly string[]).includes(value);
}

/** Whether a service status may move from `from` to `to`. Staying put is not a transition (false). */
export function canTransitionStatus(from: ServiceStatus, to: ServiceStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}

/** Whether a pipeline stage may move from `from` to `to`. Staying put is not a transition (false). */
export function canTransitionStage(from: PipelineStage, to: PipelineStage): boolean {
  return STAGE_TRANSITIONS[from].includes(to);
}

/** An appointment that still holds its time on the calendar: scheduled or in progress. */
export function isActiveStatus(status: ServiceStatus): boolean {
  return status === 'scheduled' || status === 'in_progress';
}

/** done, cancelled and no_show: nothing may follow. */
export function isTerminalStatus(status: ServiceStatus): boolean {
  return STATUS_TRANSITIONS[status].length === 0;
}

/** Whether a pipeline stage is final (Paid Won, Closed Lost, Missed). */
export function isTerminalStage(stage: PipelineStage): boolean {
  return STAGE_TRANSITIONS[stage].length === 0;
}

/** Only an appointment that has not started may be moved to another time. */
export function canReschedule(status: ServiceStatus): boolean {
  return status === 'scheduled';
}

export function canCancel(status: ServiceStatus): boolean {
  return status === 'scheduled' || status === 'in_progress';
}

export function canMarkNoShow(status: ServiceStatus): boolean {
  // A customer who did not turn up never started the service.
  return status === 'scheduled';
}

/** A refused status or stage move; the message is fit to show to an API caller. */
export class TransitionError extends Error {
  override readonly name = 'TransitionError';

  constructor(
    readonly from: string,
    readonly to: string,
    message = `cannot move an appointment from "${from}" to "${to}"`,
  ) {
    super(message);
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** Throws a TransitionError unless `from` → `to` is an allowed status move. */
export function assertStatusTransition(from: ServiceStatus, to: ServiceStatus): void {
  if (!canTransitionStatus(from, to)) throw new TransitionError(from, to);
}

/** Throws a TransitionError unless `from` → `to` is an allowed stage move. */
export function assertStageTransition(from: PipelineStage, to: PipelineStage): void {
  if (!canTransitionStage(from, to)) throw new TransitionError(from, to);
}
