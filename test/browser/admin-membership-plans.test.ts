/**
 * Settings → Membership plans in headless Chromium against the whole system: an admin creates a plan,
 * is refused for a bad price (the refusal in words next to the field, the keyboard taken there),
 * corrects it; after a membership is sold the plan's terms are shown read-only with the reason, the
 * price still changes (for new purchases), and retiring the plan takes it off the public plans API.
 * Each screen passes axe-core and is saved as a screenshot.
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

type PublicPlan = { id: string; name: string; price: { amountMinor: number } };
const forSale = async () =>
  (await api<{ plans: PublicPlan[] }>(system, 'GET', '/api/membership-plans')).body.plans.find(
    (p) => p.name === 'Facial 4-pack',
  );

it('an admin creates a plan, is refused for a bad price, edits the price once sold, and retires it', async () => {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Membership plans' }).click();
  await page.getByRole('heading', { name: 'Membership plans' }).waitFor();
  await page.getByRole('table', { name: 'Membership plans' }).getByText('Massage 5-pack').waitFor();
  await checked('admin-membership-plans-list');

  await page.getByRole('link', { name: 'New membership plan' }).click();
  await page.getByRole('heading', { name: 'New membership plan' }).waitFor();
  await page.getByLabel('Name').fill('Facial 4-pack');
  await page.getByLabel('Visits').fill('4');
  await page.getByLabel('Valid for (days after purchase)').fill('120');
  await page.getByLabel('Consultation').check();
  const price = page.getByLabel('Price (USD)');
  await price.fill('-5');
  await page.getByRole('button', { name: 'Create plan' }).click();

  // Refused by the API, shown next to the field, the keyboard taken there.
  const problem = page.locator('#plan-price-problem');
  await problem.waitFor();
  expect(await problem.textContent()).toBe('must be 0 or more');
  expect(await price.getAttribute('aria-invalid')).toBe('true');
  expect(await price.getAttribute('aria-describedby')).toContain('plan-price-problem');
  await page.waitForFunction("document.activeElement?.id === 'plan-price'");
  expect(await forSale()).toBeUndefined();
  await checked('admin-membership-plan-refused');

  await price.fill('160');
  await price.press('Enter');
  await page.getByRole('heading', { name: 'Edit Facial 4-pack' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Plan created' }).waitFor();
  const created = await forSale();
  expect(created?.price.amountMinor).toBe(16000);

  // A membership is sold: the terms become read-only, with the reason.
  const bought = await api(system, 'POST', '/api/memberships', {
    planId: created!.id,
    timeZone: 'America/New_York',
    customer: { name: 'Rosa Diaz', email: 'rosa.plans@example.com', smsOptIn: false },
    paymentMethodId: 'pm_card_visa',
    idempotencyKey: 'browser-plans-purchase-1',
  });
  expect(bought.status).toBe(201);
  await page.reload();
  await page.getByText('For sale · 1 sold · 1 active').waitFor();
  const visits = page.getByLabel('Visits');
  expect(await visits.getAttribute('readonly')).not.toBeNull();
  expect(await visits.getAttribute('aria-describedby')).toContain('plan-terms-locked');
  expect(await page.locator('#plan-terms-locked').textContent()).toContain(
    '1 membership was sold with these terms, and changing them would change what those customers bought. Create a new plan to sell different terms.',
  );
  expect(await page.getByLabel('Consultation').isDisabled()).toBe(true);
  expect(await page.getByLabel('Price (USD)').getAttribute('readonly')).toBeNull();

  await page.getByLabel('Price (USD)').fill('180.00');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved: price changed. New purchases use it.' }).waitFor();
  expect((await forSale())?.price.amountMinor).toBe(18000);
  await page.getByRole('listitem').filter({ hasText: 'Membership plan Facial 4-pack changed: priceMinor' }).waitFor();
  await checked('admin-membership-plan-edit-sold');

  await page.getByRole('button', { name: 'Retire (stop selling)' }).click();
  await page.getByRole('status').filter({ hasText: 'Retired: no longer for sale' }).waitFor();
  await page.getByRole('button', { name: 'Offer again' }).waitFor();
  expect(await forSale()).toBeUndefined();

  await page.getByRole('link', { name: 'All membership plans' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Facial 4-pack' });
  await row.waitFor();
  expect(await row.textContent()).toContain('retired');
  expect(await row.textContent()).toContain('$180.00');
  await checked('admin-membership-plans-list-retired');
});
