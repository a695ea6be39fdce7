import { appointmentIcs } from '../../../src/messaging/ics';
import { HOUR, START, makeContext, makeLongContext } from './context';

/** Unfolds RFC 5545 content lines and checks each is NAME[;PARAM=...]:VALUE with balanced BEGIN/END. */
function parseIcs(ics: string): Array<{ name: string; params: string; value: string }> {
  expect(ics.endsWith('\r\n')).toBe(true);
  expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // CRLF only
  const lines = ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter((l) => l !== '');
  const stack: string[] = [];
  const props = lines.map((line) => {
    const m = /^([A-Z][A-Z0-9-]*)((?:;[A-Z0-9-]+=(?:"[^"]*"|[^";:,]*))*):(.*)$/.exec(line);
    if (!m) throw new Error(`not a content line: ${line}`);
    const [, name = '', params = '', value = ''] = m;
    if (name === 'BEGIN') stack.push(value);
    if (name === 'END') expect(stack.pop()).toBe(value);
    return { name, params, value };
  });
  expect(stack).toEqual([]);
  return props;
}

function prop(ics: string, name: string): string | undefined {
  return parseIcs(ics).find((p) => p.name === name)?.value;
}

describe('appointmentIcs', () => {
  const ctx = makeContext();

  it('builds a REQUEST invitation with UTC times, UID, method, sequence and CONFIRMED status', () => {
    const ics = appointmentIcs(ctx, { method: 'REQUEST', sequence: 0 });
    const props = parseIcs(ics);
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics).toContain('END:VCALENDAR');
    expect(props.filter((p) => p.name === 'BEGIN').map((p) => p.value)).toEqual(['VCALENDAR', 'VEVENT']);
    expect(prop(ics, 'METHOD')).toBe('REQUEST');
    expect(prop(ics, 'UID')).toBe('appt_123@appointflow');
    expect(prop(ics, 'DTSTART')).toBe('20260310T133000Z');
    expect(prop(ics, 'DTEND')).toBe('20260310T143000Z');
    expect(prop(ics, 'SEQUENCE')).toBe('0');
    expect(prop(ics, 'STATUS')).toBe('CONFIRMED');
    expect(prop(ics, 'SUMMARY')).toBe('Deep Tissue Massage with Serenity Spa');
    expect(prop(ics, 'LOCATION')).toBe('12 Main St\\, Springfield');
    expect(prop(ics, 'DESCRIPTION')).toContain(`Reschedule or cancel: ${ctx.manageUrl}`);
    expect(prop(ics, 'PRODID')).toBe('-//appointflow//appointments//EN');
    const organizer = props.find((p) => p.name === 'ORGANIZER');
    expect(organizer?.params).toContain('CN="Serenity Spa"');
    expect(organizer?.value).toBe('MAILTO:hello@serenity.example');
    const attendee = props.find((p) => p.name === 'ATTENDEE');
    expect(attendee?.params).toContain('CN="Sam Rivera"');
    expect(attendee?.value).toBe('mailto:sam@example.com');
  });

  it('builds a CANCEL with STATUS:CANCELLED, the given sequence and the booking link', () => {
    const ics = appointmentIcs(ctx, { method: 'CANCEL', sequence: 3 });
    expect(prop(ics, 'METHOD')).toBe('CANCEL');
    expect(prop(ics, 'STATUS')).toBe('CANCELLED');
    expect(prop(ics, 'SEQUENCE')).toBe('3');
    expect(prop(ics, 'UID')).toBe('appt_123@appointflow');
    expect(prop(ics, 'DESCRIPTION')).toContain(`Book again: ${ctx.bookingUrl}`);
    expect(prop(ics, 'DESCRIPTION')).not.toContain(ctx.manageUrl);
  });

  it('is identical for identical input and does not read the clock', () => {
    const first = appointmentIcs(ctx, { method: 'REQUEST', sequence: 1 });
    const spy = jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2031, 5, 1));
    try {
      expect(appointmentIcs(makeContext(), { method: 'REQUEST', sequence: 1 })).toBe(first);
    } finally {
      spy.mockRestore();
    }
  });

  it('stamps DTSTAMP with stampedAt, defaulting to the start', () => {
    expect(prop(appointmentIcs(ctx, { method: 'REQUEST', sequence: 0 }), 'DTSTAMP')).toBe('20260310T133000Z');
    const stamped = appointmentIcs(ctx, { method: 'REQUEST', sequence: 0, stampedAt: Date.UTC(2026, 1, 1, 8, 0, 5) });
    expect(prop(stamped, 'DTSTAMP')).toBe('20260201T080005Z');
  });

  it("prefers the appointment's address for the location", () => {
    const onSite = makeContext();
    onSite.appointment.address = '77 Client Lane\nUnit 4';
    expect(prop(appointmentIcs(onSite, { method: 'REQUEST', sequence: 0 }), 'LOCATION')).toBe(
      '77 Client Lane\\, Unit 4',
    );
  });

  it('keeps parameter values valid when names contain quotes, and handles long text', () => {
    const quoted = makeLongContext();
    quoted.contact.name = 'Sam "The Rock" Rivera';
    const ics = appointmentIcs(quoted, { method: 'REQUEST', sequence: 0 });
    const attendee = parseIcs(ics).find((p) => p.name === 'ATTENDEE');
    expect(attendee?.params).toContain(`CN="Sam 'The Rock' Rivera"`);
    expect(ics.split('\r\n').every((l) => Buffer.byteLength(l) <= 75 * 4)).toBe(true);
    expect(prop(ics, 'DTEND')).toBe('20260310T150000Z');
  });

  it('throws on input the ics package or the calendar rejects', () => {
    const badEmail = makeContext();
    badEmail.contact.email = 'not an email';
    expect(() => appointmentIcs(badEmail, { method: 'REQUEST', sequence: 0 })).toThrow(/calendar invitation/);
    const backwards = makeContext();
    backwards.appointment.endsAt = START - HOUR;
    expect(() => appointmentIcs(backwards, { method: 'REQUEST', sequence: 0 })).toThrow(/endsAt/);
    expect(() => appointmentIcs(ctx, { method: 'REQUEST', sequence: -1 })).toThrow(/sequence/);
    expect(() => appointmentIcs(ctx, { method: 'REQUEST', sequence: 0, stampedAt: Number.NaN })).toThrow(/stampedAt/);
  });
});
