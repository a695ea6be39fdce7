/**
 * The admin app and the customer pages in headless Chromium against the whole system (dev server,
 * database, worker with the real activities, HTTP server serving the built bundle):
 * - a guest books on a 390×844 phone viewport, in their own (detected) time zone;
 * - staff sign in, find the booking on the calendar and the pipeline board, and reschedule it with
 *   the slot picker (a workflow update);
 * - a customer cancels from the manage link, and the link is dead afterwards, saying why;
 * - the customer saves a test card; staff complete deliver → billable hours → charge, and the invoice
 *   is paid.
 * Screenshots of each main screen are saved to test-artifacts/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { DEMO_ADMIN, DEMO_TECHNICIAN } from '../../src/db/seed';
import { accessibilityProblems, launchChromium, screenshot, watchedPage } from '../support/browser';
import { createApiKey } from '../../src/auth/api-keys';
import { api, eventually, startService, startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

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

const newPage = (options: { mobile?: boolean; timezoneId: string }): Promise<Page> =>
  watchedPage(browser, system.baseUrl, pageProblems, options);

const db = () => system.database.db;
const GUEST = { name: 'Riley Guest', email: 'riley.guest@example.com', phone: '+13105550142' };

let guestAppointmentId: string;
let guestManagePath: string;
let staffPage: Page;
let callerAppointmentId: string;

it('a guest books on a phone, in their own time zone', async () => {
  const page = await newPage({ mobile: true, timezoneId: 'America/Los_Angeles' });
  const response = await page.goto('/book/on-site-repair');
  // The pages run under a strict Content-Security-Policy and send no Referer (manage tokens stay put).
  expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(response!.headers()['referrer-policy']).toBe('no-referrer');
  await page.getByRole('heading', { name: 'Book an appointment' }).waitFor();
  const firstSlot = page.locator('button.time').first();
  await firstSlot.waitFor();
  expect(await page.locator('.summary-row').first().textContent()).toContain('On-site Repair');
  await page
    .getByText('Times are in Pacific')
    .getByText(/Los Angeles/)
    .waitFor();
  const startsAt = await firstSlot.getAttribute('data-starts-at');
  await firstSlot.click();
  await page.getByTestId('chosen-time').waitFor();
  await page.getByLabel('Name', { exact: true }).fill(GUEST.name);
  await page.getByLabel('Email').fill(GUEST.email);
  await page.getByLabel(/Mobile phone/).fill(GUEST.phone);
  await page.getByLabel(/Text me reminders/).check();
  await page.getByLabel('Address we come to').fill('12 Ocean Ave, Santa Monica, CA');
  await page.getByLabel(/Anything we should know/).fill('Gate code 1234');
  // Nothing overflows sideways on the phone.
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await screenshot(page, '01-booking-page-phone');
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.getByRole('button', { name: /^Book for/ }).click();
  await page.getByRole('heading', { name: "You're booked" }).waitFor();
  await screenshot(page, '02-booking-confirmed-phone');
  expect(await accessibilityProblems(page)).toEqual([]);

  const row = await db()
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select(['a.id', 'a.starts_at', 'a.time_zone', 'a.source', 'a.client_note', 'c.sms_opt_in'])
    .where('c.email', '=', GUEST.email)
    .executeTakeFirstOrThrow();
  expect(row.starts_at.toISOString()).toBe(new Date(startsAt!).toISOString());
  expect(row.time_zone).toBe('America/Los_Angeles');
  expect(row.sms_opt_in).toBe(true);
  expect(row.client_note).toBe('Gate code 1234');
  guestAppointmentId = row.id;
  guestManagePath = (await page.getByRole('link', { name: 'View, reschedule or cancel' }).getAttribute('href'))!;
  expect(guestManagePath).toMatch(/^\/manage\/[\w-]+$/);

  // A returning customer's details are offered back on this device, with a "not you?".
  await page.goto('/book/on-site-repair');
  await page.locator('button.time').first().click();
  await page.getByText('Welcome back').waitFor();
  expect(await page.getByLabel('Email').inputValue()).toBe(GUEST.email);
  await page.getByRole('button', { name: /Not you/ }).click();
  expect(await page.getByLabel('Email').inputValue()).toBe('');
});

it('staff sign in, find the booking on the calendar and the pipeline board, and reschedule it with the slot picker', async () => {
  staffPage = await newPage({ timezoneId: 'America/New_York' });
  const page = staffPage;
  await page.goto('/admin');
  await page.getByRole('heading', { name: 'Staff sign-in' }).waitFor();
  await screenshot(page, '03-sign-in');
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.getByLabel('Email').fill(DEMO_ADMIN.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('The email or password is not correct.').waitFor();
  // The right password, by keyboard only; the focused field shows a visible focus ring.
  await page.getByLabel('Email').fill('');
  await page.getByLabel('Password').fill('');
  await page.getByLabel('Email').focus();
  await page.keyboard.type(DEMO_ADMIN.email);
  await page.keyboard.press('Tab');
  expect(await page.evaluate<string>('document.activeElement.id')).toBe('password');
  expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
  await page.keyboard.type(DEMO_ADMIN.password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Calendar' }).waitFor();
  const cookie = (await page.context().cookies()).find((c) => c.name === 'af_session')!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

  // Calendar (week, everyone): the booking is there, coloured by its stage.
  const onCalendar = page.locator('.calendar a.appt', { hasText: GUEST.name });
  await onCalendar.waitFor();
  const { stage } = await db()
    .selectFrom('appointments')
    .select('stage')
    .where('id', '=', guestAppointmentId)
    .executeTakeFirstOrThrow();
  expect(await onCalendar.getAttribute('title')).toBe(stage);
  await screenshot(page, '04-calendar-week');
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.getByLabel('View').selectOption('day');
  await page.getByLabel('Staff').selectOption({ label: 'Jordan Patel' });
  // The day grid, narrowed to Jordan's column, has loaded before the screenshot.
  await page.getByRole('heading', { name: 'Avery Chen' }).waitFor({ state: 'detached' });
  await page.getByRole('region', { name: 'Jordan Patel' }).waitFor();
  await screenshot(page, '05-calendar-day-jordan');
  expect(await accessibilityProblems(page)).toEqual([]);

  // Pipeline board: in its stage's column.
  await page.getByRole('link', { name: 'Pipeline' }).click();
  await page.getByRole('heading', { name: 'Pipeline' }).waitFor();
  await page.locator(`section[aria-label="${stage}"] a.appt`, { hasText: GUEST.name }).waitFor();
  await screenshot(page, '06-pipeline-board');
  expect(await accessibilityProblems(page)).toEqual([]);

  // Back to the calendar, open the card, reschedule with the slot picker.
  await page.getByRole('link', { name: 'Calendar' }).click();
  await page.locator('.calendar a.appt', { hasText: GUEST.name }).click();
  await page.getByRole('heading', { name: `${GUEST.name} — On-site Repair` }).waitFor();
  await page.getByRole('link', { name: 'Open the workflow in Temporal Web UI' }).waitFor();
  expect(await page.getByRole('link', { name: 'Open the workflow in Temporal Web UI' }).getAttribute('href')).toContain(
    `/namespaces/default/workflows/appointment%3A${guestAppointmentId}`,
  );
  await page.locator('table', { hasText: 'Booked' }).first().waitFor();
  await screenshot(page, '07-appointment-card');
  expect(await accessibilityProblems(page)).toEqual([]);
  const before = await db()
    .selectFrom('appointments')
    .select('starts_at')
    .where('id', '=', guestAppointmentId)
    .executeTakeFirstOrThrow();
  await page.getByRole('button', { name: 'Reschedule', exact: true }).click();
  const slots = page.locator('form[aria-label="Reschedule"] button.slot');
  await slots.first().waitFor();
  const target = slots.nth((await slots.count()) - 1);
  const newStart = (await target.getAttribute('data-starts-at'))!;
  expect(new Date(newStart).getTime()).not.toBe(before.starts_at.getTime());
  await target.click();
  await page.getByLabel('Public note').fill('Please park on the street.');
  // The server previews the message for that time (with the note); staff edit it before it goes.
  const emailText = page.getByLabel('Email text');
  await eventually(async () => (await emailText.inputValue()).includes('Please park on the street.'));
  const sms = page.getByLabel('SMS', { exact: true });
  expect(await sms.inputValue()).toContain('{manage-link}');
  const smsCount = page.getByTestId('sms-count');
  expect(await smsCount.textContent()).toMatch(/^\d+ of 306 characters with the link filled in · [12] segments?$/);
  // Over two segments: the live count says so, and the server refuses it next to the SMS field.
  await sms.fill(`${'Your repair has moved to a new time, see you then. '.repeat(6)}{manage-link}`);
  await page.getByText(/over two segments, shorten it/).waitFor();
  await page.getByRole('button', { name: /^Move to/ }).click();
  const smsProblem = page.locator('#rs-sms-problem');
  await smsProblem.waitFor();
  expect(await smsProblem.textContent()).toMatch(/two segments hold 306/);
  expect(await page.evaluate<string>('document.activeElement.id')).toBe('rs-sms');
  expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
  expect(await sms.getAttribute('aria-invalid')).toBe('true');
  await screenshot(page, '08a-reschedule-sms-refused');
  expect(await accessibilityProblems(page)).toEqual([]);
  // Asking to reply STOP is refused too (a carrier opt-out keyword).
  await sms.fill('Your repair moved. Reply STOP to opt out. {manage-link}');
  expect(await smsProblem.count()).toBe(0);
  await page.getByRole('button', { name: /^Move to/ }).click();
  await smsProblem.waitFor();
  expect(await smsProblem.textContent()).toMatch(/never ask customers to reply CANCEL or STOP/);
  expect(await page.evaluate<string>('document.activeElement.id')).toBe('rs-sms');
  // Fixed: the count follows the text as the server counts it (the link at its real length).
  const editedSms = 'Harbor: your repair moved, sorry for the shuffle. Details: {manage-link}';
  await sms.fill(editedSms);
  expect(await page.getByText('Not rescheduled').count()).toBe(0);
  const linkLength = `${system.baseUrl}/manage/`.length + 43;
  expect(await smsCount.textContent()).toBe(
    `${editedSms.length - '{manage-link}'.length + linkLength} of 306 characters with the link filled in · 1 segment`,
  );
  await page.getByLabel('Email subject').fill('Your repair has a new time');
  // Reminders off, by keyboard.
  const remindersBox = page.getByLabel('Send the usual reminders before the new time');
  expect(await remindersBox.isChecked()).toBe(true);
  await remindersBox.focus();
  await page.keyboard.press('Space');
  expect(await remindersBox.isChecked()).toBe(false);
  await screenshot(page, '08-reschedule-slot-picker');
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.getByRole('button', { name: /^Move to/ }).click();
  await page.getByText('Rescheduled.').waitFor();
  const after = await db()
    .selectFrom('appointments')
    .select(['starts_at', 'public_notes'])
    .where('id', '=', guestAppointmentId)
    .executeTakeFirstOrThrow();
  expect(after.starts_at.toISOString()).toBe(new Date(newStart).toISOString());
  // The edited texts went out, with the customer's own manage link instead of the placeholder.
  const sent = await eventually(async () => {
    const rows = await db()
      .selectFrom('messages')
      .select(['channel', 'subject', 'body'])
      .where('appointment_id', '=', guestAppointmentId)
      .where('template', '=', 'rescheduled')
      .execute();
    return rows.length === 2 && rows;
  });
  const manageLink = new RegExp(`${system.baseUrl}/manage/[A-Za-z0-9_-]{43}`);
  const sentSms = sent.find((m) => m.channel === 'sms')!;
  const sentEmail = sent.find((m) => m.channel === 'email')!;
  expect(sentSms.body).toMatch(/^Harbor: your repair moved, sorry for the shuffle\. Details: http/);
  expect(sentSms.body).toMatch(manageLink);
  expect(sentSms.body).not.toContain('{manage-link}');
  expect(sentEmail.subject).toBe('Your repair has a new time');
  expect(sentEmail.body).toContain('Please park on the street.');
  expect(sentEmail.body).toMatch(manageLink);
  expect(sentEmail.body).not.toContain('{manage-link}');
  // The workflow keeps no reminders for the new time (the API the app reads says so).
  const card = await page.evaluate(async (id) => {
    const response = await fetch(`/api/appointments/${id}`, { headers: { accept: 'application/json' } });
    return (await response.json()) as { workflow: { reminders?: boolean } | null };
  }, guestAppointmentId);
  expect(card.workflow).toMatchObject({ reminders: false });
  const event = await eventually(() =>
    db()
      .selectFrom('timeline_events')
      .select(['actor', 'channel'])
      .where('appointment_id', '=', guestAppointmentId)
      .where('kind', 'like', '%reschedul%')
      .executeTakeFirst(),
  );
  expect(event.actor).toContain('Avery Chen');
});

it('a customer cancels from the manage link, and the link is dead afterwards', async () => {
  const { body: services } = await api<{ services: Array<{ id: string; slug: string }> }>(
    system,
    'GET',
    '/api/services',
  );
  const consultation = services.services.find((s) => s.slug === 'consultation')!.id;
  const from = new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 9 * 86400_000).toISOString().slice(0, 10);
  const availability = await api<{ days: Array<{ slots: Array<{ startsAt: string }> }> }>(
    system,
    'GET',
    `/api/services/${consultation}/availability?from=${from}&to=${to}&timeZone=America/New_York`,
  );
  const booked = await api<{ manageUrl: string; appointment: { id: string } }>(system, 'POST', '/api/bookings', {
    serviceId: consultation,
    startsAt: availability.body.days[0]!.slots[0]!.startsAt,
    timeZone: 'America/New_York',
    customer: { name: 'Dana Cancel', email: 'dana.cancel@example.com' },
  });
  expect(booked.status).toBe(201);
  const managePath = new URL(booked.body.manageUrl).pathname;

  const page = await newPage({ mobile: true, timezoneId: 'America/New_York' });
  await page.goto(managePath);
  await page.getByRole('heading', { name: 'Your appointment' }).waitFor();
  await screenshot(page, '09-manage-page-phone');
  expect(await accessibilityProblems(page)).toEqual([]);

  // Reschedule from the link with the slot picker first.
  await page.getByRole('button', { name: 'Reschedule' }).click();
  const slot = page.locator('section[aria-labelledby="pick-new"] button.time').nth(1);
  const newStart = (await slot.getAttribute('data-starts-at'))!;
  await slot.click();
  await page.getByRole('button', { name: /^Move to/ }).click();
  await page.getByText(/^Moved to/).waitFor();
  const moved = await db()
    .selectFrom('appointments')
    .select('starts_at')
    .where('id', '=', booked.body.appointment.id)
    .executeTakeFirstOrThrow();
  expect(moved.starts_at.toISOString()).toBe(new Date(newStart).toISOString());

  await page.getByRole('button', { name: 'Cancel appointment' }).click();
  await page.getByRole('dialog', { name: 'Cancel this appointment?' }).waitFor();
  await page.getByLabel('Reason (optional)').fill('Plans changed');
  await screenshot(page, '10-manage-cancel-confirmation');
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.getByRole('button', { name: 'Yes, cancel' }).click();
  await page.getByRole('heading', { name: 'This link no longer works' }).waitFor();

  const row = await db()
    .selectFrom('appointments')
    .select(['status', 'cancel_reason'])
    .where('id', '=', booked.body.appointment.id)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ status: 'cancelled', cancel_reason: 'Plans changed' });

  // Opening the link again: dead, saying why and what to do instead.
  await page.goto(managePath);
  await page.getByRole('heading', { name: 'This link no longer works' }).waitFor();
  await page.getByText('This appointment was cancelled, so this link no longer works.').waitFor();
  expect(await page.getByRole('link', { name: 'Book a new appointment' }).getAttribute('href')).toBe(
    '/book/consultation',
  );
  await screenshot(page, '11-manage-dead-link');
  expect(await accessibilityProblems(page)).toEqual([]);

  // A link that never existed says so too.
  await page.goto('/manage/not-a-real-token');
  await page.getByText('This link is not valid. Please use the link from your most recent email').waitFor();
});

it('the customer saves a test card; staff complete deliver → billable hours → charge, and the invoice is paid', async () => {
  const customer = await newPage({ mobile: true, timezoneId: 'America/Los_Angeles' });
  await customer.goto(`${guestManagePath}/card`);
  await customer.getByRole('heading', { name: 'Update your card' }).waitFor();
  await customer.getByText('Test mode: payments are simulated').waitFor();
  await screenshot(customer, '12-card-update-test-mode');
  expect(await accessibilityProblems(customer)).toEqual([]);
  await customer.getByRole('button', { name: 'Save card' }).click();
  await customer.getByText('Card saved. Any payment due is retried now.').waitFor();

  // The visit is booked days ahead; delivery follows the appointment, so the technician starts it first.
  const apiKey = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Technician app')).key}` };
  await startService(system, apiKey, guestAppointmentId);

  const page = staffPage;
  await page.getByRole('link', { name: 'Tasks' }).click();
  await page.getByRole('heading', { name: 'Tasks' }).waitFor();
  await page.getByRole('button', { name: 'All tasks' }).click();
  const deliver = page.locator('article.task', {
    has: page.locator(`a[href="/admin/appointments/${guestAppointmentId}"]`),
    hasText: 'Deliver On-site Repair',
  });
  await deliver.waitFor();
  await screenshot(page, '13-task-inbox');
  expect(await accessibilityProblems(page)).toEqual([]);
  await deliver.getByLabel('Billable time').fill('1:20');
  // Rounded up to the service's 15-minute steps, shown before saving.
  await deliver.getByText('Billed as 1:30 (rounded up to 15-minute steps).').waitFor();
  await deliver.getByLabel('Work notes').fill('Replaced the valve');
  await deliver.getByRole('button', { name: 'Service delivered' }).click();
  await page.getByText('Done: Deliver On-site Repair').waitFor();
  const appointment = await db()
    .selectFrom('appointments')
    .select('billable_minutes')
    .where('id', '=', guestAppointmentId)
    .executeTakeFirstOrThrow();
  expect(appointment.billable_minutes).toBe(90);

  // The manual billing policy opens a charge task once the invoice exists.
  const charge = page.locator('article.task', {
    has: page.locator(`a[href="/admin/appointments/${guestAppointmentId}"]`),
    hasText: 'Charge On-site Repair',
  });
  // The workflow opens it in the background: refresh the inbox until it is there, giving each load
  // time to arrive (a busy machine answers slowly).
  await eventually(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    return charge.waitFor({ timeout: 3_000 }).then(
      () => true,
      () => false,
    );
  }, 45_000);
  await screenshot(page, '14-charge-task');
  expect(await accessibilityProblems(page)).toEqual([]);
  await charge.getByRole('button', { name: 'Charge the saved card' }).click();
  await page.getByText('Done: Charge On-site Repair').waitFor();

  const invoice = await eventually(() =>
    db()
      .selectFrom('invoices')
      .select(['status', 'total_minor'])
      .where('appointment_id', '=', guestAppointmentId)
      .where('status', '=', 'paid')
      .executeTakeFirst(),
  );
  expect(invoice.total_minor).toBeGreaterThan(0);
  await page.goto(`/admin/appointments/${guestAppointmentId}`);
  await page.getByText(/#\d+ · paid/).waitFor();
  await page.getByText('1:30', { exact: true }).waitFor(); // billable time, h:mm
  await screenshot(page, '15-appointment-card-paid');
  expect(await accessibilityProblems(page)).toEqual([]);

  // The visit is over: the manage link says so, and still leads to the paid invoice.
  await customer.goto(guestManagePath);
  await customer.getByRole('heading', { name: 'This link no longer works' }).waitFor();
  await customer.getByRole('link', { name: 'View or download your invoice' }).click();
  await customer.getByText(/Invoice #\d+ — paid/).waitFor();
  await customer.getByRole('link', { name: 'Download invoice' }).waitFor();
  await screenshot(customer, '15b-invoice-phone');
  expect(await accessibilityProblems(customer)).toEqual([]);

  // The other screens render for staff.
  for (const [link, heading, shot] of [
    ['Messages', 'Messages', '16-messages'],
    ['Contacts', 'Contacts', '17-contacts'],
    ['Settings', 'Settings', '18-settings'],
  ] as const) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { name: heading }).waitFor();
    await screenshot(page, shot);
    expect(await accessibilityProblems(page)).toEqual([]);
  }
  await page.getByRole('link', { name: 'Messages', exact: true }).click();
  await page.locator('td', { hasText: GUEST.email }).first().waitFor();

  // Contact notes and time off, from the contacts and settings screens.
  await page.getByRole('link', { name: 'Contacts', exact: true }).click();
  await page.getByRole('link', { name: GUEST.name }).click();
  await page.getByRole('heading', { name: GUEST.name }).waitFor();
  await page.getByLabel('Notes (staff only)').fill('Has a friendly dog.');
  await page.getByRole('button', { name: 'Save notes' }).click();
  await page.getByText('Notes saved.').waitFor();
  await screenshot(page, '18b-contact');
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByText(/On-site Repair: 120 min, \$90\.00 per hour; billing after staff confirm the charge/).waitFor();
  const timeOff = page.getByRole('form', { name: 'Add time off for Jordan Patel' });
  const day = new Date(Date.now() + 60 * 86400_000).toISOString().slice(0, 10);
  await timeOff.getByLabel('Time off from').fill(`${day}T09:00`);
  await timeOff.getByLabel('until').fill(`${day}T17:00`);
  await timeOff.getByLabel('Reason').fill('Training day');
  await timeOff.getByRole('button', { name: 'Add time off' }).click();
  await page.getByText('Training day').waitFor();
  const stored = await db()
    .selectFrom('time_off as t')
    .innerJoin('staff as s', 's.id', 't.staff_id')
    .select(['s.name', 't.reason'])
    .executeTakeFirstOrThrow();
  expect(stored).toEqual({ name: 'Jordan Patel', reason: 'Training day' });
});

it('staff book for a caller, start the service, and see a refused action explained in words', async () => {
  const page = staffPage;
  await page.getByRole('link', { name: 'New booking', exact: true }).click();
  await page.getByRole('heading', { name: 'New booking for a caller' }).waitFor();
  await page.getByLabel('Service').selectOption({ label: 'Consultation' });
  await page.getByLabel('Staff member').selectOption({ label: 'Jordan Patel' });
  const slot = page.locator('.time-picker button.time').first();
  await slot.waitFor();
  await slot.click();
  await page.getByLabel('Customer name').fill('Casey Caller');
  await page.getByLabel('Email').fill('casey.caller@example.com');
  await page.getByLabel('Booked by').selectOption('phone');
  await screenshot(page, '19-new-booking');
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.getByRole('button', { name: 'Book', exact: true }).click();
  await page.getByRole('heading', { name: 'Casey Caller — Consultation' }).waitFor();
  const id = page.url().split('/').pop()!;
  callerAppointmentId = id;
  const booked = await db()
    .selectFrom('appointments')
    .select(['source'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  expect(booked.source).toBe('phone');

  // Before the start: no no-show on offer (and why); starting early asks first.
  expect(await page.getByRole('button', { name: 'Mark no-show' }).count()).toBe(0);
  await page.getByText('Why some actions are not offered').click();
  await page.getByText(/^Mark no-show: Possible from the start time/).waitFor();
  await page.getByRole('button', { name: 'Start service' }).click();
  const early = page.getByRole('dialog', { name: 'Start the service early?' });
  await early.getByText(/^It starts .*\. Start the service early\?$/).waitFor();
  expect(await accessibilityProblems(page)).toEqual([]);
  await early.getByRole('button', { name: 'Start now' }).click();
  await page.getByText('Service started.').waitFor();
  await page.getByTestId('appointment-status').getByText('in_progress').waitFor();
  // Started once: the action is gone, and the card says why.
  expect(await page.getByRole('button', { name: 'Start service' }).count()).toBe(0);
  await page.getByText('Start service: The service has already started.').waitFor();
  await screenshot(page, '20-refused-action');
  const row = await db().selectFrom('appointments').select('status').where('id', '=', id).executeTakeFirstOrThrow();
  expect(row.status).toBe('in_progress');
});

it('a technician signs in and sees their own day', async () => {
  const page = await newPage({ timezoneId: 'America/New_York' });
  await page.goto('/admin');
  await page.getByLabel('Email').fill(DEMO_TECHNICIAN.email);
  await page.getByLabel('Password').fill(DEMO_TECHNICIAN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Calendar' }).waitFor();
  expect(await page.getByLabel('View').inputValue()).toBe('day');
  // The day of the caller's appointment with Jordan.
  const { starts_at } = await db()
    .selectFrom('appointments')
    .select('starts_at')
    .where('id', '=', callerAppointmentId)
    .executeTakeFirstOrThrow();
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(starts_at);
  await page.goto(`/admin?date=${day}`);
  await page.locator('.calendar a.appt', { hasText: 'Casey Caller' }).waitFor();
  expect(await page.getByRole('link', { name: 'Pipeline' }).count()).toBe(0);
  expect(await page.getByLabel('Staff').count()).toBe(0);
  await screenshot(page, '21-technician-day');
  expect(await accessibilityProblems(page)).toEqual([]);
});
