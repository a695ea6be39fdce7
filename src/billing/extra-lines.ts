/**
 * Lines staff add to an invoice before it is charged (parts, time, fees, discounts): the schema the
 * invoices route validates with, apart from src/billing/invoice.ts, which workflow code imports and so
 * stays free of zod (what workflow code imports is loaded into every cached workflow).
 */
import { text } from '../http/text';
import { z } from 'zod';
import type { InvoiceLineInput } from './invoice';

export const EXTRA_LINE_KINDS = ['part', 'time', 'fee', 'discount', 'other'] as const;

/**
 * A line staff add to an invoice before it is charged. `unitMinor` is always given as a positive
 * amount; a discount's is negated when the line is made (`extraLine`).
 */
export const extraLineSchema = z.object({
  kind: z.enum(EXTRA_LINE_KINDS, { error: `expected one of ${EXTRA_LINE_KINDS.join(', ')}` }),
  description: text(200, { min: 1, error: 'must be text' }),
  quantity: z
    .number({ error: 'must be a number' })
    .positive({ error: 'must be more than 0' })
    .max(10_000, 'at most 10000')
    .refine((q) => Number.isInteger(q * 100), { error: 'at most two decimal places' })
    .default(1),
  unitMinor: z
    .number({ error: 'must be a whole number of minor units (cents)' })
    .int({ error: 'must be a whole number of minor units (cents)' })
    .positive({ error: 'must be more than 0' })
    .max(100_000_000, 'too large'),
  taxable: z.boolean({ error: 'must be true or false' }).default(true),
});

export type ExtraLineInput = z.infer<typeof extraLineSchema>;

export function extraLine(input: ExtraLineInput): InvoiceLineInput {
  return {
    kind: input.kind,
    description: input.description,
    quantity: input.quantity,
    unitMinor: input.kind === 'discount' ? -input.unitMinor : input.unitMinor,
    taxable: input.taxable,
  };
}
