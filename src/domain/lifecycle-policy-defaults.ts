/**
 * The lifecycle policy's shape and defaults, without the zod schema that validates stored and submitted
 * policies (src/domain/lifecycle-policy.ts): workflow code reads the defaults, and what workflow code
 * imports is loaded into every cached workflow.
 */
export interface LifecyclePolicy {
  /** Hours before the start when the appointment becomes "Appointment Tomorrow" (first reminder). */
  tomorrowHoursBefore: number;
  /** Hours before the start when it becomes "Appointment Today" (second reminder, staff brief). */
  todayHoursBefore: number;
  /** Hours after the end when the appointment is closed out. */
  closeOutHoursAfterEnd: number;
  /** How far ahead (hours) rebooking suggestions are searched after a cancellation or no-show. */
  rebookWindowHours: number;
  /** How many rebooking slots are suggested. */
  rebookSuggestions: number;
  /** Hours after the start during which the customer's manage link still works. */
  manageLinkGraceHours: number;
  /** Hours after payment when the feedback request goes out. */
  feedbackDelayHours: number;
  /** Days after each declined charge when it is retried (the dunning schedule); then a staff task. */
  paymentRetryDays: number[];
  /**
   * How late (hours after its mark) a customer reminder may still go out — when the workflow's first
   * task or a worker ran late — and never later than half its lead time before the start (see
   * `reminderLateLimitMs`). Later, it is dropped with a timeline note.
   */
  lateReminderHours: number;
  /**
   * How long (hours) before the start staff may complete the deliver task; before that only once the
   * service has started (`src/domain/delivery.ts`).
   */
  deliverOpensHoursBefore: number;
  /**
   * "Book again" (issue 16): weeks after a delivered visit when the customer is invited back with the
   * next free times and a one-tap booking link, unless they booked again meanwhile. Absent: off.
   */
  bookAgainWeeks?: number;
}

export const DEFAULT_LIFECYCLE_POLICY: Readonly<LifecyclePolicy> = Object.freeze({
  tomorrowHoursBefore: 48,
  todayHoursBefore: 12,
  closeOutHoursAfterEnd: 2,
  rebookWindowHours: 24,
  rebookSuggestions: 3,
  manageLinkGraceHours: 0,
  feedbackDelayHours: 3,
  paymentRetryDays: [1, 3, 7],
  lateReminderHours: 12,
  deliverOpensHoursBefore: 1,
});

/** Upper bound for every hour setting: 30 days. */
export const MAX_POLICY_HOURS = 24 * 30;
export const MAX_REBOOK_SUGGESTIONS = 20;
/** Upper bound for the book-again follow-up: a year. */
export const MAX_BOOK_AGAIN_WEEKS = 52;
