/**
 * Customer and staff messages for the appointment lifecycle and its billing (receipt, declined payment,
 * payment confirmation, feedback request; the staff charge / overdue / payment-failed tasks): email
 * (subject, plain text, HTML) and SMS. Billing events need `ctx.billing` and/or a `ctx.links` entry and
 * throw an Error naming the missing field without them (a programming error, not a data condition).
 * Pure and deterministic: every input is in the MessageContext; nothing reads the clock, the
 * environment or randomness, so an activity renders the same message on every retry.
 *
 * Times are always shown in the recipient's zone and name the zone (customer: appointment.timeZone,
 * staff: staff.timeZone), in en-US regardless of the host's locale. SMS use only GSM-7 characters and
 * fit in two segments (306 septets): long names are shortened rather than overflow. The customer's
 * manage link is a bearer credential, so it only ever goes to the customer, never into staff messages;
 * the contact's private notes only ever go to staff.
 */
import { type DateTime } from 'luxon';
import { MINUTE_MS, assertInstant, assertTimeZone, inZone } from '../domain/time';
import { formatMoney } from '../billing/invoice';
import { type Block, type RenderedEmail, oneLine, renderEmail } from './layout';
import { type SmsPart, fitSms, isGsm7, smsText, truncate } from './sms';

export { escapeHtml, type RenderedEmail } from './layout';

/** The appointment lifecycle messages (the original set). */
export const APPOINTMENT_CUSTOMER_EVENTS = [
  'confirmation',
  'reminder48h',
  'reminder12h',
  'rescheduled',
  'cancelled',
  'rebookFollowUp',
  'noShowPrompt',
] as const;
/**
 * Billing and after-service messages. receipt, paymentDeclined and paymentActionRequired need
 * `ctx.billing`; each needs its link in `ctx.links` (see `requiredLink`). None carries the C/R reply prompt.
 */
export const BILLING_CUSTOMER_EVENTS = [
  'receipt',
  'paymentDeclined',
  'paymentActionRequired',
  'feedbackRequest',
] as const;
export const CUSTOMER_EVENTS = [...APPOINTMENT_CUSTOMER_EVENTS, ...BILLING_CUSTOMER_EVENTS] as const;
export type CustomerEvent = (typeof CUSTOMER_EVENTS)[number];

export const APPOINTMENT_STAFF_EVENTS = ['staffBrief', 'staffNoShow'] as const;
/** Staff billing tasks; each needs `ctx.links.taskUrl`, staffChargeTask and staffPaymentFailed also `ctx.billing`. */
export const BILLING_STAFF_EVENTS = ['staffChargeTask', 'staffDeliverOverdue', 'staffPaymentFailed'] as const;
export const STAFF_EVENTS = [...APPOINTMENT_STAFF_EVENTS, ...BILLING_STAFF_EVENTS] as const;
export type StaffEvent = (typeof STAFF_EVENTS)[number];

/** One invoice line, amounts in minor units (same shape as `InvoiceLine` in src/billing/invoice.ts). */
export interface MessageInvoiceLine {
  description: string;
  quantity: number;
  unitMinor: number;
  amountMinor: number;
}

/** The invoice and payment state for billing messages. Money is integer minor units of `currency`. */
export interface MessageBilling {
  invoiceNumber: number;
  /** ISO 4217, e.g. "USD", "JPY". */
  currency: string;
  lines: MessageInvoiceLine[];
  subtotalMinor: number;
  /** Basis points: 825 = 8.25%. */
  taxRateBps: number;
  taxMinor: number;
  totalMinor: number;
  /** Minutes recorded by staff on the deliver-service task; null when not recorded (fixed price). */
  billableMinutes: number | null;
  /** The card saved on the contact (or charged); null when there is none. */
  card: { brand: string | null; last4: string | null } | null;
  /** Payments went through the simulated gateway: messages say it was a test payment and no money moved. */
  simulated: boolean;
  /** For paymentDeclined / staffPaymentFailed: the decline reason, in plain words. */
  declineMessage?: string;
  /** Dunning: this attempt (1-based), the number of attempts in all, and when the next one is due (epoch ms). */
  attempt?: number;
  maxAttempts?: number;
  nextAttemptAt?: number;
}

export interface MessageLinks {
  /** Customer: page to replace the saved card (paymentDeclined). */
  updateCardUrl?: string;
  /** Customer: page to confirm / authenticate the payment (paymentActionRequired). */
  payUrl?: string;
  /** Customer: feedback form (feedbackRequest). */
  feedbackUrl?: string;
  /** Staff: the task in the app (staffChargeTask, staffDeliverOverdue, staffPaymentFailed). */
  taskUrl?: string;
  /** Customer: view / download the invoice (receipt). */
  invoiceUrl?: string;
}

export interface MessageContext {
  business: { name: string; email: string; phone: string | null; address: string | null; timeZone: string };
  contact: { name: string; email: string; phone: string | null; address: string | null; notes: string };
  staff: { name: string; email: string; phone: string | null; timeZone: string };
  service: { name: string; durationMinutes: number };
  appointment: {
    id: string;
    /** Epoch milliseconds. */
    startsAt: number;
    /** Epoch milliseconds. */
    endsAt: number;
    /** The customer's zone (IANA). */
    timeZone: string;
    /** For 'rescheduled': the start before the change. */
    previousStartsAt?: number;
    /** For 'cancelled'. */
    cancelReason?: string | null;
    clientNote: string;
    publicNotes: string;
    address: string | null;
  };
  /** Tokenised manage link for this customer (view / reschedule / cancel). Customer messages only. */
  manageUrl: string;
  /** Public booking page for this service. */
  bookingUrl: string;
  /** For rebookFollowUp and noShowPrompt (up to 3). */
  suggestedSlots?: Array<{ startsAt: number; url: string }>;
  /** Invoice and payment state, for the billing events. */
  billing?: MessageBilling;
  /** Links for the billing and feedback events. */
  links?: MessageLinks;
}

/** Wording of the SMS reply keywords; never CANCEL/STOP, which carriers treat as opt-out keywords. */
export const SMS_REPLY_PROMPT = 'Reply C to cancel, R to reschedule.';

// ---------------------------------------------------------------------------------------------------
// Time formatting (en-US, recipient's zone, zone always named)

const LOCALE = 'en-US';

function at(instant: number, timeZone: string, what = 'time'): DateTime {
  assertInstant(instant, what);
  assertTimeZone(timeZone);
  return inZone(instant, timeZone).setLocale(LOCALE);
}

/** "Tuesday, March 10, 2026 at 9:30 AM EDT" — full date and time in `timeZone`, zone named. */
export function formatWhen(instant: number, timeZone: string): string {
  return at(instant, timeZone).toFormat("cccc, LLLL d, yyyy 'at' h:mm a ZZZZ");
}

/** "Tue, Mar 10 at 9:30 AM EDT" */
export function formatWhenShort(instant: number, timeZone: string): string {
  return at(instant, timeZone).toFormat("ccc, LLL d 'at' h:mm a ZZZZ");
}

/** "9:30 AM EDT" */
export function formatTime(instant: number, timeZone: string): string {
  return at(instant, timeZone).toFormat('h:mm a ZZZZ');
}

/** "Tuesday, March 10" */
function formatDay(instant: number, timeZone: string): string {
  return at(instant, timeZone).toFormat('cccc, LLLL d');
}

/** "Tue, Mar 10" */
function formatDayShort(instant: number, timeZone: string): string {
  return at(instant, timeZone).toFormat('ccc, LLL d');
}

/** "45 minutes", "1 hour", "1 hour 30 minutes". */
export function formatDuration(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (m < 60) return plural(m, 'minute');
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest === 0 ? plural(h, 'hour') : `${plural(h, 'hour')} ${plural(rest, 'minute')}`;
}

// ---------------------------------------------------------------------------------------------------
// Context helpers

/** Trimmed text, or null when empty/absent. */
function present(s: string | null | undefined): string | null {
  const t = (s ?? '').trim();
  return t === '' ? null : t;
}

function firstName(name: string): string {
  return oneLine(name).split(' ')[0] || 'there';
}

/** The booked length: from the appointment's own start/end, else the service's default. */
function appointmentMinutes(ctx: MessageContext): number {
  const m = Math.round((ctx.appointment.endsAt - ctx.appointment.startsAt) / MINUTE_MS);
  return m > 0 ? m : ctx.service.durationMinutes;
}

/** Where the appointment takes place: its own address (on-site visits), else the business's. */
function location(ctx: MessageContext): string | null {
  return present(ctx.appointment.address) ?? present(ctx.business.address);
}

/** Service name for a subject line: one line, at most `max` characters. */
function subjectService(ctx: MessageContext, max = 50): string {
  return truncate(oneLine(ctx.service.name), max);
}

function validate(ctx: MessageContext): void {
  assertInstant(ctx.appointment.startsAt, 'appointment.startsAt');
  assertInstant(ctx.appointment.endsAt, 'appointment.endsAt');
  assertTimeZone(ctx.appointment.timeZone, 'appointment time zone');
  assertTimeZone(ctx.staff.timeZone, 'staff time zone');
}

function assertNever(x: never): never {
  throw new Error(`unknown message event ${JSON.stringify(x)}`);
}

// ---------------------------------------------------------------------------------------------------
// Billing helpers

/** "1 h 15 min (75 minutes)", "2 h (120 minutes)", "45 min (45 minutes)". */
export function formatBillableMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const h = Math.floor(m / 60);
  const rest = m % 60;
  const short = h === 0 ? `${rest} min` : rest === 0 ? `${h} h` : `${h} h ${rest} min`;
  return `${short} (${m} minute${m === 1 ? '' : 's'})`;
}

const CARD_BRANDS: ReadonlyMap<string, string> = new Map([
  ['visa', 'Visa'],
  ['mastercard', 'Mastercard'],
  ['amex', 'American Express'],
  ['american_express', 'American Express'],
  ['discover', 'Discover'],
  ['diners', 'Diners Club'],
  ['jcb', 'JCB'],
  ['unionpay', 'UnionPay'],
  ['cartes_bancaires', 'Cartes Bancaires'],
]);

/** "Visa ending in 4242", "card ending in 4242", "Visa card"; null when no card (or nothing about it) is known. */
export function describeCard(card: MessageBilling['card']): string | null {
  if (!card) return null;
  const rawBrand = present(card.brand);
  const brand = rawBrand
    ? (CARD_BRANDS.get(rawBrand.toLowerCase()) ?? oneLine(rawBrand.charAt(0).toUpperCase() + rawBrand.slice(1)))
    : null;
  const last4 = present(card.last4);
  if (brand && last4) return `${brand} ending in ${oneLine(last4)}`;
  if (last4) return `card ending in ${oneLine(last4)}`;
  return brand ? `${brand} card` : null;
}

/** Customer-facing wording when the payment went through the simulated gateway. */
export const SIMULATED_PAYMENT_NOTE = 'This was a test payment through a simulated payment gateway: no money moved.';
const SIMULATED_PAYMENT_SMS = 'Test payment, no money moved.';
const SIMULATED_PAYMENT_STAFF_NOTE =
  'Payments for this business go through the simulated gateway: charging is a test payment, no money moves.';

function requireBilling(ctx: MessageContext, event: string): MessageBilling {
  if (!ctx.billing) throw new Error(`the ${event} message needs ctx.billing (invoice and payment details)`);
  return ctx.billing;
}

function requireLink(ctx: MessageContext, key: keyof MessageLinks, event: string): string {
  const url = present(ctx.links?.[key]);
  if (!url) throw new Error(`the ${event} message needs ctx.links.${key}`);
  return url;
}

function money(b: MessageBilling, minor: number): string {
  return formatMoney(minor, b.currency);
}

/** Money for an SMS: the currency symbol when it is GSM-7 ($, £, ¥, €), else the ISO code ("INR 1,234.00"). */
function smsMoney(b: MessageBilling, minor: number): string {
  const formatted = money(b, minor);
  return isGsm7(formatted) ? formatted : `${b.currency.toUpperCase()} ${formatted.replace(/[^\d.,-]/g, '')}`;
}

const NUMBER = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 });

/** The invoice lines, subtotal, tax and total as label/value rows. */
function invoiceDetails(b: MessageBilling): Block {
  const rows: Array<readonly [string, string]> = b.lines.map((l) => [
    oneLine(l.description),
    `${NUMBER.format(l.quantity)} × ${money(b, l.unitMinor)} = ${money(b, l.amountMinor)}`,
  ]);
  rows.push(['Subtotal', money(b, b.subtotalMinor)]);
  if (b.taxRateBps !== 0 || b.taxMinor !== 0) {
    rows.push([`Tax (${NUMBER.format(b.taxRateBps / 100)}%)`, money(b, b.taxMinor)]);
  }
  rows.push(['Total', money(b, b.totalMinor)]);
  return { kind: 'details', rows };
}

// ---------------------------------------------------------------------------------------------------
// Customer email

function customerDetails(ctx: MessageContext, opts: { previousStartsAt?: number } = {}): Block {
  const tz = ctx.appointment.timeZone;
  const rows: Array<readonly [string, string]> = [];
  if (opts.previousStartsAt !== undefined) {
    rows.push(['Previous time', formatWhen(opts.previousStartsAt, tz)]);
    rows.push(['New time', formatWhen(ctx.appointment.startsAt, tz)]);
  } else {
    rows.push(['When', formatWhen(ctx.appointment.startsAt, tz)]);
  }
  rows.push(['Service', oneLine(ctx.service.name)]);
  rows.push([
    'Duration',
    `${formatDuration(appointmentMinutes(ctx))} (until ${formatTime(ctx.appointment.endsAt, tz)})`,
  ]);
  const staff = present(ctx.staff.name);
  if (staff) rows.push(['With', oneLine(staff)]);
  const where = location(ctx);
  if (where) rows.push(['Where', where]);
  return { kind: 'details', rows };
}

function publicNotes(ctx: MessageContext): Block[] {
  const notes = present(ctx.appointment.publicNotes);
  return notes ? [{ kind: 'note', label: `Notes from ${oneLine(ctx.business.name)}`, text: notes }] : [];
}

function manageBlocks(ctx: MessageContext): Block[] {
  return [
    { kind: 'p', parts: ['Need to change your plans? You can reschedule or cancel online:'] },
    { kind: 'button', label: 'Reschedule or cancel', href: ctx.manageUrl },
  ];
}

function slotBlocks(ctx: MessageContext, intro: string): Block[] {
  const slots = ctx.suggestedSlots ?? [];
  const blocks: Block[] = [];
  if (slots.length > 0) {
    blocks.push({ kind: 'p', parts: [intro] });
    blocks.push({
      kind: 'links',
      items: slots.map((s) => ({ label: formatWhen(s.startsAt, ctx.appointment.timeZone), href: s.url })),
    });
    blocks.push({ kind: 'p', parts: ['None of these work? See every available time:'] });
  } else {
    blocks.push({ kind: 'p', parts: ['Pick a time that suits you:'] });
  }
  blocks.push({ kind: 'button', label: 'Book an appointment', href: ctx.bookingUrl });
  return blocks;
}

function businessFooter(ctx: MessageContext): Block[] {
  const b = ctx.business;
  const name = oneLine(b.name);
  const phone = present(b.phone);
  const email = present(b.email);
  const address = present(b.address);
  const reach =
    phone && email
      ? `Questions? Call ${name} at ${oneLine(phone)} or email ${oneLine(email)}.`
      : phone
        ? `Questions? Call ${name} at ${oneLine(phone)}.`
        : email
          ? `Questions? Email ${name} at ${oneLine(email)}.`
          : null;
  const signature = [name, address && oneLine(address), phone && oneLine(phone), email && oneLine(email)]
    .filter((s): s is string => !!s)
    .join(' | ');
  return [...(reach ? [{ kind: 'p', parts: [reach] } as Block] : []), { kind: 'p', parts: [signature] }];
}

/** Renders the email a customer receives for `event`. Throws on an invalid instant or time zone. */
export function renderCustomerEmail(event: CustomerEvent, ctx: MessageContext): RenderedEmail {
  validate(ctx);
  const tz = ctx.appointment.timeZone;
  const a = ctx.appointment;
  const svc = oneLine(ctx.service.name);
  const biz = oneLine(ctx.business.name);
  const staff = present(ctx.staff.name);
  const withStaff = staff ? ` with ${oneLine(staff)}` : '';
  const greeting: Block = { kind: 'p', parts: [`Hi ${firstName(ctx.contact.name)},`] };
  const subjectSvc = subjectService(ctx);
  let subject: string;
  let body: Block[];

  switch (event) {
    case 'confirmation': {
      subject = `Confirmed: ${subjectSvc} on ${formatWhenShort(a.startsAt, tz)}`;
      const clientNote = present(a.clientNote);
      body = [
        { kind: 'p', parts: [`Your appointment with ${biz} is confirmed.`] },
        customerDetails(ctx),
        ...publicNotes(ctx),
        ...(clientNote ? [{ kind: 'note', label: 'Your note', text: clientNote } as Block] : []),
        {
          kind: 'p',
          parts: ['A calendar invitation (.ics) is attached so you can add this appointment to your calendar.'],
        },
        ...manageBlocks(ctx),
      ];
      break;
    }
    case 'reminder48h':
      subject = `Reminder: ${subjectSvc} on ${formatWhenShort(a.startsAt, tz)}`;
      body = [
        {
          kind: 'p',
          parts: [
            `This is a reminder that your ${svc}${withStaff} is coming up on `,
            { strong: `${formatDay(a.startsAt, tz)} at ${formatTime(a.startsAt, tz)}` },
            '.',
          ],
        },
        customerDetails(ctx),
        ...publicNotes(ctx),
        ...manageBlocks(ctx),
      ];
      break;
    case 'reminder12h':
      subject = `Coming up at ${formatTime(a.startsAt, tz)}: ${subjectSvc} (${formatDayShort(a.startsAt, tz)})`;
      body = [
        {
          kind: 'p',
          parts: [
            `Your ${svc}${withStaff} is coming up soon, at `,
            { strong: formatTime(a.startsAt, tz) },
            ` on ${formatDay(a.startsAt, tz)}.`,
          ],
        },
        customerDetails(ctx),
        ...publicNotes(ctx),
        ...manageBlocks(ctx),
      ];
      break;
    case 'rescheduled': {
      subject = `Rescheduled: ${subjectSvc} now on ${formatWhenShort(a.startsAt, tz)}`;
      const prev = a.previousStartsAt;
      const summary: Block =
        prev !== undefined
          ? {
              kind: 'p',
              parts: [
                `Your ${svc}${withStaff} has been moved from `,
                { strong: formatWhen(prev, tz) },
                ' to ',
                { strong: formatWhen(a.startsAt, tz) },
                '.',
              ],
            }
          : {
              kind: 'p',
              parts: [`Your ${svc}${withStaff} has been moved to `, { strong: formatWhen(a.startsAt, tz) }, '.'],
            };
      body = [
        summary,
        customerDetails(ctx, prev !== undefined ? { previousStartsAt: prev } : {}),
        ...publicNotes(ctx),
        ...manageBlocks(ctx),
      ];
      break;
    }
    case 'cancelled': {
      subject = `Cancelled: ${subjectSvc} on ${formatWhenShort(a.startsAt, tz)}`;
      const reason = present(a.cancelReason);
      body = [
        {
          kind: 'p',
          parts: [
            `Your ${svc}${withStaff} on `,
            { strong: formatWhen(a.startsAt, tz) },
            ` has been cancelled. You don't need to do anything else.`,
          ],
        },
        ...(reason ? [{ kind: 'note', label: 'Reason', text: reason } as Block] : []),
        { kind: 'p', parts: [`We'd love to see you another time. You can book a new appointment here:`] },
        { kind: 'button', label: 'Book a new appointment', href: ctx.bookingUrl },
      ];
      break;
    }
    case 'rebookFollowUp':
      subject = `Book your next ${subjectSvc} with ${truncate(biz, 28)}`;
      body = [
        { kind: 'p', parts: [`Ready to book your next ${svc} with ${biz}?`] },
        ...slotBlocks(ctx, 'Here are a few open times (tap one to book it):'),
      ];
      break;
    case 'noShowPrompt':
      subject = `We missed you at your ${subjectSvc} on ${formatDayShort(a.startsAt, tz)}`;
      body = [
        {
          kind: 'p',
          parts: [
            `We missed you at your ${svc}${withStaff} on ${formatWhen(a.startsAt, tz)}. ` +
              `We hope everything is okay - things come up, and we'd be glad to find you a new time.`,
          ],
        },
        ...slotBlocks(ctx, 'Here are a few open times (tap one to book it):'),
      ];
      break;
    case 'receipt': {
      const b = requireBilling(ctx, event);
      const invoiceUrl = requireLink(ctx, 'invoiceUrl', event);
      const total = money(b, b.totalMinor);
      const card = describeCard(b.card);
      subject = `${b.simulated ? 'Test receipt' : 'Receipt'}: ${total} for ${subjectService(ctx, 36)} (invoice #${b.invoiceNumber})`;
      body = [
        {
          kind: 'p',
          parts: [
            'Thank you! We received your payment of ',
            { strong: total },
            ` for your ${svc}${withStaff} on ${formatWhen(a.startsAt, tz)}.`,
          ],
        },
        ...(b.simulated ? [{ kind: 'p', parts: [{ strong: SIMULATED_PAYMENT_NOTE }] } as Block] : []),
        {
          kind: 'details',
          rows: [
            ['Invoice', `#${b.invoiceNumber}`],
            ['Amount paid', total],
            ...(card ? [['Paid with', card] as const] : []),
          ],
        },
        { kind: 'heading', text: `Invoice #${b.invoiceNumber}` },
        invoiceDetails(b),
        { kind: 'p', parts: ['You can view and download your invoice here:'] },
        { kind: 'button', label: 'View invoice', href: invoiceUrl },
      ];
      break;
    }
    case 'paymentDeclined': {
      const b = requireBilling(ctx, event);
      const updateCardUrl = requireLink(ctx, 'updateCardUrl', event);
      const total = money(b, b.totalMinor);
      const card = describeCard(b.card);
      const reason = present(b.declineMessage);
      subject = `Your payment of ${total} to ${truncate(biz, 28)} did not go through`;
      body = [
        {
          kind: 'p',
          parts: [
            'We tried to charge ',
            { strong: total },
            `${card ? ` to your ${card}` : ''} for your ${svc} on ${formatWhen(a.startsAt, tz)} ` +
              `(invoice #${b.invoiceNumber}), but the payment did not go through.`,
          ],
        },
        ...(reason ? [{ kind: 'note', label: 'Reason', text: reason } as Block] : []),
        b.nextAttemptAt !== undefined
          ? {
              kind: 'p',
              parts: [
                `We'll try again on `,
                { strong: formatWhen(b.nextAttemptAt, tz) },
                '. To make sure it goes through, please update your card before then, or try again with another card now:',
              ],
            }
          : { kind: 'p', parts: ['Please update your card and try again:'] },
        { kind: 'button', label: 'Update your card', href: updateCardUrl },
        ...(b.simulated ? [{ kind: 'p', parts: [SIMULATED_PAYMENT_NOTE] } as Block] : []),
        { kind: 'heading', text: `Invoice #${b.invoiceNumber}` },
        invoiceDetails(b),
      ];
      break;
    }
    case 'paymentActionRequired': {
      const b = requireBilling(ctx, event);
      const payUrl = requireLink(ctx, 'payUrl', event);
      const total = money(b, b.totalMinor);
      subject = `Please confirm your payment of ${total} to ${truncate(biz, 28)}`;
      body = [
        {
          kind: 'p',
          parts: [
            'Your bank has asked you to confirm the payment of ',
            { strong: total },
            ` for your ${svc} on ${formatWhen(a.startsAt, tz)} (invoice #${b.invoiceNumber}). ` +
              'This is a routine security check and only takes a moment:',
          ],
        },
        { kind: 'button', label: 'Confirm payment', href: payUrl },
        ...(b.simulated ? [{ kind: 'p', parts: [SIMULATED_PAYMENT_NOTE] } as Block] : []),
        { kind: 'heading', text: `Invoice #${b.invoiceNumber}` },
        invoiceDetails(b),
      ];
      break;
    }
    case 'feedbackRequest': {
      const feedbackUrl = requireLink(ctx, 'feedbackUrl', event);
      subject = `How was your ${subjectSvc}?`;
      body = [
        {
          kind: 'p',
          parts: [`Thank you for choosing ${biz} for your ${svc}${withStaff} on ${formatWhen(a.startsAt, tz)}.`],
        },
        { kind: 'p', parts: [`We'd love to hear how it went. It only takes a minute:`] },
        { kind: 'button', label: 'Share your feedback', href: feedbackUrl },
      ];
      break;
    }
    default:
      return assertNever(event);
  }
  return renderEmail(subject, [greeting, ...body, ...businessFooter(ctx)]);
}

// ---------------------------------------------------------------------------------------------------
// Customer SMS

/** Closes `s` with a full stop unless it already ends with sentence punctuation (or "..."). */
function sentence(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** Fits an SMS listing as many suggested slots as possible, preferring untruncated names. */
function fitWithSlots<K extends string>(
  parts: Readonly<Record<K, SmsPart>>,
  slots: ReadonlyArray<{ startsAt: number; url: string }>,
  timeZone: string,
  build: (text: Readonly<Record<K, string>>, slotLines: string[]) => string,
): string {
  const lines = slots.map((s) => `${formatWhenShort(s.startsAt, timeZone)}: ${s.url}`);
  // First choice: the most slots that fit with every name whole.
  for (let n = lines.length; n >= 1; n--) {
    const fitted = fitSms(parts, (t) => build(t, lines.slice(0, n)));
    if (fitted.fits && !fitted.truncated) return fitted.text;
  }
  // Then: the most slots that fit with names shortened (0 slots still offers the booking link).
  for (let n = lines.length; n >= 0; n--) {
    const fitted = fitSms(parts, (t) => build(t, lines.slice(0, n)));
    if (fitted.fits || n === 0) return fitted.text;
  }
  throw new Error('unreachable: the zero-slot message is always returned');
}

/** Renders the SMS a customer receives for `event`: GSM-7 only, at most 306 septets. */
export function renderCustomerSms(event: CustomerEvent, ctx: MessageContext): string {
  validate(ctx);
  const tz = ctx.appointment.timeZone;
  const a = ctx.appointment;
  const base = {
    biz: { text: ctx.business.name, min: 12 },
    svc: { text: ctx.service.name, min: 16 },
    staff: { text: ctx.staff.name, min: 0 },
  } satisfies Record<string, SmsPart>;
  const withStaff = (s: string) => (s ? ` with ${s}` : '');
  const manage = `${SMS_REPLY_PROMPT} Manage: ${ctx.manageUrl}`;

  switch (event) {
    case 'confirmation':
      return fitSms(
        base,
        (t) =>
          `${t.biz}: Your ${t.svc}${withStaff(t.staff)} is confirmed for ${formatWhenShort(a.startsAt, tz)}. ${manage}`,
      ).text;
    case 'reminder48h':
      return fitSms(
        base,
        (t) =>
          `${t.biz}: Reminder - your ${t.svc}${withStaff(t.staff)} is coming up on ${formatWhenShort(a.startsAt, tz)}. ${manage}`,
      ).text;
    case 'reminder12h':
      return fitSms(
        base,
        (t) =>
          `${t.biz}: Your ${t.svc}${withStaff(t.staff)} is coming up soon, at ${formatTime(a.startsAt, tz)} ` +
          `(${formatDayShort(a.startsAt, tz)}). ${manage}`,
      ).text;
    case 'rescheduled': {
      const prev = a.previousStartsAt;
      const move =
        prev !== undefined
          ? `has moved from ${formatWhenShort(prev, tz)} to ${formatWhenShort(a.startsAt, tz)}`
          : `has moved to ${formatWhenShort(a.startsAt, tz)}`;
      return fitSms(base, (t) => `${t.biz}: Your ${t.svc}${withStaff(t.staff)} ${move}. ${manage}`).text;
    }
    case 'cancelled':
      return fitSms(
        { ...base, reason: { text: a.cancelReason ?? '', min: 0 } },
        (t) =>
          `${t.biz}: Your ${t.svc} on ${formatWhenShort(a.startsAt, tz)} has been cancelled.` +
          (t.reason ? ` Reason: ${sentence(t.reason)}` : '') +
          ` Book again any time: ${ctx.bookingUrl}`,
      ).text;
    case 'rebookFollowUp':
      return fitWithSlots(base, ctx.suggestedSlots ?? [], tz, (t, lines) =>
        lines.length > 0
          ? `${t.biz}: Ready for your next ${t.svc}? Open times:\n${lines.join('\n')}\nMore times: ${ctx.bookingUrl}`
          : `${t.biz}: Ready for your next ${t.svc}? Book here: ${ctx.bookingUrl}`,
      );
    case 'noShowPrompt':
      return fitWithSlots(
        { ...base, first: { text: firstName(ctx.contact.name), min: 0 } },
        ctx.suggestedSlots ?? [],
        tz,
        (t, lines) =>
          `${t.biz}: Hi${t.first ? ` ${t.first}` : ''}, we missed you at your ${t.svc} on ` +
          `${formatDayShort(a.startsAt, tz)}. We hope all is well! ` +
          (lines.length > 0
            ? `Want a new time? Open times:\n${lines.join('\n')}\nMore times: ${ctx.bookingUrl}`
            : `Pick a new time here: ${ctx.bookingUrl}`),
      );
    case 'receipt': {
      const b = requireBilling(ctx, event);
      const invoiceUrl = requireLink(ctx, 'invoiceUrl', event);
      const card = describeCard(b.card);
      return fitSms(
        base,
        (t) =>
          `${t.biz}: Thank you! We received your payment of ${smsMoney(b, b.totalMinor)} for your ${t.svc} on ` +
          `${formatDayShort(a.startsAt, tz)} (invoice #${b.invoiceNumber}${card ? `, ${smsText(card)}` : ''}).` +
          (b.simulated ? ` ${SIMULATED_PAYMENT_SMS}` : '') +
          ` Invoice: ${invoiceUrl}`,
      ).text;
    }
    case 'paymentDeclined': {
      const b = requireBilling(ctx, event);
      const updateCardUrl = requireLink(ctx, 'updateCardUrl', event);
      const next = b.nextAttemptAt;
      return fitSms(
        { ...base, reason: { text: b.declineMessage ?? '', min: 0 } },
        (t) =>
          `${t.biz}: Your payment of ${smsMoney(b, b.totalMinor)} for your ${t.svc} did not go through` +
          (t.reason ? `: ${sentence(t.reason)}` : '.') +
          (next !== undefined ? ` We'll try again ${formatWhenShort(next, tz)}.` : '') +
          (b.simulated ? ` ${SIMULATED_PAYMENT_SMS}` : '') +
          ` Please update your card or try again: ${updateCardUrl}`,
      ).text;
    }
    case 'paymentActionRequired': {
      const b = requireBilling(ctx, event);
      const payUrl = requireLink(ctx, 'payUrl', event);
      return fitSms(
        base,
        (t) =>
          `${t.biz}: ` +
          sentence(`Your bank asks you to confirm your payment of ${smsMoney(b, b.totalMinor)} for your ${t.svc}`) +
          (b.simulated ? ` ${SIMULATED_PAYMENT_SMS}` : '') +
          ` Confirm here: ${payUrl}`,
      ).text;
    }
    case 'feedbackRequest': {
      const feedbackUrl = requireLink(ctx, 'feedbackUrl', event);
      return fitSms(
        { ...base, first: { text: firstName(ctx.contact.name), min: 0 } },
        (t) =>
          `${t.biz}: Hi${t.first ? ` ${t.first}` : ''}, thank you for your ${t.svc}! ` +
          `How did it go? Tell us here: ${feedbackUrl}`,
      ).text;
    }
    default:
      return assertNever(event);
  }
}

// ---------------------------------------------------------------------------------------------------
// Staff email and SMS

function clientDetails(ctx: MessageContext): Block {
  const c = ctx.contact;
  const none = 'not provided';
  return {
    kind: 'details',
    rows: [
      ['Name', oneLine(c.name)],
      ['Email', present(c.email) ?? none],
      ['Phone', present(c.phone) ?? none],
      ['Address', present(c.address) ?? none],
      ['Client notes', present(c.notes) ?? 'none'],
      ['Note for this booking', present(ctx.appointment.clientNote) ?? 'none'],
    ],
  };
}

function staffAppointmentDetails(ctx: MessageContext): Block {
  const tz = ctx.staff.timeZone;
  const a = ctx.appointment;
  const rows: Array<readonly [string, string]> = [['When', formatWhen(a.startsAt, tz)]];
  if (a.timeZone !== tz) rows.push(["Client's local time", formatWhen(a.startsAt, a.timeZone)]);
  rows.push(['Service', oneLine(ctx.service.name)]);
  rows.push(['Duration', `${formatDuration(appointmentMinutes(ctx))} (until ${formatTime(a.endsAt, tz)})`]);
  rows.push(['Where', location(ctx) ?? 'not set']);
  rows.push(['Business', oneLine(ctx.business.name)]);
  rows.push(['Booking reference', a.id]);
  return { kind: 'details', rows };
}

/** Renders the email a staff member receives for `event`, times in the staff member's zone. */
export function renderStaffEmail(event: StaffEvent, ctx: MessageContext): RenderedEmail {
  validate(ctx);
  const tz = ctx.staff.timeZone;
  const a = ctx.appointment;
  const client = oneLine(ctx.contact.name);
  const subjectSvc = subjectService(ctx, 40);
  const greeting: Block = { kind: 'p', parts: [`Hi ${firstName(ctx.staff.name)},`] };
  const footer: Block = { kind: 'p', parts: [`Sent by appointflow for ${oneLine(ctx.business.name)}.`] };
  switch (event) {
    case 'staffBrief': {
      const shared = present(a.publicNotes);
      return renderEmail(`Brief: ${subjectSvc} with ${truncate(client, 30)} on ${formatWhenShort(a.startsAt, tz)}`, [
        greeting,
        {
          kind: 'p',
          parts: ['Here is your brief for the upcoming appointment on ', { strong: formatWhen(a.startsAt, tz) }, '.'],
        },
        { kind: 'heading', text: 'Appointment' },
        staffAppointmentDetails(ctx),
        ...(shared ? [{ kind: 'note', label: 'Notes shared with the client', text: shared } as Block] : []),
        { kind: 'heading', text: 'Client' },
        clientDetails(ctx),
        footer,
      ]);
    }
    case 'staffNoShow':
      return renderEmail(
        `No-show: ${truncate(client, 30)} missed ${subjectSvc} on ${formatWhenShort(a.startsAt, tz)}`,
        [
          greeting,
          {
            kind: 'p',
            parts: [
              `${client} did not show up for their ${oneLine(ctx.service.name)} on `,
              { strong: formatWhen(a.startsAt, tz) },
              '. Please reach out to check in and offer a new time.',
            ],
          },
          { kind: 'heading', text: 'Client' },
          clientDetails(ctx),
          { kind: 'heading', text: 'Appointment' },
          staffAppointmentDetails(ctx),
          footer,
        ],
      );
    case 'staffChargeTask': {
      const b = requireBilling(ctx, event);
      const taskUrl = requireLink(ctx, 'taskUrl', event);
      const total = money(b, b.totalMinor);
      const card = describeCard(b.card);
      const billable = b.billableMinutes === null ? 'not recorded' : formatBillableMinutes(b.billableMinutes);
      return renderEmail(
        `Charge ${truncate(client, 30)} for ${subjectSvc} on ${formatDayShort(a.startsAt, tz)}: ${total}`,
        [
          greeting,
          {
            kind: 'p',
            parts: [
              `Please charge ${client} for their ${oneLine(ctx.service.name)} on `,
              { strong: formatWhen(a.startsAt, tz) },
              '.',
            ],
          },
          {
            kind: 'details',
            rows: [
              ['Billable time', billable],
              ['Invoice', `#${b.invoiceNumber}`],
              ['Computed total', total],
              ['Card on file', card ?? 'no card saved'],
            ],
          },
          { kind: 'heading', text: 'What to do' },
          {
            kind: 'p',
            parts: [
              '1. Review the amount below and adjust the cost of the service if needed, based on the billable hours: ',
              { strong: billable },
              '.',
            ],
          },
          card
            ? {
                kind: 'p',
                parts: ['2. Then confirm the charge to the card saved on the contact record: ', { strong: card }, '.'],
              }
            : {
                kind: 'p',
                parts: [
                  '2. Then confirm the charge. ',
                  { strong: 'There is no card saved on the contact record' },
                  `: ask ${client} to add one, or collect the payment another way.`,
                ],
              },
          { kind: 'button', label: 'Open the charge task', href: taskUrl },
          ...(b.simulated ? [{ kind: 'p', parts: [SIMULATED_PAYMENT_STAFF_NOTE] } as Block] : []),
          { kind: 'heading', text: `Invoice #${b.invoiceNumber}` },
          invoiceDetails(b),
          { kind: 'heading', text: 'Client' },
          clientDetails(ctx),
          { kind: 'heading', text: 'Appointment' },
          staffAppointmentDetails(ctx),
          footer,
        ],
      );
    }
    case 'staffDeliverOverdue': {
      const taskUrl = requireLink(ctx, 'taskUrl', event);
      return renderEmail(
        `Still open: deliver ${subjectService(ctx, 34)} for ${truncate(client, 26)} (ended ${formatWhenShort(a.endsAt, tz)})`,
        [
          greeting,
          {
            kind: 'p',
            parts: [
              `The deliver-service task for ${client}'s ${oneLine(ctx.service.name)} is still open, 2 hours after ` +
                'the appointment ended at ',
              { strong: formatWhen(a.endsAt, tz) },
              '.',
            ],
          },
          {
            kind: 'p',
            parts: [
              'If the service was delivered, please record the billable time and complete the task so the client ' +
                'can be charged. If it did not take place, update the appointment.',
            ],
          },
          { kind: 'button', label: 'Open the task', href: taskUrl },
          { kind: 'heading', text: 'Appointment' },
          staffAppointmentDetails(ctx),
          { kind: 'heading', text: 'Client' },
          clientDetails(ctx),
          footer,
        ],
      );
    }
    case 'staffPaymentFailed': {
      const b = requireBilling(ctx, event);
      const taskUrl = requireLink(ctx, 'taskUrl', event);
      const total = money(b, b.totalMinor);
      const card = describeCard(b.card);
      const reason = present(b.declineMessage);
      const attempts = b.maxAttempts ?? b.attempt;
      return renderEmail(`Payment failed: ${truncate(client, 30)}, ${total} (invoice #${b.invoiceNumber})`, [
        greeting,
        {
          kind: 'p',
          parts: [
            `${attempts !== undefined ? `All ${attempts} payment attempts` : 'All payment attempts'} for `,
            { strong: total },
            ` (invoice #${b.invoiceNumber}) from ${client} for their ${oneLine(ctx.service.name)} on ` +
              `${formatWhen(a.startsAt, tz)} have failed. Please call the client to sort out the payment.`,
          ],
        },
        {
          kind: 'details',
          rows: [
            ['Amount due', total],
            ['Card', card ?? 'no card saved'],
            ['Last decline reason', reason ?? 'not given'],
          ],
        },
        { kind: 'button', label: 'Open the task', href: taskUrl },
        ...(b.simulated ? [{ kind: 'p', parts: [SIMULATED_PAYMENT_STAFF_NOTE] } as Block] : []),
        { kind: 'heading', text: 'Client' },
        clientDetails(ctx),
        { kind: 'heading', text: `Invoice #${b.invoiceNumber}` },
        invoiceDetails(b),
        { kind: 'heading', text: 'Appointment' },
        staffAppointmentDetails(ctx),
        footer,
      ]);
    }
    default:
      return assertNever(event);
  }
}

/** Renders the SMS a staff member receives for `event`: GSM-7 only, at most 306 septets. */
export function renderStaffSms(event: StaffEvent, ctx: MessageContext): string {
  validate(ctx);
  const tz = ctx.staff.timeZone;
  const a = ctx.appointment;
  const reach = [present(ctx.contact.phone), present(ctx.contact.email)]
    .filter((s): s is string => !!s)
    .map(smsText)
    .join(', ');
  switch (event) {
    case 'staffBrief': {
      const where = location(ctx) ?? '';
      const clientAddress = present(ctx.contact.address);
      return fitSms(
        {
          svc: { text: ctx.service.name, min: 16 },
          client: { text: ctx.contact.name, min: 12 },
          where: { text: where, min: 24 },
          address: { text: clientAddress && clientAddress !== where ? clientAddress : '', min: 0 },
          note: { text: a.clientNote, min: 0 },
          notes: { text: ctx.contact.notes, min: 0 },
        },
        (t) =>
          `Brief: ${t.svc} ${formatWhenShort(a.startsAt, tz)}.` +
          (t.where ? ` Where: ${sentence(t.where)}` : '') +
          ` Client: ${t.client}${reach ? `, ${reach}` : ''}.` +
          (t.address ? ` Client address: ${sentence(t.address)}` : '') +
          (t.note ? ` Booking note: ${sentence(t.note)}` : '') +
          (t.notes ? ` Client notes: ${sentence(t.notes)}` : ''),
      ).text;
    }
    case 'staffNoShow':
      return fitSms(
        {
          svc: { text: ctx.service.name, min: 16 },
          client: { text: ctx.contact.name, min: 12 },
        },
        (t) =>
          `No-show: ${t.client} missed ${t.svc} at ${formatTime(a.startsAt, tz)} (${formatDayShort(a.startsAt, tz)}).` +
          (reach ? ` Reach them at ${reach}.` : ''),
      ).text;
    case 'staffChargeTask': {
      const b = requireBilling(ctx, event);
      const taskUrl = requireLink(ctx, 'taskUrl', event);
      const card = describeCard(b.card);
      const billable = b.billableMinutes === null ? 'not recorded' : formatBillableMinutes(b.billableMinutes);
      return fitSms(
        { svc: { text: ctx.service.name, min: 16 }, client: { text: ctx.contact.name, min: 12 } },
        (t) =>
          `Charge task: ${t.client}, ${t.svc} ${formatWhenShort(a.startsAt, tz)}. Billable: ${billable}. ` +
          `Total ${smsMoney(b, b.totalMinor)}. Review/adjust it for the billable hours, then charge ` +
          `${card ? smsText(card) : 'the card (no card saved!)'}.` +
          (b.simulated ? ' Test payment, no money moves.' : '') +
          ` Task: ${taskUrl}`,
      ).text;
    }
    case 'staffDeliverOverdue': {
      const taskUrl = requireLink(ctx, 'taskUrl', event);
      return fitSms(
        { svc: { text: ctx.service.name, min: 16 }, client: { text: ctx.contact.name, min: 12 } },
        (t) =>
          `Still open 2 h after it ended (${formatWhenShort(a.endsAt, tz)}): deliver ${t.svc} for ${t.client}. ` +
          `Record the billable time: ${taskUrl}`,
      ).text;
    }
    case 'staffPaymentFailed': {
      const b = requireBilling(ctx, event);
      const taskUrl = requireLink(ctx, 'taskUrl', event);
      return fitSms(
        {
          svc: { text: ctx.service.name, min: 16 },
          client: { text: ctx.contact.name, min: 12 },
          reach: { text: reach, min: 0 },
          reason: { text: b.declineMessage ?? '', min: 0 },
        },
        (t) =>
          `Payment failed: ${smsMoney(b, b.totalMinor)} from ${t.client} for ${t.svc} ` +
          `${formatWhenShort(a.startsAt, tz)} (invoice #${b.invoiceNumber}).` +
          (t.reason ? ` Last decline: ${sentence(t.reason)}` : '') +
          (t.reach ? ` Call them: ${t.reach}.` : '') +
          ` Task: ${taskUrl}`,
      ).text;
    }
    default:
      return assertNever(event);
  }
}
