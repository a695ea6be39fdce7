/**
 * Invoice arithmetic for billing an appointment: the billable-minutes form, the service's invoice
 * line(s), subtotal / tax / total, the manual-charge amount adjustment and money formatting. Pure, no
 * I/O, no Node APIs (safe in workflow code). Money is integer minor units throughout.
 *
 * Documented rounding:
 * - Arithmetic is exact (BigInt over exact decimals), never binary floating point: a quantity is taken
 *   as the decimal it prints as (`1.1` is exactly 1.1), so 1.25 h × 9000 = 11250 exactly.
 * - Each line's amount is rounded half-up (ties away from zero; amounts are never negative) to a whole
 *   minor unit. An hourly line's amount is computed from the billed minutes, rate × minutes / 60, not
 *   from its (possibly non-terminating, e.g. 10 min = 0.1666… h) hour quantity.
 * - Tax is computed ONCE, on the subtotal, half-up: tax = round(subtotal × rateBps / 10000). Not per
 *   line: per-line tax rounding can drift by up to half a minor unit per line, so the same basket
 *   would be taxed differently depending on how it is split into lines, and the invoice's tax would
 *   not be the rate applied to its own subtotal. With one rounding, tax is reproducible from the
 *   stored subtotal and rate, and 10% of 999 is 100 (99.9 rounded half-up).
 * - total = subtotal + tax, always.
 * - Lines staff add before charging (issue 13): parts, extra time, fees, discounts, other. Each line
 *   says whether it is taxable (default yes); the invoice's one rate applies to the taxable lines, so
 *   tax = round(taxable subtotal × rateBps / 10000), once. A discount is a negative line (its
 *   `unitMinor` and amount are negative); a taxable discount lowers the taxed amount. The total can
 *   never go below zero.
 *
 * Adjustments (`adjustTotal`, the manual charge's "assignee may adjust the amount") are a pre-tax
 * "Adjustment" line, so tax is charged on what the customer actually pays. The subtotal is solved
 * from the requested gross total: subtotal = round_half_up(total × 10000 / (10000 + rateBps)),
 * tax = total − subtotal. Totals are therefore always exact. Whenever some subtotal has exactly the
 * requested total under the rule above, this finds it and the tax equals round_half_up(subtotal ×
 * rate). Half-up tax skips some totals, though (at 10%: subtotal 4 → total 4, subtotal 5 → total 6;
 * nothing gives 5); for such a total the tax is the tax-inclusive remainder, one minor unit off the
 * half-up tax of the subtotal, the usual split of a tax-inclusive price.
 */

export type InvoiceLineKind = 'service' | 'part' | 'time' | 'fee' | 'discount' | 'other';

export interface InvoiceLineInput {
  description: string;
  /** Units, possibly fractional (hours for hourly services, e.g. 1.25). */
  quantity: number;
  /** Negative only on a discount line. */
  unitMinor: number;
  kind?: InvoiceLineKind;
  /** Absent: taxable. */
  taxable?: boolean;
}

/** Same shape as `InvoiceLine` in `src/db/schema.ts` (`invoices.lines`). */
export interface InvoiceLine {
  description: string;
  quantity: number;
  unitMinor: number;
  amountMinor: number;
  kind?: InvoiceLineKind;
  taxable?: boolean;
}

export interface Invoice {
  lines: InvoiceLine[];
  subtotalMinor: number;
  taxRateBps: number;
  taxMinor: number;
  totalMinor: number;
  currency: string;
}

export interface BillableService {
  name: string;
  pricing: 'fixed' | 'hourly';
  priceMinor: number;
  hourlyRateMinor: number;
  incrementMinutes: number;
}

/** Description of the line `adjustTotal` adds; an existing one is replaced, never stacked. */
export const ADJUSTMENT_DESCRIPTION = 'Adjustment';
export const MAX_TAX_RATE_BPS = 10_000;
export const MINUTES_PER_DAY = 24 * 60;

/** Thrown for invalid invoice input; the message names the offending field. */
export class InvoiceError extends Error {
  override readonly name = 'InvoiceError';
}

// ---------------------------------------------------------------------------------------------------
// Billable minutes

export interface BillableMinutesInput {
  minutes: number;
  notes?: string;
}

export interface FormIssue {
  path: Array<string | number>;
  message: string;
}

export type FormResult<T> =
  { success: true; data: T; error?: undefined } | { success: false; data?: undefined; error: { issues: FormIssue[] } };

/**
 * Schema of the staff's billable-time form `{ minutes, notes? }`, checked by hand rather than with zod:
 * the appointment workflow validates it, and whatever the workflow imports is loaded into every cached
 * workflow (docs/architecture.md, "Worker sizing"). `safeParse` / `parse` answer like a zod schema
 * (every issue, with its path; unknown keys dropped; notes trimmed).
 */
export function billableMinutesSchema(options: { incrementMinutes: number; maxMinutes?: number }) {
  const { incrementMinutes, maxMinutes = MINUTES_PER_DAY } = options;
  if (!Number.isSafeInteger(incrementMinutes) || incrementMinutes <= 0) {
    throw new InvoiceError(`incrementMinutes must be a positive whole number, got ${incrementMinutes}`);
  }
  if (!Number.isSafeInteger(maxMinutes) || maxMinutes <= 0 || maxMinutes > MINUTES_PER_DAY) {
    throw new InvoiceError(`maxMinutes must be a whole number from 1 to ${MINUTES_PER_DAY}, got ${maxMinutes}`);
  }
  const safeParse = (input: unknown): FormResult<BillableMinutesInput> => {
    const issues: FormIssue[] = [];
    const form = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    const { minutes, notes } = form;
    if (typeof minutes !== 'number' || Number.isNaN(minutes)) {
      issues.push({ path: ['minutes'], message: 'must be a number of minutes' });
    } else {
      if (!Number.isInteger(minutes)) issues.push({ path: ['minutes'], message: 'must be a whole number of minutes' });
      if (minutes <= 0) issues.push({ path: ['minutes'], message: 'must be more than 0 minutes' });
      if (minutes > maxMinutes) {
        issues.push({ path: ['minutes'], message: `must be at most ${maxMinutes} minutes (${hoursText(maxMinutes)})` });
      }
      if (minutes % incrementMinutes !== 0) {
        issues.push({ path: ['minutes'], message: `must be a multiple of ${incrementMinutes} minutes` });
      }
    }
    let trimmed: string | undefined;
    if (notes !== undefined) {
      if (typeof notes !== 'string') issues.push({ path: ['notes'], message: 'must be text' });
      else if ((trimmed = notes.trim()).length > 2000)
        issues.push({ path: ['notes'], message: 'at most 2000 characters' });
    }
    if (typeof input !== 'object' || input === null) {
      return { success: false, error: { issues: [{ path: [], message: 'must be an object' }] } };
    }
    if (issues.length > 0) return { success: false, error: { issues } };
    return {
      success: true,
      data: { minutes: minutes as number, ...(trimmed !== undefined ? { notes: trimmed } : {}) },
    };
  };
  return {
    safeParse,
    parse(input: unknown): BillableMinutesInput {
      const result = safeParse(input);
      if (!result.success)
        throw new InvoiceError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      return result.data;
    },
  };
}

function hoursText(minutes: number): string {
  const hours = minutes / 60;
  return hours === 1 ? '1 hour' : `${Number.isInteger(hours) ? hours : hours.toFixed(2)} hours`;
}

/** Minutes rounded up to the next multiple of the billing increment (0 stays 0). */
export function roundUpToIncrement(minutes: number, incrementMinutes: number): number {
  requireWhole(minutes, 'billable minutes');
  if (!Number.isSafeInteger(incrementMinutes) || incrementMinutes <= 0) {
    throw new InvoiceError(`incrementMinutes must be a positive whole number, got ${incrementMinutes}`);
  }
  return Math.ceil(minutes / incrementMinutes) * incrementMinutes;
}

// ---------------------------------------------------------------------------------------------------
// Lines and totals

/**
 * The invoice line for a delivered service. Fixed price: one unit at the price (minutes ignored).
 * Hourly: the minutes rounded UP to the billing increment, quantity in hours (75 min → 1.25), amount
 * rate × minutes / 60 rounded half-up.
 */
export function serviceLines(service: BillableService, billableMinutes: number | null): InvoiceLine[] {
  if (service.pricing === 'fixed') {
    requireWhole(service.priceMinor, 'priceMinor');
    return [{ description: service.name, quantity: 1, unitMinor: service.priceMinor, amountMinor: service.priceMinor }];
  }
  if (service.pricing !== 'hourly') {
    throw new InvoiceError(`pricing must be fixed or hourly, got ${String(service.pricing)}`);
  }
  requireWhole(service.hourlyRateMinor, 'hourlyRateMinor');
  if (billableMinutes === null) throw new InvoiceError('billable minutes are required for an hourly service');
  const minutes = roundUpToIncrement(billableMinutes, service.incrementMinutes);
  const amount = roundHalfUp(BigInt(service.hourlyRateMinor) * BigInt(minutes), 60n);
  return [
    {
      description: `${service.name} (${minutes} min)`,
      quantity: minutes / 60,
      unitMinor: service.hourlyRateMinor,
      amountMinor: toSafe(amount, 'line amount'),
    },
  ];
}

/**
 * Lines, subtotal, tax (once, on the subtotal) and total. Lines without `amountMinor` get quantity ×
 * unit rounded half-up; a line that has one keeps it if it is a whole number within one minor unit of
 * quantity × unit (so `serviceLines`' minute-based amounts survive), otherwise it is refused.
 */
export function computeInvoice(input: {
  lines: ReadonlyArray<InvoiceLineInput & { amountMinor?: number }>;
  taxRateBps: number;
  currency: string;
}): Invoice {
  requireTaxRate(input.taxRateBps);
  requireCurrency(input.currency);
  if (input.lines.length === 0) throw new InvoiceError('an invoice needs at least one line');
  const lines = input.lines.map((line, i) => normalizeLine(line, i));
  const subtotal = lines.reduce((sum, line) => sum + BigInt(line.amountMinor), 0n);
  if (subtotal < 0n) throw new InvoiceError('lines: the discounts are larger than the rest of the invoice');
  const taxable = lines.reduce((sum, line) => (line.taxable === false ? sum : sum + BigInt(line.amountMinor)), 0n);
  const tax = taxOn(taxable > 0n ? taxable : 0n, input.taxRateBps);
  return {
    lines,
    subtotalMinor: toSafe(subtotal, 'subtotal'),
    taxRateBps: input.taxRateBps,
    taxMinor: toSafe(tax, 'tax'),
    totalMinor: toSafe(subtotal + tax, 'total'),
    currency: input.currency,
  };
}

/**
 * The invoice re-priced so that its total is exactly `newTotalMinor`: an "Adjustment" line before tax
 * (negative for a reduction; replaces an earlier adjustment), the subtotal solved from the requested
 * total and the tax recomputed (see the module comment). Adjusting to the current total removes the
 * adjustment line if one is no longer needed.
 */
export function adjustTotal(invoice: Invoice, newTotalMinor: number): Invoice {
  requireTaxRate(invoice.taxRateBps);
  requireCurrency(invoice.currency);
  requireWhole(newTotalMinor, 'new total');
  const baseLines = invoice.lines
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.description !== ADJUSTMENT_DESCRIPTION)
    .map(({ line, i }) => normalizeLine(line, i));
  const baseSubtotal = baseLines.reduce((sum, line) => sum + BigInt(line.amountMinor), 0n);
  const total = BigInt(newTotalMinor);
  const subtotal = roundHalfUp(total * 10_000n, 10_000n + BigInt(invoice.taxRateBps));
  const adjustment = subtotal - baseSubtotal;
  const lines = [...baseLines];
  if (adjustment !== 0n) {
    const amount = toSafe(adjustment, 'adjustment');
    lines.push({ description: ADJUSTMENT_DESCRIPTION, quantity: 1, unitMinor: amount, amountMinor: amount });
  }
  return {
    lines,
    subtotalMinor: toSafe(subtotal, 'subtotal'),
    taxRateBps: invoice.taxRateBps,
    taxMinor: toSafe(total - subtotal, 'tax'),
    totalMinor: newTotalMinor,
    currency: invoice.currency,
  };
}

/** Tax on an amount, half-up: round(amount × rateBps / 10000). */
export function taxOn(amountMinor: bigint, taxRateBps: number): bigint {
  return roundHalfUp(amountMinor * BigInt(taxRateBps), 10_000n);
}

// ---------------------------------------------------------------------------------------------------
// Formatting

/** "$1,234.56", "¥1,235", with the currency's own number of minor digits (from Intl). */
export function formatMoney(minor: number, currency: string, locale = 'en-US'): string {
  if (!Number.isSafeInteger(minor))
    throw new InvoiceError(`amount must be a whole number of minor units, got ${minor}`);
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 0;
  const magnitude = String(Math.abs(minor)).padStart(digits + 1, '0');
  const whole = magnitude.slice(0, magnitude.length - digits);
  const fraction = magnitude.slice(magnitude.length - digits);
  // A decimal string is formatted exactly (no binary floating point in between).
  const decimal = `${minor < 0 ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}` as `${number}`;
  return format.format(decimal);
}

// ---------------------------------------------------------------------------------------------------
// Exact arithmetic

/** num / den rounded half-up, for num ≥ 0 and den > 0. */
function roundHalfUp(num: bigint, den: bigint): bigint {
  return (2n * num + den) / (2n * den);
}

/** A finite non-negative number as the exact decimal it prints as: value = units / 10^scale. */
function exactDecimal(value: number, field: string): { units: bigint; scale: number } {
  if (!Number.isFinite(value) || value < 0) throw new InvoiceError(`${field} must be a number ≥ 0, got ${value}`);
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new InvoiceError(`${field} is not a plain decimal number: ${value}`);
  const fraction = match[2] ?? '';
  const exponent = Number(match[3] ?? '0') - fraction.length;
  const digits = BigInt(`${match[1] ?? '0'}${fraction}`);
  return exponent >= 0 ? { units: digits * 10n ** BigInt(exponent), scale: 0 } : { units: digits, scale: -exponent };
}

function normalizeLine(line: InvoiceLineInput & { amountMinor?: number }, index: number): InvoiceLine {
  const where = `lines[${index}]`;
  if (typeof line.description !== 'string' || line.description.trim() === '') {
    throw new InvoiceError(`${where}.description is required`);
  }
  // A discount is the same arithmetic on the magnitude, negated (half-up stays symmetric).
  const negativeAllowed =
    line.kind === 'discount' || (line.kind === undefined && line.description === ADJUSTMENT_DESCRIPTION);
  if (negativeAllowed && line.unitMinor < 0) {
    const magnitude = normalizeLine(
      {
        ...line,
        kind: 'other',
        unitMinor: -line.unitMinor,
        ...(line.amountMinor !== undefined ? { amountMinor: -line.amountMinor } : {}),
      },
      index,
    );
    const { kind: _kind, ...rest } = magnitude;
    return {
      ...rest,
      ...(line.kind !== undefined ? { kind: line.kind } : {}),
      unitMinor: line.unitMinor,
      amountMinor: -magnitude.amountMinor,
    };
  }
  if (line.kind === 'discount') throw new InvoiceError(`${where}.unitMinor of a discount must be below 0`);
  requireWhole(line.unitMinor, `${where}.unitMinor`);
  const quantity = exactDecimal(line.quantity, `${where}.quantity`);
  const scale = 10n ** BigInt(quantity.scale);
  const exact = quantity.units * BigInt(line.unitMinor); // the amount × 10^scale
  let amount: bigint;
  if (line.amountMinor === undefined) {
    amount = roundHalfUp(exact, scale);
  } else {
    requireWhole(line.amountMinor, `${where}.amountMinor`);
    amount = BigInt(line.amountMinor);
    const diff = amount * scale - exact;
    if ((diff < 0n ? -diff : diff) >= scale) {
      throw new InvoiceError(
        `${where}.amountMinor ${line.amountMinor} does not match quantity ${line.quantity} × unitMinor ${line.unitMinor}`,
      );
    }
  }
  return {
    description: line.description,
    quantity: line.quantity,
    unitMinor: line.unitMinor,
    amountMinor: toSafe(amount, `${where} amount`),
    ...(line.kind !== undefined ? { kind: line.kind } : {}),
    ...(line.taxable !== undefined ? { taxable: line.taxable } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Lines staff add, and what is still owed

/** What is still owed: the total less what was paid (never below zero). */
export function balanceDue(totalMinor: number, paidMinor: number): number {
  return Math.max(0, totalMinor - paidMinor);
}

function requireWhole(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvoiceError(`${field} must be a whole number ≥ 0, got ${value}`);
  }
}

function requireTaxRate(bps: number): void {
  if (!Number.isInteger(bps) || bps < 0 || bps > MAX_TAX_RATE_BPS) {
    throw new InvoiceError(`taxRateBps must be a whole number from 0 to ${MAX_TAX_RATE_BPS}, got ${bps}`);
  }
}

function requireCurrency(currency: string): void {
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    throw new InvoiceError(`currency must be a 3-letter uppercase ISO 4217 code such as USD, got ${String(currency)}`);
  }
}

function toSafe(value: bigint, field: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvoiceError(`${field} is too large to represent exactly: ${value}`);
  }
  return Number(value);
}
