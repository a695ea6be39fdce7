/**
 * Customer feedback in headless Chromium on a 390×844 phone, from the link in the stored
 * feedbackRequest message (HTTP server with the built bundle and a real database; the feedback page
 * does not need Temporal): the visit is shown in the customer's zone, the rating is chosen with the
 * keyboard (native radio buttons: arrow keys), comment and consent, then the thank-you; the link shows
 * the answer on a second visit; an old bare-appointment-id link says it has expired. axe-core finds no
 * WCAG A/AA problem on any state; screenshots go to test-artifacts/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { accessibilityProblems, launchChromium, screenshot, signInToAdmin, watchedPage } from '../support/browser';
import { closedVisit, type FeedbackServer, startFeedbackServer } from '../support/feedback';

jest.setTimeout(120_000);

let system: FeedbackServer;
let browser: Browser;
const pageProblems: string[] = [];
afterEach(() => {
  expect(pageProblems.splice(0)).toEqual([]);
});

beforeAll(async () => {
  [system, browser] = await Promise.all([startFeedbackServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

const phonePage = (): Promise<Page> =>
  watchedPage(browser, system.baseUrl, pageProblems, { timezoneId: 'America/Los_Angeles', mobile: true });

let answeredAppointmentId: string;
const noSidewaysScroll = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');

it('a customer on a phone answers from the link in the feedback message, and the link then shows the answer', async () => {
  const visit = await closedVisit(system.database.db, system.config, {
    name: 'Harper Quinn',
    email: 'harper.quinn@example.com',
  });
  answeredAppointmentId = visit.appointmentId;
  const page = await phonePage();
  const response = await page.goto(visit.path);
  expect(response!.headers()['referrer-policy']).toBe('no-referrer');
  await page.getByRole('heading', { name: 'How was your visit?' }).waitFor();
  await page.getByText(/Consultation with \S+/).waitFor();
  expect(await page.getByTestId('when').textContent()).toMatch(/P[SD]T$/);
  expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(390);
  expect(await accessibilityProblems(page)).toEqual([]);

  // Sending without a rating asks for one, nothing is stored.
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await page.getByRole('alert').getByText('Please choose a rating').waitFor();

  // Keyboard: focus the first star, arrow right three times → 4 stars.
  const one = page.getByRole('radio', { name: '1 star', exact: true });
  await one.focus();
  await page.keyboard.press('Space');
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowRight');
  expect(await page.getByRole('radio', { name: '4 stars' }).isChecked()).toBe(true);
  expect(await page.evaluate<string>('getComputedStyle(document.activeElement.nextElementSibling).outlineStyle')).toBe(
    'solid',
  );
  await page.getByText('4 of 5 — Very good').waitFor();
  await page.getByLabel(/Anything you would like to tell us/).fill('Friendly and on time. Thank you!');
  await page.getByLabel(/You may quote my comment/).check();
  await screenshot(page, 'feedback-01-form-phone');
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await page.getByRole('heading', { name: 'Thank you for your feedback' }).waitFor();
  await page.getByRole('img', { name: 'Your rating: 4 out of 5 stars' }).waitFor();
  await screenshot(page, 'feedback-02-thank-you-phone');
  expect(await accessibilityProblems(page)).toEqual([]);

  const stored = await system.database.db
    .selectFrom('feedback')
    .selectAll()
    .where('appointment_id', '=', visit.appointmentId)
    .executeTakeFirstOrThrow();
  expect(stored).toMatchObject({ rating: 4, comment: 'Friendly and on time. Thank you!', may_publish: true });

  // Opening the link again shows the answer instead of the form.
  await page.goto(visit.path);
  await page.getByRole('heading', { name: 'You have already given feedback' }).waitFor();
  await page.getByText('Friendly and on time. Thank you!').waitFor();
  expect(await page.getByRole('radio').count()).toBe(0);
  expect(await accessibilityProblems(page)).toEqual([]);
});

it('an old link with the bare appointment id says it has expired', async () => {
  const visit = await closedVisit(system.database.db, system.config, {
    name: 'Indigo Shaw',
    email: 'indigo.shaw@example.com',
  });
  const page = await phonePage();
  await page.goto(`/feedback/${visit.appointmentId}`);
  await page.getByRole('heading', { name: 'This link has expired' }).waitFor();
  await page.getByRole('link', { name: 'Book your next appointment' }).waitFor();
  await screenshot(page, 'feedback-03-expired-link-phone');
  expect(await accessibilityProblems(page)).toEqual([]);
  expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(390);
});

it('staff see the answer on the admin appointment card', async () => {
  const page = await watchedPage(browser, system.baseUrl, pageProblems, { timezoneId: 'America/New_York' });
  await signInToAdmin(page);
  await page.goto(`/admin/appointments/${answeredAppointmentId}`);
  const panel = page.getByTestId('feedback');
  await panel.getByRole('heading', { name: 'Customer feedback' }).waitFor();
  await panel.getByRole('img', { name: '4 out of 5 stars' }).waitFor();
  await panel.getByText('Friendly and on time. Thank you!').waitFor();
  expect(await panel.textContent()).toContain('may be quoted publicly');
  await screenshot(page, 'feedback-04-admin-card');
  expect(await accessibilityProblems(page)).toEqual([]);
});
