import {
  MEMBERSHIP_STAGES,
  PIPELINE_STAGES,
  SERVICE_STATUSES,
  TransitionError,
  assertStageTransition,
  assertStatusTransition,
  canCancel,
  canMarkNoShow,
  canReschedule,
  canTransitionStage,
  canTransitionStatus,
  isActiveStatus,
  isPipelineStage,
  isServiceStatus,
  isTerminalStage,
  isTerminalStatus,
  type PipelineStage,
  type ServiceStatus,
} from '../../../src/domain/stages';

describe('canonical lists', () => {
  it('lists the pipeline stages, membership stages and statuses in order', () => {
    expect(PIPELINE_STAGES).toEqual([
      'Appointment Scheduled',
      'Appointment Tomorrow',
      'Appointment Today',
      'Paid Won',
      'Closed Lost',
      'Missed',
    ]);
    expect(MEMBERSHIP_STAGES).toEqual([
      'Appointment Unscheduled',
      'Appointment Scheduled',
      'Appointment Tomorrow',
      'Appointment Today',
      'Membership Expired',
    ]);
    expect(SERVICE_STATUSES).toEqual(['scheduled', 'in_progress', 'done', 'cancelled', 'no_show']);
  });

  it('type guards accept only known values', () => {
    expect(isServiceStatus('done')).toBe(true);
    expect(isServiceStatus('Done')).toBe(false);
    expect(isServiceStatus(3)).toBe(false);
    expect(isPipelineStage('Paid Won')).toBe(true);
    expect(isPipelineStage('Membership Expired')).toBe(false);
  });
});

describe('status transitions', () => {
  const allowed: Array<[ServiceStatus, ServiceStatus]> = [
    ['scheduled', 'in_progress'],
    ['scheduled', 'done'],
    ['scheduled', 'cancelled'],
    ['scheduled', 'no_show'],
    ['in_progress', 'done'],
    ['in_progress', 'cancelled'],
  ];

  it('allows exactly the listed moves', () => {
    for (const from of SERVICE_STATUSES) {
      for (const to of SERVICE_STATUSES) {
        const expected = allowed.some(([f, t]) => f === from && t === to);
        expect([from, to, canTransitionStatus(from, to)]).toEqual([from, to, expected]);
      }
    }
  });

  it('forbids going back and leaving a terminal status', () => {
    expect(canTransitionStatus('in_progress', 'scheduled')).toBe(false);
    expect(canTransitionStatus('in_progress', 'no_show')).toBe(false);
    expect(canTransitionStatus('done', 'cancelled')).toBe(false);
    expect(canTransitionStatus('cancelled', 'scheduled')).toBe(false);
    expect(canTransitionStatus('no_show', 'done')).toBe(false);
    expect(canTransitionStatus('scheduled', 'scheduled')).toBe(false);
  });

  it('classifies active and terminal statuses', () => {
    expect(SERVICE_STATUSES.filter(isActiveStatus)).toEqual(['scheduled', 'in_progress']);
    expect(SERVICE_STATUSES.filter(isTerminalStatus)).toEqual(['done', 'cancelled', 'no_show']);
  });

  it('answers the action questions', () => {
    expect(SERVICE_STATUSES.filter(canReschedule)).toEqual(['scheduled']);
    expect(SERVICE_STATUSES.filter(canCancel)).toEqual(['scheduled', 'in_progress']);
    expect(SERVICE_STATUSES.filter(canMarkNoShow)).toEqual(['scheduled']);
  });

  it('assertStatusTransition passes allowed moves and throws a readable TransitionError otherwise', () => {
    expect(() => assertStatusTransition('scheduled', 'no_show')).not.toThrow();
    let caught: unknown;
    try {
      assertStatusTransition('cancelled', 'no_show');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TransitionError);
    expect(caught).toBeInstanceOf(Error);
    const error = caught as TransitionError;
    expect(error.message).toBe('cannot move an appointment from "cancelled" to "no_show"');
    expect(error.name).toBe('TransitionError');
    expect(error.from).toBe('cancelled');
    expect(error.to).toBe('no_show');
  });
});

describe('stage transitions', () => {
  const open: PipelineStage[] = ['Appointment Scheduled', 'Appointment Tomorrow', 'Appointment Today'];
  const terminal: PipelineStage[] = ['Paid Won', 'Closed Lost', 'Missed'];

  it('lets every open stage move to any other stage', () => {
    for (const from of open) {
      for (const to of PIPELINE_STAGES) {
        expect([from, to, canTransitionStage(from, to)]).toEqual([from, to, from !== to]);
      }
    }
  });

  it('allows moving back to Scheduled after a reschedule further out', () => {
    expect(canTransitionStage('Appointment Tomorrow', 'Appointment Scheduled')).toBe(true);
    expect(canTransitionStage('Appointment Today', 'Appointment Scheduled')).toBe(true);
    expect(canTransitionStage('Appointment Today', 'Appointment Tomorrow')).toBe(true);
  });

  it('never leaves a terminal stage', () => {
    for (const from of terminal) {
      expect(isTerminalStage(from)).toBe(true);
      for (const to of PIPELINE_STAGES) expect(canTransitionStage(from, to)).toBe(false);
    }
    expect(open.some(isTerminalStage)).toBe(false);
  });

  it('assertStageTransition throws a TransitionError naming both stages', () => {
    expect(() => assertStageTransition('Appointment Today', 'Missed')).not.toThrow();
    expect(() => assertStageTransition('Paid Won', 'Missed')).toThrow(
      new TransitionError('Paid Won', 'Missed', 'cannot move an appointment from "Paid Won" to "Missed"'),
    );
  });
});
