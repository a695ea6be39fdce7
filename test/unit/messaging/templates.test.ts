import { isGsm7 } from '../../../src/messaging/sms';
import {
  APPOINTMENT_CUSTOMER_EVENTS as CUSTOMER_EVENTS,
  APPOINTMENT_STAFF_EVENTS as STAFF_EVENTS,
  type CustomerEvent,
  type MessageContext,
  SMS_REPLY_PROMPT,
  escapeHtml,
  formatDuration,
  formatWhen,
  renderCustomerEmail,
  renderCustomerSms,
  renderStaffEmail,
  renderStaffSms,
} from '../../../src/messaging/templates';
import { DAY, PREVIOUS_START, START, makeContext, makeLongContext } from './context';

// The appointment lifecycle events; the billing events (which need ctx.billing / ctx.links) are
// covered by billing-templates.test.ts.

const NY_START = 'Tuesday, March 10, 2026 at 9:30 AM EDT';
const NY_START_SHORT = 'Tue, Mar 10 at 9:30 AM EDT';
const NY_PREVIOUS = 'Monday, March 9, 2026 at 10:00 AM EDT';
const KOLKATA = /7:00 PM (GMT\+5:30|IST)/;

/** Every clock time (9:30 AM) must be followed by a zone name (EDT, GMT+5:30, UTC, ...). */
function bareTimes(s: string): string[] {
  return [...s.matchAll(/\b\d{1,2}:\d{2} [AP]M\b(?! (?:[A-Z]{2,5}\b|GMT[+-]\d{1,2}(?::\d{2})?))/g)].map((m) => m[0]);
}

/** Telling people to reply CANCEL/STOP would trigger carrier opt-out; the words must not appear. */
function hasOptOutKeyword(sms: string): boolean {
  return /\b(CANCEL|STOP|UNSUBSCRIBE|END|QUIT)\b/.test(sms) || /reply\s+"?(cancel|stop)\b/i.test(sms);
}

function customerMessages(ctx: MessageContext, event: CustomerEvent) {
  const email = renderCustomerEmail(event, ctx);
  return { email, sms: renderCustomerSms(event, ctx), all: [email.subject, email.text, email.html].join('\n') };
}

describe('formatWhen', () => {
  it('shows the date and time in the given zone with the zone named', () => {
    expect(formatWhen(START, 'America/New_York')).toBe(NY_START);
    expect(formatWhen(START, 'Asia/Kolkata')).toMatch(/^Tuesday, March 10, 2026 at 7:00 PM (GMT\+5:30|IST)$/);
    expect(formatWhen(START, 'UTC')).toBe('Tuesday, March 10, 2026 at 1:30 PM UTC');
    // Winter time in New York is EST.
    expect(formatWhen(Date.UTC(2026, 0, 15, 14, 30), 'America/New_York')).toBe(
      'Thursday, January 15, 2026 at 9:30 AM EST',
    );
  });

  it('rejects an invalid zone or instant', () => {
    expect(() => formatWhen(START, 'Mars/Olympus_Mons')).toThrow(/invalid time zone/);
    expect(() => formatWhen(Number.NaN, 'UTC')).toThrow(/finite/);
  });
});

describe('formatDuration', () => {
  it('reads naturally', () => {
    expect(formatDuration(45)).toBe('45 minutes');
    expect(formatDuration(60)).toBe('1 hour');
    expect(formatDuration(90)).toBe('1 hour 30 minutes');
    expect(formatDuration(121)).toBe('2 hours 1 minute');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('customer messages, every event', () => {
  const ctx = makeContext();

  it.each(CUSTOMER_EVENTS)('%s: email greets by first name and names the business, text and HTML', (event) => {
    const { email } = customerMessages(ctx, event);
    expect(email.subject.length).toBeGreaterThan(10);
    expect(email.subject.length).toBeLessThanOrEqual(90);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text).toMatch(/^Hi Sam,\n/);
    expect(email.html).toContain('Hi Sam,');
    for (const part of [email.text, email.html]) {
      expect(part).toContain('Serenity Spa');
      expect(part).toContain('+1 555 0100');
      expect(part).toContain('12 Main St, Springfield');
    }
    expect(email.html).toMatch(/^<!DOCTYPE html>/);
    expect(email.text).not.toMatch(/<[a-z]/i);
  });

  it.each(CUSTOMER_EVENTS)('%s: every time is in the customer zone and names it; never the staff zone', (event) => {
    const { email, sms, all } = customerMessages(ctx, event);
    expect(bareTimes(all)).toEqual([]);
    expect(bareTimes(sms)).toEqual([]);
    expect(all + sms).toMatch(/\d:\d{2} [AP]M EDT/);
    expect(all + sms).not.toMatch(/GMT\+5:30|IST/);
    if (event !== 'rebookFollowUp') expect(email.text).toContain(event === 'noShowPrompt' ? NY_START : 'EDT');
  });

  it.each(CUSTOMER_EVENTS)('%s: SMS is GSM-7, fits two segments and never asks for CANCEL/STOP', (event) => {
    const { sms } = customerMessages(ctx, event);
    expect(sms.length).toBeGreaterThan(40);
    expect(sms.length).toBeLessThanOrEqual(306);
    expect(isGsm7(sms)).toBe(true);
    expect(hasOptOutKeyword(sms)).toBe(false);
    expect(sms.startsWith('Serenity Spa: ')).toBe(true);
  });

  it.each(CUSTOMER_EVENTS)("%s: never reveals the contact's private notes", (event) => {
    const { all, sms } = customerMessages(ctx, event);
    expect(all + sms).not.toContain('lavender');
  });

  it.each(CUSTOMER_EVENTS)('%s: is deterministic', (event) => {
    expect(customerMessages(ctx, event)).toEqual(customerMessages(makeContext(), event));
  });

  const manageEvents: CustomerEvent[] = ['confirmation', 'reminder48h', 'reminder12h', 'rescheduled'];
  const afterEvents: CustomerEvent[] = ['cancelled', 'rebookFollowUp', 'noShowPrompt'];

  it.each(manageEvents)('%s: offers the manage link ("Reschedule or cancel") and the C/R reply prompt', (event) => {
    const { email, sms } = customerMessages(ctx, event);
    expect(email.text).toContain(`Reschedule or cancel: ${ctx.manageUrl}`);
    expect(email.html).toContain(`<a href="${ctx.manageUrl}"`);
    expect(email.html).toMatch(/>Reschedule or cancel<\/a>/);
    expect(email.text).toContain('Duration: 1 hour (until 10:30 AM EDT)');
    expect(email.text).toContain('With: Priya Nair');
    expect(email.text).toContain('Please arrive 10 minutes early.');
    expect(sms).toContain(SMS_REPLY_PROMPT);
    expect(sms).toContain(ctx.manageUrl);
  });

  it.each(afterEvents)('%s: has no manage link or reply prompt, and offers the booking link', (event) => {
    const { email, sms, all } = customerMessages(ctx, event);
    expect(all + sms).not.toContain(ctx.manageUrl);
    expect(sms).not.toMatch(/reply/i);
    expect(sms).toContain(ctx.bookingUrl);
    expect(email.text).toContain(ctx.bookingUrl);
    expect(email.html).toContain(`<a href="${ctx.bookingUrl}"`);
  });
});

describe('customer messages, per event', () => {
  const ctx = makeContext();

  it('confirmation: specific subject, details, attached invitation', () => {
    const { email, sms } = customerMessages(ctx, 'confirmation');
    expect(email.subject).toBe(`Confirmed: Deep Tissue Massage on ${NY_START_SHORT}`);
    expect(email.text).toContain(`When: ${NY_START}`);
    expect(email.text).toContain('Service: Deep Tissue Massage');
    expect(email.text).toContain('Where: 12 Main St, Springfield');
    expect(email.text).toContain('invitation (.ics) is attached');
    expect(email.html).toContain('invitation (.ics) is attached');
    expect(email.text).toContain('Sore left shoulder');
    expect(sms).toBe(
      `Serenity Spa: Your Deep Tissue Massage with Priya Nair is confirmed for ${NY_START_SHORT}. ` +
        `Reply C to cancel, R to reschedule. Manage: ${ctx.manageUrl}`,
    );
  });

  it("uses the appointment's own address (on-site visits) over the business's", () => {
    const onSite = makeContext();
    onSite.appointment.address = '77 Client Lane';
    expect(renderCustomerEmail('confirmation', onSite).text).toContain('Where: 77 Client Lane');
  });

  it('reminder48h: "coming up on <date>" without claiming today or tomorrow', () => {
    const { email, sms } = customerMessages(ctx, 'reminder48h');
    expect(email.subject).toBe(`Reminder: Deep Tissue Massage on ${NY_START_SHORT}`);
    expect(email.text).toContain('is coming up on Tuesday, March 10 at 9:30 AM EDT');
    expect(sms).toContain(`coming up on ${NY_START_SHORT}`);
    expect(email.text + sms).not.toMatch(/\b(today|tomorrow|tonight)\b/i);
  });

  it('reminder12h: "coming up at <time>" with the date, without claiming today', () => {
    const { email, sms } = customerMessages(ctx, 'reminder12h');
    expect(email.subject).toBe('Coming up at 9:30 AM EDT: Deep Tissue Massage (Tue, Mar 10)');
    expect(email.text).toContain('is coming up soon, at 9:30 AM EDT on Tuesday, March 10');
    expect(sms).toContain('coming up soon, at 9:30 AM EDT (Tue, Mar 10)');
    expect(email.text + sms).not.toMatch(/\b(today|tomorrow|tonight)\b/i);
  });

  it('rescheduled: shows the old and the new time, old first', () => {
    const { email, sms } = customerMessages(ctx, 'rescheduled');
    expect(email.subject).toBe(`Rescheduled: Deep Tissue Massage now on ${NY_START_SHORT}`);
    expect(email.text).toContain(`has been moved from ${NY_PREVIOUS} to ${NY_START}`);
    expect(email.text).toContain(`Previous time: ${NY_PREVIOUS}`);
    expect(email.text).toContain(`New time: ${NY_START}`);
    expect(email.html).toContain(NY_PREVIOUS);
    expect(email.html).toContain(NY_START);
    expect(sms).toContain(`moved from Mon, Mar 9 at 10:00 AM EDT to ${NY_START_SHORT}`);
  });

  it('rescheduled without a previous time still reads correctly', () => {
    const noPrev = makeContext();
    delete noPrev.appointment.previousStartsAt;
    expect(renderCustomerEmail('rescheduled', noPrev).text).toContain(`has been moved to ${NY_START}`);
    expect(renderCustomerSms('rescheduled', noPrev)).toContain(`has moved to ${NY_START_SHORT}`);
  });

  it('cancelled: confirms the cancellation with the reason and offers the booking link, no reply prompt', () => {
    const { email, sms } = customerMessages(ctx, 'cancelled');
    expect(email.subject).toBe(`Cancelled: Deep Tissue Massage on ${NY_START_SHORT}`);
    expect(email.text).toContain(`on ${NY_START} has been cancelled`);
    expect(email.text).toContain('Reason:\nTherapist unwell');
    expect(email.text).toContain(`Book a new appointment: ${ctx.bookingUrl}`);
    expect(sms).toBe(
      `Serenity Spa: Your Deep Tissue Massage on ${NY_START_SHORT} has been cancelled. Reason: Therapist unwell. ` +
        `Book again any time: ${ctx.bookingUrl}`,
    );
    expect(sms).not.toContain('Reply C');
  });

  it('cancelled without a reason leaves the reason out', () => {
    const noReason = makeContext();
    noReason.appointment.cancelReason = null;
    expect(renderCustomerEmail('cancelled', noReason).text).not.toContain('Reason');
    expect(renderCustomerSms('cancelled', noReason)).not.toContain('Reason');
  });

  it.each(['rebookFollowUp', 'noShowPrompt'] as const)(
    '%s: lists every suggested slot with its own link in the email',
    (event) => {
      const { email } = customerMessages(ctx, event);
      const slots = ctx.suggestedSlots ?? [];
      expect(slots).toHaveLength(3);
      for (const slot of slots) {
        const when = formatWhen(slot.startsAt, 'America/New_York');
        expect(email.text).toContain(`- ${when}: ${slot.url}`);
        expect(email.html).toContain(`<a href="${escapeHtml(slot.url)}" style="color:#1a5fb4;">${when}</a>`);
      }
      expect(email.text).toContain('Wednesday, March 11, 2026 at 9:30 AM EDT');
    },
  );

  it.each(['rebookFollowUp', 'noShowPrompt'] as const)(
    '%s: the SMS lists as many slots (with links) as fit, plus the booking link',
    (event) => {
      const sms = renderCustomerSms(event, ctx);
      const first = ctx.suggestedSlots?.[0];
      expect(first).toBeDefined();
      expect(sms).toContain(`Wed, Mar 11 at 9:30 AM EDT: ${first?.url}`);
      expect(sms).toContain(`More times: ${ctx.bookingUrl}`);
      expect(sms.length).toBeLessThanOrEqual(306);
    },
  );

  it('rebookFollowUp and noShowPrompt without slots still offer the booking link', () => {
    const noSlots = makeContext({ suggestedSlots: [] });
    for (const event of ['rebookFollowUp', 'noShowPrompt'] as const) {
      const { email, sms } = customerMessages(noSlots, event);
      expect(email.text).toContain(`Book an appointment: ${noSlots.bookingUrl}`);
      expect(email.text).not.toContain('open times');
      expect(sms).toContain(noSlots.bookingUrl);
      expect(sms).not.toContain('Open times');
    }
  });

  it('noShowPrompt is kind', () => {
    const { email, sms } = customerMessages(ctx, 'noShowPrompt');
    expect(email.subject).toBe('We missed you at your Deep Tissue Massage on Tue, Mar 10');
    expect(email.text).toContain(`We missed you at your Deep Tissue Massage with Priya Nair on ${NY_START}.`);
    expect(email.text).toContain('We hope everything is okay');
    expect(sms).toContain('Hi Sam, we missed you');
    expect(email.text + sms).not.toMatch(/\b(fee|charge|penalty|failed)\b/i);
  });
});

describe('staff messages', () => {
  const ctx = makeContext();

  it('staffBrief: in the staff zone (Kolkata), with appointment and client contact details', () => {
    const email = renderStaffEmail('staffBrief', ctx);
    expect(email.subject).toMatch(
      /^Brief: Deep Tissue Massage with Sam Rivera on Tue, Mar 10 at 7:00 PM (GMT\+5:30|IST)$/,
    );
    expect(email.text).toMatch(/^Hi Priya,\n/);
    expect(email.text).toMatch(/When: Tuesday, March 10, 2026 at 7:00 PM (GMT\+5:30|IST)\n/);
    expect(email.text).toContain(`Client's local time: ${NY_START}`);
    expect(email.text).toMatch(/Duration: 1 hour \(until 8:00 PM (GMT\+5:30|IST)\)/);
    for (const part of [email.text, email.html]) {
      expect(part).toContain('Sam Rivera');
      expect(part).toContain('sam@example.com');
      expect(part).toContain('+15550111');
      expect(part).toContain('9 Elm Rd, Springfield');
      expect(part).toContain('allergic to lavender');
      expect(part).toContain('Sore left shoulder');
      expect(part).toContain('appt_123');
      expect(part).toContain('Deep Tissue Massage');
    }
    expect(bareTimes(email.subject + email.text + email.html)).toEqual([]);
  });

  it('staffBrief SMS: Kolkata time, client contact and notes, GSM-7 within 306', () => {
    const sms = renderStaffSms('staffBrief', ctx);
    expect(sms).toMatch(KOLKATA);
    expect(sms).not.toContain('EDT');
    expect(sms).toContain('Sam Rivera, +15550111, sam@example.com');
    expect(sms).toContain('Booking note: Sore left shoulder.');
    expect(sms).toContain('allergic to lavender');
    expect(sms.length).toBeLessThanOrEqual(306);
    expect(isGsm7(sms)).toBe(true);
  });

  it('staffNoShow: says the client did not show, with contact details to reach out', () => {
    const email = renderStaffEmail('staffNoShow', ctx);
    expect(email.subject).toMatch(/^No-show: Sam Rivera missed Deep Tissue Massage on Tue, Mar 10 at 7:00 PM /);
    expect(email.text).toMatch(
      /Sam Rivera did not show up for their Deep Tissue Massage on Tuesday, March 10, 2026 at 7:00 PM/,
    );
    expect(email.text).toContain('Email: sam@example.com');
    expect(email.text).toContain('Phone: +15550111');
    const sms = renderStaffSms('staffNoShow', ctx);
    expect(sms).toMatch(/^No-show: Sam Rivera missed Deep Tissue Massage at 7:00 PM (GMT\+5:30|IST) \(Tue, Mar 10\)\./);
    expect(sms).toContain('Reach them at +15550111, sam@example.com.');
  });

  it.each(STAFF_EVENTS)("%s: never includes the customer's manage link", (event) => {
    const email = renderStaffEmail(event, ctx);
    expect(email.text + email.html + renderStaffSms(event, ctx)).not.toContain(ctx.manageUrl);
  });

  it('shows "not provided" for missing contact details', () => {
    const sparse = makeContext();
    sparse.contact = { ...sparse.contact, phone: null, address: null, notes: '' };
    sparse.appointment.clientNote = '  ';
    const email = renderStaffEmail('staffBrief', sparse);
    expect(email.text).toContain('Phone: not provided');
    expect(email.text).toContain('Address: not provided');
    expect(email.text).toContain('Client notes: none');
    expect(email.text).toContain('Note for this booking: none');
    const sms = renderStaffSms('staffNoShow', sparse);
    expect(sms).toContain('Reach them at sam@example.com.');
  });

  it('omits the client-local row when both are in the same zone', () => {
    const same = makeContext();
    same.staff.timeZone = 'America/New_York';
    const email = renderStaffEmail('staffBrief', same);
    expect(email.text).toContain(`When: ${NY_START}`);
    expect(email.text).not.toContain("Client's local time");
  });
});

describe('HTML escaping', () => {
  const evil = '<script>alert(1)</script>';
  const ctx = makeContext({
    contact: { name: `${evil} Mallory`, email: 'm@example.com', phone: null, address: evil, notes: evil },
    business: { ...makeContext().business, name: `Spa "${evil}" & Co`, address: evil },
    service: { name: `Massage ${evil}`, durationMinutes: 60 },
    suggestedSlots: [{ startsAt: START + DAY, url: 'javascript:alert(1)' }],
  });
  ctx.appointment.publicNotes = evil;
  ctx.appointment.clientNote = evil;
  ctx.appointment.cancelReason = evil;

  const htmls = [
    ...CUSTOMER_EVENTS.map((e) => renderCustomerEmail(e, ctx).html),
    ...STAFF_EVENTS.map((e) => renderStaffEmail(e, ctx).html),
  ];

  it.each(htmls.map((html, i) => [i, html] as const))('email %i escapes every interpolated value', (_i, html) => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('"<');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('href="javascript:');
  });

  it('escapes quotes and ampersands in names', () => {
    const html = renderCustomerEmail('confirmation', ctx).html;
    expect(html).toContain('Spa &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; &amp; Co');
  });

  it('keeps the plain-text part plain (no escaping there)', () => {
    expect(renderCustomerEmail('confirmation', ctx).text).toContain(`Hi ${evil.split(' ')[0]},`);
  });

  it('renders a non-web slot URL as text, not as a link', () => {
    const html = renderCustomerEmail('rebookFollowUp', ctx).html;
    expect(html).toContain(': javascript:alert(1)</li>');
  });
});

describe('SMS with long and non-GSM names', () => {
  const ctx = makeLongContext();

  it.each(CUSTOMER_EVENTS)('%s: customer SMS stays within 306 GSM-7 characters and keeps links whole', (event) => {
    const sms = renderCustomerSms(event, ctx);
    expect(sms.length).toBeLessThanOrEqual(306);
    expect(isGsm7(sms)).toBe(true);
    expect(hasOptOutKeyword(sms)).toBe(false);
    expect(bareTimes(sms)).toEqual([]);
    expect(sms).toContain('...'); // something was shortened
    if (['confirmation', 'reminder48h', 'reminder12h', 'rescheduled'].includes(event)) {
      expect(sms).toContain(`Manage: ${ctx.manageUrl}`);
      expect(sms).toContain(SMS_REPLY_PROMPT);
    } else if (event === 'rescheduleRequest') {
      expect(sms).toContain(`Choose a new time: ${ctx.manageUrl}`);
      expect(sms).not.toContain('Reply');
    } else {
      expect(sms).toContain(ctx.bookingUrl);
      expect(sms).not.toContain('Reply');
    }
    if (event === 'rescheduled') expect(sms).toContain(`to ${NY_START_SHORT}`);
  });

  it.each(STAFF_EVENTS)('%s: staff SMS stays within 306 GSM-7 characters', (event) => {
    const sms = renderStaffSms(event, ctx);
    expect(sms.length).toBeLessThanOrEqual(306);
    expect(isGsm7(sms)).toBe(true);
    expect(sms).toMatch(KOLKATA);
    expect(sms).toContain('sam@example.com');
  });

  it('maps typographic characters and drops emoji rather than leave GSM-7', () => {
    const sms = renderCustomerSms('confirmation', ctx);
    expect(sms.startsWith('Zoe\'s "Serenity" Wellness')).toBe(true);
    expect(sms).not.toMatch(/[’“”—]/);
  });

  it('keeps long names whole in email (truncation is an SMS concern), but bounds subjects', () => {
    const email = renderCustomerEmail('confirmation', ctx);
    expect(email.text).toContain(ctx.service.name);
    expect(email.text).toContain('Duration: 1 hour 30 minutes (until 11:00 AM EDT)');
    for (const event of CUSTOMER_EVENTS) {
      expect(renderCustomerEmail(event, ctx).subject.length).toBeLessThanOrEqual(100);
    }
    for (const event of STAFF_EVENTS) {
      expect(renderStaffEmail(event, ctx).subject.length).toBeLessThanOrEqual(130);
    }
  });

  it('renders the same SMS on every call (deterministic truncation)', () => {
    for (const event of CUSTOMER_EVENTS) {
      expect(renderCustomerSms(event, ctx)).toBe(renderCustomerSms(event, makeLongContext()));
    }
  });
});

describe('validation', () => {
  it('throws on an invalid customer or staff zone', () => {
    const badCustomer = makeContext();
    badCustomer.appointment.timeZone = 'EST5EDT-ish';
    expect(() => renderCustomerEmail('confirmation', badCustomer)).toThrow(/appointment time zone/);
    const badStaff = makeContext();
    badStaff.staff.timeZone = '';
    expect(() => renderStaffSms('staffBrief', badStaff)).toThrow(/staff time zone/);
  });

  it('does not depend on the previous start for non-reschedule events', () => {
    const ctx = makeContext();
    delete ctx.appointment.previousStartsAt;
    expect(renderCustomerEmail('confirmation', ctx)).toEqual(renderCustomerEmail('confirmation', makeContext()));
    expect(PREVIOUS_START).toBeLessThan(START);
  });
});
