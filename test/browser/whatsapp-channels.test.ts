/**
 * WhatsApp opt-in and channel preference in the browser (issue 16): the customer, signed in to the
 * portal on a 390×844 phone, turns WhatsApp on and prefers it in their profile; staff see it on the
 * contact page with the time and source, and switch the customer to email only there. Each change is
 * checked in the database (time and source recorded), so the test fails if the form saves nothing.
 */
import type { Browser } from 'playwright-core';
import { createApiKey } from '../../src/auth/api-keys';
import { createPortalSession } from '../../src/portal/sessions';
import { accessibilityProblems, launchChromium, signInToAdmin, watchedPage } from '../support/browser';
import { bookByPhone, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

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

it('the customer opts in to WhatsApp in the portal; staff see it and change the preference', async () => {
  const { db } = system.database;
  const bearer = { authorization: `Bearer ${(await createApiKey(db, 'WhatsApp browser')).key}` };
  const serviceId = await serviceIdBySlug(system, 'consultation');
  const slot = (await freeSlots(system, serviceId, 3, 10))[0]!;
  await bookByPhone(system, bearer, {
    serviceId,
    slot,
    customer: { name: 'Kim Santos', email: 'kim.santos@example.com', phone: '+13125550133' },
  });
  const contact = await db
    .selectFrom('contacts')
    .select('id')
    .where('email', '=', 'kim.santos@example.com')
    .executeTakeFirstOrThrow();
  const session = await createPortalSession(db, contact.id, 'email_link');

  const phone = await watchedPage(browser, system.baseUrl, pageProblems, {
    timezoneId: 'America/New_York',
    mobile: true,
  });
  await phone
    .context()
    .addCookies([{ name: 'af_portal', value: session.sessionId, url: system.baseUrl, httpOnly: true }]);
  await phone.goto('/account/profile');
  const channels = phone.getByRole('form', { name: 'Message channels' });
  await channels.getByLabel('Preferred channel').selectOption('whatsapp');
  await channels.getByLabel(/I agree to WhatsApp messages/).check();
  await channels.getByRole('button', { name: 'Save channels' }).click();
  await channels.getByRole('status').getByText('Message channels saved.').waitFor();
  expect(await accessibilityProblems(phone)).toEqual([]);
  expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  const saved = await db
    .selectFrom('contacts')
    .select(['preferred_channel', 'whatsapp_opt_in', 'whatsapp_opt_in_at', 'whatsapp_opt_in_source'])
    .where('id', '=', contact.id)
    .executeTakeFirstOrThrow();
  expect(saved).toMatchObject({
    preferred_channel: 'whatsapp',
    whatsapp_opt_in: true,
    whatsapp_opt_in_source: 'portal',
  });
  expect(saved.whatsapp_opt_in_at).toBeInstanceOf(Date);

  const staff = await watchedPage(browser, system.baseUrl, pageProblems, { timezoneId: 'America/New_York' });
  await signInToAdmin(staff);
  await staff.goto(`/admin/contacts/${contact.id}`);
  const staffForm = staff.getByRole('form', { name: 'Message channels' });
  await staffForm.getByText(/Opted in to WhatsApp on/).waitFor();
  expect(await staffForm.getByLabel(/The customer agrees to WhatsApp messages/).isChecked()).toBe(true);
  expect(await staffForm.getByLabel('Preferred channel').inputValue()).toBe('whatsapp');
  await staffForm.getByLabel('Preferred channel').selectOption('email');
  await staffForm.getByRole('button', { name: 'Save channels' }).click();
  await staffForm.getByRole('status').getByText('Message channels saved.').waitFor();
  const changed = await db
    .selectFrom('contacts')
    .select('preferred_channel')
    .where('id', '=', contact.id)
    .executeTakeFirstOrThrow();
  expect(changed.preferred_channel).toBe('email');
  // The change is on the contact's history with the staff member's name.
  await staff.reload();
  await staff.getByText(/Message channels changed: preferred channel whatsapp → email/).waitFor();
});
