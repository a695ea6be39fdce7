/**
 * Ways onto the waitlist on a 390×844 phone (issue 17): the link of the rebooking messages opens the
 * booking page with "Join the waitlist" unfolded for that service and staff member; and in the
 * customer portal a series' visits read "Visit 2 of 3 in your series" and an appointment offers
 * "Join the waitlist" for its service, the signed-in customer being who waits.
 */
import type { Browser } from 'playwright-core';
import { accessibilityProblems, launchChromium, screenshot, watchedPage } from '../support/browser';
import { api, eventually, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

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

const entriesOf = (email: string) =>
  system.database.db
    .selectFrom('waitlist_entries as w')
    .innerJoin('contacts as c', 'c.id', 'w.contact_id')
    .select(['w.service_id', 'w.staff_id', 'w.source'])
    .where('c.email', '=', email)
    .orderBy('w.created_at')
    .execute();

it('the waitlist link opens the booking page on the waitlist; the portal shows a series and joins the waitlist', async () => {
  const consultation = await serviceIdBySlug(system, 'consultation');
  const first = (await freeSlots(system, consultation, 8, 15))[0]!;
  const email = 'vera.visits@example.com';
  const booked = await api(system, 'POST', '/api/bookings/series', {
    serviceId: consultation,
    staffId: first.staffId,
    startsAt: first.startsAt,
    timeZone: 'America/New_York',
    customer: { name: 'Vera Visits', email, smsOptIn: false },
    repeat: { every: 1, unit: 'week', count: 3 },
  });
  expect(booked.status).toBe(201);

  // The link of the cancellation follow-up / no-show prompt (MessageContext.waitlistUrl).
  const page = await watchedPage(browser, system.baseUrl, problems, { timezoneId: 'America/New_York', mobile: true });
  await page.goto(`/book/consultation?staff=${first.staffId}&waitlist=1`);
  const box = page.getByTestId('join-waitlist');
  await page.getByRole('button', { name: 'Join the waitlist', exact: true }).waitFor();
  expect(await box.getAttribute('open')).not.toBeNull();
  await page.locator('#wait-name').fill('Vera Visits');
  await page.locator('#wait-email').fill(email);
  await page.getByRole('button', { name: 'Join the waitlist', exact: true }).tap();
  await page.getByText('You are on the waitlist').waitFor();
  expect(await entriesOf(email)).toEqual([{ service_id: consultation, staff_id: first.staffId, source: 'web' }]);

  // The portal: sign in by the emailed link.
  await page.goto('/account');
  const asked = new Date(Date.now() - 1000);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send me a sign-in link' }).tap();
  const signIn = await eventually(() =>
    system.database.db
      .selectFrom('messages')
      .select('body')
      .where('template', '=', 'portal_sign_in')
      .where('recipient', '=', email)
      .where('created_at', '>', asked)
      .executeTakeFirst(),
  );
  const link = new URL(/http\S+\/account\/link#\S+/.exec(signIn.body)![0]!);
  await page.goto(link.pathname + link.hash);
  await page.getByRole('heading', { name: 'Your appointments' }).waitFor();
  for (const n of [1, 2, 3]) await page.getByText(`Visit ${n} of 3 in your series (every week)`).waitFor();
  await screenshot(page, 'waitlist-01-portal-series-phone');

  await page
    .getByRole('button', { name: /^Open Consultation/ })
    .nth(1)
    .tap();
  await page.getByTestId('series').getByText('Visit 2 of 3 in your series (every week)').waitFor();
  await page.getByText('No time that suits? Join the waitlist').tap();
  expect(await page.locator('#wait-name').count()).toBe(0); // the signed-in customer waits
  await page.getByRole('button', { name: 'Join the waitlist', exact: true }).tap();
  await page.getByText('You are on the waitlist').waitFor();
  expect(await accessibilityProblems(page)).toEqual([]);
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await screenshot(page, 'waitlist-02-portal-joined-phone');
  expect(await entriesOf(email)).toEqual([
    { service_id: consultation, staff_id: first.staffId, source: 'web' },
    { service_id: consultation, staff_id: first.staffId, source: 'portal' },
  ]);
  expect(problems).toEqual([]);
});
