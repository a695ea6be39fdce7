/**
 * On a 390×844 phone a customer books a weekly series from the booking page ("Repeat this visit"
 * under the form) and joins the waitlist ("No time that suits?"); staff then see both: the series
 * panel on a visit's card and the customer in line on the waitlist, and take them off the line. The
 * controls are in Spanish too, and axe finds nothing on the page with both open.
 */
import type { Browser } from 'playwright-core';
import { accessibilityProblems, launchChromium, screenshot, signInToAdmin, watchedPage } from '../support/browser';
import { startSystem, type System } from '../support/system';

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

it('a customer on a phone books a series and joins the waitlist; staff see both', async () => {
  const page = await watchedPage(browser, system.baseUrl, problems, { timezoneId: 'America/New_York', mobile: true });
  await page.goto('/book/consultation');
  const firstTime = page.locator('button.time').first();
  await firstTime.waitFor();
  await firstTime.tap();
  await page.getByLabel('Name', { exact: true }).fill('Robin Regular');
  await page.getByLabel('Email').fill('robin.regular@example.com');
  await page.getByText('Repeat this visit').tap();
  await page.getByLabel('Number of visits').fill('3');
  await page.getByRole('button', { name: 'Book 3 visits' }).tap();
  await page.getByText(/Booked 3 visits, every week/).waitFor();
  await page.getByText('No time that suits? Join the waitlist').tap();
  await page.getByRole('button', { name: 'Join the waitlist', exact: true }).tap();
  await page.getByText('You are on the waitlist').waitFor();
  expect(await accessibilityProblems(page)).toEqual([]);
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await screenshot(page, 'series-01-booked-and-waitlisted-phone');

  const series = await system.database.db
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select(['a.id', 'a.series_index'])
    .where('c.email', '=', 'robin.regular@example.com')
    .orderBy('a.series_index')
    .execute();
  expect(series.map((s) => s.series_index)).toEqual([1, 2, 3]);

  await page.goto('/book/consultation?lang=es');
  await page.getByText('¿Ninguna hora le conviene? Apúntese a la lista de espera').tap();
  await page.getByRole('button', { name: 'Apuntarme a la lista de espera' }).waitFor();
  await page.getByLabel('Desde la fecha').waitFor();

  const staff = await watchedPage(browser, system.baseUrl, problems, { timezoneId: 'America/New_York' });
  await signInToAdmin(staff);
  await staff.goto(`/admin/appointments/${series[1]!.id}`);
  await staff.getByRole('heading', { name: 'Series: visit 2 of 3' }).waitFor();
  await staff.getByText('Repeats every week.').waitFor();
  await screenshot(staff, 'series-02-card-panel');
  await staff.getByRole('link', { name: 'Waitlist' }).click();
  await staff.getByRole('heading', { name: 'Waitlist' }).waitFor();
  const inLine = staff.getByRole('table', { name: 'In line' });
  await inLine.getByRole('cell', { name: 'Robin Regular', exact: true }).waitFor();
  await screenshot(staff, 'series-03-waitlist');
  // The front desk takes Robin off the line (Robin found a time by phone).
  await inLine.getByRole('button', { name: 'Take Robin Regular off the waitlist' }).click();
  await inLine.getByRole('cell', { name: /^left/ }).waitFor();
  expect(problems).toEqual([]);
});
