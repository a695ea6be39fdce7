/**
 * A confirmation's "Send files" link on a 390×844 phone (issue 16): the service asks for files, the
 * link from the emailed confirmation (local outbox) signs the customer in and lands on the conversation
 * about that appointment, with the request shown and the appointment chosen; the photo sent there is
 * listed on the appointment card's "Files requested" panel.
 */
import type { Browser } from 'playwright-core';
import { createApiKey } from '../../src/auth/api-keys';
import { launchChromium, signInToAdmin, watchedPage } from '../support/browser';
import { api, bookByPhone, eventually, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(180_000);

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

const REQUEST = 'Please send photos of the device and its model label.';

it('the Send files link opens the conversation about the appointment; the card lists the photo', async () => {
  const bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Files browser')).key}` };
  const serviceId = await serviceIdBySlug(system, 'on-site-repair');
  expect(
    (await api(system, 'PATCH', `/api/admin/services/${serviceId}`, { filesRequest: REQUEST }, bearer)).status,
  ).toBe(200);
  const slot = (await freeSlots(system, serviceId, 3, 14))[0]!;
  const appointment = await bookByPhone(system, bearer, {
    serviceId,
    slot,
    customer: { name: 'Casey Files', email: 'casey.files@example.com' },
  });
  const email = await eventually(() =>
    system.database.db
      .selectFrom('messages')
      .select('body')
      .where('appointment_id', '=', appointment.id)
      .where('template', '=', 'confirmation')
      .where('channel', '=', 'email')
      .executeTakeFirst(),
  );
  const link = /\/account\/from\/[A-Za-z0-9_-]{43}\?next=messages/.exec(email.body)![0];

  const phone = await watchedPage(browser, system.baseUrl, pageProblems, {
    timezoneId: 'America/New_York',
    mobile: true,
  });
  await phone.goto(link);
  await phone.getByRole('heading', { name: 'Messages' }).waitFor();
  expect(new URL(phone.url()).search).toBe(`?appointment=${appointment.id}`);
  await phone.getByTestId('files-request').getByText(REQUEST).waitFor();
  expect(await phone.getByLabel('About').inputValue()).toBe(appointment.id);
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  await phone.getByLabel('Your message').fill('The model label.');
  await phone.getByLabel(/Photo or PDF/).setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: png });
  await phone.getByRole('button', { name: 'Send' }).click();
  await phone.getByRole('img', { name: 'label.png' }).waitFor();

  const staff = await watchedPage(browser, system.baseUrl, pageProblems, { timezoneId: 'America/New_York' });
  await signInToAdmin(staff);
  await staff.goto(`/admin/appointments/${appointment.id}`);
  const panel = staff.getByTestId('files-requested');
  await panel.getByText(REQUEST).waitFor();
  await panel.getByRole('link', { name: 'label.png' }).waitFor();
});
