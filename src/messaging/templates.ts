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
import type { Locale } from '../i18n/locales';
import { rich, textFor, type Tr } from './customer-text';
import { MINUTE_MS, assertInstant, assertTimeZone, inZone } from '../domain/time';
import { formatMoney } from '../billing/invoice';
import type { CancellationTerms, FeeKind, FeeRule } from '../domain/cancellation-policy';
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
  /** Staff took time off over the booking (issue 15): please choose a new time (open times, manage link). */
  'rescheduleRequest',
  /** Weeks after a delivered visit (issue 16, the service's `bookAgainWeeks`): next free times, one-tap booking. */
  'bookAgain',
] as const;
/**
 * Billing and after-service messages. receipt, paymentDeclined and paymentActionRequired need
 * `ctx.billing`; each needs its link in `ctx.links` (see `requiredLink`). None carries the C/R reply prompt.
 */
export const BILLING_CUSTOMER_EVENTS = [
  'receipt',
  'paymentDeclined',
  'paymentActionRequired',
  /** No card on file (or none that can be charged without the customer): pay online, no word of a decline. */
  'paymentLink',
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
  /** The invoice is a late-cancel or no-show fee (the appointment did not take place). */
  fee?: FeeKind;
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
  /** The customer's language (customer messages and the .ics); staff messages are in English. Default en. */
  locale?: Locale;
  business: { name: string; email: string; phone: string | null; address: string | null; timeZone: string };
  contact: { name: string; email: string; phone: string | null; address: string | null; notes: string };
  staff: { name: string; email: string; phone: string | null; timeZone: string };
  /**
   * Staff emails: the staff member the email goes to when it is not the appointment's (the charge task
   * for the billing owner). They are greeted, and read times, in their own zone. Default: `staff`.
   */
  recipient?: { name: string; timeZone: string };
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
    /** The cancellation policy frozen at booking, as amounts (the confirmation states it; migration 0053). */
    cancellation?: CancellationTerms;
    /** The deposit paid at booking, and on a cancel or no-show what is refunded and kept (src/billing/deposits.ts). */
    deposit?: MessageDeposit;
    clientNote: string;
    publicNotes: string;
    address: string | null;
    /** A visit of a recurring series: which one, of how many, how often ("every week"). */
    series?: { index: number; count: number; rule: string };
  };
  /** Tokenised manage link for this customer (view / reschedule / cancel). Customer messages only. */
  manageUrl: string;
  /** Public booking page for this service. */
  bookingUrl: string;
  /** For rebookFollowUp and noShowPrompt (up to 3). */
  suggestedSlots?: Array<{ startsAt: number; url: string }>;
  /**
   * For rebookFollowUp and noShowPrompt: the booking page opened on "Join the waitlist" for this
   * service and staff member (`?staff=…&waitlist=1`). Their SMS offer the W reply instead.
   */
  waitlistUrl?: string;
  /** Invoice and payment state, for the billing events. */
  billing?: MessageBilling;
  /** Links for the billing and feedback events. */
  links?: MessageLinks;
  /**
   * The receipt: the service report staff wrote at delivery (issue 16); photos by file name, seen in the
   * customer's account (`accountUrl`).
   */
  report?: { summary: string; nextSteps: string | null; photos: string[]; accountUrl: string };
  /**
   * Files the service asks for before the visit (issue 16, `services.files_request`): the request as
   * staff wrote it, the link into the portal conversation about this appointment (signs in with this
   * message's manage token) and how many files the customer already sent for it. Customer messages only.
   */
  files?: { request: string; url: string; received: number };
}

/** Wording of the SMS reply keywords; never CANCEL/STOP, which carriers treat as opt-out keywords. */
export const SMS_REPLY_PROMPT = 'Reply C to cancel, R to reschedule.';

// ---------------------------------------------------------------------------------------------------
// Time formatting (the recipient's zone, zone always named; customers in their language, staff en-US)

const LUXON_LOCALE: Readonly<Record<Locale, string>> = { en: 'en-US', es: 'es' };
const FORMATS: Readonly<Record<Locale, Record<'when' | 'whenShort' | 'time' | 'day' | 'dayShort', string>>> = {
  en: {
    when: "cccc, LLLL d, yyyy 'at' h:mm a ZZZZ",
    whenShort: "ccc, LLL d 'at' h:mm a ZZZZ",
    time: 'h:mm a ZZZZ',
    day: 'cccc, LLLL d',
    dayShort: 'ccc, LLL d',
  },
  es: {
    when: "cccc, d 'de' LLLL 'de' yyyy, 'a las' H:mm ZZZZ",
    whenShort: "ccc d 'de' LLL, H:mm ZZZZ",
    time: 'H:mm ZZZZ',
    day: "cccc d 'de' LLLL",
    dayShort: "ccc d 'de' LLL",
  },
};

function at(instant: number, timeZone: string, what = 'time', locale: Locale = 'en'): DateTime {
  assertInstant(instant, what);
  assertTimeZone(timeZone);
  return inZone(instant, timeZone).setLocale(LUXON_LOCALE[locale]);
}

function formatAs(kind: keyof (typeof FORMATS)['en'], instant: number, timeZone: string, locale: Locale): string {
  return at(instant, timeZone, 'time', locale).toFormat(FORMATS[locale][kind]);
}

/** "Tuesday, March 10, 2026 at 9:30 AM EDT" — full date and time in `timeZone`, zone named. */
export function formatWhen(instant: number, timeZone: string, locale: Locale = 'en'): string {
  return formatAs('when', instant, timeZone, locale);
}

/** "Tue, Mar 10 at 9:30 AM EDT" */
export function formatWhenShort(instant: number, timeZone: string, locale: Locale = 'en'): string {
  return formatAs('whenShort', instant, timeZone, locale);
}

/** "9:30 AM EDT" */
export function formatTime(instant: number, timeZone: string, locale: Locale = 'en'): string {
  return formatAs('time', instant, timeZone, locale);
}

/** "Tuesday, March 10" */
function formatDay(instant: number, timeZone: string, locale: Locale = 'en'): string {
  return formatAs('day', instant, timeZone, locale);
}

/** "Tue, Mar 10" */
function formatDayShort(instant: number, timeZone: string, locale: Locale = 'en'): string {
  return formatAs('dayShort', instant, timeZone, locale);
}

/** "Tue, Mar 10" for a calendar date ('2026-03-10'), whatever the zone. */
export function formatDateShort(isoDate: string, locale: Locale = 'en'): string {
  return formatDayShort(Date.parse(`${isoDate}T12:00:00Z`), 'UTC', locale);
}

/** "45 minutes", "1 hour", "1 hour 30 minutes" (or in the customer's language). */
export function formatDuration(minutes: number, locale: Locale = 'en'): string {
  const tr = textFor(locale);
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return tr('duration.minutes', { count: m });
  const h = Math.floor(m / 60);
  const rest = m % 60;
  const hours = tr('duration.hours', { count: h });
  return rest === 0 ? hours : tr('duration.both', { hours, minutes: tr('duration.minutes', { count: rest }) });
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
  if (ctx.recipient) assertTimeZone(ctx.recipient.timeZone, 'recipient time zone');
}

/** Who a staff message is for: the recipient when set (the billing owner), else the appointment's staff. */
function staffReader(ctx: MessageContext): { name: string; timeZone: string } {
  return ctx.recipient ?? ctx.staff;
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

const MONEY_LOCALE: Readonly<Record<Locale, string>> = { en: 'en-US', es: 'es' };

function money(b: MessageBilling, minor: number, locale: Locale = 'en'): string {
  return formatMoney(minor, b.currency, MONEY_LOCALE[locale]);
}

/** Money for an SMS: the currency symbol when it is GSM-7 ($, £, ¥, €), else the ISO code ("INR 1,234.00"). */
function smsMoney(b: MessageBilling, minor: number, locale: Locale = 'en'): string {
  const formatted = money(b, minor, locale).replace(/\u00a0/g, ' ');
  return isGsm7(formatted) ? formatted : `${b.currency.toUpperCase()} ${formatted.replace(/[^\d.,-]/g, '')}`;
}

const NUMBER: Readonly<Record<Locale, Intl.NumberFormat>> = {
  en: new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }),
  es: new Intl.NumberFormat('es', { maximumFractionDigits: 2 }),
};

/** The invoice lines, subtotal, tax and total as label/value rows. */
function invoiceDetails(b: MessageBilling, locale: Locale = 'en'): Block {
  const tr = textFor(locale);
  const rows: Array<readonly [string, string]> = b.lines.map((l) => [
    oneLine(l.description),
    `${NUMBER[locale].format(l.quantity)} × ${money(b, l.unitMinor, locale)} = ${money(b, l.amountMinor, locale)}`,
  ]);
  rows.push([tr('invoice.subtotal'), money(b, b.subtotalMinor, locale)]);
  if (b.taxRateBps !== 0 || b.taxMinor !== 0) {
    rows.push([tr('invoice.tax', { rate: NUMBER[locale].format(b.taxRateBps / 100) }), money(b, b.taxMinor, locale)]);
  }
  rows.push([tr('invoice.total'), money(b, b.totalMinor, locale)]);
  return { kind: 'details', rows };
}

// ---------------------------------------------------------------------------------------------------
// Customer email (in the customer's language: ctx.locale)

/** The customer's language and its words. */
function customerText(ctx: MessageContext): { locale: Locale; tr: Tr } {
  const locale = ctx.locale ?? 'en';
  return { locale, tr: textFor(locale) };
}

function customerDetails(ctx: MessageContext, opts: { previousStartsAt?: number } = {}): Block {
  const { locale, tr } = customerText(ctx);
  const tz = ctx.appointment.timeZone;
  const rows: Array<readonly [string, string]> = [];
  if (opts.previousStartsAt !== undefined) {
    rows.push([tr('details.previousTime'), formatWhen(opts.previousStartsAt, tz, locale)]);
    rows.push([tr('details.newTime'), formatWhen(ctx.appointment.startsAt, tz, locale)]);
  } else {
    rows.push([tr('details.when'), formatWhen(ctx.appointment.startsAt, tz, locale)]);
  }
  rows.push([tr('details.service'), oneLine(ctx.service.name)]);
  rows.push([
    tr('details.duration'),
    tr('details.until', {
      duration: formatDuration(appointmentMinutes(ctx), locale),
      end: formatTime(ctx.appointment.endsAt, tz, locale),
    }),
  ]);
  const staff = present(ctx.staff.name);
  if (staff) rows.push([tr('details.with'), oneLine(staff)]);
  const where = location(ctx);
  if (where) rows.push([tr('details.where'), where]);
  return { kind: 'details', rows };
}

/** A deposit as the messages state it (minor units of `currency`). */
export interface MessageDeposit {
  amountMinor: number;
  currency: string;
  /** The booked price, for "the rest after your visit". */
  priceMinor: number;
  outcome?: { refundMinor: number; keptMinor: number };
}

/** The confirmation's deposit: paid now, the rest after the visit, and what cancelling does to it. */
function depositBlocks(ctx: MessageContext): Block[] {
  const deposit = ctx.appointment.deposit;
  if (!deposit) return [];
  const { locale, tr } = customerText(ctx);
  const amount = (minor: number) => formatMoney(minor, deposit.currency, MONEY_LOCALE[locale]);
  const terms = ctx.appointment.cancellation;
  const fees = terms !== undefined && (terms.lateCancelFeeMinor > 0 || terms.noShowFeeMinor > 0);
  const text = [
    tr('email.confirmation.deposit', {
      deposit: amount(deposit.amountMinor),
      rest: amount(Math.max(0, deposit.priceMinor - deposit.amountMinor)),
    }),
    tr(fees ? 'email.confirmation.depositPolicy' : 'email.confirmation.depositRefundable'),
  ];
  return [{ kind: 'p', parts: rich(text.join(' ')) }];
}

/** A cancelled or missed visit's deposit: what is refunded, what the fee keeps. */
function depositOutcomeBlocks(ctx: MessageContext): Block[] {
  const deposit = ctx.appointment.deposit;
  if (!deposit?.outcome) return [];
  const { locale, tr } = customerText(ctx);
  const amount = (minor: number) => formatMoney(minor, deposit.currency, MONEY_LOCALE[locale]);
  const { refundMinor, keptMinor } = deposit.outcome;
  const text = [
    ...(keptMinor > 0 ? [tr('email.cancelled.depositKept', { kept: amount(keptMinor) })] : []),
    ...(refundMinor > 0 ? [tr('email.cancelled.depositRefunded', { amount: amount(refundMinor) })] : []),
  ];
  return text.length ? [{ kind: 'p', parts: rich(text.join(' ')) }] : [];
}

/** The confirmation's cancellation policy: what a late cancel and a no-show cost (nothing when free). */
function cancellationPolicyBlocks(ctx: MessageContext): Block[] {
  const terms = ctx.appointment.cancellation;
  if (!terms) return [];
  const { locale, tr } = customerText(ctx);
  const amount = (minor: number) => formatMoney(minor, terms.currency, MONEY_LOCALE[locale]);
  const fee = (rule: FeeRule | null, minor: number) =>
    rule?.kind === 'percent' ? tr('fees.percent', { percent: rule.percent, amount: amount(minor) }) : amount(minor);
  const parts = [
    ...(terms.lateCancelFeeMinor > 0
      ? [
          tr('email.confirmation.cancellationLate', {
            hours: terms.lateCancelHours,
            fee: fee(terms.policy.lateCancelFee, terms.lateCancelFeeMinor),
          }),
        ]
      : []),
    ...(terms.noShowFeeMinor > 0
      ? [tr('email.confirmation.cancellationNoShow', { fee: fee(terms.policy.noShowFee, terms.noShowFeeMinor) })]
      : []),
  ];
  return parts.length ? [{ kind: 'p', parts: rich(parts.join(' ')) }] : [];
}

function publicNotes(ctx: MessageContext): Block[] {
  const notes = present(ctx.appointment.publicNotes);
  const { tr } = customerText(ctx);
  return notes
    ? [{ kind: 'note', label: tr('details.notesFrom', { business: oneLine(ctx.business.name) }), text: notes }]
    : [];
}

function manageBlocks(ctx: MessageContext): Block[] {
  const { tr } = customerText(ctx);
  return [
    { kind: 'p', parts: [tr('manage.intro')] },
    { kind: 'button', label: tr('manage.button'), href: ctx.manageUrl },
  ];
}

function slotBlocks(ctx: MessageContext): Block[] {
  const { locale, tr } = customerText(ctx);
  const slots = ctx.suggestedSlots ?? [];
  const blocks: Block[] = [];
  if (slots.length > 0) {
    blocks.push({ kind: 'p', parts: [tr('slots.intro')] });
    blocks.push({
      kind: 'links',
      items: slots.map((s) => ({ label: formatWhen(s.startsAt, ctx.appointment.timeZone, locale), href: s.url })),
    });
    blocks.push({ kind: 'p', parts: [tr('slots.more')] });
  } else {
    blocks.push({ kind: 'p', parts: [tr('slots.pick')] });
  }
  blocks.push({ kind: 'button', label: tr('slots.book'), href: ctx.bookingUrl });
  if (ctx.waitlistUrl) {
    blocks.push({ kind: 'p', parts: [tr('slots.waitlist')] });
    blocks.push({ kind: 'links', items: [{ label: tr('slots.waitlistButton'), href: ctx.waitlistUrl }] });
  }
  return blocks;
}

/** The files request (confirmation; the 48-hour reminder while nothing has arrived): what, and where to send it. */
function filesBlocks(ctx: MessageContext, onlyWhileNothingArrived = false): Block[] {
  const files = ctx.files;
  if (!files || (onlyWhileNothingArrived && files.received > 0)) return [];
  const { tr } = customerText(ctx);
  return [
    { kind: 'note', label: tr('files.label'), text: files.request },
    { kind: 'p', parts: [tr('files.how')] },
    { kind: 'button', label: tr('files.button'), href: files.url },
  ];
}

/** The service report in the receipt: notes, next steps, the photos' names and where to see them. */
function reportBlocks(ctx: MessageContext): Block[] {
  const report = ctx.report;
  if (!report) return [];
  const { tr } = customerText(ctx);
  return [
    { kind: 'heading', text: tr('report.heading') },
    { kind: 'note', label: tr('report.summary'), text: report.summary },
    ...(report.nextSteps ? [{ kind: 'note', label: tr('report.nextSteps'), text: report.nextSteps } as Block] : []),
    ...(report.photos.length > 0
      ? [
          { kind: 'p', parts: [tr('report.photos', { names: report.photos.join(', ') })] } as Block,
          { kind: 'links', items: [{ label: tr('report.account'), href: report.accountUrl }] } as Block,
        ]
      : []),
  ];
}

function businessFooter(ctx: MessageContext): Block[] {
  const { tr } = customerText(ctx);
  const b = ctx.business;
  const name = oneLine(b.name);
  const phone = present(b.phone);
  const email = present(b.email);
  const address = present(b.address);
  const values = { name, phone: phone && oneLine(phone), email: email && oneLine(email) };
  const reach =
    phone && email
      ? tr('footer.callEmail', values)
      : phone
        ? tr('footer.call', values)
        : email
          ? tr('footer.email', values)
          : null;
  const signature = [name, address && oneLine(address), phone && oneLine(phone), email && oneLine(email)]
    .filter((s): s is string => !!s)
    .join(' | ');
  return [...(reach ? [{ kind: 'p', parts: [reach] } as Block] : []), { kind: 'p', parts: [signature] }];
}

/** Renders the email a customer receives for `event`. Throws on an invalid instant or time zone. */
export function renderCustomerEmail(event: CustomerEvent, ctx: MessageContext): RenderedEmail {
  validate(ctx);
  const { locale, tr } = customerText(ctx);
  const tz = ctx.appointment.timeZone;
  const a = ctx.appointment;
  const service = oneLine(ctx.service.name);
  const business = oneLine(ctx.business.name);
  const staff = present(ctx.staff.name);
  const withStaff = staff ? tr('withStaff', { staff: oneLine(staff) }) : '';
  const first = oneLine(ctx.contact.name).split(' ')[0] || tr('there');
  const greeting: Block = { kind: 'p', parts: [tr('greeting', { first }).replace(/ ([,:])$/, '$1')] };
  const subjectSvc = subjectService(ctx);
  const when = (instant: number) => formatWhen(instant, tz, locale);
  const whenShort = formatWhenShort(a.startsAt, tz, locale);
  const p = (key: string, values: Record<string, unknown> = {}): Block => ({
    kind: 'p',
    parts: rich(tr(key, { service, business, withStaff, ...values })),
  });
  let subject: string;
  let body: Block[];

  switch (event) {
    case 'confirmation': {
      subject = tr('email.confirmation.subject', { service: subjectSvc, when: whenShort });
      const clientNote = present(a.clientNote);
      body = [
        p('email.confirmation.intro'),
        // A visit of a recurring series says which one (src/booking/series.ts).
        ...(a.series ? [p('email.confirmation.series', { ...a.series })] : []),
        customerDetails(ctx),
        ...cancellationPolicyBlocks(ctx),
        ...depositBlocks(ctx),
        ...publicNotes(ctx),
        ...(clientNote ? [{ kind: 'note', label: tr('details.yourNote'), text: clientNote } as Block] : []),
        ...filesBlocks(ctx),
        p('email.confirmation.ics'),
        ...manageBlocks(ctx),
      ];
      break;
    }
    case 'reminder48h':
      subject = tr('email.reminder48h.subject', { service: subjectSvc, when: whenShort });
      body = [
        p('email.reminder48h.intro', {
          day: formatDay(a.startsAt, tz, locale),
          time: formatTime(a.startsAt, tz, locale),
        }),
        customerDetails(ctx),
        ...publicNotes(ctx),
        ...filesBlocks(ctx, true),
        ...manageBlocks(ctx),
      ];
      break;
    case 'reminder12h':
      subject = tr('email.reminder12h.subject', {
        time: formatTime(a.startsAt, tz, locale),
        service: subjectSvc,
        day: formatDayShort(a.startsAt, tz, locale),
      });
      body = [
        p('email.reminder12h.intro', {
          time: formatTime(a.startsAt, tz, locale),
          day: formatDay(a.startsAt, tz, locale),
        }),
        customerDetails(ctx),
        ...publicNotes(ctx),
        ...manageBlocks(ctx),
      ];
      break;
    case 'rescheduled': {
      subject = tr('email.rescheduled.subject', { service: subjectSvc, when: whenShort });
      const prev = a.previousStartsAt;
      body = [
        prev !== undefined
          ? p('email.rescheduled.moved', { from: when(prev), to: when(a.startsAt) })
          : p('email.rescheduled.movedTo', { to: when(a.startsAt) }),
        customerDetails(ctx, prev !== undefined ? { previousStartsAt: prev } : {}),
        ...publicNotes(ctx),
        ...manageBlocks(ctx),
      ];
      break;
    }
    case 'cancelled': {
      subject = tr('email.cancelled.subject', { service: subjectSvc, when: whenShort });
      const reason = present(a.cancelReason);
      body = [
        p('email.cancelled.intro', { when: when(a.startsAt) }),
        ...(reason ? [{ kind: 'note', label: tr('details.reason'), text: reason } as Block] : []),
        ...depositOutcomeBlocks(ctx),
        p('email.cancelled.again'),
        { kind: 'button', label: tr('email.cancelled.button'), href: ctx.bookingUrl },
      ];
      break;
    }
    case 'rebookFollowUp':
      subject = tr('email.rebookFollowUp.subject', { service: subjectSvc, business: truncate(business, 28) });
      body = [p('email.rebookFollowUp.intro'), ...slotBlocks(ctx)];
      break;
    case 'rescheduleRequest': {
      const slots = ctx.suggestedSlots ?? [];
      subject = tr('email.rescheduleRequest.subject', {
        service: subjectSvc,
        day: formatDayShort(a.startsAt, tz, locale),
      });
      body = [
        p('email.rescheduleRequest.intro', { who: staff ? oneLine(staff) : business, when: when(a.startsAt) }),
        ...(slots.length > 0
          ? [
              p('email.rescheduleRequest.open'),
              {
                kind: 'links',
                items: slots.map((x) => ({ label: when(x.startsAt), href: ctx.manageUrl })),
              } as Block,
            ]
          : []),
        { kind: 'button', label: tr('email.rescheduleRequest.button'), href: ctx.manageUrl },
      ];
      break;
    }
    case 'bookAgain':
      subject = tr('email.bookAgain.subject', { service: subjectSvc, business: truncate(business, 28) });
      body = [p('email.bookAgain.intro', { day: formatDay(a.startsAt, tz, locale) }), ...slotBlocks(ctx)];
      break;
    case 'noShowPrompt':
      subject = tr('email.noShowPrompt.subject', { service: subjectSvc, day: formatDayShort(a.startsAt, tz, locale) });
      body = [p('email.noShowPrompt.intro', { when: when(a.startsAt) }), ...slotBlocks(ctx)];
      break;
    case 'receipt': {
      const b = requireBilling(ctx, event);
      const invoiceUrl = requireLink(ctx, 'invoiceUrl', event);
      const total = money(b, b.totalMinor, locale);
      const card = describeCard(b.card);
      const invoice = b.invoiceNumber;
      subject = tr(b.simulated ? 'email.receipt.subjectTest' : 'email.receipt.subject', {
        total,
        service: subjectService(ctx, 36),
        invoice,
      });
      body = [
        b.fee
          ? p('email.receipt.feeIntro', { total, fee: tr(`fees.${b.fee}`), when: when(a.startsAt) })
          : p('email.receipt.intro', { total, when: when(a.startsAt) }),
        ...(b.simulated ? [{ kind: 'p', parts: [{ strong: tr('simulated') }] } as Block] : []),
        {
          kind: 'details',
          rows: [
            [tr('email.receipt.invoice'), `#${invoice}`],
            [tr('email.receipt.amountPaid'), total],
            // The deposit taken at booking, credited on this invoice (src/billing/deposits.ts).
            ...(a.deposit && a.deposit.amountMinor > 0
              ? [
                  [
                    tr('email.receipt.deposit'),
                    money(b, Math.min(a.deposit.amountMinor, b.totalMinor), locale),
                  ] as const,
                ]
              : []),
            ...(card ? [[tr('email.receipt.paidWith'), card] as const] : []),
          ],
        },
        ...reportBlocks(ctx),
        { kind: 'heading', text: tr('invoice.heading', { number: invoice }) },
        invoiceDetails(b, locale),
        p('email.receipt.view'),
        { kind: 'button', label: tr('email.receipt.button'), href: invoiceUrl },
      ];
      break;
    }
    case 'paymentDeclined': {
      const b = requireBilling(ctx, event);
      const updateCardUrl = requireLink(ctx, 'updateCardUrl', event);
      const total = money(b, b.totalMinor, locale);
      const card = describeCard(b.card);
      const reason = present(b.declineMessage);
      subject = tr('email.paymentDeclined.subject', { total, business: truncate(business, 28) });
      body = [
        p('email.paymentDeclined.intro', {
          total,
          card: card ? tr('email.paymentDeclined.card', { card }) : '',
          when: when(a.startsAt),
          invoice: b.invoiceNumber,
        }),
        ...(reason ? [{ kind: 'note', label: tr('details.reason'), text: reason } as Block] : []),
        b.nextAttemptAt !== undefined
          ? p('email.paymentDeclined.retry', { when: when(b.nextAttemptAt) })
          : p('email.paymentDeclined.update'),
        { kind: 'button', label: tr('email.paymentDeclined.button'), href: updateCardUrl },
        ...(b.simulated ? [{ kind: 'p', parts: [tr('simulated')] } as Block] : []),
        { kind: 'heading', text: tr('invoice.heading', { number: b.invoiceNumber }) },
        invoiceDetails(b, locale),
      ];
      break;
    }
    case 'paymentActionRequired': {
      const b = requireBilling(ctx, event);
      const payUrl = requireLink(ctx, 'payUrl', event);
      const total = money(b, b.totalMinor, locale);
      subject = tr('email.paymentActionRequired.subject', { total, business: truncate(business, 28) });
      body = [
        p('email.paymentActionRequired.intro', { total, when: when(a.startsAt), invoice: b.invoiceNumber }),
        { kind: 'button', label: tr('email.paymentActionRequired.button'), href: payUrl },
        ...(b.simulated ? [{ kind: 'p', parts: [tr('simulated')] } as Block] : []),
        { kind: 'heading', text: tr('invoice.heading', { number: b.invoiceNumber }) },
        invoiceDetails(b, locale),
      ];
      break;
    }
    case 'paymentLink': {
      const b = requireBilling(ctx, event);
      const payUrl = requireLink(ctx, 'payUrl', event);
      const total = money(b, b.totalMinor, locale);
      subject = tr('email.paymentLink.subject', {
        invoice: b.invoiceNumber,
        business: truncate(business, 28),
        total,
      });
      body = [
        b.fee
          ? p('email.paymentLink.feeIntro', { fee: tr(`fees.${b.fee}`), when: when(a.startsAt), total })
          : p('email.paymentLink.intro', { when: when(a.startsAt), total }),
        { kind: 'button', label: tr('email.paymentLink.button'), href: payUrl },
        ...(b.simulated ? [{ kind: 'p', parts: [tr('simulated')] } as Block] : []),
        { kind: 'heading', text: tr('invoice.heading', { number: b.invoiceNumber }) },
        invoiceDetails(b, locale),
      ];
      break;
    }
    case 'feedbackRequest': {
      const feedbackUrl = requireLink(ctx, 'feedbackUrl', event);
      subject = tr('email.feedbackRequest.subject', { service: subjectSvc });
      body = [
        p('email.feedbackRequest.intro', { when: when(a.startsAt) }),
        p('email.feedbackRequest.ask'),
        { kind: 'button', label: tr('email.feedbackRequest.button'), href: feedbackUrl },
      ];
      break;
    }
    default:
      return assertNever(event);
  }
  return renderEmail(subject, [greeting, ...body, ...businessFooter(ctx)], locale);
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
  locale: Locale,
  build: (text: Readonly<Record<K, string>>, slotLines: string[]) => string,
): string {
  const lines = slots.map((s) => `${formatWhenShort(s.startsAt, timeZone, locale)}: ${s.url}`);
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
  const { locale, tr } = customerText(ctx);
  const tz = ctx.appointment.timeZone;
  const a = ctx.appointment;
  const base = {
    biz: { text: ctx.business.name, min: 12 },
    svc: { text: ctx.service.name, min: 16 },
    staff: { text: ctx.staff.name, min: 0 },
  } satisfies Record<string, SmsPart>;
  const withStaff = (s: string) => (s ? tr('withStaff', { staff: s }) : '');
  const manage = tr('sms.manage', { prompt: tr('sms.replyPrompt'), url: ctx.manageUrl });
  const short = (instant: number) => formatWhenShort(instant, tz, locale);
  const day = formatDayShort(a.startsAt, tz, locale);
  const test = (b: MessageBilling) => (b.simulated ? ` ${tr('sms.test')}` : '');
  const line = (key: string, t: Readonly<Record<string, string>>, values: Record<string, unknown> = {}) =>
    tr(key, { ...t, withStaff: withStaff(t.staff ?? ''), manage, ...values });
  // The rebooking messages offer the waitlist by the W reply (src/messaging/conversations.ts).
  const waitlistReply = ctx.waitlistUrl ? tr('sms.waitlist') : '';

  switch (event) {
    case 'confirmation': {
      const confirmed = (t: Readonly<Record<string, string>>, values: Record<string, unknown> = {}) =>
        line('sms.confirmation', t, { when: short(a.startsAt), ...values });
      if (!ctx.files) return fitSms(base, (t) => confirmed(t)).text;
      // The files link too (it also leads to the appointment in the portal); if both links do not fit,
      // the files link instead of the manage link (the reply prompt stays), else no files line at all.
      const files = tr('sms.files', { url: ctx.files.url });
      const tries = [
        fitSms(base, (t) => confirmed(t) + files),
        fitSms(base, (t) => confirmed(t, { manage: tr('sms.replyPrompt') }) + files),
      ];
      const fitted = tries.find((f) => f.fits && !f.truncated) ?? tries.find((f) => f.fits);
      return fitted ? fitted.text : fitSms(base, (t) => confirmed(t)).text;
    }
    case 'reminder48h':
      return fitSms(base, (t) => line('sms.reminder48h', t, { when: short(a.startsAt) })).text;
    case 'reminder12h':
      return fitSms(base, (t) => line('sms.reminder12h', t, { time: formatTime(a.startsAt, tz, locale), day })).text;
    case 'rescheduled': {
      const prev = a.previousStartsAt;
      const move =
        prev !== undefined
          ? tr('sms.movedFrom', { from: short(prev), to: short(a.startsAt) })
          : tr('sms.movedTo', { to: short(a.startsAt) });
      return fitSms(base, (t) => line('sms.rescheduled', t, { move })).text;
    }
    case 'cancelled':
      return fitSms({ ...base, reason: { text: a.cancelReason ?? '', min: 0 } }, (t) =>
        line('sms.cancelled', t, {
          when: short(a.startsAt),
          reason: t.reason ? tr('sms.reason', { reason: sentence(t.reason) }) : '',
          url: ctx.bookingUrl,
        }),
      ).text;
    case 'rebookFollowUp':
      return fitWithSlots(
        base,
        ctx.suggestedSlots ?? [],
        tz,
        locale,
        (t, lines) =>
          (lines.length > 0
            ? line('sms.rebookSlots', t, { lines: lines.join('\n'), url: ctx.bookingUrl })
            : line('sms.rebookNone', t, { url: ctx.bookingUrl })) + waitlistReply,
      );
    case 'bookAgain':
      return fitWithSlots(base, ctx.suggestedSlots ?? [], tz, locale, (t, lines) =>
        lines.length > 0
          ? line('sms.bookAgainSlots', t, { lines: lines.join('\n'), url: ctx.bookingUrl, day })
          : line('sms.bookAgainNone', t, { url: ctx.bookingUrl, day }),
      );
    case 'rescheduleRequest': {
      // As many whole open times as fit (never a time cut in half), then the manage link.
      const times = (ctx.suggestedSlots ?? []).map((x) => short(x.startsAt));
      const render = (n: number) =>
        fitSms(base, (t) =>
          line(t.staff ? 'sms.rescheduleRequest' : 'sms.rescheduleRequestUs', t, {
            when: short(a.startsAt),
            times: n > 0 ? tr('sms.rescheduleTimes', { times: times.slice(0, n).join('; ') }) : '',
            url: ctx.manageUrl,
          }),
        );
      for (let n = times.length; n > 0; n--) {
        const fitted = render(n);
        if (fitted.fits) return fitted.text;
      }
      return render(0).text;
    }
    case 'noShowPrompt':
      return fitWithSlots(
        { ...base, first: { text: firstName(ctx.contact.name), min: 0 } },
        ctx.suggestedSlots ?? [],
        tz,
        locale,
        (t, lines) =>
          line('sms.noShow', t, {
            first: t.first ? ` ${t.first}` : '',
            day,
            rest:
              (lines.length > 0
                ? tr('sms.noShowSlots', { lines: lines.join('\n'), url: ctx.bookingUrl })
                : tr('sms.noShowNone', { url: ctx.bookingUrl })) + waitlistReply,
          }),
      );
    case 'receipt': {
      const b = requireBilling(ctx, event);
      const invoiceUrl = requireLink(ctx, 'invoiceUrl', event);
      const card = describeCard(b.card);
      return fitSms(base, (t) =>
        line('sms.receipt', t, {
          total: smsMoney(b, b.totalMinor, locale),
          day,
          invoice: b.invoiceNumber,
          card: card ? `, ${smsText(card)}` : '',
          test: test(b),
          url: invoiceUrl,
        }),
      ).text;
    }
    case 'paymentDeclined': {
      const b = requireBilling(ctx, event);
      const updateCardUrl = requireLink(ctx, 'updateCardUrl', event);
      const next = b.nextAttemptAt;
      return fitSms({ ...base, reason: { text: b.declineMessage ?? '', min: 0 } }, (t) =>
        line('sms.declined', t, {
          total: smsMoney(b, b.totalMinor, locale),
          reason: t.reason ? `: ${sentence(t.reason)}` : '.',
          next: next !== undefined ? tr('sms.declinedNext', { when: short(next) }) : '',
          test: test(b),
          url: updateCardUrl,
        }),
      ).text;
    }
    case 'paymentActionRequired': {
      const b = requireBilling(ctx, event);
      const payUrl = requireLink(ctx, 'payUrl', event);
      return fitSms(
        base,
        (t) =>
          `${t.biz}: ` +
          sentence(tr('sms.actionRequired', { total: smsMoney(b, b.totalMinor, locale), svc: t.svc })) +
          test(b) +
          tr('sms.actionRequiredLink', { url: payUrl }),
      ).text;
    }
    case 'paymentLink': {
      const b = requireBilling(ctx, event);
      const payUrl = requireLink(ctx, 'payUrl', event);
      return fitSms(
        base,
        (t) =>
          `${t.biz}: ` +
          sentence(
            tr(b.fee ? 'sms.payLinkFee' : 'sms.payLink', {
              fee: b.fee ? tr(`fees.${b.fee}`) : '',
              svc: t.svc,
              total: smsMoney(b, b.totalMinor, locale),
            }),
          ) +
          test(b) +
          tr('sms.payLinkUrl', { url: payUrl }),
      ).text;
    }
    case 'feedbackRequest': {
      const feedbackUrl = requireLink(ctx, 'feedbackUrl', event);
      return fitSms({ ...base, first: { text: firstName(ctx.contact.name), min: 0 } }, (t) =>
        line('sms.feedback', t, { first: t.first ? ` ${t.first}` : '', url: feedbackUrl }),
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
  const tz = staffReader(ctx).timeZone;
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
  const tz = staffReader(ctx).timeZone;
  const a = ctx.appointment;
  const client = oneLine(ctx.contact.name);
  const subjectSvc = subjectService(ctx, 40);
  const greeting: Block = { kind: 'p', parts: [`Hi ${firstName(staffReader(ctx).name)},`] };
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
