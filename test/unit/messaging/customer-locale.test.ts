/**
 * Customer messages in the contact's language (issue 14): Spanish email, SMS and .ics for every
 * customer event, dates and money formatted the Spanish way, SMS still GSM-7 within two segments; the
 * English messages stay as they were when no language is given.
 */
import { computeInvoice, serviceLines } from '../../../src/billing/invoice';
import { gsm7Length, isGsm7, SMS_MAX_SEPTETS } from '../../../src/messaging/sms';
import { appointmentIcs } from '../../../src/messaging/ics';
import {
  MEMBERSHIP_CUSTOMER_EVENTS,
  renderMembershipEmail,
  renderMembershipSms,
  sampleMembershipContext,
} from '../../../src/messaging/membership-templates';
import {
  CUSTOMER_EVENTS,
  formatDuration,
  formatWhen,
  type MessageBilling,
  type MessageContext,
  renderCustomerEmail,
  renderCustomerSms,
} from '../../../src/messaging/templates';
import { HOUR, START, makeContext, makeLongContext } from './context';

function billing(): MessageBilling {
  const invoice = computeInvoice({
    lines: serviceLines(
      { name: 'Masaje', pricing: 'hourly', priceMinor: 0, hourlyRateMinor: 9000, incrementMinutes: 15 },
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
    simulated: true,
    declineMessage: 'Fondos insuficientes.',
    nextAttemptAt: START + 48 * HOUR,
  };
}

function spanish(base: MessageContext = makeContext()): MessageContext {
  return {
    ...base,
    locale: 'es',
    contact: { ...base.contact, name: 'Lucía Gómez' },
    appointment: { ...base.appointment, previousStartsAt: START - 24 * HOUR, cancelReason: 'Viaje' },
    suggestedSlots: [
      { startsAt: START + 24 * HOUR, url: 'https://af.example/book/x?start=1' },
      { startsAt: START + 48 * HOUR, url: 'https://af.example/book/x?start=2' },
    ],
    billing: billing(),
    links: {
      invoiceUrl: 'https://af.example/i',
      updateCardUrl: 'https://af.example/c',
      payUrl: 'https://af.example/p',
      feedbackUrl: 'https://af.example/f',
    },
  };
}

describe('Spanish customer messages', () => {
  it('formats dates, durations and the greeting in Spanish', () => {
    expect(formatWhen(START, 'America/New_York', 'es')).toMatch(/^martes, 10 de marzo de 2026, a las 9:30 /);
    expect(formatDuration(90, 'es')).toBe('1 hora y 30 minutos');
    const email = renderCustomerEmail('confirmation', spanish());
    expect(email.subject).toMatch(/^Confirmada: /);
    expect(email.text).toMatch(/^Hola Lucía:/);
    expect(email.text).toContain('Su cita con');
    expect(email.text).toContain('Cambiar o cancelar: ');
    expect(email.html).toContain('<html lang="es">');
  });

  it.each(CUSTOMER_EVENTS)('%s: Spanish email, and an SMS in GSM-7 within two segments', (event) => {
    const ctx = spanish();
    const english = { ...ctx, locale: 'en' as const };
    const email = renderCustomerEmail(event, ctx);
    expect(email.subject).not.toBe(renderCustomerEmail(event, english).subject);
    expect(email.text).not.toMatch(/\b(Hi|Your|Reschedule|Questions)\b/);
    const sms = renderCustomerSms(event, ctx);
    expect(isGsm7(sms)).toBe(true);
    expect(gsm7Length(sms)).toBeLessThanOrEqual(SMS_MAX_SEPTETS);
    expect(sms).not.toBe(renderCustomerSms(event, english));
    // Long names still fit.
    expect(gsm7Length(renderCustomerSms(event, spanish(makeLongContext())))).toBeLessThanOrEqual(SMS_MAX_SEPTETS);
  });

  it('money in Spanish: the receipt shows 121,78 US$', () => {
    expect(renderCustomerEmail('receipt', spanish()).text).toContain('121,78');
  });

  it('the calendar invitation speaks Spanish', () => {
    const ics = appointmentIcs(spanish(), { method: 'REQUEST', sequence: 0 }).replace(/\r\n /g, '');
    expect(ics).toMatch(/SUMMARY:.* con /);
    expect(ics).toContain('Cambiar o cancelar: ');
  });

  it('without a language, messages are English as before', () => {
    const { locale: _none, ...english } = spanish();
    expect(renderCustomerEmail('confirmation', english).subject).toMatch(/^Confirmed: /);
    expect(renderCustomerSms('confirmation', english)).toContain('Reply C to cancel, R to reschedule.');
  });
});

describe('Spanish membership messages', () => {
  it.each(MEMBERSHIP_CUSTOMER_EVENTS)('%s: Spanish email and a GSM-7 SMS within two segments', (event) => {
    const ctx = { ...sampleMembershipContext(), locale: 'es' as const };
    const email = renderMembershipEmail(event, ctx);
    expect(email.subject).toMatch(/^Su membresía Massage 5-pack/);
    expect(email.text).toMatch(/^Hola Sam:/);
    const sms = renderMembershipSms(event, ctx);
    expect(sms).toMatch(/su membresía|su membresia/);
    expect(isGsm7(sms)).toBe(true);
    expect(gsm7Length(sms)).toBeLessThanOrEqual(SMS_MAX_SEPTETS);
    expect(renderMembershipEmail(event, sampleMembershipContext()).subject).toMatch(/^Your Massage 5-pack/);
  });

  it('the renewal offer names the price the Spanish way', () => {
    const ctx = { ...sampleMembershipContext(), locale: 'es' as const };
    expect(renderMembershipEmail('membershipExpired', ctx).text).toContain('495,00');
  });
});
