/**
 * The calendar invitation (iCalendar, RFC 5545/5546) attached to customer emails, built with the `ics`
 * package. Deterministic: the same context and options give byte-identical output.
 *
 * About `ics` v3 and DTSTAMP: `createEvent` merges the caller's attributes over `eventDefaults()`,
 * which are `{ title, uid: nanoid(), timestamp: Date.now() }`, and writes DTSTAMP from `timestamp`.
 * `timestamp` is accepted by the package's validation schema (a date array, epoch-ms number or
 * string) but missing from its TypeScript typings, so it is passed through a widened type below. With
 * `uid` and `timestamp` always supplied, the random and clock defaults are computed but discarded.
 * CREATED/LAST-MODIFIED are only written when given, and are not.
 */
import { type Attendee, type EventAttributes, createEvent } from 'ics';
import { assertInstant } from '../domain/time';
import { textFor } from './customer-text';
import { type MessageContext } from './templates';

export interface AppointmentIcsOptions {
  /** REQUEST for a new or changed appointment, CANCEL once it is cancelled. */
  method: 'REQUEST' | 'CANCEL';
  /** RFC 5545 SEQUENCE: increase on every change (reschedule, cancel) so calendars apply it. */
  sequence: number;
  /**
   * DTSTAMP (epoch ms): when this version of the invitation was produced. Defaults to
   * `appointment.startsAt` so output depends on the input only; pass the time of the change (e.g. the
   * appointment's updated-at) for more accurate ordering in calendar clients.
   */
  stampedAt?: number;
}

/** `ics` reads `timestamp` (DTSTAMP) at run time but its typings omit it. */
type EventAttributesWithStamp = EventAttributes & { timestamp: number };

/** A parameter value (CN) must not contain DQUOTE or control characters (RFC 5545 §3.1). */
function paramText(s: string): string {
  return s
    .replace(/"/g, "'")
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function epochMs(value: number, what: string): number {
  assertInstant(value, what);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${what} must be a non-negative integer epoch-ms`);
  return value;
}

function present(s: string | null | undefined): string | null {
  const t = (s ?? '').trim();
  return t === '' ? null : t;
}

/**
 * The VCALENDAR text (CRLF line endings) for the appointment: UID `<appointment id>@appointflow`,
 * DTSTART/DTEND in UTC, METHOD and SEQUENCE from `opts`, STATUS CONFIRMED (REQUEST) or CANCELLED
 * (CANCEL), organizer the business, attendee the contact. Throws when `ics` rejects the input (for
 * example an invalid email address) or an instant is invalid.
 */
export function appointmentIcs(ctx: MessageContext, opts: AppointmentIcsOptions): string {
  const a = ctx.appointment;
  const start = epochMs(a.startsAt, 'appointment.startsAt');
  const end = epochMs(a.endsAt, 'appointment.endsAt');
  if (end <= start) throw new Error('appointment.endsAt must be after appointment.startsAt');
  const stampedAt = epochMs(opts.stampedAt ?? start, 'stampedAt');
  if (!Number.isInteger(opts.sequence) || opts.sequence < 0) {
    throw new Error(`sequence must be a non-negative integer, got ${String(opts.sequence)}`);
  }
  const cancel = opts.method === 'CANCEL';
  const service = ctx.service.name.replace(/\s+/g, ' ').trim();
  const business = ctx.business.name.replace(/\s+/g, ' ').trim();
  const staff = present(ctx.staff.name);
  const location = present(a.address) ?? present(ctx.business.address);
  const notes = present(a.publicNotes);

  const tr = textFor(ctx.locale ?? 'en');
  const withStaff = staff ? tr('withStaff', { staff: staff.replace(/\s+/g, ' ') }) : '';
  const description = [
    tr('ics.summary', { service, withStaff, business }),
    ...(cancel
      ? [tr('ics.cancelled'), tr('ics.bookAgain', { url: ctx.bookingUrl })]
      : [...(notes ? [notes] : []), tr('ics.manage', { url: ctx.manageUrl })]),
  ].join('\n\n');

  const attendee: Attendee = {
    name: paramText(ctx.contact.name) || ctx.contact.email,
    email: ctx.contact.email.trim(),
    role: 'REQ-PARTICIPANT',
    // The customer booked it themselves: no RSVP round-trip to the business mailbox.
    rsvp: false,
    ...(cancel ? {} : { partstat: 'ACCEPTED' as const }),
  };

  const event: EventAttributesWithStamp = {
    productId: '-//appointflow//appointments//EN',
    method: opts.method,
    uid: `${a.id}@appointflow`,
    sequence: opts.sequence,
    timestamp: stampedAt,
    start,
    startInputType: 'utc',
    startOutputType: 'utc',
    end,
    endInputType: 'utc',
    endOutputType: 'utc',
    title: tr('ics.title', { service, business }),
    description,
    ...(location ? { location: location.replace(/\s*\r?\n\s*/g, ', ') } : {}),
    status: cancel ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: cancel ? 'FREE' : 'BUSY',
    organizer: { name: paramText(business) || ctx.business.email, email: ctx.business.email.trim() },
    attendees: [attendee],
  };

  const { error, value } = createEvent(event);
  if (error || value === null) {
    throw new Error(`could not build the calendar invitation for ${a.id}: ${error?.message ?? 'no output'}`);
  }
  return value;
}
