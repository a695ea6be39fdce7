/**
 * Customer and staff messages for the appointment lifecycle: email (subject, plain text, HTML) and SMS.
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
import { type Block, type RenderedEmail, oneLine, renderEmail } from './layout';
import { type SmsPart, fitSms, smsText, truncate } from './sms';

export { escapeHtml, type RenderedEmail } from './layout';

export const CUSTOMER_EVENTS = [
  'confirmation',
  'reminder48h',
  'reminder12h',
  'rescheduled',
  'cancelled',
  'rebookFollowUp',
  'noShowPrompt',
] as const;
export type CustomerEvent = (typeof CUSTOMER_EVENTS)[number];

export const STAFF_EVENTS = ['staffBrief', 'staffNoShow'] as const;
export type StaffEvent = (typeof STAFF_EVENTS)[number];

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
    default:
      return assertNever(event);
  }
}
