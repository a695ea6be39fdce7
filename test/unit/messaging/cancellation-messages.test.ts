/**
 * The cancellation policy in customer messages (issue 13): the confirmation states it (English and
 * Spanish, fixed and percent fees), and the receipt and the pay link of a fee say it is the fee, not a
 * visit; the pay link's SMS stays GSM-7 within two segments.
 */
import { computeInvoice } from '../../../src/billing/invoice';
import { cancellationTerms } from '../../../src/domain/cancellation-policy';
import { gsm7Length, isGsm7, SMS_MAX_SEPTETS } from '../../../src/messaging/sms';
import {
  type MessageBilling,
  type MessageContext,
  renderCustomerEmail,
  renderCustomerSms,
} from '../../../src/messaging/templates';
import { makeContext } from './context';

const terms = cancellationTerms(
  {
    lateCancelHours: 24,
    lateCancelFee: { kind: 'fixed', amountMinor: 2500 },
    noShowFee: { kind: 'percent', percent: 50 },
  },
  8000,
  'USD',
)!;

function withPolicy(locale: 'en' | 'es'): MessageContext {
  const base = makeContext();
  return { ...base, locale, appointment: { ...base.appointment, cancellation: terms } };
}

function feeBilling(): MessageBilling {
  const invoice = computeInvoice({
    lines: [
      { description: 'Late cancellation fee: Massage', quantity: 1, unitMinor: 2500, kind: 'fee', taxable: false },
    ],
    taxRateBps: 0,
    currency: 'USD',
  });
  return { ...invoice, invoiceNumber: 1002, billableMinutes: null, card: null, simulated: false, fee: 'late_cancel' };
}

function feeContext(locale: 'en' | 'es'): MessageContext {
  const base = makeContext();
  return {
    ...base,
    locale,
    billing: feeBilling(),
    links: { ...base.links, invoiceUrl: 'https://af.example/i', payUrl: 'https://af.example/p' },
  };
}

it('the confirmation states the policy, fixed and percent fees', () => {
  expect(renderCustomerEmail('confirmation', withPolicy('en')).text).toContain(
    'Cancellation policy: cancelling less than 24 hours before the start costs $25.00. Missing the appointment without cancelling costs 50% of the price ($40.00).',
  );
  expect(renderCustomerEmail('confirmation', withPolicy('es')).text).toMatch(
    /Política de cancelación: cancelar con menos de 24 horas de antelación cuesta 25,00\sUS\$\. No presentarse sin cancelar cuesta 50 % del precio \(40,00\sUS\$\)\./,
  );
  // No policy, no paragraph.
  expect(renderCustomerEmail('confirmation', makeContext()).text).not.toContain('Cancellation policy');
});

it('the receipt and the pay link of a fee name the fee', () => {
  expect(renderCustomerEmail('receipt', feeContext('en')).text).toContain('the late-cancellation fee for your');
  expect(renderCustomerEmail('receipt', feeContext('es')).text).toContain('el cargo por cancelación tardía de su');
  const link = renderCustomerEmail('paymentLink', feeContext('en'));
  expect(link.text).toContain('Under our cancellation policy, the late-cancellation fee for your');
  expect(link.text).not.toMatch(/Thank you for your visit|declined|did not go through/);
  for (const locale of ['en', 'es'] as const) {
    const sms = renderCustomerSms('paymentLink', feeContext(locale));
    expect(isGsm7(sms)).toBe(true);
    expect(gsm7Length(sms)).toBeLessThanOrEqual(SMS_MAX_SEPTETS);
    expect(sms).toContain(locale === 'en' ? 'late-cancellation fee' : 'cargo por cancelacion tardia');
  }
});
