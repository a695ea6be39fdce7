/**
 * The admin app as a front desk uses it (issue 15), in headless Chromium at 1440×900 against the whole
 * system: staff management (add with a refusal next to the field, invite, the change history), a
 * booking for a known caller found by search (prefilled, their notes shown), the appointment card
 * offering only what can work (no no-show before the start, starting early confirmed, started once,
 * billable time as h:mm rounded before saving, stage and price following delivery), and the Messages
 * screen with the text of each message and the customer's reply in the same thread, filtered; on the
 * calendar's day grid a click on an empty time books there and dragging an appointment to another time
 * and staff column opens its reschedule form there (message preview, edited, confirmed); time off over
 * two booked customers asks both to choose a new time (their messages in the outbox with the times
 * offered). Every admin page passes axe-core and is saved as a screenshot (`50-…`, `70-…`).
 */
import { DateTime } from 'luxon';
import type { Browser, Locator, Page } from 'playwright-core';
import { createApiKey } from '../../src/auth/api-keys';
import { accessibilityProblems, launchChromium, screenshot, signInToAdmin, watchedPage } from '../support/browser';
import { api, bookByPhone, eventually, serviceIdBySlug, startSystem, type System } from '../support/system';

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
  const slot = page.locator('.time-picker button.time').first();
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

const NY = 'America/New_York';

/** The next weekday, at least two days ahead, when both Avery (Mon–Fri 9–17) and Jordan (Tue–Sat 10–18) work. */
function nextSharedWorkday(): DateTime {
  let day = DateTime.now().setZone(NY).startOf('day').plus({ days: 2 });
  while (day.weekday < 2 || day.weekday > 5) day = day.plus({ days: 1 });
  return day;
}

/** The page y of an hour line on the day grid (its label in the gutter is centred on it). */
async function hourY(hour: string): Promise<number> {
  const label = page.locator('.day-hour').filter({ hasText: new RegExp(`^${hour}\\s(AM|PM)$`) });
  const box = (await label.boundingBox())!;
  return box.y + box.height / 2;
}

async function columnBody(name: string): Promise<Locator> {
  const id = (await db().selectFrom('staff').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  return page.getByTestId(`day-col-body-${id}`);
}

let gridDay: DateTime;

it('books at an empty time clicked on the day grid, then drags the appointment to another time and staff member', async () => {
  gridDay = nextSharedWorkday();
  await page.goto(`/admin?view=day&date=${gridDay.toISODate()}`);
  await page.getByRole('region', { name: /^Day schedule/ }).waitFor();
  const avery = await columnBody('Avery Chen');
  const averyBox = (await avery.boundingBox())!;
  await page.mouse.click(averyBox.x + 30, (await hourY('11:00')) + 8);
  await page.getByRole('heading', { name: 'New booking for a caller' }).waitFor();
  expect(await page.getByTestId('calendar-slot').textContent()).toMatch(/11:00\sAM EST with Avery Chen/);
  await page.getByLabel('Service').selectOption({ label: 'Consultation' });
  await page.getByLabel('Find the caller').fill('morgan');
  await page.getByRole('button', { name: /^Morgan Lee · morgan\.lee@example\.com/ }).click();
  await page.getByRole('button', { name: 'Book', exact: true }).click();
  await page.getByRole('heading', { name: 'Morgan Lee — Consultation' }).waitFor();
  const id = page.url().split('/').pop()!;
  const booked = await db()
    .selectFrom('appointments')
    .select(['starts_at', 'staff_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  expect(DateTime.fromJSDate(booked.starts_at).setZone(NY).toFormat('yyyy-MM-dd HH:mm')).toBe(
    `${gridDay.toISODate()} 11:00`,
  );

  // Drag it to Jordan's column at 2 PM: the reschedule form opens there, with the message previewed.
  await page.goto(`/admin?view=day&date=${gridDay.toISODate()}`);
  const appt = page.locator(`a[data-appointment-id="${id}"]`);
  await appt.waitFor();
  const jordan = await columnBody('Jordan Patel');
  const jordanBox = (await jordan.boundingBox())!;
  const apptBox = (await appt.boundingBox())!;
  // Grabbed at its middle: dropped so its middle sits a quarter hour below 2 PM, its start at 2 PM.
  const y = (await hourY('2:00')) + apptBox.height / 2 - jordanBox.y;
  await screenshot(page, '65-calendar-before-drag');
  await appt.dragTo(jordan, { targetPosition: { x: 40, y } });
  await page.getByRole('heading', { name: 'Morgan Lee — Consultation' }).waitFor();
  await page.getByText(/^New time: .* 2:00\sPM EST with Jordan Patel$/).waitFor();
  const subject = page.getByLabel('Email subject');
  await eventually(async () => (await subject.inputValue()) !== '');
  await subject.fill('Your consultation moves to 2 PM with Jordan');
  await checked('66-drag-reschedule-preview');
  await page.getByRole('button', { name: /^Move to/ }).click();
  await page.getByText('Rescheduled. The customer is told by the workflow.').waitFor();
  const moved = await db()
    .selectFrom('appointments')
    .select(['starts_at', 'staff_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  expect(DateTime.fromJSDate(moved.starts_at).setZone(NY).toFormat('yyyy-MM-dd HH:mm')).toBe(
    `${gridDay.toISODate()} 14:00`,
  );
  expect(moved.staff_id).not.toBe(booked.staff_id);
  const email = await eventually(() =>
    db()
      .selectFrom('messages')
      .select('subject')
      .where('appointment_id', '=', id)
      .where('template', '=', 'rescheduled')
      .where('channel', '=', 'email')
      .executeTakeFirst(),
  );
  expect(email.subject).toBe('Your consultation moves to 2 PM with Jordan');
});

it('time off over two booked customers lists them and asks both to choose a new time: their messages offer new times', async () => {
  const consultation = await serviceIdBySlug(system, 'consultation');
  const jordan = await db()
    .selectFrom('staff')
    .select('id')
    .where('name', '=', 'Jordan Patel')
    .executeTakeFirstOrThrow();
  await bookByPhone(system, bearer, {
    serviceId: consultation,
    slot: { startsAt: gridDay.set({ hour: 16 }).toUTC().toISO()!, staffId: jordan.id },
    customer: { name: 'Tess Second', email: 'tess.second@example.com', phone: '+12125550166', smsOptIn: true },
  });
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  const form = page.getByRole('form', { name: 'Add time off for Jordan Patel' });
  await form.getByLabel('Time off from').fill(`${gridDay.toISODate()}T13:00`);
  await form.getByLabel('until').fill(`${gridDay.toISODate()}T18:00`);
  const booked = form.getByTestId(/^time-off-booked-/);
  await booked.getByText('Jordan Patel has 2 appointments booked in this time:').waitFor();
  expect(await booked.getByRole('link').allTextContents()).toEqual([
    expect.stringContaining('Morgan Lee · Consultation'),
    expect.stringContaining('Tess Second · Consultation'),
  ]);
  expect(await form.getByLabel(/^Ask these customers to choose a new time/).isChecked()).toBe(true);
  await form.getByLabel('Reason').fill('Training day');
  await checked('67-time-off-booked');
  await form.getByRole('button', { name: 'Add time off and ask to reschedule' }).click();
  await page.getByText('Time off saved. 2 customers were asked to choose a new time.').waitFor();

  const requests = await eventually(async () => {
    const rows = await db()
      .selectFrom('messages')
      .innerJoin('contacts', 'contacts.id', 'messages.contact_id')
      .select(['contacts.name', 'messages.channel', 'messages.body'])
      .where('messages.template', '=', 'rescheduleRequest')
      .execute();
    return rows.length === 3 ? rows : undefined; // Morgan by email; Tess by email and SMS
  }, 60_000);
  for (const name of ['Morgan Lee', 'Tess Second']) {
    const email = requests.find((r) => r.name === name && r.channel === 'email')!;
    expect(email.body).toContain('Jordan Patel can no longer make your Consultation');
    expect(email.body).toMatch(/These times are open:\n/);
    expect(email.body).toMatch(/\/manage\/[\w-]+/);
  }
  // In the outbox: the Messages screen shows them to the front desk as text.
  await page.getByRole('link', { name: 'Messages', exact: true }).click();
  await page.getByLabel('Customer', { exact: true }).fill('tess');
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await page.locator('tbody tr', { hasText: 'Please choose a new time for your Consultation' }).first().waitFor();
  await page.locator('tbody tr', { hasText: /Open times: .+ Choose a new time: / }).waitFor();
  await checked('68-messages-reschedule-requests');
});

it('every admin page passes axe-core (screenshots 70-…)', async () => {
  const pages: Array<[string, string | RegExp, string]> = [
    [`/admin?view=week&date=${gridDay.toISODate()}`, 'Calendar', '70-calendar-week'],
    [`/admin?view=day&date=${gridDay.toISODate()}`, 'Calendar', '71-calendar-day'],
    ['/admin/today', 'Today', '72-today'],
    ['/admin/pipeline', 'Pipeline', '73-pipeline'],
    ['/admin/tasks', 'Tasks', '74-tasks'],
    ['/admin/book', 'New booking for a caller', '75-new-booking'],
    ['/admin/memberships', 'Memberships', '76-memberships'],
    ['/admin/messages', 'Messages', '77-messages'],
    ['/admin/contacts', 'Contacts', '78-contacts'],
    ['/admin/settings', 'Settings', '79-settings'],
    ['/admin/settings/staff', 'Staff', '80-settings-staff'],
    ['/admin/settings/staff/new', 'Add a staff member', '81-settings-staff-new'],
    ['/admin/settings/services', 'Services and policies', '82-settings-services'],
    ['/admin/settings/membership-plans', 'Membership plans', '83-settings-plans'],
    ['/admin/settings/templates', 'Message templates', '84-settings-templates'],
    ['/admin/settings/integrations', 'Integrations', '85-settings-integrations'],
  ];
  for (const [path, heading, shot] of pages) {
    await page.goto(path);
    await page.getByRole('heading', { name: heading, exact: true, level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    await checked(shot);
  }
});
