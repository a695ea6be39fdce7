/**
 * The customer pages as customers meet them (issue 14), in headless Chromium against the whole system:
 * - a guest books on a 390×844 phone in at most 6 taps, scrolling at most two screens;
 * - keyboard only on a 1440×900 desktop, in at most 30 key presses (text typed into fields aside);
 * - the form is checked as the customer types, focus goes to the first problem, and a national phone
 *   number is accepted and stored in E.164;
 * - a time taken meanwhile (409) shows the next free times beside the form, still filled;
 * - the manage page (status in words, policy, call us) and the membership renewal page;
 * - a Spanish visitor gets Spanish pages and Spanish messages (the outbox);
 * axe finds nothing on any of these screens, and each is saved as a screenshot (50-… to 69-…).
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { accessibilityProblems, launchChromium, screenshot, watchedPage } from '../support/browser';
import { api, eventually, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

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

const db = () => system.database.db;

async function checked(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(await accessibilityProblems(page)).toEqual([]);
}

/** Taps and the distance scrolled, as a customer on a phone would feel them. */
function phoneCounter(page: Page) {
  let taps = 0;
  let scrolled = 0;
  let lastY = 0;
  const noteScroll = async () => {
    const y = await page.evaluate<number>('window.scrollY');
    scrolled += Math.abs(y - lastY);
    lastY = y;
  };
  return {
    async tap(target: Locator) {
      await target.scrollIntoViewIfNeeded();
      await noteScroll();
      await target.tap();
      taps += 1;
      await noteScroll();
    },
    get taps() {
      return taps;
    },
    get scrolled() {
      return scrolled;
    },
  };
}

it('a guest books on a phone in at most 6 taps, scrolling at most two screens', async () => {
  const page = await watchedPage(browser, system.baseUrl, pageProblems, {
    mobile: true,
    timezoneId: 'America/Chicago',
  });
  const counter = phoneCounter(page);
  await page.goto('/book');
  await page.getByRole('button', { name: /Deep Tissue Massage/ }).waitFor();
  // Identity: the business's name in the header, its favicon, the page title naming it.
  await page.getByRole('banner').getByText('Maple Street Studio').waitFor();
  expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/favicon.svg');
  expect(await page.title()).toBe('Book an appointment · Maple Street Studio');
  await checked(page, '50-book-services-phone');

  await counter.tap(page.getByRole('button', { name: /Deep Tissue Massage/ }));
  const time = page.locator('button.time').first();
  await time.waitFor();
  // The business's zone is named, since the customer is elsewhere.
  await page
    .getByTestId('business-zone')
    .getByText(/New York/)
    .waitFor();
  await checked(page, '51-book-calendar-phone');
  const startsAt = (await time.getAttribute('data-starts-at'))!;
  await counter.tap(time);
  // Focus is already in the name field.
  expect(await page.evaluate<string>('document.activeElement.id')).toBe('name');
  await page.keyboard.type('Robin Phone');
  await counter.tap(page.getByLabel('Email'));
  await page.keyboard.type('robin.phone@example.com');
  await counter.tap(page.getByLabel(/Mobile phone/));
  await page.keyboard.type('(212) 555-0143');
  await checked(page, '52-book-details-phone');
  await counter.tap(page.getByRole('button', { name: /^Book for/ }));
  await page.getByRole('heading', { name: "You're booked" }).waitFor();
  expect(counter.taps).toBeLessThanOrEqual(6);
  expect(counter.scrolled).toBeLessThanOrEqual(2 * 844);
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

  // The confirmation: where, with whom, how long, price, policy, add to calendar, what happens next.
  await page.getByText('Maple Street Studio, 12 Maple Street, Brooklyn, NY 11201').waitFor();
  await page.getByText('1 hour', { exact: true }).waitFor();
  await page.getByText('$110.00').waitFor();
  await page
    .getByText(/Free to reschedule or cancel up to 24 hours before/)
    .first()
    .waitFor();
  const google = await page.getByRole('link', { name: 'Google Calendar' }).getAttribute('href');
  expect(google).toContain('https://calendar.google.com/calendar/render?action=TEMPLATE');
  expect(await page.getByRole('link', { name: 'Outlook' }).getAttribute('href')).toContain('outlook.live.com');
  await page.getByRole('heading', { name: 'What happens next' }).waitFor();
  await checked(page, '53-book-confirmed-phone');

  const row = await db()
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select(['a.starts_at', 'c.phone', 'c.locale', 'a.time_zone'])
    .where('c.email', '=', 'robin.phone@example.com')
    .executeTakeFirstOrThrow();
  expect(row.starts_at.toISOString()).toBe(new Date(startsAt).toISOString());
  expect(row).toMatchObject({ phone: '+12125550143', locale: 'en', time_zone: 'America/Chicago' });

  // The .ics download works from the confirmation.
  const ics = await page.getByRole('link', { name: /\.ics/ }).getAttribute('href');
  const file = await fetch(`${system.baseUrl}${ics}`);
  expect(file.headers.get('content-type')).toContain('text/calendar');
  expect(await file.text()).toContain('SUMMARY:Deep Tissue Massage with Maple Street Studio');

  // The manage page: status in words, the policy, a working call us, the visit's details.
  await page.getByRole('link', { name: 'View, reschedule or cancel' }).click();
  await page.getByRole('heading', { name: 'Your appointment' }).waitFor();
  await page.getByTestId('status').getByText('Confirmed').waitFor();
  expect(
    await page
      .getByRole('main')
      .getByRole('link', { name: /Call us/ })
      .getAttribute('href'),
  ).toBe('tel:+12125550100');
  await page.getByText(/Free to reschedule or cancel/).waitFor();
  await checked(page, '54-manage-phone');
  await page.getByRole('button', { name: 'Reschedule' }).click();
  await page.locator('section[aria-labelledby="pick-new"] button.time').first().waitFor();
  await checked(page, '55-manage-reschedule-phone');
});

it('keyboard only on a desktop: books in at most 30 key presses, with arrow keys in the calendar and times', async () => {
  const page = await watchedPage(browser, system.baseUrl, pageProblems, { timezoneId: 'America/New_York' });
  await page.setViewportSize({ width: 1440, height: 900 });
  let presses = 0;
  const press = async (key: string) => {
    presses += 1;
    await page.keyboard.press(key);
  };
  const focused = () =>
    page.evaluate<string>('document.activeElement?.className + "|" + document.activeElement?.textContent');
  const tabTo = async (match: (focus: string) => boolean) => {
    for (let i = 0; i < 12 && !match(await focused()); i += 1) await press('Tab');
    expect(match(await focused())).toBe(true);
  };
  await page.goto('/book');
  await page.getByRole('button', { name: /Consultation/ }).waitFor();
  // Tab to the first service card (after the skip link and the two languages), Enter.
  await tabTo((f) => f.startsWith('service-card'));
  await press('Enter');
  await page.locator('button.time').first().waitFor();
  // On to the calendar's tab stop: arrow keys move by day and week.
  await tabTo((f) => f.startsWith('day'));
  const day = await page.evaluate<string>('document.activeElement.dataset.day');
  await press('ArrowRight');
  await press('ArrowLeft');
  expect(await page.evaluate<string>('document.activeElement.dataset.day')).toBe(day);
  await press('Enter');
  // The times: one tab stop, arrows move, Enter picks.
  await tabTo((f) => f.startsWith('time'));
  const first = await page.evaluate<string>('document.activeElement.dataset.startsAt');
  await press('ArrowRight');
  const second = await page.evaluate<string>('document.activeElement.dataset.startsAt');
  expect(second > first).toBe(true);
  await checked(page, '56-book-calendar-desktop');
  await press('Enter');
  // Focus is in the name field; try to book with nothing filled: focus goes to the first problem.
  expect(await page.evaluate<string>('document.activeElement.id')).toBe('name');
  await press('Enter');
  await page.getByText('Please enter your name.').waitFor();
  expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
  expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-describedby')).toBe('name-error');
  await checked(page, '57-book-errors-desktop');
  await page.keyboard.type('Kai Keys');
  await press('Tab');
  await page.keyboard.type('kai.keys@example');
  await press('Tab');
  // Checked as typed: leaving the email field shows the problem in plain words.
  await page.getByText('This does not look like an email address').waitFor();
  await page.keyboard.type('12 34');
  await press('Shift+Tab');
  await page.getByText(/This does not look like a phone number/).waitFor();
  await press('End');
  await page.keyboard.type('.com');
  await press('Tab');
  await press('Control+A');
  await page.keyboard.type('+44 20 7946 0958');
  await press('Enter');
  await page.getByRole('heading', { name: "You're booked" }).waitFor();
  expect(presses).toBeLessThanOrEqual(30);
  expect(await page.evaluate<string>('document.activeElement.id')).toBe('confirmed');
  await checked(page, '58-book-confirmed-desktop');
  const contact = await db()
    .selectFrom('contacts')
    .select('phone')
    .where('email', '=', 'kai.keys@example.com')
    .executeTakeFirstOrThrow();
  expect(contact.phone).toBe('+442079460958');
});

it('a time taken meanwhile (409): the next free times appear beside the form, which stays filled', async () => {
  const massage = await serviceIdBySlug(system, 'deep-tissue-massage');
  const page = await watchedPage(browser, system.baseUrl, pageProblems, {
    mobile: true,
    timezoneId: 'America/New_York',
  });
  await page.goto('/book/deep-tissue-massage');
  const time = page.locator('button.time').nth(2);
  await time.waitFor();
  const startsAt = (await time.getAttribute('data-starts-at'))!;
  await time.tap();
  await page.getByLabel('Name', { exact: true }).fill('Taylor Late');
  await page.getByLabel('Email').fill('taylor.late@example.com');
  await page.getByLabel(/Anything we should know/).fill('Left shoulder');
  // Someone else books the same time first.
  const slot = (await freeSlots(system, massage, 0, 30)).find((s) => s.startsAt === startsAt)!;
  const other = await api(system, 'POST', '/api/bookings', {
    serviceId: massage,
    staffId: slot.staffId,
    startsAt,
    timeZone: 'America/New_York',
    customer: { name: 'Quick Other', email: 'quick.other@example.com' },
  });
  expect(other.status).toBe(201);
  await page.getByRole('button', { name: /^Book for/ }).tap();
  const taken = page.locator('#taken');
  await taken.getByText('someone just took that time').waitFor();
  const alternatives = taken.locator('button.time');
  expect(await alternatives.count()).toBeGreaterThan(0);
  // In view, next to the customer, with the form still filled.
  const box = (await alternatives.first().boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(844);
  expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Taylor Late');
  expect(await page.getByLabel(/Anything we should know/).inputValue()).toBe('Left shoulder');
  expect(await alternatives.first().getAttribute('data-starts-at')).not.toBe(startsAt);
  await checked(page, '59-book-taken-phone');
  // The times were refreshed in place: the taken one is no longer offered.
  await page.locator('.time-picker button.time').first().waitFor();
  expect(await page.locator(`.time-picker button.time[data-starts-at="${startsAt}"]`).count()).toBe(0);
  const next = (await alternatives.first().getAttribute('data-starts-at'))!;
  await alternatives.first().tap();
  await page.getByRole('button', { name: /^Book for/ }).tap();
  await page.getByRole('heading', { name: "You're booked" }).waitFor();
  const row = await db()
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select(['a.starts_at', 'a.client_note'])
    .where('c.email', '=', 'taylor.late@example.com')
    .executeTakeFirstOrThrow();
  expect(row.starts_at.toISOString()).toBe(new Date(next).toISOString());
  expect(row.client_note).toBe('Left shoulder');
});

it('a Spanish visitor gets Spanish pages and Spanish messages', async () => {
  const context = await browser.newContext({
    baseURL: system.baseUrl,
    locale: 'es-ES',
    timezoneId: 'Europe/Madrid',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
  await page.goto('/book/consultation');
  await page.getByRole('heading', { name: 'Reservar una cita' }).waitFor();
  expect(await page.evaluate<string>('document.documentElement.lang')).toBe('es');
  const time = page.locator('button.time').first();
  await time.waitFor();
  // 24-hour times in Spanish ("9:30", not "9:30 AM").
  expect(await time.locator('.time-at').textContent()).toMatch(/^\d{1,2}:\d{2}$/);
  await checked(page, '60-book-spanish-phone');
  await time.tap();
  await page.getByLabel('Nombre').fill('Lucía Gómez');
  await page.getByLabel('Correo electrónico').fill('lucia.gomez@example.com');
  await page.getByLabel(/Teléfono móvil/).fill('+34 612 34 56 78');
  await page.getByLabel(/Envíenme recordatorios/).check();
  await page.getByRole('button', { name: /^Reservar a las/ }).tap();
  await page.getByRole('heading', { name: 'Su cita está reservada' }).waitFor();
  await checked(page, '61-book-confirmed-spanish');
  const contact = await db()
    .selectFrom('contacts')
    .select(['id', 'locale', 'phone'])
    .where('email', '=', 'lucia.gomez@example.com')
    .executeTakeFirstOrThrow();
  expect(contact).toMatchObject({ locale: 'es', phone: '+34612345678' });
  const messages = await eventually(async () => {
    const rows = await db()
      .selectFrom('messages')
      .select(['channel', 'subject', 'body'])
      .where('contact_id', '=', contact.id)
      .where('template', '=', 'confirmation')
      .execute();
    return rows.length === 2 ? rows : undefined;
  });
  const email = messages.find((m) => m.channel === 'email')!;
  const sms = messages.find((m) => m.channel === 'sms')!;
  expect(email.subject).toMatch(/^Confirmada: Consultation/);
  expect(email.body).toContain('Hola Lucía');
  expect(email.body).toMatch(/(lunes|martes|miércoles|jueves|viernes|sábado|domingo)/);
  expect(sms.body).toContain('confirmada');
  await context.close();
});

it('the membership renewal link sells the plan again', async () => {
  const { body } = await api<{ plans: Array<{ id: string; name: string }> }>(system, 'GET', '/api/membership-plans');
  const plan = body.plans[0]!;
  const page = await watchedPage(browser, system.baseUrl, pageProblems, {
    mobile: true,
    timezoneId: 'America/New_York',
  });
  await page.goto(`/memberships/plans/${plan.id}`);
  await page.getByRole('heading', { name: plan.name }).waitFor();
  await page.getByText('Test card').waitFor();
  await checked(page, '62-membership-plan-phone');
  await page.getByLabel('Name').fill('Morgan Renew');
  await page.getByLabel('Email').fill('morgan.renew@example.com');
  await page.getByLabel(/Mobile phone/).fill('212 555 0199');
  await page.getByRole('button', { name: /^Pay/ }).tap();
  const bought = (await page.getByText(/Your certificate number is/).textContent())!;
  await checked(page, '63-membership-bought-phone');
  const certificate = /certificate number is ([\w-]+)/.exec(bought)![1]!;
  const membership = await db()
    .selectFrom('memberships as m')
    .innerJoin('contacts as c', 'c.id', 'm.contact_id')
    .select(['m.plan_id', 'c.phone'])
    .where('c.email', '=', 'morgan.renew@example.com')
    .executeTakeFirstOrThrow();
  expect(membership).toEqual({ plan_id: plan.id, phone: '+12125550199' });

  // The membership messages' booking link: a visit on the certificate, nothing more to pay.
  await page.goto(`/book/deep-tissue-massage?certificate=${certificate}`);
  await page.getByTestId('membership-visit').getByText(certificate).waitFor();
  await page.locator('button.time').first().tap();
  await page.getByLabel('Name', { exact: true }).fill('Morgan Renew');
  await page.getByLabel('Email').fill('morgan.renew@example.com');
  await page.getByRole('button', { name: /^Book for/ }).tap();
  await page.getByRole('heading', { name: "You're booked" }).waitFor();
  await page.getByText('$0.00').waitFor();
  const visit = await db()
    .selectFrom('appointments as a')
    .innerJoin('memberships as m', 'm.id', 'a.membership_id')
    .select(['m.certificate_number', 'a.price_minor'])
    .where('m.certificate_number', '=', certificate)
    .executeTakeFirstOrThrow();
  expect(visit.price_minor).toBe(0);

  await page.goto('/memberships/plans/00000000-0000-4000-8000-000000000000');
  await page.getByRole('heading', { name: 'This membership is no longer sold' }).waitFor();
  await checked(page, '64-membership-gone');
});
