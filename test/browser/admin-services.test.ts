/**
 * Settings → Services in headless Chromium against the whole system (issue 6): an admin opens a
 * service, changes its duration and first-reminder policy, is refused for a bad value (the refusal in
 * words next to the field, the keyboard taken there), corrects it and saves; the booking page's slots
 * follow the new duration and the change is in the service's history. A renamed service's old
 * booking link still opens it after an admin renames its address. Each screen passes axe-core and is saved as a screenshot.
 */
import type { Browser, Page } from 'playwright-core';
import { accessibilityProblems, launchChromium, screenshot, signInToAdmin, watchedPage } from '../support/browser';
import { api, startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

let system: System;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];
afterEach(() => {
  expect(pageProblems.splice(0)).toEqual([]);
});

beforeAll(async () => {
  [system, browser] = await Promise.all([startSystem(), launchChromium()]);
  page = await watchedPage(browser, system.baseUrl, pageProblems, { timezoneId: 'America/New_York' });
  await signInToAdmin(page);
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

async function checked(name: string) {
  await screenshot(page, name);
  expect(await accessibilityProblems(page)).toEqual([]);
}

it("an admin edits a service's duration and reminder policy, is refused for a bad value, and saves", async () => {
  const db = system.database.db;
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Services and policies' }).click();
  await page.getByRole('heading', { name: 'Services and policies' }).waitFor();
  await page.getByRole('table', { name: 'Services' }).getByText('Consultation').waitFor();
  await checked('admin-services-list');

  await page.getByRole('link', { name: 'Consultation' }).click();
  await page.getByRole('heading', { name: 'Edit Consultation' }).waitFor();
  const duration = page.getByLabel('Duration (minutes)');
  const reminder = page.getByLabel('First reminder — Appointment Tomorrow (hours before the start)');
  // The defaults are shown with the policy fields.
  await page.getByText('default 48', { exact: true }).waitFor();
  await checked('admin-service-edit');

  // A bad value: a first reminder before the second one (the policy's own rule, in the API).
  await duration.fill('45');
  await reminder.fill('6');
  await reminder.press('Enter'); // submit from the keyboard
  const problem = page.locator('#svc-policy-tomorrowHoursBefore-problem');
  await problem.waitFor();
  expect(await problem.textContent()).toContain('must be greater than todayHoursBefore');
  expect(await reminder.getAttribute('aria-invalid')).toBe('true');
  expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('svc-policy-tomorrowHoursBefore');
  await page.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor();
  const unchanged = await db
    .selectFrom('services')
    .select(['duration_minutes', 'lifecycle_policy'])
    .where('slug', '=', 'consultation')
    .executeTakeFirstOrThrow();
  expect(unchanged.duration_minutes).not.toBe(45);
  await checked('admin-service-refused');

  // Corrected and saved.
  await reminder.fill('24');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  expect(await problem.count()).toBe(0);
  const saved = await db
    .selectFrom('services')
    .select(['id', 'duration_minutes', 'lifecycle_policy'])
    .where('slug', '=', 'consultation')
    .executeTakeFirstOrThrow();
  expect(saved.duration_minutes).toBe(45);
  expect(saved.lifecycle_policy).toEqual({ tomorrowHoursBefore: 24 });
  await page.getByText(/Avery Chen: Service Consultation changed: duration, lifecycle policy/).waitFor();
  await checked('admin-service-saved');

  // The booking page's slots follow the new duration.
  const from = new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 9 * 86400_000).toISOString().slice(0, 10);
  const slots = await api<{ days: Array<{ slots: Array<{ startsAt: string; endsAt: string }> }> }>(
    system,
    'GET',
    `/api/services/${saved.id}/availability?from=${from}&to=${to}&timeZone=America/New_York`,
  );
  const all = slots.body.days.flatMap((d) => d.slots);
  expect(all.length).toBeGreaterThan(0);
  expect(new Set(all.map((s) => (Date.parse(s.endsAt) - Date.parse(s.startsAt)) / 60_000))).toEqual(new Set([45]));
});

it("an admin renames a service's booking address; the old link still opens it at its new address", async () => {
  const db = system.database.db;
  const consultation = await db
    .selectFrom('services')
    .select(['id', 'slug', 'name'])
    .where('name', '=', 'Consultation')
    .executeTakeFirstOrThrow();
  await page.goto(`/admin/settings/services/${consultation.id}`);
  await page.getByRole('heading', { name: 'Edit Consultation' }).waitFor();
  const address = page.getByLabel('Booking address');
  expect(await address.inputValue()).toBe(consultation.slug);
  // Not an address: refused next to the field.
  await address.fill('First Consultation!');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('#svc-slug-problem').waitFor();
  expect(await page.locator('#svc-slug-problem').textContent()).toContain(
    'lowercase letters, digits and single dashes',
  );
  expect(await address.getAttribute('aria-invalid')).toBe('true');

  await address.fill('first-consultation');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved: slug changed' }).waitFor();
  await page.getByText('earlier addresses: /book/consultation', { exact: false }).waitFor();
  await checked('admin-service-address-renamed');

  // A link sent before the rename.
  await page.goto(`/book/${consultation.slug}`);
  await page.waitForURL(/\/book\/first-consultation$/);
  await page.getByRole('heading', { name: 'Book an appointment' }).waitFor();
  // The service is chosen: its step shows as a summary row with its name.
  await page.locator('section[aria-labelledby="step-service"] .summary-row').getByText(consultation.name).waitFor();
  expect(await page.getByRole('status').count()).toBe(0);

  // A link to a service that was never (or is no longer) offered: said, not silently swapped.
  await page.goto('/book/hot-stone-retired');
  await page.getByRole('status').filter({ hasText: 'no longer offered online' }).waitFor();
  expect(page.url()).toMatch(/\/book\/hot-stone-retired$/);
  await checked('booking-unknown-service-link');
});

it('an admin sets a deposit: one above the price is refused next to the field, a fixed amount is saved', async () => {
  const db = system.database.db;
  const massage = await db
    .selectFrom('services')
    .select(['id'])
    .where('slug', '=', 'deep-tissue-massage')
    .executeTakeFirstOrThrow();
  await page.goto(`/admin/settings/services/${massage.id}`);
  await page.getByRole('heading', { name: 'Edit Deep Tissue Massage' }).waitFor();
  await page.getByLabel('Deposit', { exact: true }).selectOption('fixed');
  const amount = page.getByLabel('Deposit: amount (USD)');
  await amount.fill('500.00'); // the price is $110.00
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('#svc-deposit-problem').waitFor();
  expect(await page.locator('#svc-deposit-problem').textContent()).toContain('must be at most the price');
  expect(await amount.getAttribute('aria-invalid')).toBe('true');

  await amount.fill('25.00');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  const saved = await db
    .selectFrom('services')
    .select('deposit_policy')
    .where('id', '=', massage.id)
    .executeTakeFirstOrThrow();
  expect(saved.deposit_policy).toEqual({ kind: 'fixed', amountMinor: 2500 });
  await checked('admin-service-deposit');
});
