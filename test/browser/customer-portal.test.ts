/**
 * The customer portal in headless Chromium on a 390×844 phone (issue 16), against the whole system:
 * a customer with two appointments and an invoice signs in by the emailed link (read from the local
 * outbox), sees both and the invoice, pays the invoice (the pay page with the simulated gateway's test
 * card), opens one from the calendar and reschedules it (a workflow update); then signs in on another phone by an SMS code, and signs out everywhere. axe-core finds no
 * WCAG A/AA problem on the main screens; screenshots go to test-artifacts/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { createApiKey } from '../../src/auth/api-keys';
import { accessibilityProblems, launchChromium, screenshot, signInToAdmin, watchedPage } from '../support/browser';
import { bookByPhone, eventually, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(180_000);

let system: System;
let browser: Browser;
const pageProblems: string[] = [];
afterEach(() => {
  expect(pageProblems.splice(0)).toEqual([]);
});

beforeAll(async () => {
  [system, browser] = await Promise.all([startSystem(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

const phonePage = (): Promise<Page> =>
  watchedPage(browser, system.baseUrl, pageProblems, { timezoneId: 'America/New_York', mobile: true });
const CUSTOMER = { name: 'Avery Portal', email: 'avery.portal@example.com', phone: '+13125550177' };

async function latestSignIn(recipient: string, after: Date) {
  return eventually(() =>
    system.database.db
      .selectFrom('messages')
      .select('body')
      .where('template', '=', 'portal_sign_in')
      .where('recipient', '=', recipient)
      .where('created_at', '>', after)
      .executeTakeFirst(),
  );
}

let moved: { id: string; startsAt: string };
let phone: Page;

it('signs in by the emailed link, sees two appointments and an invoice, pays it, and reschedules from the calendar', async () => {
  const bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Portal browser')).key}` };
  const serviceId = await serviceIdBySlug(system, 'consultation');
  const slots = await freeSlots(system, serviceId, 3, 12);
  const customer = { ...CUSTOMER, smsOptIn: true };
  const first = await bookByPhone(system, bearer, { serviceId, slot: slots[0]!, customer });
  await bookByPhone(system, bearer, { serviceId, slot: slots[6]!, customer });
  const contact = await system.database.db
    .selectFrom('contacts')
    .select('id')
    .where('email', '=', CUSTOMER.email)
    .executeTakeFirstOrThrow();
  await system.database.db
    .insertInto('invoices')
    .values({
      contact_id: contact.id,
      appointment_id: first.id,
      currency: 'USD',
      lines: JSON.stringify([{ description: 'Consultation', quantity: 1, unitMinor: 7500, amountMinor: 7500 }]),
      subtotal_minor: 7500,
      total_minor: 7500,
      status: 'open',
      issued_at: new Date(),
    })
    .execute();

  phone = await phonePage();
  await phone.goto('/account');
  await phone.getByRole('heading', { name: 'Your account' }).waitFor();
  expect(await accessibilityProblems(phone)).toEqual([]);
  const asked = new Date(Date.now() - 1000);
  await phone.getByLabel('Email').fill(CUSTOMER.email);
  await phone.getByRole('button', { name: 'Send me a sign-in link' }).click();
  await phone
    .getByRole('status')
    .getByText(/sign-in link is on its way/)
    .waitFor();
  const email = await latestSignIn(CUSTOMER.email, asked);
  const link = /http\S+\/account\/link#\S+/.exec(email.body)![0]!;
  await phone.goto(new URL(link).pathname + new URL(link).hash);
  await phone.getByText(`Signed in as ${CUSTOMER.name}`).waitFor();
  await phone.getByRole('heading', { name: 'Your appointments' }).waitFor();
  expect(await phone.getByRole('button', { name: /^Open Consultation/ }).count()).toBe(2);
  await screenshot(phone, 'portal-01-appointments-phone');
  expect(await accessibilityProblems(phone)).toEqual([]);
  expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

  await phone.getByRole('link', { name: 'Invoices' }).click();
  await phone.getByRole('heading', { name: /Invoice \d+: Consultation/ }).waitFor();
  await phone.getByText('$75.00 — to pay').waitFor();
  await phone.getByRole('button', { name: /View invoice/ }).click();
  await phone.getByText('total $75.00').waitFor();
  // Pays it: the portal hands over to the pay page (the simulated gateway's labelled test card).
  await phone.getByRole('button', { name: /^Pay invoice/ }).click();
  await phone.getByRole('heading', { name: /^Invoice #/ }).waitFor();
  await phone.getByRole('button', { name: 'Pay $75.00' }).click();
  await phone.getByRole('group', { name: 'Test card' }).waitFor();
  await phone.getByRole('button', { name: 'Pay $75.00' }).click();
  await phone.getByText('Paid — thank you. Total $75.00.').waitFor();
  await screenshot(phone, 'portal-02-invoice-paid-phone');
  await phone.goto('/account');
  await phone.getByRole('heading', { name: 'Your appointments' }).waitFor();

  await phone.getByRole('link', { name: 'Appointments' }).click();
  await phone.getByRole('button', { name: 'Calendar' }).click();
  const dayButton = phone.locator('.month-grid .day button').first();
  await dayButton.waitFor();
  await screenshot(phone, 'portal-02-calendar-phone');
  await dayButton.click();
  await phone.getByRole('button', { name: 'Reschedule' }).click();
  await phone.getByRole('button', { name: 'Later →' }).click();
  const slot = phone.locator('.slot-picker button.slot').nth(3);
  await slot.waitFor();
  const startsAt = (await slot.getAttribute('data-starts-at'))!;
  await slot.click();
  await phone.getByRole('button', { name: /^Book it:/ }).click();
  await phone
    .getByRole('status')
    .getByText(/^Moved to/)
    .waitFor();
  await screenshot(phone, 'portal-03-rescheduled-phone');
  const row = await eventually(() =>
    system.database.db
      .selectFrom('appointments')
      .select(['id', 'starts_at'])
      .where('contact_id', '=', contact.id)
      .where('starts_at', '=', new Date(startsAt))
      .executeTakeFirst(),
  );
  moved = { id: row.id, startsAt };
});

it('sends a photo in the thread; staff answer from the appointment card and the customer sees it', async () => {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  await phone.getByRole('link', { name: 'Messages' }).click();
  await phone.getByRole('heading', { name: 'Messages' }).waitFor();
  await phone.getByLabel('About').selectOption(moved.id);
  await phone.getByLabel('Your message').fill('Here is a photo of the device.');
  await phone.getByLabel(/Photo or PDF/).setInputFiles({ name: 'device.png', mimeType: 'image/png', buffer: png });
  await phone.getByRole('button', { name: 'Send' }).click();
  await phone.getByRole('img', { name: 'device.png' }).waitFor();
  await screenshot(phone, 'portal-04-thread-phone');
  expect(await accessibilityProblems(phone)).toEqual([]);

  const staff = await watchedPage(browser, system.baseUrl, pageProblems, { timezoneId: 'America/New_York' });
  await signInToAdmin(staff);
  await staff.goto(`/admin/appointments/${moved.id}`);
  await staff.getByRole('heading', { name: 'Conversation' }).waitFor();
  await staff.getByText('Here is a photo of the device.').waitFor();
  await staff.getByRole('img', { name: 'device.png' }).waitFor();
  // The card's "Files requested" panel lists what arrived about the appointment.
  await staff.getByTestId('files-requested').getByRole('link', { name: 'device.png' }).waitFor();
  await staff.getByLabel('Answer the customer').fill('Thanks! We will bring the part.');
  await staff.getByRole('button', { name: 'Send answer' }).click();
  await staff.getByText('Thanks! We will bring the part.').waitFor();

  await phone.reload();
  await phone.getByText('Thanks! We will bring the part.').waitFor();
  await screenshot(phone, 'portal-05-answer-phone');
});

it('signs in on another phone by an SMS code from the outbox, then signs out everywhere', async () => {
  const second = await phonePage();
  await second.goto('/account');
  await second.getByRole('button', { name: 'Text me a code' }).click();
  const asked = new Date(Date.now() - 1000);
  await second.getByLabel(/Mobile number/).fill(CUSTOMER.phone);
  await second.getByRole('button', { name: 'Send me a code' }).click();
  const sms = await latestSignIn(CUSTOMER.phone, asked);
  const code = /\b(\d{6})\b/.exec(sms.body)![1]!;
  await second.getByLabel('Six-digit code').fill(code);
  await second.getByRole('button', { name: 'Sign in' }).click();
  await second.getByText(`Signed in as ${CUSTOMER.name}`).waitFor();
  // The rescheduled appointment shows at its new time.
  await second
    .getByRole('button', { name: /^Open Consultation/ })
    .first()
    .waitFor();
  expect(moved.startsAt).toBeTruthy();

  await second.getByRole('button', { name: 'Sign out everywhere' }).click();
  await second.getByRole('button', { name: 'Send me a sign-in link' }).waitFor();
  await phone.reload();
  await phone.getByRole('button', { name: 'Send me a sign-in link' }).waitFor();
});
