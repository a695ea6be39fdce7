import { ZodError } from 'zod';
import {
  DEFAULT_LIFECYCLE_POLICY,
  lifecyclePolicySchema,
  resolveLifecyclePolicy,
} from '../../../src/domain/lifecycle-policy';

function errorOf(fn: () => unknown): ZodError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ZodError) return error;
    throw error;
  }
  throw new Error('expected a ZodError, nothing was thrown');
}

describe('lifecycle policy', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_LIFECYCLE_POLICY).toEqual({
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
  });

  it('resolves an empty, null or undefined policy to the defaults', () => {
    expect(resolveLifecyclePolicy({})).toEqual(DEFAULT_LIFECYCLE_POLICY);
    expect(resolveLifecyclePolicy(null)).toEqual(DEFAULT_LIFECYCLE_POLICY);
    expect(resolveLifecyclePolicy(undefined)).toEqual(DEFAULT_LIFECYCLE_POLICY);
  });

  it('merges a partial override over the defaults without mutating them', () => {
    const policy = resolveLifecyclePolicy({ tomorrowHoursBefore: 24, closeOutHoursAfterEnd: 0, rebookSuggestions: 5 });
    expect(policy).toEqual({
      tomorrowHoursBefore: 24,
      todayHoursBefore: 12,
      closeOutHoursAfterEnd: 0,
      rebookWindowHours: 24,
      rebookSuggestions: 5,
      manageLinkGraceHours: 0,
      feedbackDelayHours: 3,
      paymentRetryDays: [1, 3, 7],
      lateReminderHours: 12,
      deliverOpensHoursBefore: 1,
    });
    expect(DEFAULT_LIFECYCLE_POLICY.tomorrowHoursBefore).toBe(48);
  });

  it.each([
    [{ todayHoursBefore: -1 }, 'todayHoursBefore'],
    [{ todayHoursBefore: 0 }, 'todayHoursBefore'],
    [{ tomorrowHoursBefore: 24 * 30 + 1 }, 'tomorrowHoursBefore'],
    [{ closeOutHoursAfterEnd: -0.5 }, 'closeOutHoursAfterEnd'],
    [{ rebookWindowHours: '24' }, 'rebookWindowHours'],
    [{ rebookSuggestions: 2.5 }, 'rebookSuggestions'],
    [{ rebookSuggestions: 21 }, 'rebookSuggestions'],
    [{ manageLinkGraceHours: Number.NaN }, 'manageLinkGraceHours'],
  ])('rejects %j with a message naming %s', (raw, field) => {
    const error = errorOf(() => resolveLifecyclePolicy(raw));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toEqual([field]);
    expect(error.issues[0]?.message).toContain(field);
    expect(error.message).toContain(field);
  });

  it('rejects unknown (misspelt) keys and non-objects', () => {
    expect(() => resolveLifecyclePolicy({ tomorowHoursBefore: 24 })).toThrow(ZodError);
    expect(() => resolveLifecyclePolicy('48')).toThrow(ZodError);
    expect(() => resolveLifecyclePolicy([])).toThrow(ZodError);
  });

  it('rejects tomorrowHoursBefore <= todayHoursBefore, also when one side is a default', () => {
    for (const raw of [
      { tomorrowHoursBefore: 12, todayHoursBefore: 12 },
      { tomorrowHoursBefore: 6, todayHoursBefore: 12 },
      { tomorrowHoursBefore: 10 },
      { todayHoursBefore: 60 },
    ]) {
      const error = errorOf(() => resolveLifecyclePolicy(raw));
      expect(error.issues[0]?.path).toEqual(['tomorrowHoursBefore']);
      expect(error.issues[0]?.message).toMatch(
        /^tomorrowHoursBefore \(\d+\) must be greater than todayHoursBefore \(\d+\)$/,
      );
    }
    expect(resolveLifecyclePolicy({ tomorrowHoursBefore: 13 }).tomorrowHoursBefore).toBe(13);
  });

  it('exposes the schema for API validation (safeParse)', () => {
    expect(lifecyclePolicySchema.safeParse({ todayHoursBefore: 6 }).success).toBe(true);
    expect(lifecyclePolicySchema.safeParse({ todayHoursBefore: 6, tomorrowHoursBefore: 5 }).success).toBe(false);
  });
});
