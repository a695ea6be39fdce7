/**
 * A service's lifecycle policy: when the reminder/stage marks fall relative to an appointment, when
 * it is closed out, and the rebooking and manage-link settings. Stored per service as (partial) JSON
 * in `services.lifecycle_policy`; `resolveLifecyclePolicy` validates it and fills in the defaults.
 */
import { z } from 'zod';
import {
  DEFAULT_LIFECYCLE_POLICY,
  type LifecyclePolicy,
  MAX_BOOK_AGAIN_WEEKS,
  MAX_POLICY_HOURS,
  MAX_REBOOK_SUGGESTIONS,
} from './lifecycle-policy-defaults';

export {
  DEFAULT_LIFECYCLE_POLICY,
  type LifecyclePolicy,
  MAX_BOOK_AGAIN_WEEKS,
  MAX_POLICY_HOURS,
  MAX_REBOOK_SUGGESTIONS,
} from './lifecycle-policy-defaults';

const hours = (field: keyof LifecyclePolicy, min: 'positive' | 'non-negative') => {
  const base = z.number({ error: `${field} must be a number of hours` });
  const bounded =
    min === 'positive'
      ? base.gt(0, `${field} must be greater than 0 hours`)
      : base.min(0, `${field} must be 0 hours or more`);
  return bounded.max(MAX_POLICY_HOURS, `${field} must be at most ${MAX_POLICY_HOURS} hours (30 days)`).optional();
};

/**
 * Validates a stored or submitted policy. Every field is optional (missing ones take the defaults);
 * unknown keys are rejected so a misspelt setting is not silently ignored. The refinement checks
 * tomorrowHoursBefore > todayHoursBefore after defaults are applied, so `{ todayHoursBefore: 60 }`
 * alone is rejected too.
 */
export const lifecyclePolicySchema = z
  .strictObject({
    tomorrowHoursBefore: hours('tomorrowHoursBefore', 'positive'),
    todayHoursBefore: hours('todayHoursBefore', 'positive'),
    closeOutHoursAfterEnd: hours('closeOutHoursAfterEnd', 'non-negative'),
    rebookWindowHours: hours('rebookWindowHours', 'positive'),
    rebookSuggestions: z
      .number({ error: 'rebookSuggestions must be a whole number' })
      .int('rebookSuggestions must be a whole number')
      .min(0, 'rebookSuggestions must be 0 or more')
      .max(MAX_REBOOK_SUGGESTIONS, `rebookSuggestions must be at most ${MAX_REBOOK_SUGGESTIONS}`)
      .optional(),
    manageLinkGraceHours: hours('manageLinkGraceHours', 'non-negative'),
    feedbackDelayHours: hours('feedbackDelayHours', 'non-negative'),
    lateReminderHours: hours('lateReminderHours', 'non-negative'),
    deliverOpensHoursBefore: hours('deliverOpensHoursBefore', 'non-negative'),
    paymentRetryDays: z
      .array(
        z
          .number({ error: 'paymentRetryDays must be numbers of days' })
          .gt(0, 'paymentRetryDays must be more than 0 days')
          .max(30, 'paymentRetryDays must be at most 30 days'),
        { error: 'paymentRetryDays must be a list of days' },
      )
      .max(10, 'paymentRetryDays may have at most 10 retries')
      .optional(),
    bookAgainWeeks: z
      .number({ error: 'bookAgainWeeks must be a whole number of weeks' })
      .int('bookAgainWeeks must be a whole number of weeks')
      .min(1, 'bookAgainWeeks must be at least 1 week')
      .max(MAX_BOOK_AGAIN_WEEKS, `bookAgainWeeks must be at most ${MAX_BOOK_AGAIN_WEEKS} weeks`)
      .optional(),
  })
  .superRefine((policy, ctx) => {
    const tomorrow = policy.tomorrowHoursBefore ?? DEFAULT_LIFECYCLE_POLICY.tomorrowHoursBefore;
    const today = policy.todayHoursBefore ?? DEFAULT_LIFECYCLE_POLICY.todayHoursBefore;
    if (tomorrow <= today) {
      ctx.addIssue({
        code: 'custom',
        path: ['tomorrowHoursBefore'],
        message: `tomorrowHoursBefore (${tomorrow}) must be greater than todayHoursBefore (${today})`,
      });
    }
  });

export type LifecyclePolicyInput = z.input<typeof lifecyclePolicySchema>;

/**
 * The effective policy: `raw` (a partial policy object; null/undefined mean "all defaults") validated
 * and merged over DEFAULT_LIFECYCLE_POLICY. Throws a ZodError on invalid input; its messages name
 * the offending field.
 */
export function resolveLifecyclePolicy(raw: unknown): LifecyclePolicy {
  const parsed = lifecyclePolicySchema.parse(raw ?? {});
  const given = Object.fromEntries(
    Object.entries(parsed).filter(([, value]) => value !== undefined),
  ) as Partial<LifecyclePolicy>;
  return { ...DEFAULT_LIFECYCLE_POLICY, paymentRetryDays: [...DEFAULT_LIFECYCLE_POLICY.paymentRetryDays], ...given };
}
