/**
 * Invoice arithmetic: exact half-up line amounts, tax once on the subtotal, hourly rounding, validation,
 * the billable-minutes form, exact adjusted totals and money formatting.
 */
import {
  ADJUSTMENT_DESCRIPTION,
  adjustTotal,
  balanceDue,
  billableMinutesSchema,
  computeInvoice,
  formatMoney,
  InvoiceError,
  roundUpToIncrement,
  serviceLines,
  taxOn,
  type BillableService,
  type Invoice,
} from '../../../src/billing/invoice';
import { extraLine, extraLineSchema } from '../../../src/billing/extra-lines';

const line = (quantity: number, unitMinor: number, description = 'Service') => ({ description, quantity, unitMinor });
const usd = (lines: Parameters<typeof computeInvoice>[0]['lines'], taxRateBps = 0) =>
  computeInvoice({ lines, taxRateBps, currency: 'USD' });

/** Reference half-up for non-negative rationals, independent of the module. */
const halfUp = (num: bigint, den: bigint) => Number((2n * num + den) / (2n * den));

describe('computeInvoice: line amounts', () => {
  it('multiplies fractional hours exactly', () => {
    expect(usd([line(1.25, 9000)]).lines[0]?.amountMinor).toBe(11250);
    expect(usd([line(0.75, 12000)]).lines[0]?.amountMinor).toBe(9000);
  });

  it('rounds each line half-up at the .5 boundary, where floats would go wrong', () => {
    const amount = (q: number, u: number) => usd([line(q, u)]).lines[0]?.amountMinor;
    expect(amount(0.5, 1)).toBe(1);
    expect(amount(2.5, 1)).toBe(3); // half-up, not banker's rounding (which gives 2)
    expect(amount(0.125, 4)).toBe(1);
    expect(amount(1.005, 100)).toBe(101); // 1.005 * 100 === 100.49999999999999 in floating point
    expect(amount(1.15, 10)).toBe(12); // 1.15 * 10 === 11.499999999999998
    expect(amount(0.49, 1)).toBe(0);
    expect(amount(0.1, 3)).toBe(0); // 0.3
    expect(amount(0.3333, 3)).toBe(1); // 0.9999
    expect(amount(2, 0)).toBe(0);
    expect(amount(0, 5000)).toBe(0);
  });

  it('takes a quantity in exponent notation as its exact decimal', () => {
    expect(usd([line(1e-7, 5_000_000)]).lines[0]?.amountMinor).toBe(1); // 0.5
    expect(usd([line(2e21, 0)]).lines[0]?.amountMinor).toBe(0);
  });

  it('sums lines into the subtotal and returns integers only', () => {
    const invoice = usd([line(1, 2500, 'Consultation'), line(1.25, 9000, 'Labour'), line(3, 199, 'Parts')], 825);
    expect(invoice.lines.map((l) => l.amountMinor)).toEqual([2500, 11250, 597]);
    expect(invoice.subtotalMinor).toBe(14347);
    expect(invoice.taxMinor).toBe(1184); // 1183.6275
    expect(invoice.totalMinor).toBe(15531);
    for (const value of [invoice.subtotalMinor, invoice.taxMinor, invoice.totalMinor]) {
      expect(Number.isSafeInteger(value)).toBe(true);
    }
    expect(invoice).toMatchObject({ taxRateBps: 825, currency: 'USD' });
  });

  it('handles amounts up to 10^10 minor units exactly', () => {
    const big = usd([line(1.25, 8_000_000_000)], 825);
    expect(big.subtotalMinor).toBe(10_000_000_000);
    expect(big.taxMinor).toBe(825_000_000);
    expect(big.totalMinor).toBe(10_825_000_000);
    const odd = usd([line(1, 9_999_999_999)], 1); // 999999.9999 → 1000000
    expect(odd.taxMinor).toBe(1_000_000);
    expect(odd.totalMinor).toBe(10_000_999_999);
    const full = usd([line(1, 10_000_000_000)], 10_000);
    expect(full.totalMinor).toBe(20_000_000_000);
  });

  it('refuses amounts beyond exact number precision', () => {
    expect(() => usd([line(2, Number.MAX_SAFE_INTEGER)])).toThrow(/too large/);
  });
});

describe('computeInvoice: tax', () => {
  it('rounds tax half-up: 10% of 999 is 100', () => {
    const invoice = usd([line(1, 999)], 1000);
    expect(invoice.taxMinor).toBe(100);
    expect(invoice.totalMinor).toBe(1099);
  });

  it('rounds tax half-up at exactly .5 and down below it', () => {
    expect(usd([line(1, 5)], 1000).taxMinor).toBe(1); // 0.5
    expect(usd([line(1, 4)], 1000).taxMinor).toBe(0); // 0.4
    expect(usd([line(1, 1000)], 825).taxMinor).toBe(83); // 82.5
    expect(usd([line(1, 1001)], 825).taxMinor).toBe(83); // 82.5825
    expect(usd([line(1, 999)], 825).taxMinor).toBe(82); // 82.4175
  });

  it('computes tax once on the subtotal, not per line', () => {
    // Per line: 3 × round(0.5) = 3. On the subtotal: round(1.5) = 2.
    const invoice = usd([line(1, 5, 'a'), line(1, 5, 'b'), line(1, 5, 'c')], 1000);
    expect(invoice.subtotalMinor).toBe(15);
    expect(invoice.taxMinor).toBe(2);
    expect(invoice.totalMinor).toBe(17);
    // Per line: 0 + 0 = 0. On the subtotal: round(0.8) = 1.
    expect(usd([line(1, 4, 'a'), line(1, 4, 'b')], 1000).taxMinor).toBe(1);
  });

  it('matches a reference computation over many subtotals and rates', () => {
    for (const bps of [0, 1, 500, 825, 1000, 2000, 9999, 10_000]) {
      for (let subtotal = 0; subtotal <= 2000; subtotal += 7) {
        const invoice = usd([line(1, subtotal)], bps);
        expect(invoice.taxMinor).toBe(halfUp(BigInt(subtotal) * BigInt(bps), 10_000n));
        expect(invoice.totalMinor).toBe(invoice.subtotalMinor + invoice.taxMinor);
      }
    }
    expect(taxOn(999n, 1000)).toBe(100n);
  });
});

describe('computeInvoice: validation', () => {
  const fails = (input: Parameters<typeof computeInvoice>[0], message: RegExp) => {
    expect(() => computeInvoice(input)).toThrow(InvoiceError);
    expect(() => computeInvoice(input)).toThrow(message);
  };
  const base = { lines: [line(1, 100)], taxRateBps: 0, currency: 'USD' };

  it('refuses negative, non-finite and fractional-minor values, naming the field', () => {
    fails({ ...base, lines: [line(-1, 100)] }, /lines\[0\]\.quantity must be a number ≥ 0/);
    fails({ ...base, lines: [line(1, -100)] }, /lines\[0\]\.unitMinor must be a whole number ≥ 0/);
    fails({ ...base, lines: [line(1, 100), line(Number.NaN, 100)] }, /lines\[1\]\.quantity/);
    fails({ ...base, lines: [line(Number.POSITIVE_INFINITY, 100)] }, /quantity/);
    fails({ ...base, lines: [line(1, Number.NaN)] }, /unitMinor/);
    fails({ ...base, lines: [line(1, 12.5)] }, /unitMinor must be a whole number/);
    fails({ ...base, lines: [line(1, 100, '  ')] }, /lines\[0\]\.description is required/);
    fails({ ...base, lines: [] }, /at least one line/);
  });

  it('refuses a tax rate outside 0..10000 bps', () => {
    fails({ ...base, taxRateBps: -1 }, /taxRateBps must be a whole number from 0 to 10000/);
    fails({ ...base, taxRateBps: 10_001 }, /taxRateBps/);
    fails({ ...base, taxRateBps: 12.5 }, /taxRateBps/);
    fails({ ...base, taxRateBps: Number.NaN }, /taxRateBps/);
    expect(computeInvoice({ ...base, taxRateBps: 10_000 }).taxMinor).toBe(100);
  });

  it('refuses a currency that is not 3 uppercase letters', () => {
    for (const currency of ['usd', 'US', 'USDX', 'U$D', ''])
      fails({ ...base, currency }, /currency must be a 3-letter/);
  });

  it('keeps a given amountMinor within one minor unit of quantity × unit, refuses others', () => {
    expect(usd([{ ...line(1 / 6, 3), amountMinor: 1 }]).subtotalMinor).toBe(1);
    expect(usd([{ ...line(1, 100), amountMinor: 100 }]).subtotalMinor).toBe(100);
    fails({ ...base, lines: [{ ...line(1, 100), amountMinor: 102 }] }, /amountMinor 102 does not match/);
    fails({ ...base, lines: [{ ...line(1, 100), amountMinor: 99.5 }] }, /amountMinor must be a whole number/);
    fails({ ...base, lines: [{ ...line(1, 100), amountMinor: -100 }] }, /amountMinor/);
  });
});

describe('serviceLines', () => {
  const hourly: BillableService = {
    name: 'Repair',
    pricing: 'hourly',
    priceMinor: 0,
    hourlyRateMinor: 9000,
    incrementMinutes: 15,
  };
  const fixed: BillableService = {
    name: 'Consultation',
    pricing: 'fixed',
    priceMinor: 12_500,
    hourlyRateMinor: 0,
    incrementMinutes: 15,
  };

  it('bills a fixed price as one unit, whatever the minutes', () => {
    const expected = [{ description: 'Consultation', quantity: 1, unitMinor: 12_500, amountMinor: 12_500 }];
    expect(serviceLines(fixed, null)).toEqual(expected);
    expect(serviceLines(fixed, 95)).toEqual(expected);
  });

  it('rounds hourly minutes UP to the increment and bills hours', () => {
    expect(serviceLines(hourly, 61)).toEqual([
      { description: 'Repair (75 min)', quantity: 1.25, unitMinor: 9000, amountMinor: 11250 },
    ]);
    expect(serviceLines(hourly, 60)[0]).toMatchObject({ quantity: 1, amountMinor: 9000 });
    expect(serviceLines(hourly, 1)[0]).toMatchObject({ quantity: 0.25, amountMinor: 2250 });
    expect(serviceLines(hourly, 0)[0]).toMatchObject({ quantity: 0, amountMinor: 0 });
    expect(roundUpToIncrement(46, 15)).toBe(60);
    expect(roundUpToIncrement(45, 15)).toBe(45);
  });

  it('computes the amount from minutes, rounding half-up', () => {
    // 9999 × 7 / 60 = 1166.55
    expect(serviceLines({ ...hourly, hourlyRateMinor: 9999, incrementMinutes: 1 }, 7)[0]?.amountMinor).toBe(1167);
    // 10 min = 1/6 h: 3 × 10 / 60 = 0.5 → 1, although 3 × (10/60) in floating point is 0.49999…
    const sixth = serviceLines({ ...hourly, hourlyRateMinor: 3, incrementMinutes: 10 }, 10);
    expect(sixth[0]?.amountMinor).toBe(1);
    // …and computeInvoice keeps that amount.
    expect(usd(sixth).subtotalMinor).toBe(1);
  });

  it('feeds computeInvoice', () => {
    const invoice = computeInvoice({ lines: serviceLines(hourly, 61), taxRateBps: 1000, currency: 'USD' });
    expect(invoice).toMatchObject({ subtotalMinor: 11250, taxMinor: 1125, totalMinor: 12375 });
  });

  it('refuses missing or bad minutes and prices', () => {
    expect(() => serviceLines(hourly, null)).toThrow(/billable minutes are required/);
    expect(() => serviceLines(hourly, -5)).toThrow(/billable minutes must be a whole number ≥ 0/);
    expect(() => serviceLines(hourly, 12.5)).toThrow(InvoiceError);
    expect(() => serviceLines({ ...hourly, incrementMinutes: 0 }, 30)).toThrow(/incrementMinutes/);
    expect(() => serviceLines({ ...hourly, hourlyRateMinor: -1 }, 30)).toThrow(/hourlyRateMinor/);
    expect(() => serviceLines({ ...fixed, priceMinor: 10.5 }, null)).toThrow(/priceMinor/);
  });
});

describe('billableMinutesSchema', () => {
  const schema = billableMinutesSchema({ incrementMinutes: 15 });
  const messages = (input: unknown) => {
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    return result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
  };

  it('accepts whole multiples of the increment up to a day, with optional notes', () => {
    expect(schema.parse({ minutes: 45 })).toEqual({ minutes: 45 });
    expect(schema.parse({ minutes: 1440, notes: '  replaced the valve ' })).toEqual({
      minutes: 1440,
      notes: 'replaced the valve',
    });
  });

  it('names what is wrong', () => {
    expect(messages({ minutes: 50 })).toEqual(['minutes: must be a multiple of 15 minutes']);
    expect(messages({ minutes: 0 })).toContain('minutes: must be more than 0 minutes');
    expect(messages({ minutes: -15 })).toContain('minutes: must be more than 0 minutes');
    expect(messages({ minutes: 1455 })).toEqual(['minutes: must be at most 1440 minutes (24 hours)']);
    expect(messages({ minutes: 7.5 })).toContain('minutes: must be a whole number of minutes');
    expect(messages({ minutes: '45' })).toEqual(['minutes: must be a number of minutes']);
    expect(messages({})).toEqual(['minutes: must be a number of minutes']);
    expect(messages({ minutes: 45, notes: 'x'.repeat(2001) })).toEqual(['notes: at most 2000 characters']);
  });

  it('takes a smaller maximum and other increments', () => {
    const short = billableMinutesSchema({ incrementMinutes: 6, maxMinutes: 480 });
    expect(short.parse({ minutes: 474 }).minutes).toBe(474);
    expect(short.safeParse({ minutes: 486 }).error?.issues[0]?.message).toBe('must be at most 480 minutes (8 hours)');
    expect(short.safeParse({ minutes: 10 }).error?.issues[0]?.message).toBe('must be a multiple of 6 minutes');
  });

  it('refuses bad options', () => {
    expect(() => billableMinutesSchema({ incrementMinutes: 0 })).toThrow(/incrementMinutes/);
    expect(() => billableMinutesSchema({ incrementMinutes: 15, maxMinutes: 2000 })).toThrow(/maxMinutes/);
  });
});

describe('adjustTotal', () => {
  const invoice = usd([line(1, 10_000, 'Repair')], 1000); // 10000 + 1000 tax = 11000

  /** The invoice's own arithmetic is consistent and its total is exactly what was asked. */
  const expectConsistent = (adjusted: Invoice, total: number) => {
    expect(adjusted.totalMinor).toBe(total);
    expect(adjusted.subtotalMinor + adjusted.taxMinor).toBe(total);
    expect(adjusted.lines.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(adjusted.subtotalMinor);
    expect(adjusted.lines.filter((l) => l.description === ADJUSTMENT_DESCRIPTION).length).toBeLessThanOrEqual(1);
  };

  it('adds a pre-tax adjustment so that the total is exactly the requested amount', () => {
    const lower = adjustTotal(invoice, 10_000);
    expectConsistent(lower, 10_000);
    expect(lower).toMatchObject({ subtotalMinor: 9091, taxMinor: 909, taxRateBps: 1000, currency: 'USD' });
    expect(lower.lines).toEqual([
      { description: 'Repair', quantity: 1, unitMinor: 10_000, amountMinor: 10_000 },
      { description: 'Adjustment', quantity: 1, unitMinor: -909, amountMinor: -909 },
    ]);
    expect(lower.taxMinor).toBe(Number(taxOn(BigInt(lower.subtotalMinor), 1000)));

    const higher = adjustTotal(invoice, 12_000);
    expectConsistent(higher, 12_000);
    expect(higher).toMatchObject({ subtotalMinor: 10_909, taxMinor: 1091 });
    expect(higher.lines[1]).toMatchObject({ description: 'Adjustment', amountMinor: 909 });
  });

  it('replaces an earlier adjustment instead of stacking, and drops it when no longer needed', () => {
    const twice = adjustTotal(adjustTotal(invoice, 10_000), 9_500);
    expectConsistent(twice, 9_500);
    expect(twice.lines).toHaveLength(2);
    const back = adjustTotal(twice, 11_000);
    expect(back).toEqual(invoice);
  });

  it('waives to zero and adjusts untaxed invoices one for one', () => {
    const waived = adjustTotal(invoice, 0);
    expectConsistent(waived, 0);
    expect(waived).toMatchObject({ subtotalMinor: 0, taxMinor: 0 });
    const untaxed = adjustTotal(usd([line(1.25, 9000)]), 10_001);
    expect(untaxed).toMatchObject({ subtotalMinor: 10_001, taxMinor: 0, totalMinor: 10_001 });
    expect(untaxed.lines[1]?.amountMinor).toBe(-1249);
  });

  it('is exact for large amounts', () => {
    const big = adjustTotal(usd([line(1, 10_000_000_000)], 825), 9_999_999_999);
    expectConsistent(big, 9_999_999_999);
    expect(big.taxMinor).toBe(Number(taxOn(BigInt(big.subtotalMinor), 825)));
  });

  it('hits every total exactly; the tax is the half-up tax except in rounding gaps, where it is one unit off', () => {
    for (const bps of [0, 500, 825, 1000, 2000, 10_000]) {
      const reachable = new Set<number>();
      for (let x = 0; x <= 500; x++) reachable.add(x + halfUp(BigInt(x) * BigInt(bps), 10_000n));
      for (const base of [0, 37, 250]) {
        const source = computeInvoice({ lines: [line(1, base)], taxRateBps: bps, currency: 'EUR' });
        for (let total = 0; total <= 400; total++) {
          const adjusted = adjustTotal(source, total);
          expectConsistent(adjusted, total);
          const halfUpTax = halfUp(BigInt(adjusted.subtotalMinor) * BigInt(bps), 10_000n);
          if (reachable.has(total)) expect(adjusted.taxMinor).toBe(halfUpTax);
          else expect(Math.abs(adjusted.taxMinor - halfUpTax)).toBe(1);
        }
      }
    }
  });

  it('handles a rounding gap: at 10%, no subtotal has total 5', () => {
    const adjusted = adjustTotal(usd([line(1, 10)], 1000), 5);
    expect(adjusted).toMatchObject({ subtotalMinor: 5, taxMinor: 0, totalMinor: 5 });
  });

  it('refuses a bad total or invoice', () => {
    expect(() => adjustTotal(invoice, -1)).toThrow(/new total must be a whole number ≥ 0/);
    expect(() => adjustTotal(invoice, 10.5)).toThrow(InvoiceError);
    expect(() => adjustTotal({ ...invoice, taxRateBps: 20_000 }, 100)).toThrow(/taxRateBps/);
    const negative = { description: 'Refund', quantity: -1, unitMinor: 5, amountMinor: -5 };
    expect(() => adjustTotal({ ...invoice, lines: [negative] }, 5)).toThrow(/lines\[0\]\.quantity/);
  });
});

describe('formatMoney', () => {
  const plain = (s: string) => s.replace(/\u00a0|\u202f/g, ' ');

  it('formats USD with two minor digits', () => {
    expect(formatMoney(123_456, 'USD')).toBe('$1,234.56');
    expect(formatMoney(5, 'USD')).toBe('$0.05');
    expect(formatMoney(-1099, 'USD')).toBe('-$10.99');
    expect(formatMoney(0, 'USD')).toBe('$0.00');
    expect(formatMoney(10_000_000_000, 'USD')).toBe('$100,000,000.00');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD')).toBe('$90,071,992,547,409.91');
  });

  it('formats JPY with no minor digits', () => {
    expect(formatMoney(1235, 'JPY')).toBe('¥1,235');
    expect(formatMoney(12_345_678_901, 'JPY')).toBe('¥12,345,678,901');
    expect(plain(formatMoney(1235, 'JPY', 'ja-JP'))).toMatch(/1,235/);
  });

  it('uses the locale and the currency’s own minor digits', () => {
    expect(plain(formatMoney(123_456, 'EUR', 'de-DE'))).toBe('1.234,56 €');
    expect(plain(formatMoney(1234, 'BHD'))).toMatch(/1\.234$/); // three minor digits
  });

  it('refuses fractional minor units', () => {
    expect(() => formatMoney(10.5, 'USD')).toThrow(InvoiceError);
    expect(() => formatMoney(100, 'usdollar')).toThrow(RangeError);
  });
});

describe('lines staff add (parts, extra time, fees, discounts)', () => {
  const service = { description: 'Repair', quantity: 1, unitMinor: 10_000, kind: 'service' as const };

  it('taxes taxable lines once on their subtotal; an untaxed line adds to the total only', () => {
    const invoice = computeInvoice({
      lines: [
        service,
        extraLine({ kind: 'part', description: 'Hinge', quantity: 2, unitMinor: 1_250, taxable: true }),
        extraLine({ kind: 'fee', description: 'Disposal fee', quantity: 1, unitMinor: 500, taxable: false }),
      ],
      taxRateBps: 800,
      currency: 'USD',
    });
    expect(invoice.subtotalMinor).toBe(13_000);
    expect(invoice.taxMinor).toBe(1_000); // 8% of 12 500
    expect(invoice.totalMinor).toBe(14_000);
    expect(invoice.lines[2]).toMatchObject({ kind: 'fee', taxable: false, amountMinor: 500 });
  });

  it('a discount is a negative line that lowers the taxed amount; never below zero', () => {
    const invoice = computeInvoice({
      lines: [
        service,
        extraLine({ kind: 'discount', description: 'Loyalty', quantity: 1, unitMinor: 1_000, taxable: true }),
      ],
      taxRateBps: 1_000,
      currency: 'USD',
    });
    expect(invoice.lines[1]).toMatchObject({ kind: 'discount', unitMinor: -1_000, amountMinor: -1_000 });
    expect(invoice).toMatchObject({ subtotalMinor: 9_000, taxMinor: 900, totalMinor: 9_900 });
    expect(() =>
      computeInvoice({
        lines: [
          service,
          extraLine({ kind: 'discount', description: 'Too much', quantity: 1, unitMinor: 20_000, taxable: true }),
        ],
        taxRateBps: 0,
        currency: 'USD',
      }),
    ).toThrow(/discounts are larger/);
  });

  it('a stored invoice with a negative adjustment line can be recomputed with a new line', () => {
    const adjusted = adjustTotal(computeInvoice({ lines: [service], taxRateBps: 1_000, currency: 'USD' }), 9_900);
    const again = computeInvoice({
      lines: [
        ...adjusted.lines,
        extraLine({ kind: 'time', description: 'Extra 15 min', quantity: 0.25, unitMinor: 8_000, taxable: true }),
      ],
      taxRateBps: 1_000,
      currency: 'USD',
    });
    expect(again.subtotalMinor).toBe(9_000 + 2_000);
    expect(again.totalMinor).toBe(12_100);
  });

  it('validates what staff send, naming the field', () => {
    const bad = extraLineSchema.safeParse({ kind: 'gift', description: '', unitMinor: -5, quantity: 0.001 });
    expect(bad.success).toBe(false);
    const fields = new Set(bad.error?.issues.map((i) => i.path.join('.')));
    expect(fields).toEqual(new Set(['kind', 'description', 'unitMinor', 'quantity']));
    expect(balanceDue(10_000, 2_500)).toBe(7_500);
    expect(balanceDue(10_000, 12_000)).toBe(0);
  });
});
