/**
 * Refusals: typed, non-retryable failures that reach the caller of an update as themselves (the API maps
 * their types, REFUSALS in messages.ts, to HTTP statuses in src/http/workflow-errors.ts).
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

export function refuse(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** A refusal raised by an activity reaches the caller as itself, not wrapped in ActivityFailure. */
export function unwrapRefusal(error: unknown): unknown {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) return error.cause;
  return error;
}

export function refusing<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (error) {
      throw unwrapRefusal(error);
    }
  };
}
