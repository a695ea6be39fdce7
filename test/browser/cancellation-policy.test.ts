/**
 * The cancellation policy on the customer pages (issue 13): a service with a late-cancel fee shows it on
 * its card, before the customer confirms and on the confirmation; the manage page says what cancelling
 * now costs before the customer confirms the cancel, and the cancel is then charged by the workflow
 * (no card given: the customer gets a pay link for the fee, never a decline notice).
 */
import type { Browser } from 'playwright-core';
import { createApiKey } from '../../src/auth/api-keys';
import { launchChromium, screenshot, watchedPage } from '../support/browser';
import { api, eventually, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(180_000);

let system: System;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  [system, browser] = await Promise.all([startSystem(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

it('shows the policy when booking and what cancelling costs before a late cancel, which is then charged', async () => {
  const auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Owner')).key}` };
  const consultation = await serviceIdBySlug(system, 'consultation');
  const set = await api(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    {
      // A 30-day window: any time the page offers is inside it.
      cancellationPolicy: {
        lateCancelHours: 720,
        lateCancelFee: { kind: 'fixed', amountMinor: 2500 },
        noShowFee: { kind: 'percent', percent: 50 },
      },
    },
    auth,
  );
  expect(set.status).toBe(200);

  const page = await watchedPage(browser, system.baseUrl, problems, { mobile: true, timezoneId: 'America/New_York' });
  await page.goto('/book');
  const policy =
    'Cancellation policy: free cancellation until 720 hours before the start; after that, cancelling costs $25.00. Not showing up costs 50% of the price ($30.00).';
  await page.getByText(policy).first().waitFor();
  await page.getByRole('button', { name: /Consultation/ }).click();
  const time = page.locator('button.time').first();
  await time.waitFor();
  await time.click();
  await page.getByLabel('Name', { exact: true }).fill('Casey Late');
  await page.getByLabel('Email').fill('casey.late@example.com');
  // Before confirming: the policy sits above the Book button.
  const form = page.locator('form');
  await form.getByText(policy).waitFor();
  await screenshot(page, '41-booking-cancellation-policy-phone');
  await page.getByRole('button', { name: /^Book for/ }).click();
  await page.getByRole('heading', { name: "You're booked" }).waitFor();
  await page.getByText(policy).waitFor();

  await page.getByRole('link', { name: 'View, reschedule or cancel' }).click();
  await page.getByRole('heading', { name: 'Your appointment' }).waitFor();
  await page.getByText(policy).waitFor();
  await page.getByRole('button', { name: 'Cancel appointment' }).click();
  await page.getByRole('dialog').getByText('Cancelling now costs $25.00 under the cancellation policy.').waitFor();
  await screenshot(page, '42-manage-cancel-costs-phone');
  await page.getByRole('button', { name: 'Yes, cancel' }).click();
  await page.getByText(/Your appointment is cancelled/).waitFor();
  expect(problems).toEqual([]);

  // The workflow charges the fee: no card was given, so the customer gets a pay link for it.
  const appointment = await system.database.db
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select(['a.id'])
    .where('c.email', '=', 'casey.late@example.com')
    .executeTakeFirstOrThrow();
  const templates = await eventually(async () => {
    const rows = await system.database.db
      .selectFrom('messages')
      .select('template')
      .where('appointment_id', '=', appointment.id)
      .where('channel', '=', 'email')
      .execute();
    const names = rows.map((r) => r.template);
    return names.includes('paymentLink') && names;
  });
  expect(templates).not.toContain('paymentDeclined');
  const invoice = await system.database.db
    .selectFrom('invoices')
    .select(['status', 'total_minor'])
    .where('appointment_id', '=', appointment.id)
    .executeTakeFirstOrThrow();
  expect(invoice).toEqual({ status: 'open', total_minor: 2500 });
});
