import type { z } from 'zod';
import { validationError } from './errors';

/** Parses request input with a zod schema; a failure is a 400 naming every failing field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'params',
): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}
