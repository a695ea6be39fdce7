/**
 * The files request in customer messages (issue 16): the confirmation shows it with a "Send files"
 * link (email) or one line with the link (SMS, still two segments at most, long names and long links
 * included); the 48-hour reminder asks again only while nothing has arrived; no request, no line;
 * overrides get `service.filesRequest` and `links.files`.
 */
import { gsm7Length, isGsm7 } from '../../../src/messaging/sms';
import { renderCustomerEmail, renderCustomerSms } from '../../../src/messaging/templates';
import {
  TEMPLATE_REGISTRY,
  renderTemplate,
  sampleMessageContext,
  validateOverride,
} from '../../../src/messaging/template-registry';
import { makeContext, makeLongContext } from './context';

const TOKEN = 'A'.repeat(43);
const files = (received = 0, base = 'https://af.example') => ({
  request: 'Please send photos of the device & its <model> label.',
  url: `${base}/account/from/${TOKEN}?next=messages`,
  received,
});

it('the confirmation email shows the request and a Send files button (escaped in HTML)', () => {
  const email = renderCustomerEmail('confirmation', makeContext({ files: files() }));
  expect(email.text).toContain('Before your visit, please send us');
  expect(email.text).toContain('Please send photos of the device & its <model> label.');
  expect(email.text).toContain(`Send files: https://af.example/account/from/${TOKEN}?next=messages`);
  expect(email.html).toContain('&lt;model&gt;');
  expect(email.html).not.toContain('<model>');
  expect(email.html).toContain(`href="https://af.example/account/from/${TOKEN}?next=messages"`);
  // No request: nothing about files.
  expect(renderCustomerEmail('confirmation', makeContext()).text).not.toContain('Send files');
});

it('the confirmation SMS adds one line with the link and stays within two GSM-7 segments', () => {
  const sms = renderCustomerSms('confirmation', makeContext({ files: files() }));
  expect(sms).toContain(`Please send the files we asked for: https://af.example/account/from/${TOKEN}?next=messages`);
  expect(sms).toContain('Manage: https://af.example/m/tok_abcDEF123');
  expect(sms).toContain('Reply C to cancel, R to reschedule.');
  // Long names and a long address: the files link still goes, whole, instead of the manage link if need be.
  const long = { ...makeLongContext(), files: files(0, 'https://appointflow.example.com/some/long/base/path') };
  const longSms = renderCustomerSms('confirmation', long);
  expect(longSms).toContain(`${long.files.url}`);
  expect(longSms).toContain('Reply C to cancel, R to reschedule.');
  expect(isGsm7(longSms)).toBe(true);
  expect(gsm7Length(longSms)).toBeLessThanOrEqual(306);
  // No request: the usual confirmation.
  expect(renderCustomerSms('confirmation', makeContext())).not.toContain('files');
});

it('the 48-hour reminder asks again only while nothing has arrived', () => {
  expect(renderCustomerEmail('reminder48h', makeContext({ files: files(0) })).text).toContain('Send files:');
  expect(renderCustomerEmail('reminder48h', makeContext({ files: files(2) })).text).not.toContain('Send files');
});

it('speaks the customer language', () => {
  const email = renderCustomerEmail('confirmation', makeContext({ locale: 'es', files: files() }));
  expect(email.text).toContain('Enviar archivos');
  const sms = renderCustomerSms('confirmation', makeContext({ locale: 'es', files: files() }));
  expect(sms).toContain(files().url);
  expect(isGsm7(sms)).toBe(true);
});

it('offers overrides service.filesRequest and links.files', () => {
  const entry = TEMPLATE_REGISTRY.get('confirmation')!;
  const body = '{{#if service.filesRequest}}Please send: {{service.filesRequest}} at {{links.files}}{{/if}}';
  expect(validateOverride(entry, 'email', { subject: 'Confirmed', body })).toEqual([]);
  const rendered = renderTemplate(entry, 'email', sampleMessageContext(), { subject: 'Confirmed', body });
  expect(rendered.email!.text).toContain(
    'Please send: Please send photos of the device and its model label. at https://book.example.com/account/from/sample-token?next=messages',
  );
  const none = { ...sampleMessageContext(), files: undefined };
  expect(renderTemplate(entry, 'email', none, { subject: 'Confirmed', body }).email!.text).not.toContain('Please send');
});
