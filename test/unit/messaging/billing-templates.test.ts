import { computeInvoice, serviceLines } from '../../../src/billing/invoice';
import { isGsm7 } from '../../../src/messaging/sms';
import {
  APPOINTMENT_CUSTOMER_EVENTS,
  APPOINTMENT_STAFF_EVENTS,
  BILLING_CUSTOMER_EVENTS,
  BILLING_STAFF_EVENTS,
  CUSTOMER_EVENTS,
  type CustomerEvent,
  type MessageBilling,
  type MessageContext,
  SIMULATED_PAYMENT_NOTE,
  STAFF_EVENTS,
  type StaffEvent,
  describeCard,
  formatBillableMinutes,
  renderCustomerEmail,
  renderCustomerSms,
  renderStaffEmail,
  renderStaffSms,
} from '../../../src/messaging/templates';
import { HOUR, START, makeContext, makeLongContext } from './context';

const LINKS = {
  updateCardUrl: 'https://af.example/pay/card/tok_card123',
  payUrl: 'https://af.example/pay/confirm/tok_pay456',
  feedbackUrl: 'https://af.example/feedback/tok_fb789',
  taskUrl: 'https://af.example/app/tasks/task_42',
  invoiceUrl: 'https://af.example/invoices/inv_1001?token=tok_inv',
} as const;

/** 75 billable minutes of an hourly service at $90.00/h with 8.25% tax: $112.50 + $9.28 = $121.78. */
function usdBilling(overrides: Partial<MessageBilling> = {}): MessageBilling {
  const invoice = computeInvoice({
    lines: serviceLines(
      { name: 'Deep Tissue Massage', pricing: 'hourly', priceMinor: 0, hourlyRateMinor: 9000, incrementMinutes: 15 },
      75,
    ),
    taxRateBps: 825,
    currency: 'USD',
  });
  return {
    ...invoice,
    invoiceNumber: 1001,
    billableMinutes: 75,
    card: { brand: 'visa', last4: '4242' },
    simulated: false,
    declineMessage: 'Your card has insufficient funds.',
    attempt: 1,
    maxAttempts: 3,
    nextAttemptAt: START + 2 * 24 * HOUR,
    ...overrides,
  };
}

/** A fixed-price service in a zero-decimal currency: ¥8,000 + 10% = ¥8,800. */
function jpyBilling(): MessageBilling {
  const invoice = computeInvoice({
    lines: serviceLines(
      { name: 'Shiatsu', pricing: 'fixed', priceMinor: 8000, hourlyRateMinor: 0, incrementMinutes: 15 },
      null,
    ),
    taxRateBps: 1000,
    currency: 'JPY',
  });
  return { ...invoice, invoiceNumber: 7, billableMinutes: null, card: null, simulated: false };
}

function billingContext(billing: MessageBilling = usdBilling(), base: MessageContext = makeContext()): MessageContext {
  return { ...base, billing, links: { ...LINKS } };
}

/** Every clock time (9:30 AM) must be followed by a zone name (EDT, GMT+5:30, UTC, ...). */
function bareTimes(s: string): string[] {
  return [...s.matchAll(/\b\d{1,2}:\d{2} [AP]M\b(?! (?:[A-Z]{2,5}\b|GMT[+-]\d{1,2}(?::\d{2})?))/g)].map((m) => m[0]);
}

/** Telling people to reply CANCEL/STOP would trigger carrier opt-out; the words must not appear. */
function hasOptOutKeyword(sms: string): boolean {
  return /\b(CANCEL|STOP|UNSUBSCRIBE|END|QUIT)\b/.test(sms) || /reply\s+"?(cancel|stop)\b/i.test(sms);
}

function customer(event: CustomerEvent, ctx: MessageContext) {
  const email = renderCustomerEmail(event, ctx);
  const sms = renderCustomerSms(event, ctx);
  return { email, sms, all: [email.subject, email.text, email.html].join('\n') };
}

function staff(event: StaffEvent, ctx: MessageContext) {
  const email = renderStaffEmail(event, ctx);
  const sms = renderStaffSms(event, ctx);
  return { email, sms, all: [email.subject, email.text, email.html].join('\n') };
}

const KOLKATA = /(GMT\+5:30|IST)/;
const LINK_OF: Record<(typeof BILLING_CUSTOMER_EVENTS)[number], keyof typeof LINKS> = {
  receipt: 'invoiceUrl',
  paymentDeclined: 'updateCardUrl',
  paymentActionRequired: 'payUrl',
  paymentLink: 'payUrl',
  feedbackRequest: 'feedbackUrl',
};

describe('event lists', () => {
  it('extends the customer and staff events, keeping the appointment events first', () => {
    expect(CUSTOMER_EVENTS).toEqual([...APPOINTMENT_CUSTOMER_EVENTS, ...BILLING_CUSTOMER_EVENTS]);
    expect(CUSTOMER_EVENTS).toEqual(expect.arrayContaining(['receipt', 'paymentDeclined', 'paymentActionRequired']));
    expect(CUSTOMER_EVENTS).toContain('feedbackRequest');
    expect(STAFF_EVENTS).toEqual([...APPOINTMENT_STAFF_EVENTS, ...BILLING_STAFF_EVENTS]);
    expect(STAFF_EVENTS).toEqual([
      'staffBrief',
      'staffNoShow',
      'staffChargeTask',
      'staffDeliverOverdue',
      'staffPaymentFailed',
    ]);
  });
});

describe('formatting helpers', () => {
  it('formatBillableMinutes shows hours and minutes and the minute count', () => {
    expect(formatBillableMinutes(75)).toBe('1 h 15 min (75 minutes)');
    expect(formatBillableMinutes(120)).toBe('2 h (120 minutes)');
    expect(formatBillableMinutes(45)).toBe('45 min (45 minutes)');
    expect(formatBillableMinutes(1)).toBe('1 min (1 minute)');
  });

  it('describeCard names the brand and last four digits', () => {
    expect(describeCard({ brand: 'visa', last4: '4242' })).toBe('Visa ending in 4242');
    expect(describeCard({ brand: 'amex', last4: '0005' })).toBe('American Express ending in 0005');
    expect(describeCard({ brand: 'foo', last4: null })).toBe('Foo card');
    expect(describeCard({ brand: 'constructor', last4: '1' })).toBe('Constructor ending in 1');
    expect(describeCard({ brand: null, last4: '1111' })).toBe('card ending in 1111');
    expect(describeCard({ brand: null, last4: null })).toBeNull();
    expect(describeCard(null)).toBeNull();
  });
});

describe('customer billing messages, every event', () => {
  const ctx = billingContext();

  it.each(BILLING_CUSTOMER_EVENTS)('%s: email greets, names the business, and links the page', (event) => {
    const { email } = customer(event, ctx);
    expect(email.subject.length).toBeGreaterThan(10);
    expect(email.subject.length).toBeLessThanOrEqual(90);
    expect(email.text).toMatch(/^Hi Sam,\n/);
    expect(email.html).toMatch(/^<!DOCTYPE html>/);
    for (const part of [email.text, email.html]) {
      expect(part).toContain('Serenity Spa');
      expect(part).toContain('+1 555 0100');
    }
    const url = LINKS[LINK_OF[event]];
    expect(email.text).toContain(url);
    expect(email.html).toContain(`<a href="${url.replace('&', '&amp;')}"`);
  });

  it.each(BILLING_CUSTOMER_EVENTS)('%s: SMS is GSM-7, within 306, with the link and no reply prompt', (event) => {
    const { sms } = customer(event, ctx);
    expect(sms.startsWith('Serenity Spa: ')).toBe(true);
    expect(sms.length).toBeLessThanOrEqual(306);
    expect(isGsm7(sms)).toBe(true);
    expect(hasOptOutKeyword(sms)).toBe(false);
    expect(sms).not.toMatch(/reply/i);
    expect(sms).toContain(LINKS[LINK_OF[event]]);
  });

  it.each(BILLING_CUSTOMER_EVENTS)('%s: customer zone only, no manage link, no private notes', (event) => {
    const { all, sms } = customer(event, ctx);
    expect(bareTimes(all + sms)).toEqual([]);
    expect(all + sms).not.toMatch(KOLKATA);
    expect(all + sms).toContain('EDT');
    expect(all + sms).not.toContain(ctx.manageUrl);
    expect(all + sms).not.toContain('lavender');
    expect(all + sms).not.toContain(LINKS.taskUrl);
  });

  it.each(BILLING_CUSTOMER_EVENTS)('%s: is deterministic', (event) => {
    expect(customer(event, ctx)).toEqual(customer(event, billingContext()));
  });

  it.each(BILLING_CUSTOMER_EVENTS)('%s: long names still fit the SMS with the link whole', (event) => {
    const sms = renderCustomerSms(event, billingContext(usdBilling(), makeLongContext()));
    expect(sms.length).toBeLessThanOrEqual(306);
    expect(isGsm7(sms)).toBe(true);
    expect(sms).toContain(LINKS[LINK_OF[event]]);
    expect(hasOptOutKeyword(sms)).toBe(false);
  });
});

describe('customer billing messages, per event', () => {
  const ctx = billingContext();

  it('receipt: amount, invoice number, card, lines, totals and the invoice link', () => {
    const { email, sms } = customer('receipt', ctx);
    expect(email.subject).toBe('Receipt: $121.78 for Deep Tissue Massage (invoice #1001)');
    expect(email.text).toContain('We received your payment of $121.78 for your Deep Tissue Massage');
    expect(email.text).toContain('Invoice: #1001');
    expect(email.text).toContain('Paid with: Visa ending in 4242');
    expect(email.text).toContain('Deep Tissue Massage (75 min): 1.25 × $90.00 = $112.50');
    expect(email.text).toContain('Subtotal: $112.50');
    expect(email.text).toContain('Tax (8.25%): $9.28');
    expect(email.text).toContain('Total: $121.78');
    expect(email.text).toContain(`View invoice: ${LINKS.invoiceUrl}`);
    expect(email.html).toContain('<strong>$121.78</strong>');
    expect(sms).toBe(
      'Serenity Spa: Thank you! We received your payment of $121.78 for your Deep Tissue Massage on Tue, Mar 10 ' +
        `(invoice #1001, Visa ending in 4242). Invoice: ${LINKS.invoiceUrl}`,
    );
  });

  it('paymentDeclined: did not go through, reason, when we retry (customer zone), update-card link', () => {
    const { email, sms } = customer('paymentDeclined', ctx);
    expect(email.subject).toBe('Your payment of $121.78 to Serenity Spa did not go through');
    expect(email.text).toContain('We tried to charge $121.78 to your Visa ending in 4242');
    expect(email.text).toContain('but the payment did not go through.');
    expect(email.text).toContain('Reason:\nYour card has insufficient funds.');
    expect(email.text).toContain("We'll try again on Thursday, March 12, 2026 at 9:30 AM EDT.");
    expect(email.text).toContain(`Update your card: ${LINKS.updateCardUrl}`);
    expect(sms).toContain('did not go through: Your card has insufficient funds.');
    expect(sms).toContain("We'll try again Thu, Mar 12 at 9:30 AM EDT.");
    expect(sms).toContain(`update your card or try again: ${LINKS.updateCardUrl}`);
  });

  it('paymentDeclined without a reason or retry asks them to update the card and try again', () => {
    const bare = billingContext(usdBilling({ declineMessage: undefined, nextAttemptAt: undefined, card: null }));
    const { email, sms } = customer('paymentDeclined', bare);
    expect(email.text).not.toContain('Reason');
    expect(email.text).not.toContain('try again on');
    expect(email.text).toContain('We tried to charge $121.78 for your');
    expect(email.text).toContain('Please update your card and try again:');
    expect(sms).toContain('did not go through. Please update your card or try again:');
  });

  it('paymentActionRequired: the bank asks them to confirm, with the pay link', () => {
    const { email, sms } = customer('paymentActionRequired', ctx);
    expect(email.subject).toBe('Please confirm your payment of $121.78 to Serenity Spa');
    expect(email.text).toContain('Your bank has asked you to confirm the payment of $121.78');
    expect(email.text).toContain(`Confirm payment: ${LINKS.payUrl}`);
    expect(sms).toContain('Your bank asks you to confirm your payment of $121.78');
    expect(sms).toContain(`Confirm here: ${LINKS.payUrl}`);
  });

  it('paymentLink: no card on file — the invoice and a pay link, never a word about a decline', () => {
    const { email, sms, all } = customer('paymentLink', ctx);
    expect(email.subject).toMatch(/^Your invoice #\d+ from Serenity Spa: \$121\.78$/);
    expect(email.text).toContain(`Pay online: ${LINKS.payUrl}`);
    expect(sms).toContain(`Pay online: ${LINKS.payUrl}`);
    expect((all + sms).toLowerCase()).not.toMatch(/declin|did not go through|update your card/);
  });

  it('feedbackRequest: thanks them and links the form, no money talk', () => {
    const { email, sms, all } = customer('feedbackRequest', ctx);
    expect(email.subject).toBe('How was your Deep Tissue Massage?');
    expect(email.text).toContain('Thank you for choosing Serenity Spa for your Deep Tissue Massage with Priya Nair');
    expect(email.text).toContain(`Share your feedback: ${LINKS.feedbackUrl}`);
    expect(sms).toContain('Hi Sam, thank you for your Deep Tissue Massage!');
    expect(all + sms).not.toContain('$');
  });

  it('feedbackRequest does not need billing data', () => {
    const noBilling = { ...makeContext(), links: { feedbackUrl: LINKS.feedbackUrl } };
    expect(renderCustomerSms('feedbackRequest', noBilling)).toContain(LINKS.feedbackUrl);
  });

  it('formats a zero-decimal currency (JPY) without minor digits', () => {
    const jpy = billingContext(jpyBilling());
    const { email, sms } = customer('receipt', jpy);
    expect(email.subject).toBe('Receipt: ¥8,800 for Deep Tissue Massage (invoice #7)');
    expect(email.text).toContain('Shiatsu: 1 × ¥8,000 = ¥8,000');
    expect(email.text).toContain('Tax (10%): ¥800');
    expect(email.text).toContain('Total: ¥8,800');
    expect(email.text).not.toContain('Paid with');
    expect(email.text).not.toMatch(/¥8,800\.00|88\.00/);
    expect(sms).toContain('payment of ¥8,800 for');
    expect(isGsm7(sms)).toBe(true);
  });

  it('falls back to the currency code in SMS when the symbol is not GSM-7', () => {
    const inr = billingContext({ ...jpyBilling(), currency: 'INR' });
    const sms = renderCustomerSms('receipt', inr);
    expect(isGsm7(sms)).toBe(true);
    expect(sms).toContain('payment of INR 88.00 for');
    expect(renderCustomerEmail('receipt', inr).text).toContain('Total: ₹88.00');
  });

  it.each(['receipt', 'paymentDeclined', 'paymentActionRequired'] as const)(
    '%s: says "test payment, no money moved" only when simulated',
    (event) => {
      const real = customer(event, ctx);
      expect(real.all + real.sms).not.toMatch(/test payment|no money|simulated/i);
      const sim = customer(event, billingContext(usdBilling({ simulated: true })));
      expect(sim.email.text).toContain(SIMULATED_PAYMENT_NOTE);
      expect(sim.email.html).toContain('no money moved');
      expect(sim.sms).toContain('Test payment, no money moved.');
      expect(sim.sms.length).toBeLessThanOrEqual(306);
    },
  );

  it('receipt subject says it is a test when simulated', () => {
    expect(renderCustomerEmail('receipt', billingContext(usdBilling({ simulated: true }))).subject).toMatch(
      /^Test receipt: \$121\.78/,
    );
  });
});

describe('staff billing messages', () => {
  const ctx = billingContext();

  it('staffChargeTask: billable hours, invoice lines and total, adjust-then-charge instruction, card, task link', () => {
    const { email, sms } = staff('staffChargeTask', ctx);
    expect(email.subject).toBe('Charge Sam Rivera for Deep Tissue Massage on Tue, Mar 10: $121.78');
    expect(email.text).toMatch(/^Hi Priya,\n/);
    expect(email.text).toMatch(
      /Please charge Sam Rivera for their Deep Tissue Massage on Tuesday, March 10, 2026 at 7:00 PM (GMT\+5:30|IST)\./,
    );
    expect(email.text).toContain('Billable time: 1 h 15 min (75 minutes)');
    expect(email.text).toContain('Computed total: $121.78');
    expect(email.text).toContain('Card on file: Visa ending in 4242');
    expect(email.text).toContain(
      'Review the amount below and adjust the cost of the service if needed, based on the billable hours',
    );
    expect(email.text).toContain(
      'Then confirm the charge to the card saved on the contact record: Visa ending in 4242.',
    );
    expect(email.text).toContain('Deep Tissue Massage (75 min): 1.25 × $90.00 = $112.50');
    expect(email.text).toContain('Tax (8.25%): $9.28');
    expect(email.text).toContain('Total: $121.78');
    expect(email.text).toContain(`Open the charge task: ${LINKS.taskUrl}`);
    expect(email.html).toContain(`<a href="${LINKS.taskUrl}"`);
    for (const part of [email.text, email.html]) {
      expect(part).toContain('sam@example.com');
      expect(part).toContain('+15550111');
    }
    expect(sms).toMatch(/^Charge task: Sam Rivera, Deep Tissue Massage Tue, Mar 10 at 7:00 PM (GMT\+5:30|IST)\./);
    expect(sms).toContain('Billable: 1 h 15 min (75 minutes).');
    expect(sms).toContain('Review/adjust it for the billable hours, then charge Visa ending in 4242.');
    expect(sms).toContain(LINKS.taskUrl);
  });

  it('staffChargeTask: says when no card is saved and when minutes were not recorded', () => {
    const { email, sms } = staff('staffChargeTask', billingContext(jpyBilling()));
    expect(email.text).toContain('Card on file: no card saved');
    expect(email.text).toContain('There is no card saved on the contact record');
    expect(email.text).toContain('Billable time: not recorded');
    expect(email.text).toContain('Computed total: ¥8,800');
    expect(sms).toContain('no card saved');
  });

  it('staffDeliverOverdue: the task is still open 2 hours after the end, with the task link', () => {
    const { email, sms } = staff('staffDeliverOverdue', { ...makeContext(), links: { taskUrl: LINKS.taskUrl } });
    expect(email.subject).toMatch(
      /^Still open: deliver Deep Tissue Massage for Sam Rivera \(ended Tue, Mar 10 at 8:00 PM (GMT\+5:30|IST)\)$/,
    );
    expect(email.text).toMatch(
      /is still open, 2 hours after the appointment ended at Tuesday, March 10, 2026 at 8:00 PM (GMT\+5:30|IST)\./,
    );
    expect(email.text).toContain('record the billable time');
    expect(email.text).toContain(`Open the task: ${LINKS.taskUrl}`);
    expect(sms).toContain(LINKS.taskUrl);
    expect(sms).toMatch(KOLKATA);
  });

  it('staffPaymentFailed: all attempts failed, amount, last reason, contact details to call, task link', () => {
    const { email, sms } = staff('staffPaymentFailed', ctx);
    expect(email.subject).toBe('Payment failed: Sam Rivera, $121.78 (invoice #1001)');
    expect(email.text).toContain('All 3 payment attempts for $121.78 (invoice #1001) from Sam Rivera');
    expect(email.text).toContain('Please call the client');
    expect(email.text).toContain('Last decline reason: Your card has insufficient funds.');
    expect(email.text).toContain('Phone: +15550111');
    expect(email.text).toContain('Email: sam@example.com');
    expect(email.text).toContain(`Open the task: ${LINKS.taskUrl}`);
    expect(sms).toContain('Payment failed: $121.78 from Sam Rivera');
    expect(sms).toContain('Last decline: Your card has insufficient funds.');
    expect(sms).toContain('Call them: +15550111, sam@example.com.');
    expect(sms).toContain(LINKS.taskUrl);
  });

  it.each(BILLING_STAFF_EVENTS)('%s: staff zone only, GSM-7 SMS within 306, never the manage link', (event) => {
    for (const c of [ctx, billingContext(usdBilling({ simulated: true }), makeLongContext())]) {
      const { all, sms } = staff(event, c);
      expect(bareTimes(all + sms)).toEqual([]);
      expect(all + sms).toMatch(KOLKATA);
      expect(all + sms).not.toContain(c.manageUrl);
      expect(sms.length).toBeLessThanOrEqual(306);
      expect(isGsm7(sms)).toBe(true);
      expect(sms).toContain(LINKS.taskUrl);
      expect(renderStaffEmail(event, c).subject.length).toBeLessThanOrEqual(130);
    }
  });

  it.each(['staffChargeTask', 'staffPaymentFailed'] as const)(
    '%s: mentions the simulated gateway only when simulated',
    (event) => {
      expect(staff(event, ctx).all).not.toMatch(/simulated|test payment/i);
      expect(staff(event, billingContext(usdBilling({ simulated: true }))).email.text).toContain(
        'simulated gateway: charging is a test payment, no money moves.',
      );
    },
  );
});

describe('HTML escaping in billing emails', () => {
  const evil = '<script>alert(1)</script>';
  const base = makeContext({
    contact: { ...makeContext().contact, name: `${evil} Mallory` },
    service: { name: `Massage ${evil}`, durationMinutes: 60 },
  });
  const b = usdBilling({ declineMessage: evil, card: { brand: evil, last4: '4242' } });
  const ctx: MessageContext = {
    ...base,
    billing: { ...b, lines: b.lines.map((l) => ({ ...l, description: `Massage ${evil}` })) },
    links: { ...LINKS, updateCardUrl: 'javascript:alert(1)' },
  };
  const emails = [
    ...BILLING_CUSTOMER_EVENTS.map((e) => [e, renderCustomerEmail(e, ctx)] as const),
    ...BILLING_STAFF_EVENTS.map((e) => [e, renderStaffEmail(e, ctx)] as const),
  ];

  it.each(emails)('%s escapes every interpolated value', (_event, email) => {
    expect(email.html).not.toContain('<script');
    expect(email.html).toContain('Massage &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).not.toContain('href="javascript:');
    expect(email.text).toContain(`Massage ${evil}`);
  });
});

describe('missing billing data is a programming error', () => {
  const noBilling: MessageContext = { ...makeContext(), links: { ...LINKS } };
  const noLinks: MessageContext = { ...makeContext(), billing: usdBilling() };

  it.each(['receipt', 'paymentDeclined', 'paymentActionRequired'] as const)('%s throws without billing', (event) => {
    expect(() => renderCustomerEmail(event, noBilling)).toThrow(/needs ctx\.billing/);
    expect(() => renderCustomerSms(event, noBilling)).toThrow(/needs ctx\.billing/);
  });

  it.each(BILLING_CUSTOMER_EVENTS)('%s throws without its link', (event) => {
    const link = LINK_OF[event];
    expect(() => renderCustomerEmail(event, noLinks)).toThrow(`ctx.links.${link}`);
    expect(() => renderCustomerSms(event, { ...noLinks, links: { [link]: '  ' } })).toThrow(`ctx.links.${link}`);
  });

  it.each(['staffChargeTask', 'staffPaymentFailed'] as const)('%s throws without billing', (event) => {
    expect(() => renderStaffEmail(event, noBilling)).toThrow(/needs ctx\.billing/);
    expect(() => renderStaffSms(event, noBilling)).toThrow(/needs ctx\.billing/);
  });

  it.each(BILLING_STAFF_EVENTS)('%s throws without the task link', (event) => {
    expect(() => renderStaffEmail(event, noLinks)).toThrow('ctx.links.taskUrl');
    expect(() => renderStaffSms(event, noLinks)).toThrow('ctx.links.taskUrl');
  });

  it('rejects an invalid retry instant or a fractional amount', () => {
    expect(() =>
      renderCustomerEmail('paymentDeclined', billingContext(usdBilling({ nextAttemptAt: Number.NaN }))),
    ).toThrow(/finite/);
    expect(() => renderCustomerEmail('receipt', billingContext(usdBilling({ totalMinor: 12.5 })))).toThrow(
      /whole number/,
    );
  });

  it('the appointment events still render without billing data', () => {
    for (const event of APPOINTMENT_CUSTOMER_EVENTS)
      expect(() => renderCustomerSms(event, makeContext())).not.toThrow();
    for (const event of APPOINTMENT_STAFF_EVENTS) expect(() => renderStaffEmail(event, makeContext())).not.toThrow();
  });
});
