/**
 * Lifecycle marks: the absolute instants at which an appointment's workflow acts (the "tomorrow" and
 * "today" reminders and stage changes, and the close-out after the end), computed from its start, end,
 * time zone and lifecycle policy. Offsets are absolute durations (48 h is 48 × 3600 s even across a DST
 * change); the time zone is only used to validate and to describe marks for humans.
 */
import { HOUR_MS, assertInstant } from './durations';
import { DEFAULT_LIFECYCLE_POLICY, type LifecyclePolicy } from './lifecycle-policy-defaults';
import { type PipelineStage } from './stages';
import { assertTimeZone } from './zones';

export type MarkKind = 'tomorrow' | 'today' | 'closeOut';
export type MarkAction = 'reminder48h' | 'reminder12h' | 'staffBrief' | 'closeOut';

export interface Mark {
  kind: MarkKind;
  /** Epoch milliseconds. */
  at: number;
  /** The stage the appointment enters at this mark; null when the workflow decides (close-out). */
  stage: PipelineStage | null;
  actions: MarkAction[];
}

export interface ComputeMarksArgs {
  startsAt: number;
  endsAt: number;
  /** IANA zone of the appointment (validated; used by describeMark, not for the offsets). */
  timeZone: string;
  /** Defaults to DEFAULT_LIFECYCLE_POLICY. */
  policy?: LifecyclePolicy;
}

const KIND_ORDER: Readonly<Record<MarkKind, number>> = { tomorrow: 0, today: 1, closeOut: 2 };

/**
 * The appointment's marks, sorted by `at`: tomorrow = start − tomorrowHoursBefore (stage "Appointment
 * Tomorrow", action reminder48h), today = start − todayHoursBefore (stage "Appointment Today", actions
 * reminder12h and staffBrief), closeOut = end + closeOutHoursAfterEnd (stage null, action closeOut).
 * The action names are fixed even when the policy changes the hours. Throws if endsAt <= startsAt or
 * the zone is invalid. Includes marks already in the past; filter with upcomingMarks.
 */
export function computeMarks({
  startsAt,
  endsAt,
  timeZone,
  policy = DEFAULT_LIFECYCLE_POLICY,
}: ComputeMarksArgs): Mark[] {
  assertInstant(startsAt, 'startsAt');
  assertInstant(endsAt, 'endsAt');
  if (endsAt <= startsAt) {
    throw new Error(
      `endsAt (${new Date(endsAt).toISOString()}) must be after startsAt (${new Date(startsAt).toISOString()})`,
    );
  }
  assertTimeZone(timeZone);
  const marks: Mark[] = [
    {
      kind: 'tomorrow',
      at: startsAt - Math.round(policy.tomorrowHoursBefore * HOUR_MS),
      stage: 'Appointment Tomorrow',
      actions: ['reminder48h'],
    },
    {
      kind: 'today',
      at: startsAt - Math.round(policy.todayHoursBefore * HOUR_MS),
      stage: 'Appointment Today',
      actions: ['reminder12h', 'staffBrief'],
    },
    {
      kind: 'closeOut',
      at: endsAt + Math.round(policy.closeOutHoursAfterEnd * HOUR_MS),
      stage: null,
      actions: ['closeOut'],
    },
  ];
  return marks.sort((a, b) => a.at - b.at || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

/**
 * Marks still to come: `at > now`. Marks already due when the appointment is booked or rescheduled
 * are dropped, never fired late in a burst (use stageAt for the stage they imply).
 */
export function upcomingMarks(marks: readonly Mark[], now: number): Mark[] {
  return marks.filter((mark) => mark.at > now);
}

/**
 * The stage implied at `now`: that of the latest mark with `at <= now` that sets a stage, else
 * `fallback`. Booked 30 h before the start (defaults) this is already "Appointment Tomorrow".
 */
export function stageAt(
  marks: readonly Mark[],
  now: number,
  fallback: PipelineStage = 'Appointment Scheduled',
): PipelineStage {
  let latest: Mark | undefined;
  for (const mark of marks) {
    if (mark.stage !== null && mark.at <= now && (latest === undefined || mark.at >= latest.at)) latest = mark;
  }
  return latest?.stage ?? fallback;
}

/**
 * How late (ms after its instant) a mark's customer reminder may still go out: the policy's
 * `lateReminderHours`, and at most half the mark's lead time before the start — with the defaults a
 * 48 h reminder up to 12 h late, a 12 h reminder up to 6 h late. A reminder due later than that is
 * dropped (a reminder arriving just before, or after, the appointment helps nobody).
 */
export function reminderLateLimitMs(mark: Mark, startsAt: number, policy: Partial<LifecyclePolicy>): number {
  const hours = policy.lateReminderHours ?? DEFAULT_LIFECYCLE_POLICY.lateReminderHours;
  return Math.max(0, Math.min(Math.round(hours * HOUR_MS), Math.floor((startsAt - mark.at) / 2)));
}

/** The next mark after `now`, or undefined when none is left. */
export function nextMark(marks: readonly Mark[], now: number): Mark | undefined {
  return upcomingMarks(marks, now).reduce<Mark | undefined>(
    (best, mark) => (best === undefined || mark.at < best.at ? mark : best),
    undefined,
  );
}
