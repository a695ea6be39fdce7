/**
 * The admin app as a front desk uses it (issue 15), in headless Chromium at 1440×900 against the whole
 * system: staff management (add with a refusal next to the field, invite, the change history), a
 * booking for a known caller found by search (prefilled, their notes shown), the appointment card
 * offering only what can work (no no-show before the start, starting early confirmed, started once,
 * billable time as h:mm rounded before saving, stage and price following delivery), and the Messages
 * screen with the text of each message and the customer's reply in the same thread, filtered. Every
 * screen passes axe-core and is saved as a screenshot (`50-…`).
 */
import type { Browser, Page } from 'playwright-core';
import { createApiKey } from '../../src/auth/api-keys';
import { accessibilityProblems, launchChromium, screenshot, signInToAdmin, watchedPage } from '../support/browser';
import { api, eventually, startSystem, type System } from '../support/system';

jest.setTimeout(240_000);

let system: System;
let browser: Browser;
let page: Page;
let bearer: Record<string, string>;
const pageProblems: string[] = [];
const db = () => system.database.db;

beforeAll(async () => {
  [system, browser] = await Promise.all([startSystem(), launchChromium()]);
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Front desk')).key}` };
  page = await watchedPage(browser, system.baseUrl, pageProblems, { timezoneId: 'America/New_York', width: 1440 });
  await signInToAdmin(page);
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});
afterEach(() => {
  expect(pageProblems.splice(0)).toEqual([]);
});

async function checked(name: string) {
  await screenshot(page, name);
  expect(await accessibilityProblems(page)).toEqual([]);
}

it('an admin adds a staff member (a refusal shown at its field), invites them, and sees the history', async () => {
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('link', { name: 'Staff', exact: true }).click();
  await page.getByRole('heading', { name: 'Staff', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Jordan Patel' }).waitFor();
  await checked('50-staff-list');

  await page.getByRole('link', { name: 'Add a staff member' }).click();
  await page.getByLabel('Name').fill('Riley Stone');
  await page.getByLabel('Email').fill('riley.stone@maplestreet.example');
  await page.getByLabel('Mobile phone (optional)').fill('555-0101');
  await page.getByLabel('Role').selectOption({ label: 'Front desk / office' });
  await page.getByLabel('Consultation').check();
  await page.getByRole('button', { name: 'Add staff member' }).click();
  const phone = page.getByLabel('Mobile phone (optional)');
  await page.locator('#st-phone-problem').getByText('expected an E.164 phone number such as +12125550123').waitFor();
  expect(await phone.getAttribute('aria-invalid')).toBe('true');
  await checked('51-staff-refused');
  await phone.fill('+12125550177');
  await page.getByRole('button', { name: 'Add staff member' }).click();
  await page.getByRole('heading', { name: 'Riley Stone' }).waitFor();
  await page.getByText('No sign-in yet.').waitFor();

  await page.getByRole('button', { name: 'Invite to set a password' }).click();
  await page.getByText('Invitation sent to riley.stone@maplestreet.example.').waitFor();
  const invitation = await db()
    .selectFrom('messages')
    .select(['subject', 'body'])
    .where('recipient', '=', 'riley.stone@maplestreet.example')
    .executeTakeFirstOrThrow();
  expect(invitation.subject).toBe('Set your password for Maple Street Studio');
  await page.getByText(/^No sign-in yet\. Invited .*; the link works until /).waitFor();
  await page.getByText('No appointments booked with Riley Stone.').waitFor();
  await checked('52-staff-member');
});

it('books for a known caller found by search: prefilled, notes shown; the card offers only what can work', async () => {
  const sam = await db().selectFrom('contacts').select('id').where('name', '=', 'Sam Rivera').executeTakeFirstOrThrow();
  expect(
    (await api(system, 'PATCH', `/api/admin/contacts/${sam.id}`, { notes: 'Allergic to latex gloves.' }, bearer))
      .status,
  ).toBe(200);

  await page.getByRole('link', { name: 'New booking', exact: true }).click();
  await page.getByRole('heading', { name: 'New booking for a caller' }).waitFor();
  await page.getByLabel('Find the caller').fill('555 0123');
  await page.getByRole('button', { name: /^Sam Rivera · sam\.rivera@example\.com/ }).click();
  await page.getByTestId('caller-picked').getByText('Allergic to latex gloves.').waitFor();
  expect(await page.getByLabel('Customer name').inputValue()).toBe('Sam Rivera');
  expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe('sam.rivera@example.com');
  expect(await page.getByLabel('Phone (optional)').inputValue()).toBe('+12125550123');
  await page.getByLabel('Service').selectOption({ label: 'On-site Repair' });
  const slot = page.locator('.slot-picker button.slot').first();
  await slot.waitFor();
  await slot.click();
  await checked('53-new-booking-known-caller');
  await page.getByRole('button', { name: 'Book', exact: true }).click();
  await page.getByRole('heading', { name: 'Sam Rivera — On-site Repair' }).waitFor();
  const id = page.url().split('/').pop()!;
  const row = await db().selectFrom('appointments').select('contact_id').where('id', '=', id).executeTakeFirstOrThrow();
  expect(row.contact_id).toBe(sam.id); // the known contact, not a new one

  // The card: the allergy up top; hourly price; no no-show before the start, and why.
  await page.getByTestId('contact-notes').getByText('Allergic to latex gloves.').waitFor();
  expect(await page.getByTestId('appointment-price').textContent()).toMatch(/\$90\.00 per hour, in 15-minute steps/);
  expect(await page.getByRole('button', { name: 'Mark no-show' }).count()).toBe(0);
  await page.getByText('Why some actions are not offered').click();
  await page.getByText(/^Mark no-show: Possible from the start time/).waitFor();
  await checked('54-card-before-start');

  // Starting early asks first; once started, it is not offered again.
  await page.getByRole('button', { name: 'Start service' }).click();
  const early = page.getByRole('dialog', { name: 'Start the service early?' });
  await early.getByText(/^It starts .*, in .*\. Start the service early\?$/).waitFor();
  await checked('55-card-start-early');
  await early.getByRole('button', { name: 'Start now' }).click();
  await page.getByText('Service started.').waitFor();
  await page.getByTestId('appointment-stage').getByText('In progress').waitFor();
  expect(await page.getByRole('button', { name: 'Start service' }).count()).toBe(0);

  // Billable time as h:mm, rounded to the service's 15-minute steps before saving.
  const deliver = page.getByRole('region', { name: 'Record the service as delivered' });
  await deliver.getByLabel('Billable time').fill('soon');
  await deliver.getByText('Enter the time as hours and minutes (1:30) or hours (1.5).').waitFor();
  await deliver.getByLabel('Billable time').fill('1:20');
  await deliver.getByText('Billed as 1:30 (rounded up to 15-minute steps).').waitFor();
  await checked('56-card-deliver');
  await deliver.getByRole('button', { name: 'Service delivered' }).click();
  await page.getByText('Service delivered. The invoice is open.').waitFor();
  await page.getByTestId('appointment-stage').getByText('Delivered — awaiting payment').waitFor();
  // 1.5 h × $90.00 + 8% tax.
  await page.getByTestId('appointment-price').getByText('$145.80').waitFor();
  const delivered = await db()
    .selectFrom('appointments')
    .select(['billable_minutes', 'status'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  expect(delivered).toEqual({ billable_minutes: 90, status: 'done' });
  expect(await page.getByRole('button', { name: 'Reschedule' }).count()).toBe(0);
  await checked('57-card-delivered');
});

it('the Messages screen shows each message as its text and the reply in the same thread, filtered', async () => {
  await page.getByRole('link', { name: 'Messages', exact: true }).click();
  await page.getByRole('heading', { name: 'Messages' }).waitFor();
  const form = page.getByRole('form', { name: "Try a customer's SMS reply" });
  await form.getByLabel("Customer's phone").fill('+12125550123');
  await form.getByLabel('Reply').fill('Thanks, see you then');
  await form.getByRole('button', { name: 'Send as the customer' }).click();
  await form.getByRole('status').waitFor();

  await page.getByLabel('Customer', { exact: true }).fill('rivera');
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  const reply = page.locator('tbody tr[data-direction="in"]', { hasText: 'Thanks, see you then' });
  await reply.waitFor();
  expect(await reply.textContent()).toContain('Sam Rivera');
  expect(await reply.textContent()).toContain('Received');
  // What was sent reads as text, not template keys.
  const sent = page.locator('tbody tr[data-direction="out"]', { hasText: 'Sam Rivera' }).first();
  await sent.waitFor();
  expect(await page.locator('tbody').textContent()).not.toMatch(/\b(smsReply|paymentDeclined|bookingConfirmed)\b/);
  await checked('58-messages-thread');

  // Filters: replies only; SMS only.
  await page.getByLabel('Status').selectOption({ label: 'Replies received' });
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await eventually(async () => (await page.locator('tbody tr[data-direction="out"]').count()) === 0);
  expect(await page.locator('tbody tr[data-direction="in"]').count()).toBeGreaterThanOrEqual(1);
  await page.getByLabel('Status').selectOption({ label: 'Any status' });
  await page.getByLabel('Channel').selectOption({ label: 'Email' });
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await eventually(async () => (await page.locator('tbody tr[data-direction="in"]').count()) === 0);
  expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
});
