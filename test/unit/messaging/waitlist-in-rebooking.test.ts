/**
 * The rebooking messages (the cancellation follow-up and the no-show prompt) offer the waitlist when
 * none of the suggested times suits: the email links the booking page opened on "Join the waitlist"
 * for that service and staff member, the SMS offers the W reply — in English and Spanish, the SMS
 * still GSM-7 within two segments with long names and three suggested times.
 */
import { gsm7Length, isGsm7, SMS_MAX_SEPTETS } from '../../../src/messaging/sms';
import { renderCustomerEmail, renderCustomerSms } from '../../../src/messaging/templates';
import { makeContext, makeLongContext } from './context';

const waitlistUrl = 'https://af.example/book/deep-tissue?staff=0b7e&waitlist=1';
const events = ['rebookFollowUp', 'noShowPrompt'] as const;

describe.each(events)('%s', (event) => {
  it('links the waitlist in the email and offers the W reply by SMS', () => {
    const email = renderCustomerEmail(event, makeContext({ waitlistUrl }));
    expect(email.text).toContain('Join the waitlist');
    expect(email.text).toContain(waitlistUrl);
    expect(email.html).toContain(`href="${waitlistUrl.replace(/&/g, '&amp;')}"`);
    const sms = renderCustomerSms(event, makeContext({ waitlistUrl }));
    expect(sms).toMatch(/Reply W to join the waitlist\.$/);
  });

  it('says it in Spanish', () => {
    const ctx = makeContext({ waitlistUrl, locale: 'es' });
    expect(renderCustomerEmail(event, ctx).text).toContain('Apuntarme a la lista de espera');
    expect(renderCustomerSms(event, ctx)).toMatch(/Responda W para la lista de espera\.$/);
  });

  it('keeps the SMS in two GSM-7 segments with long names', () => {
    for (const locale of ['en', 'es'] as const) {
      const sms = renderCustomerSms(event, { ...makeLongContext(), waitlistUrl, locale });
      expect(isGsm7(sms)).toBe(true);
      expect(gsm7Length(sms)).toBeLessThanOrEqual(SMS_MAX_SEPTETS);
      expect(sms).toMatch(/ W /);
    }
  });

  it('says nothing of a waitlist without the link', () => {
    expect(renderCustomerEmail(event, makeContext()).text).not.toMatch(/waitlist/i);
    expect(renderCustomerSms(event, makeContext())).not.toMatch(/waitlist/i);
  });
});
