import { renderCustomerEmail, renderCustomerSms } from '../../../src/messaging/templates';
import { makeContext } from './context';

describe('rescheduleRequest: staff cannot make it, please choose a new time', () => {
  const ctx = makeContext();

  it('the email says who cannot make it and when, lists the open times and links the manage page', () => {
    const email = renderCustomerEmail('rescheduleRequest', ctx);
    expect(email.subject).toBe('Please choose a new time for your Deep Tissue Massage on Tue, Mar 10');
    expect(email.text).toContain('Priya Nair can no longer make your Deep Tissue Massage on Tuesday, March 10');
    expect(email.text).toContain('These times are open:');
    expect(email.text).toContain('Wednesday, March 11');
    expect(email.text).toContain('Friday, March 13');
    expect(email.html).toContain(`href="${ctx.manageUrl}"`);
    expect(email.html).not.toContain(ctx.bookingUrl + '?'); // the times lead to the manage page, not a new booking
  });

  it('the SMS fits, lists the open times whole and ends with the manage link', () => {
    const sms = renderCustomerSms('rescheduleRequest', ctx);
    expect(sms).toMatch(/^Serenity Spa: Sorry, Priya Nair can no longer make your Deep Tissue Massage on Tue, Mar 10 /);
    expect(sms).toContain('Open times: Wed, Mar 11');
    expect(sms.endsWith(`Choose a new time: ${ctx.manageUrl}`)).toBe(true);
  });

  it('without open times it still links the manage page', () => {
    const sms = renderCustomerSms('rescheduleRequest', makeContext({ suggestedSlots: [] }));
    expect(sms).not.toContain('Open times');
    expect(sms).toContain(ctx.manageUrl);
  });

  it('without a staff member the business says it cannot make it', () => {
    const sms = renderCustomerSms('rescheduleRequest', makeContext({ staff: { ...ctx.staff, name: '' } }));
    expect(sms).toMatch(/^Serenity Spa: Sorry, we can no longer make your /);
  });

  it("in the contact's language (Spanish)", () => {
    const es = makeContext({ locale: 'es' });
    const email = renderCustomerEmail('rescheduleRequest', es);
    expect(email.subject).toMatch(/^Elija una nueva hora para su Deep Tissue Massage del /);
    expect(email.text).toContain('Priya Nair ya no puede atender su Deep Tissue Massage del martes, 10 de marzo');
    expect(email.text).toContain('Estas horas están libres:');
    const sms = renderCustomerSms('rescheduleRequest', es);
    expect(sms).toContain('Horas libres: ');
    expect(sms.endsWith(`Elija una nueva hora: ${es.manageUrl}`)).toBe(true);
  });
});
