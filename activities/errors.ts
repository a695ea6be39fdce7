/**
 * Errors no retry can fix become non-retryable typed failures, so an activity never retries them for
 * ever (and a workflow waiting on it, or holding its lock, never hangs):
 * - PostgreSQL data exceptions (SQLSTATE class 22: invalid byte sequence / NUL byte 22021, invalid text
 *   representation 22P02, datetime format 22007, datetime out of range 22008, value too long 22001, …)
 *   — the input itself is bad; they become `InvalidRequest` refusals, which the appointment workflow
 *   hands back to the caller of an update (422) like its own refusals;
 * - message render errors (a template that does not compile or render) become `MessageRenderFailed`.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { MESSAGE_RENDER_FAILED, REFUSALS } from '../workflows/appointment/messages';

/** SQLSTATE class 22 (data exception), from `pg` or PGlite (both expose `code`). */
export function isDataException(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.length === 5 && code.startsWith('22');
}

export function dataExceptionFailure(error: Error & { code: string }): ApplicationFailure {
  return ApplicationFailure.create({
    type: REFUSALS.invalidRequest,
    message: `The request holds a value that cannot be stored (${error.message}; SQLSTATE ${error.code}).`,
    nonRetryable: true,
    cause: error,
  });
}

/** Wraps an activity: a data exception it raises becomes a non-retryable `InvalidRequest`. */
export function refusingBadData<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (error) {
      if (isDataException(error)) throw dataExceptionFailure(error);
      throw error;
    }
  };
}

/** Applies `refusingBadData` to every activity of a set. */
export function refusingBadDataAll<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      refusingBadData(fn as (...args: unknown[]) => Promise<unknown>),
    ]),
  ) as unknown as T;
}

/** Runs a rendering step; whatever it throws is a non-retryable `MessageRenderFailed`. */
export function rendering<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ApplicationFailure) throw error;
    throw ApplicationFailure.create({
      type: MESSAGE_RENDER_FAILED,
      message: `${what} could not be rendered: ${error instanceof Error ? error.message : String(error)}`,
      nonRetryable: true,
    });
  }
}
