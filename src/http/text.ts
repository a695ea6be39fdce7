/**
 * The one rule for text at the HTTP edge, used by every string field of every request schema:
 * - refuses NUL characters and unpaired UTF-16 surrogates (PostgreSQL cannot store either, and a
 *   workflow activity would retry such a value for ever);
 * - normalises to Unicode NFC (so "é" typed two ways is one value for search and comparison);
 * - trims surrounding white space (not for secrets and templates, where it may matter);
 * - limits the length (after normalising and trimming).
 * `test/unit/http/text-rule.test.ts` walks every documented request schema and checks that each of its
 * string fields refuses NUL and a lone surrogate.
 */
import { z } from 'zod';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the string can be stored and shown: no NUL, no unpaired surrogate. */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

/** Text from a vendor (an inbound email), kept as sent less NUL and unpaired surrogates (U+FFFD). */
export function storableText(value: string): string {
  return value
    .replaceAll('\u0000', '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export interface TextOptions {
  /** At least this many characters (1: "required"). */
  min?: number;
  /** Trim surrounding white space (default true). */
  trim?: boolean;
  /** Normalise to NFC (default true; off for secrets compared byte for byte). */
  normalize?: boolean;
  /** The message when the value is not a string. */
  error?: string;
}

/** A string field: storable, NFC, trimmed, at most `max` characters. */
export function text(max: number, options: TextOptions = {}) {
  let schema = z
    .string({ error: options.error ?? 'expected text' })
    .refine((v) => !v.includes('\u0000'), 'must not contain NUL characters')
    .refine((v) => v.includes('\u0000') || !LONE_SURROGATE.test(v), 'must not contain unpaired surrogate characters');
  if (options.normalize !== false) schema = schema.overwrite((v) => v.normalize('NFC'));
  if (options.trim !== false) schema = schema.trim();
  if (options.min)
    schema = schema.min(options.min, options.min === 1 ? 'required' : `at least ${options.min} characters`);
  return schema.max(max, `at most ${max} characters`);
}

/** True when every string in a JSON value (keys too) is storable text. */
export function isStorableJson(value: unknown): boolean {
  if (typeof value === 'string') return isStorableText(value);
  if (Array.isArray(value)) return value.every(isStorableJson);
  if (value && typeof value === 'object') {
    return Object.entries(value).every(([key, v]) => isStorableText(key) && isStorableJson(v));
  }
  return true;
}

/** Free-form JSON (integration options, settings): any shape, every string in it storable. */
export const storableJson = z.unknown().refine(isStorableJson, 'must not contain NUL or unpaired surrogate characters');
