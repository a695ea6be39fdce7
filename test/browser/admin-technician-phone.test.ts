/**
 * A technician's day on a phone (issue 15), in headless Chromium at 390×844 against the whole system:
 * the compact menu and no sideways scroll; today's jobs in time order with the address as a map link
 * and call / text links; "on my way" with an ETA reaching the customer; a job that has started taken
 * through start and delivery with hours on its card; "could not get in" (a no-show with a note) on
 * another; and admin URLs refused before anything of the page shows. Each screen passes axe-core and
 * is saved as a screenshot (`60-…`).
 *
 * The jobs are today's, around noon in the technician's zone whatever the machine's clock says: the
 * zone is picked so that it is midday there now, and the started jobs are booked as of a few hours ago
 * (the booking service takes its `now`), so nothing depends on the time of day or the day of the week.
 */
import type { Browser, Page } from 'playwright-core';
import { createApiKey } from '../../src/auth/api-keys';
import { book } from '../../src/booking/service';
import { DEMO_TECHNICIAN } from '../../src/db/seed';
import { accessibilityProblems, launchChromium, screenshot, signInToAdmin, watchedPage } from '../support/browser';
import { api, bookByPhone, eventually, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(240_000);

const MINUTE = 60_000;
let system: System;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];
const db = () => system.database.db;
let zone: string;
const jobs: Record<'repair' | 'locked' | 'later', string> = { repair: '', locked: '', later: '' };

/** A fixed-offset zone where it is between 12:00 and 12:59 now. */
function middayZone(): string {
  const offset = 12 - new Date().getUTCHours();
  return offset === 0 ? 'UTC' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

beforeAll(async () => {
  [system, browser] = await Promise.all([startSystem(), launchChromium()]);
  const bearer = { authorization: `Bearer ${(await createApiKey(db(), 'Dispatch')).key}` };
  zone = middayZone();
  const jordan = await db()
    .selectFrom('staff')
    .select('id')
    .where('name', '=', 'Jordan Patel')
    .executeTakeFirstOrThrow();
  // Jordan works every day from 06:00 to 20:00 in that zone (staff management and hours, as an admin would).
  expect((await api(system, 'PATCH', `/api/admin/staff/${jordan.id}`, { timeZone: zone }, bearer)).status).toBe(200);
  const hours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: '06:00', endTime: '20:00' }));
  expect((await api(system, 'PUT', `/api/admin/staff/${jordan.id}/hours`, { hours }, bearer)).status).toBe(200);

  const [repair, consultation] = [
    await serviceIdBySlug(system, 'on-site-repair'),
    await serviceIdBySlug(system, 'consultation'),
  ];
  const now = Date.now();
  const base = Math.floor(now / (30 * MINUTE)) * (30 * MINUTE);
  const deps = { db: db(), temporal: system.env.client, config: system.config };
  const bookedEarlier = async (serviceId: string, startsAt: number, name: string, email: string, address: string) =>
    (
      await book(
        deps,
        {
          serviceId,
          staffId: jordan.id,
          startsAt,
          timeZone: zone,
          customer: { name, email, phone: '+13055550100', smsOptIn: false, address },
          actor: { kind: 'staff', name: 'Dispatch' },
          channel: 'phone',
        },
        now - 25 * 60 * MINUTE, // booked yesterday, within the services' notice
      )
    ).appointmentId;
  // Started at most an hour ago; its close-out is still ahead.
  jobs.repair = await bookedEarlier(
    repair,
    base - 30 * MINUTE,
    'Pat Repair',
    'pat.repair@example.com',
    '12 Elm Street, Brooklyn, NY',
  );
  jobs.locked = await bookedEarlier(
    consultation,
    base - 120 * MINUTE,
    'Lee Locked',
    'lee.locked@example.com',
    '9 Gate Road, Brooklyn, NY',
  );
  // Later today, bookable now.
  const later = (await freeSlots(system, consultation, 0, 0, zone)).find(
    (s) => s.staffId === jordan.id && Date.parse(s.startsAt) >= base + 150 * MINUTE,
  )!;
  jobs.later = (
    await bookByPhone(system, bearer, {
      serviceId: consultation,
      slot: later,
      timeZone: zone,
      customer: { name: 'Robin Later', email: 'robin.later@example.com', phone: '+13055550199', smsOptIn: true },
    })
  ).id;
  await db()
    .updateTable('contacts')
    .set({ address: '40 Oak Lane, Brooklyn, NY' })
    .where('email', '=', 'robin.later@example.com')
    .execute();
  // Their workflows run (the deliver tasks exist) before the technician opens the jobs.
  await eventually(async () => {
    const tasks = await db()
      .selectFrom('tasks')
      .select('id')
      .where('appointment_id', 'in', Object.values(jobs))
      .where('kind', '=', 'deliver_service')
      .execute();
    return tasks.length === 3;
  });

  page = await watchedPage(browser, system.baseUrl, pageProblems, { timezoneId: zone, mobile: true });
  await signInToAdmin(page, DEMO_TECHNICIAN);
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});
afterEach(() => {
  expect(pageProblems.splice(0)).toEqual([]);
});

async function checked(name: string) {
  // Nothing scrolls sideways on the phone.
  expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  await screenshot(page, name);
  expect(await accessibilityProblems(page)).toEqual([]);
}

it("shows today's jobs in order with the address on a map, call and text; on my way reaches the customer", async () => {
  const menu = page.getByRole('navigation', { name: 'Admin' });
  expect((await menu.boundingBox())!.height).toBeLessThan(844 / 4); // compact: a bar, not half the screen
  await page.getByRole('link', { name: 'Today', exact: true }).click();
  await page.getByRole('heading', { name: 'Today', exact: true }).waitFor();
  const titles = page.locator('ol.jobs h2');
  await titles.nth(2).waitFor();
  expect((await titles.allTextContents()).map((t) => t.split(' · ')[1])).toEqual([
    'Lee Locked',
    'Pat Repair',
    'Robin Later',
  ]);
  const later = page.getByRole('listitem').filter({ hasText: 'Robin Later' });
  expect(await later.getByRole('link', { name: /40 Oak Lane, Brooklyn, NY \(map\)/ }).getAttribute('href')).toBe(
    `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent('40 Oak Lane, Brooklyn, NY')}`,
  );
  expect(await later.getByRole('link', { name: 'Call Robin' }).getAttribute('href')).toBe('tel:+13055550199');
  expect(await later.getByRole('link', { name: 'Text Robin' }).getAttribute('href')).toBe('sms:+13055550199');
  await checked('60-technician-today');

  await later.getByLabel('Arriving in').selectOption('20');
  await later.getByRole('button', { name: 'On my way' }).click();
  await later
    .getByRole('status')
    .getByText(
      /^Robin Later was told by SMS: “Hi Robin, Jordan Patel from Maple Street Studio is on the way and should arrive at about/,
    )
    .waitFor();
  const sent = await db()
    .selectFrom('messages')
    .select(['recipient', 'channel', 'body', 'status'])
    .where('appointment_id', '=', jobs.later)
    .where('template', '=', 'onMyWay')
    .execute();
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ recipient: '+13055550199', channel: 'sms', status: 'sent' });
  // Pressed again with the same ETA: still one message.
  await later.getByRole('button', { name: 'On my way' }).click();
  await later.getByRole('status').waitFor();
  expect(
    await db()
      .selectFrom('messages')
      .select('id')
      .where('appointment_id', '=', jobs.later)
      .where('template', '=', 'onMyWay')
      .execute(),
  ).toHaveLength(1);
});

it('starts a job that has begun and records it as delivered with the hours, on the card', async () => {
  await page.getByRole('listitem').filter({ hasText: 'Pat Repair' }).getByRole('link', { name: 'Open job' }).click();
  await page.getByRole('heading', { name: 'Pat Repair — On-site Repair' }).waitFor();
  await page.getByRole('button', { name: 'Start service' }).click(); // at or after the start: no question
  await page.getByText('Service started.').waitFor();
  const deliver = page.getByRole('region', { name: 'Record the service as delivered' });
  await deliver.getByLabel('Billable time').fill('1.75');
  await deliver.getByText('Billed as 1:45.').waitFor();
  await checked('61-technician-deliver');
  await deliver.getByRole('button', { name: 'Service delivered' }).click();
  await page.getByTestId('appointment-stage').getByText('Delivered — awaiting payment').waitFor();
  const row = await db()
    .selectFrom('appointments')
    .select(['status', 'billable_minutes'])
    .where('id', '=', jobs.repair)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ status: 'done', billable_minutes: 105 });
  await checked('62-technician-delivered');
});

it('reports "could not get in" on a job, with the note the dialog insists on', async () => {
  await page.getByRole('link', { name: 'Today', exact: true }).click();
  await page.getByRole('listitem').filter({ hasText: 'Lee Locked' }).getByRole('link', { name: 'Open job' }).click();
  await page.getByRole('heading', { name: 'Lee Locked — Consultation' }).waitFor();
  await page.getByRole('button', { name: 'Mark no-show' }).click();
  const dialog = page.getByRole('dialog', { name: 'Report a no-show?' });
  await dialog.getByLabel('Could not get in (failed access)').check();
  await dialog.getByRole('button', { name: 'Report it' }).click();
  await dialog.getByText('Say why you could not get in.').waitFor();
  await dialog.getByLabel('Note').fill('Gate locked, nobody answered the door');
  await checked('63-technician-could-not-get-in');
  await dialog.getByRole('button', { name: 'Report it' }).click();
  await page.getByText('Marked as a no-show.').waitFor();
  await page.getByTestId('appointment-status').getByText('no_show').waitFor();
  const entry = await eventually(() =>
    db()
      .selectFrom('timeline_events')
      .select(['summary', 'actor'])
      .where('appointment_id', '=', jobs.locked)
      .where('kind', '=', 'status:no_show')
      .executeTakeFirst(),
  );
  expect(entry.actor).toMatch(/^Jordan Patel/);
  expect(entry.summary).toBe('Marked as no-show: Could not get in: Gate locked, nobody answered the door');
});

it('refuses admin URLs before showing anything of those pages', async () => {
  for (const path of ['/admin/settings', '/admin/settings/staff', '/admin/messages', '/admin/pipeline']) {
    await page.goto(path);
    await page.getByRole('heading', { name: 'Not available' }).waitFor();
    expect(await page.locator('main form, main table, main button').count()).toBe(0);
  }
  await checked('64-technician-refused');
});
