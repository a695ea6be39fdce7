/**
 * The text-input rule (src/http/text.ts) holds for every string field of every documented request
 * (params, query, body), so no NUL byte or lone surrogate gets past the edge to PostgreSQL or a
 * workflow; and the rule itself normalises, trims and limits.
 */
import { z } from 'zod';
import { apiOperations } from '../../../src/http/openapi';
import { text } from '../../../src/http/text';
import { currencyCode, instant, localDate, timeZone } from '../../../src/http/schemas';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Every leaf that takes a string (or anything), with its path. */
function leaves(schema: z.ZodType, path: string, out: Array<{ path: string; schema: z.ZodType }>) {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      for (const [key, child] of Object.entries(def.shape ?? {})) leaves(child, `${path}.${key}`, out);
      return;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      leaves(def.innerType!, path, out);
      return;
    case 'array':
      leaves(def.element!, `${path}[]`, out);
      return;
    case 'pipe':
      leaves(def.in!, path, out);
      return;
    case 'record':
      leaves(def.keyType!, `${path}{key}`, out);
      leaves(def.valueType!, `${path}{value}`, out);
      return;
    case 'union':
      def.options!.forEach((o, i) => leaves(o, `${path}|${i}`, out));
      return;
    case 'intersection':
      leaves(def.left!, path, out);
      leaves(def.right!, path, out);
      return;
    case 'string':
    case 'unknown':
    case 'any':
      out.push({ path, schema });
      return;
    default:
      return; // numbers, booleans, enums, literals: no free text
  }
}

it('every string field of every documented request refuses NUL and unpaired surrogates', () => {
  const found: Array<{ path: string; schema: z.ZodType }> = [];
  for (const op of apiOperations()) {
    if (op.access === 'webhook') continue; // vendors' formats, verified by signature
    const name = `${op.method.toUpperCase()} ${op.path}`;
    if (op.params) leaves(op.params, `${name} params`, found);
    if (op.query) leaves(op.query, `${name} query`, found);
    if (op.body instanceof z.ZodType) leaves(op.body, `${name} body`, found);
  }
  expect(found.length).toBeGreaterThan(60);
  const accepted = found.flatMap(({ path, schema }) => {
    const bad = [];
    for (const value of ['a\u0000b', 'a\uD800b', 'a\uDC00b']) {
      const probe = defOf(schema).type === 'string' ? value : { nested: [value] };
      if (schema.safeParse(probe).success) bad.push(`${path} accepts ${JSON.stringify(value)}`);
    }
    return bad;
  });
  expect(accepted).toEqual([]);
});

it('normalises to NFC, trims and limits the length after both', () => {
  const field = text(3, { min: 1 });
  expect(field.parse('  e\u0301  ')).toBe('\u00e9');
  expect(field.safeParse('   ').success).toBe(false);
  expect(field.safeParse('abcd').success).toBe(false);
  expect(field.parse('a\uD83D\uDE00')).toBe('a\uD83D\uDE00'); // a paired surrogate (an emoji) is fine
  expect(text(10, { trim: false, normalize: false }).parse(' e\u0301 ')).toBe(' e\u0301 ');
});

it('keeps dates in a sane range, time zones real and currencies from ISO 4217', () => {
  expect(instant.safeParse('9999-01-01T00:00:00Z').success).toBe(false);
  expect(instant.safeParse('1899-12-31T23:00:00-05:00').success).toBe(false);
  expect(instant.safeParse('2026-12-01T15:30:00Z').success).toBe(true);
  expect(localDate.safeParse('9999-12-31').success).toBe(false);
  expect(localDate.safeParse('2026-02-28').success).toBe(true);
  expect(timeZone.safeParse('').success).toBe(false);
  expect(timeZone.safeParse('Mars/Olympus').success).toBe(false);
  expect(timeZone.safeParse('America/New_York').success).toBe(true);
  expect(currencyCode.safeParse('ZZZ').success).toBe(false);
  expect(currencyCode.safeParse('usd').success).toBe(false);
  expect(currencyCode.safeParse('EUR').success).toBe(true);
});
