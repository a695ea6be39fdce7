/**
 * Duration constants and the instant guard, free of dependencies: workflow code imports them, and
 * whatever workflow code imports is loaded into every cached workflow (docs/architecture.md, "Worker
 * sizing"), so this module stays tiny.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Throws unless `value` is a finite number (an epoch-millisecond instant). */
export function assertInstant(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${what} must be a finite epoch-millisecond number, got ${String(value)}`);
  }
}
