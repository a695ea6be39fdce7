/**
 * The Messages inbox in the admin app, in headless Chromium against the whole system (issue 16): a
 * customer writes from the portal; the nav shows the unread count; the inbox lists the thread as
 * needing a reply; opening it shows the message and clears the count; the page passes axe-core; staff
 * answer there and the thread waits on the customer; the contact page shows details a public booking
 * asked to change, waiting for the customer's confirmation.
 */
import type { Browser, Page } from 'playwright-core';
import { createPortalSession } from '../../src/portal/sessions';
import { accessibilityProblems, launchChromium, signInToAdmin, watchedPage } from '../support/browser';
import { api, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

let system: System;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];

beforeAll(async () => {
  [system, browser] = await Promise.all([startSystem(), launchChromium()]);
  page = await watchedPage(browser, system.baseUrl, pageProblems, { timezoneId: 'America/New_York' });
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

it('the nav badge counts unread customer messages; opening the thread reads it', async () => {
  const sam = await system.database.db
    .selectFrom('contacts')
    .select('id')
    .where('email', '=', 'sam.rivera@example.com')
    .executeTakeFirstOrThrow();
  const session = await createPortalSession(system.database.db, sam.id, 'email_link');
  const posted = await api(
    system,
    'POST',
    '/api/portal/messages',
    { body: 'Is there parking near the studio?' },
    { cookie: `af_portal=${session.sessionId}`, 'x-csrf-token': session.csrfToken },
  );
  expect(posted.status).toBe(201);

  await signInToAdmin(page);
  const inboxLink = page.getByRole('link', { name: /^Inbox/ });
  await page.getByLabel('1 unread').waitFor();
  await inboxLink.click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  const thread = page.getByRole('button', { name: 'Sam Rivera (1 unread) — Needs reply' });
  await thread.click();
  await page
    .getByRole('region', { name: 'Conversation with Sam Rivera' })
    .getByText('Is there parking near the studio?')
    .waitFor();
  await page.getByRole('button', { name: 'Sam Rivera — Needs reply' }).waitFor();
  await page.getByLabel('1 unread').waitFor({ state: 'detached' });
  expect(await accessibilityProblems(page)).toEqual([]);

  // Answered from the inbox: the answer joins the thread and the thread now waits on Sam.
  const conversation = page.getByRole('region', { name: 'Conversation with Sam Rivera' });
  await conversation.getByLabel('Answer the customer').fill('Yes, free parking behind the building.');
  await conversation.getByRole('button', { name: 'Send answer' }).click();
  await conversation.getByText('Yes, free parking behind the building.').waitFor();
  await page.getByRole('button', { name: 'Sam Rivera — Waiting on customer' }).waitFor();

  // Someone booked on the public page under Sam's email with another phone: Sam's contact page (the
  // thread's heading links there) shows it waiting for Sam's own confirmation.
  const consultation = await serviceIdBySlug(system, 'consultation');
  const [slot] = await freeSlots(system, consultation, 2, 12);
  const booked = await api(system, 'POST', '/api/bookings', {
    serviceId: consultation,
    startsAt: slot!.startsAt,
    timeZone: 'America/New_York',
    customer: { name: 'Sam Rivera', email: 'sam.rivera@example.com', phone: '+13125550142', smsOptIn: false },
  });
  expect(booked.status).toBe(201);
  await conversation.getByRole('link', { name: 'Sam Rivera' }).click();
  const pending = page.getByRole('region', { name: 'Waiting for the customer to confirm' });
  await pending.getByText('phone “+13125550142”', { exact: false }).waitFor();
  expect(await accessibilityProblems(page)).toEqual([]);
  expect(pageProblems).toEqual([]);
});
