/**
 * The calendar's Day view as an hourly time grid, in headless Chromium against the whole system:
 * appointments booked through the staff API (two overlapping ones for different staff, two overlapping
 * ones for the same staff member — one cancelled, which frees the time but stays on the calendar) and a
 * time off sit in their staff member's column, at the height their times give, the same-staff overlap
 * side by side; the grid follows the display zone, shows a "now" line on today's grid, passes axe-core,
 * and each appointment opens its card.
 */
import { DateTime } from 'luxon';
import type { Browser, Locator, Page } from 'playwright-core';
import { createApiKey } from '../../src/auth/api-keys';
import { accessibilityProblems, launchChromium, screenshot, signInToAdmin, watchedPage } from '../support/browser';
import { api, eventually, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

const NY = 'America/New_York';
let system: System;
let browser: Browser;
let bearer: Record<string, string>;
const pageProblems: string[] = [];
afterEach(() => {
  expect(pageProblems.splice(0)).toEqual([]);
});

beforeAll(async () => {
  [system, browser] = await Promise.all([startSystem(), launchChromium()]);
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Front desk')).key}` };
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

async function signedInPage(timezoneId: string, clockAt?: number): Promise<Page> {
  const page = await watchedPage(browser, system.baseUrl, pageProblems, { timezoneId });
  if (clockAt !== undefined) await page.clock.setFixedTime(clockAt);
  await signInToAdmin(page);
  return page;
}

/** The next weekday, at least two days ahead, when both Avery (Mon–Fri 9–17) and Jordan (Tue–Sat 10–18) work. */
function nextSharedWorkday(): DateTime {
  let day = DateTime.now().setZone(NY).startOf('day').plus({ days: 2 });
  while (day.weekday < 2 || day.weekday > 5) day = day.plus({ days: 1 });
  return day;
}

/** Text with any run of white space (Intl puts a narrow no-break space before AM/PM) as one space. */
const text = (value: string | null) => (value ?? '').replace(/\s+/g, ' ').trim();

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not visible');
  return { ...b, right: b.x + b.width, bottom: b.y + b.height };
}

it('lays out a day: staff columns, times as heights, same-staff overlaps side by side, shading, now line, card on click', async () => {
  const db = system.database.db;
  const staffId = async (name: string) =>
    (await db.selectFrom('staff').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const [avery, jordan] = [await staffId('Avery Chen'), await staffId('Jordan Patel')];
  const [consultation, repair] = [
    await serviceIdBySlug(system, 'consultation'),
    await serviceIdBySlug(system, 'on-site-repair'),
  ];
  const day = nextSharedWorkday();
  const date = day.toISODate()!;
  const at = (hour: number, minute = 0) => day.set({ hour, minute }).toUTC().toISO()!;
  const book = async (serviceId: string, staff: string, startsAt: string, name: string) => {
    const response = await api<{ appointment: { id: string } }>(
      system,
      'POST',
      '/api/appointments',
      {
        serviceId,
        staffId: staff,
        startsAt,
        timeZone: NY,
        channel: 'phone',
        customer: { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com` },
      },
      bearer,
    );
    expect(response.status).toBe(201);
    return response.body.appointment.id;
  };
  // Different staff, overlapping: Jordan 10:30–12:30, Avery 11:00–11:30.
  const repairId = await book(repair, jordan, at(10, 30), 'Dana Repair');
  const averyId = await book(consultation, avery, at(11), 'Ellis Consult');
  // Same staff, overlapping: Jordan 14:00–16:00 (cancelled, still on the calendar), then 15:00–15:30.
  const cancelledId = await book(repair, jordan, at(14), 'Frankie Cancelled');
  const cancel = await api(
    system,
    'POST',
    `/api/appointments/${cancelledId}/cancel`,
    { reason: 'Car trouble', channel: 'phone' },
    bearer,
  );
  expect(cancel.status).toBe(200);
  await eventually(async () => {
    const row = await db.selectFrom('appointments').select('stage').where('id', '=', cancelledId).executeTakeFirst();
    return row?.stage === 'Closed Lost';
  });
  const sameStaffId = await book(consultation, jordan, at(15), 'Gray Overlap');
  // Jordan's time off late in the day, shaded in their column.
  const timeOff = await api(
    system,
    'POST',
    '/api/admin/time-off',
    { staffId: jordan, startsAt: at(16, 30), endsAt: at(17, 30), reason: 'Supplier visit' },
    bearer,
  );
  expect(timeOff.status).toBe(201);

  // The front desk at 11:15 that day, in New York.
  const page = await signedInPage(NY, day.set({ hour: 11, minute: 15 }).toMillis());
  await page.getByLabel('View').selectOption('day');
  await page.getByRole('heading', { name: day.setLocale('en-US').toFormat('cccc, LLLL d, yyyy') }).waitFor();
  const jordanColumn = page.getByRole('region', { name: 'Jordan Patel' });
  const averyColumn = page.getByRole('region', { name: 'Avery Chen' });
  await jordanColumn.getByRole('heading', { name: 'Jordan Patel' }).waitFor();
  expect(await page.locator('.calendar a.appt').count()).toBe(4);

  // Each appointment is a link named by its time, customer, service and staff, in its staff's column.
  const link = (column: Locator, name: RegExp) => column.getByRole('link', { name });
  const repairLink = link(jordanColumn, /^10:30 AM – 12:30 PM Dana Repair On-site Repair with Jordan Patel/);
  const averyLink = link(averyColumn, /^11:00 AM – 11:30 AM Ellis Consult Consultation with Avery Chen/);
  const cancelledLink = link(
    jordanColumn,
    /^2:00 PM – 4:00 PM Frankie Cancelled On-site Repair with Jordan Patel, Closed Lost/,
  );
  const sameStaffLink = link(jordanColumn, /^3:00 PM – 3:30 PM Gray Overlap Consultation with Jordan Patel/);
  for (const l of [repairLink, averyLink, cancelledLink, sameStaffLink]) await l.waitFor();
  expect(await averyColumn.getByRole('link').count()).toBe(1);
  expect(await jordanColumn.getByRole('link').count()).toBe(3);
  expect(await cancelledLink.getAttribute('class')).toContain('stage-lost');
  expect(await sameStaffLink.getAttribute('class')).toContain('stage-scheduled');

  const [jordanBox, averyBox] = [await box(jordanColumn), await box(averyColumn)];
  const [repairBox, averyApptBox, cancelledBox, sameStaffBox] = [
    await box(repairLink),
    await box(averyLink),
    await box(cancelledLink),
    await box(sameStaffLink),
  ];
  // Horizontally: in their own staff's column.
  for (const b of [repairBox, cancelledBox, sameStaffBox]) {
    expect(b.x).toBeGreaterThanOrEqual(jordanBox.x - 1);
    expect(b.right).toBeLessThanOrEqual(jordanBox.right + 1);
  }
  expect(averyApptBox.x).toBeGreaterThanOrEqual(averyBox.x - 1);
  expect(averyApptBox.right).toBeLessThanOrEqual(averyBox.right + 1);
  // Different staff overlapping in time: side by side in separate columns, overlapping vertically.
  expect(averyApptBox.y).toBeGreaterThan(repairBox.y);
  expect(averyApptBox.bottom).toBeLessThan(repairBox.bottom);
  // Vertically: one scale for the whole grid, start at the top edge, height ∝ duration.
  const hourPx = (averyApptBox.y - repairBox.y) / 0.5; // 10:30 → 11:00
  expect(hourPx).toBeGreaterThan(40);
  const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(3);
  close(repairBox.height, 2 * hourPx);
  close(averyApptBox.height, 0.5 * hourPx);
  close(cancelledBox.y - repairBox.y, 3.5 * hourPx);
  close(cancelledBox.height, 2 * hourPx);
  close(sameStaffBox.y - repairBox.y, 4.5 * hourPx);
  close(sameStaffBox.height, 0.5 * hourPx);
  // …and the gutter's hour labels line up with it: 11:00 AM is where Avery's 11:00 starts.
  const label = await box(page.locator('.day-hour', { hasText: /^11:00\sAM$/ }));
  close(label.y + label.height / 2, averyApptBox.y - 1);
  // Same staff overlapping: side by side, each half the column; the lone 10:30 fills the column.
  expect(cancelledBox.right).toBeLessThanOrEqual(sameStaffBox.x + 1);
  expect(sameStaffBox.y).toBeLessThan(cancelledBox.bottom);
  close(cancelledBox.width + sameStaffBox.width, jordanBox.width - 8);
  expect(repairBox.width).toBeGreaterThan(jordanBox.width - 10);

  // Shading: Avery's hours start at 9, the grid an hour before; Jordan's time off is marked.
  const rangeTop = (await box(page.locator('.day-hour').first())).y;
  const averyOff = await box(averyColumn.locator('.off-hours').first());
  close(averyOff.y, rangeTop);
  close(averyOff.height, hourPx); // 8:00–9:00
  const jordanOff = await box(jordanColumn.locator('.off-hours').first());
  close(jordanOff.height, 2 * hourPx); // 8:00–10:00
  const away = await box(jordanColumn.locator('.time-off'));
  expect(text(await jordanColumn.locator('.time-off').textContent())).toBe('Time off: Supplier visit');
  close(away.y - repairBox.y, 6 * hourPx);
  close(away.height, hourPx);
  expect(text(await jordanColumn.locator('p.visually-hidden').textContent())).toBe(
    'Working 10:00 AM – 6:00 PM. Time off 4:30 PM – 5:30 PM (Supplier visit).',
  );
  // Now (11:15) is drawn across the grid, between 11:00 and 11:30.
  const now = await box(page.locator('.now-line'));
  close(now.y - repairBox.y, 0.75 * hourPx);
  expect(now.width).toBeGreaterThan(jordanBox.width + averyBox.width - 4);

  await screenshot(page, '22-calendar-day-grid');
  expect(await accessibilityProblems(page)).toEqual([]);

  // Narrowed to one staff member: their column only, same layout.
  await page.getByLabel('Staff').selectOption({ label: 'Avery Chen' });
  await page.getByRole('region', { name: 'Jordan Patel' }).waitFor({ state: 'detached' });
  await averyColumn.getByRole('link', { name: /Ellis Consult/ }).waitFor();
  expect(await page.locator('.calendar a.appt').count()).toBe(1);
  await page.getByLabel('Staff').selectOption({ label: 'Everyone' });

  // Keyboard: the links come in time order per column; Enter on one opens its card.
  await sameStaffLink.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Gray Overlap — Consultation' }).waitFor();
  expect(page.url()).toContain(`/admin/appointments/${sameStaffId}`);
  // Clicking opens the card too (the half-width one, beside the cancelled visit).
  await page.goBack();
  await cancelledLink.click();
  await page.getByRole('heading', { name: 'Frankie Cancelled — On-site Repair' }).waitFor();
  expect(page.url()).toContain(`/admin/appointments/${cancelledId}`);

  // Another day has no now line.
  await page.goto(`/admin?view=day&date=${day.plus({ days: 1 }).toISODate()}`);
  await page.getByRole('region', { name: 'Jordan Patel' }).waitFor();
  expect(await page.locator('.now-line').count()).toBe(0);

  // In another display zone the same day reads in that zone's clock: 10:30 New York is 7:30 Los Angeles.
  const west = await signedInPage('America/Los_Angeles');
  await west.goto(`/admin?view=day&date=${date}`);
  await link(west.getByRole('region', { name: 'Jordan Patel' }), /^7:30 AM – 9:30 AM Dana Repair/).waitFor();
  expect(text(await west.locator('.day-hour').first().textContent())).toBe('5:00 AM'); // Avery's 9:00 less an hour
  expect(repairId).not.toBe(averyId);
});
