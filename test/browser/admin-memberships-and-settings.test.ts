/**
 * What the admin app shows of the membership, messaging and integration work, in headless Chromium
 * against the whole system:
 * - staff book a membership visit by certificate number in the "book for a caller" form; the
 *   appointment card shows the membership (plan, certificate, visits left), the membership card and
 *   list find it, and the pipeline board has it in its stage's column; staff move the end of
 *   validity on the membership card (refused when it would strand the booked visit);
 * - the card's messages show their delivery status and the contact's reachability (opt-out with time
 *   and source, bounced email), and so does the outbox;
 * - an admin edits an SMS template: an unknown variable is refused in words, a valid override is
 *   saved and previewed, then reset to the default;
 * - an admin sees inbound deliveries and a webhook subscription's delivery log, and replays a delivery;
 * - without Twilio, staff try a customer's SMS replies on the Messages screen and see them handled.
 * Every screen passes axe-core and is saved as a screenshot.
 */
import { membershipStage } from '../../web/src/admin/stage-labels';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { saveSettings } from '../../src/integrations/inbound/store';
import { encryptSecret } from '../../src/secrets/cipher';
import { keyringOf } from '../../src/secrets/keys';
import { accessibilityProblems, launchChromium, screenshot, signInToAdmin, watchedPage } from '../support/browser';
import { type CaptureServer, startCaptureServer } from '../support/capture-server';
import { api, eventually, freeSlots, startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

let system: System;
let browser: Browser;
let receiver: CaptureServer;
let page: Page;
const pageProblems: string[] = [];
afterEach(() => {
  expect(pageProblems.splice(0)).toEqual([]);
});

const db = () => system.database.db;
const MEMBER = { name: 'Mia Member', email: 'mia.member@example.com' };
let certificate: string;
let membershipId: string;
let visitId: string;

beforeAll(async () => {
  [system, browser, receiver] = await Promise.all([
    startSystem(),
    launchChromium(),
    startCaptureServer(() => ({ status: 200, body: { ok: true } })),
  ]);
  // A webhook subscription (before anything happens, so the booking below is delivered to it).
  await db()
    .insertInto('webhook_subscriptions')
    .values({
      url: `${receiver.url}/hooks/appointflow`,
      description: 'Front desk dashboard',
      event_types: JSON.stringify(['*']),
      secret: encryptSecret('whsec_browser_test_secret_0123456789', keyringOf(system.config.secrets)),
    })
    .execute();
  page = await watchedPage(browser, system.baseUrl, pageProblems, { timezoneId: 'America/New_York' });
  await signInToAdmin(page);
});
afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
  await system?.stop();
});

async function checked(name: string) {
  await screenshot(page, name);
  expect(await accessibilityProblems(page)).toEqual([]);
}

it('staff book a membership visit by certificate number; the card shows visits left and the certificate', async () => {
  const plans = await api<{ plans: Array<{ id: string; name: string }> }>(system, 'GET', '/api/membership-plans');
  const plan = plans.body.plans.find((p) => p.name === 'Massage 5-pack')!;
  const bought = await api<{ membership: { id: string; certificateNumber: string } }>(
    system,
    'POST',
    '/api/memberships',
    {
      planId: plan.id,
      timeZone: 'America/New_York',
      customer: MEMBER,
      paymentMethodId: 'pm_card_visa',
      idempotencyKey: 'browser-membership-1',
    },
  );
  expect(bought.status).toBe(201);
  certificate = bought.body.membership.certificateNumber;
  membershipId = bought.body.membership.id;

  await page.getByRole('link', { name: 'New booking', exact: true }).click();
  await page.getByRole('heading', { name: 'New booking for a caller' }).waitFor();
  // Read over the phone: lower case, no hyphens.
  await page.getByLabel('Certificate number').fill(certificate.replace(/-/g, '').toLowerCase());
  await page.getByRole('button', { name: 'Find membership' }).click();
  const found = page.getByTestId('member-found');
  await found.waitFor();
  expect(await found.textContent()).toContain(
    `${MEMBER.name} — Massage 5-pack, certificate ${certificate}, 5 visits left`,
  );
  expect(await page.getByLabel('Customer name').inputValue()).toBe(MEMBER.name);
  await page.getByLabel('Service').selectOption({ label: 'Deep Tissue Massage' });
  // A week ahead, so the day before the visit is after the purchase whatever the time of day (the
  // validity refusal below depends on it; today's first free slot may be this afternoon).
  await page.locator('.time-picker button.time').first().waitFor();
  await pickOpenDayFrom(page, Date.now() + 6 * 24 * 3600_000);
  await page.waitForFunction(
    `Date.parse(document.querySelector('.time-picker button.time')?.getAttribute('data-starts-at') ?? '') >
      Date.now() + 5 * 24 * 3600_000`,
  );
  const slot = page.locator('.time-picker button.time').first();
  await slot.waitFor();
  await slot.click();
  await checked('30-new-booking-membership-visit');
  await page.getByRole('button', { name: 'Book', exact: true }).click();
  await page.getByRole('heading', { name: `${MEMBER.name} — Deep Tissue Massage` }).waitFor();
  visitId = page.url().split('/').pop()!;
  const row = await db()
    .selectFrom('appointments')
    .select(['membership_id', 'price_minor'])
    .where('id', '=', visitId)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ membership_id: membershipId, price_minor: 0 });

  // The card: plan, certificate, visits left (this visit booked, not used yet).
  const membership = page.getByTestId('membership');
  await membership.waitFor();
  expect(await page.getByTestId('certificate-number').textContent()).toBe(certificate);
  expect(await page.getByTestId('visits-left').textContent()).toBe('5 of 5 · 1 booked');
  expect(await membership.textContent()).toContain('Massage 5-pack');
  await checked('31-appointment-card-membership-visit');

  // The membership card, from the appointment card.
  await page.getByRole('link', { name: 'Open the membership card' }).click();
  await page.getByRole('heading', { name: `Membership ${certificate}` }).waitFor();
  expect(await page.getByTestId('membership-visits').textContent()).toBe('0 used · 5 left of 5 · 1 booked');
  await page.getByRole('link', { name: /^Deep Tissue Massage, / }).waitFor();
  await checked('32-membership-card');

  // Staff move the end of validity: a date before the booked visit is refused in words; a later one
  // is on the card at once (and in its timeline).
  const booked = await db()
    .selectFrom('appointments as a')
    .innerJoin('memberships as m', 'm.id', 'a.membership_id')
    .select(['a.starts_at', 'm.time_zone'])
    .where('a.id', '=', visitId)
    .executeTakeFirstOrThrow();
  const visitDay = DateTime.fromJSDate(booked.starts_at, { zone: booked.time_zone });
  const validity = page.getByRole('form', { name: 'Change the end of validity' });
  await validity.getByLabel('Valid until the end of').fill(visitDay.minus({ days: 1 }).toISODate()!);
  await validity.getByRole('button', { name: 'Change validity' }).click();
  await validity.getByRole('alert').waitFor();
  expect(await validity.getByRole('alert').textContent()).toContain('after the new end; move or cancel it first');
  await checked('32a-membership-validity-refused');
  const newEnd = visitDay.plus({ days: 45 });
  await validity.getByLabel('Valid until the end of').fill(newEnd.toISODate()!);
  await validity.getByLabel('Requested by').selectOption('in_person');
  await validity.getByRole('button', { name: 'Change validity' }).click();
  await validity.getByRole('status').waitFor();
  expect(await validity.getByRole('alert').count()).toBe(0);
  const membershipRow = await db()
    .selectFrom('memberships')
    .select('valid_until')
    .where('id', '=', membershipId)
    .executeTakeFirstOrThrow();
  expect(membershipRow.valid_until.getTime()).toBe(newEnd.endOf('day').toMillis());
  await page.getByRole('cell', { name: /^Validity changed from / }).waitFor();
  await checked('32b-membership-validity-changed');
});

it('the memberships screen finds it by certificate number, and the board has it in its stage column', async () => {
  await page.getByRole('link', { name: 'Memberships', exact: true }).click();
  await page.getByRole('heading', { name: 'Memberships' }).waitFor();
  await page.getByLabel('Certificate number, name or email').fill(certificate.toLowerCase());
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await page.getByRole('link', { name: certificate }).waitFor();
  expect(await page.locator('tbody tr').count()).toBe(1);
  await checked('33-memberships-list');

  // The membership workflow hears of the booked visit and moves out of Unscheduled.
  const { stage } = await eventually(() =>
    db()
      .selectFrom('memberships')
      .select('stage')
      .where('id', '=', membershipId)
      .where('stage', '!=', 'Appointment Unscheduled')
      .executeTakeFirst(),
  );
  await page.getByRole('link', { name: 'Pipeline' }).click();
  await page.getByRole('heading', { name: 'Pipeline' }).waitFor();
  const onBoard = page.locator(`section[aria-label="Membership: ${membershipStage(stage)}"] a.appt`, {
    hasText: MEMBER.name,
  });
  await onBoard.waitFor();
  expect(await onBoard.textContent()).toContain(`#${certificate}`);
  expect(await onBoard.textContent()).toContain('5 visits left');
  expect(await page.locator('section[aria-label="Membership: No visit booked"] a.appt').count()).toBe(0);
});

it("the card's messages show their delivery status and the contact's reachability; so does the outbox", async () => {
  const messages = await eventually(async () => {
    const rows = await db()
      .selectFrom('messages')
      .select(['id', 'status'])
      .where('appointment_id', '=', visitId)
      .execute();
    return rows.length > 0 ? rows : undefined;
  });
  // Provider callbacks (tested in the messaging suites) move statuses and flag the contact; here
  // the rows are set as they would leave them.
  await db().updateTable('messages').set({ status: 'delivered' }).where('id', '=', messages[0]!.id).execute();
  const template = { appointment_id: visitId, recipient: '+13105550199', body: 'x', provider: 'twilio' } as const;
  await db()
    .insertInto('messages')
    .values([
      { ...template, channel: 'sms', template: 'reminder48h', status: 'bounced', idempotency_key: 'browser:b' },
      {
        ...template,
        channel: 'sms',
        template: 'reminder12h',
        status: 'failed',
        error: 'Twilio 21211: invalid To number',
        idempotency_key: 'browser:f',
      },
      { ...template, channel: 'sms', template: 'rescheduled', status: 'suppressed', idempotency_key: 'browser:s' },
    ])
    .execute();
  const optedOutAt = new Date('2026-03-02T15:04:00Z');
  await db()
    .updateTable('contacts')
    .set({
      sms_opted_out_at: optedOutAt,
      sms_opt_out_source: 'sms:STOP',
      email_bounced_at: new Date('2026-03-03T10:00:00Z'),
      email_bounce_reason: 'Mailbox does not exist',
    })
    .where('email', '=', MEMBER.email)
    .execute();

  await page.goto(`/admin/appointments/${visitId}`);
  const table = page.getByTestId('appointment-messages');
  await table.locator('[data-status="suppressed"]').waitFor();
  const statuses = await table.locator('[data-status]').allTextContents();
  expect(statuses).toEqual(expect.arrayContaining(['Delivered', 'Bounced', 'Failed', 'Suppressed']));
  await table.getByText('Twilio 21211: invalid To number').waitFor();
  const reachability = await page.getByTestId('reachability').textContent();
  expect(reachability).toContain('SMS: opted out Mon, Mar 2, 10:04 AM EST (source: sms:STOP)');
  expect(reachability).toContain('Email: bounced Tue, Mar 3, 5:00 AM EST: Mailbox does not exist');
  await checked('34-appointment-card-messages');

  // The contact's page says the same.
  await page.getByRole('link', { name: 'Contact history' }).click();
  await page.getByRole('heading', { name: MEMBER.name }).waitFor();
  expect(await page.getByTestId('reachability').textContent()).toContain('(source: sms:STOP)');

  await page.getByRole('link', { name: 'Messages', exact: true }).click();
  await page.getByRole('heading', { name: 'Messages' }).waitFor();
  await page.locator('tbody [data-status="bounced"]').first().waitFor();
  expect(await page.locator('tbody [data-status="failed"]').count()).toBeGreaterThanOrEqual(1);
  await checked('35-messages-statuses');
});

it('an admin edits an SMS template: an unknown variable is refused in words, a valid override is saved, then reset', async () => {
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('link', { name: 'Message templates' }).click();
  await page.getByRole('heading', { name: 'Message templates' }).waitFor();
  await checked('36-templates-list');
  await page.getByRole('link', { name: 'Reminder 48 hours before (SMS)' }).click();
  await page.getByRole('heading', { name: 'Reminder 48 hours before (SMS)' }).waitFor();

  const body = page.getByLabel(/^Text/);
  await body.fill('Hi {{contact.nickname}}, see you {{appointment.whenShort}}. Reply C to cancel.');
  await page.getByRole('button', { name: 'Save override' }).click();
  const refusal = page.getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.textContent()).toContain('unknown variable: contact.nickname');
  expect(await body.getAttribute('aria-invalid')).toBe('true');
  // Focus moves to the field named in the refusal, which says what is wrong.
  expect(await page.evaluate<string>('document.activeElement.id')).toBe('tpl-body');
  expect(await page.locator('#tpl-body-problem').textContent()).toBe('unknown variable: contact.nickname');
  await checked('37-template-refused');
  expect(await db().selectFrom('message_templates').selectAll().execute()).toEqual([]);

  await body.fill(
    'Hi {{contact.firstName}}, see you {{appointment.whenShort}} at {{business.name}}. Reply C to cancel.',
  );
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByText('Preview updated with your business and a sample appointment (not saved).').waitFor();
  const preview = page.getByRole('region', { name: 'Preview' });
  expect(await preview.textContent()).toMatch(/^Hi \S+, see you .+\. Reply C to cancel\./);
  // The real business, not a sample one.
  expect(await preview.textContent()).toContain('at Maple Street Studio.');
  expect(await preview.textContent()).toContain('1 SMS segment');
  // A refused draft leaves no earlier preview looking current.
  const good = await body.inputValue();
  await body.fill('Hi {{contact.nickname}}. Reply C to cancel.');
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.locator('#tpl-body-problem').waitFor();
  expect(await page.getByRole('region', { name: 'Preview' }).count()).toBe(0);
  await body.fill(good);
  await page.getByRole('button', { name: 'Save override' }).click();
  await page.getByText('Saved. Messages sent from now on use your text.').waitFor();
  const saved = await db().selectFrom('message_templates').selectAll().executeTakeFirstOrThrow();
  expect(saved).toMatchObject({ event: 'reminder48h', channel: 'sms', updated_by: 'staff:Avery Chen' });
  expect(saved.body).toContain('{{contact.firstName}}');
  await page.getByText('Your own text, saved by staff:Avery Chen.').waitFor();
  await checked('38-template-saved');

  await page.getByRole('button', { name: 'Reset to default' }).click();
  await page.getByText('Reset to the default text.').waitFor();
  expect(await db().selectFrom('message_templates').selectAll().execute()).toEqual([]);
});

it('an admin sees inbound deliveries and a webhook delivery log, and replays a delivery', async () => {
  // A platform delivery with a bad signature: recorded as refused.
  await saveSettings(
    db(),
    'calendly',
    { secrets: { signingKey: 'calendly-signing-key-for-tests' } },
    keyringOf(system.config.secrets),
  );
  const forged = await fetch(`${system.baseUrl}/webhooks/integrations/calendly`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'calendly-webhook-signature': 't=1,v1=00' },
    body: JSON.stringify({ event: 'invitee.canceled', payload: {} }),
  });
  expect(forged.status).toBe(401);
  // The booking above reached the subscribed receiver.
  await eventually(
    () => db().selectFrom('deliveries').select('id').where('status', '=', 'succeeded').executeTakeFirst(),
    45_000,
  );
  expect(receiver.requests.length).toBeGreaterThan(0);

  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('heading', { name: 'Integrations' }).waitFor();
  const inbound = page.getByRole('table', { name: 'What platforms sent in' });
  await inbound.getByRole('cell', { name: 'calendly' }).waitFor();
  expect(await inbound.textContent()).toContain('refused');
  const hook = page.getByRole('region', { name: `Webhook ${receiver.url}/hooks/appointflow` });
  await hook.getByRole('button', { name: 'Show the delivery log' }).click();
  const log = hook.getByRole('table');
  await log.locator('tbody tr').first().waitFor();
  expect(await log.textContent()).toContain('succeeded');
  await checked('39-integrations');

  const before = await db().selectFrom('deliveries').select('id').where('replay_of', 'is not', null).execute();
  expect(before).toEqual([]);
  await log
    .getByRole('button', { name: /^Replay / })
    .first()
    .click();
  await hook.getByText(/a new delivery was queued/).waitFor();
  await log.getByText('(replay)').first().waitFor();
  const replays = await db().selectFrom('deliveries').select('replay_of').where('replay_of', 'is not', null).execute();
  expect(replays).toHaveLength(1);

  // Every outbound delivery (webhooks and platform sync) is listed with its target, the replay too.
  await page.reload();
  const all = page.getByRole('table', { name: 'All outbound deliveries' });
  await all.getByText('(replay)').first().waitFor();
  expect(await all.textContent()).toContain(`${receiver.url}/hooks/appointflow`);
  await checked('40-integrations-replayed');
});

it("without Twilio, staff try a customer's SMS replies from the Messages screen: R offers times, 1 moves the appointment", async () => {
  const services = await api<{ services: Array<{ id: string; slug: string }> }>(system, 'GET', '/api/services');
  const consultation = services.body.services.find((s) => s.slug === 'consultation')!.id;
  const phone = '+12125550177';
  const slots = await freeSlots(system, consultation, 3, 10, 'America/New_York');
  const booked = await api<{ appointment: { id: string } }>(system, 'POST', '/api/bookings', {
    serviceId: consultation,
    staffId: slots[0]!.staffId,
    startsAt: slots[0]!.startsAt,
    timeZone: 'America/New_York',
    customer: { name: 'Sol Texter', email: 'sol.texter@example.com', phone, smsOptIn: true },
  });
  expect(booked.status).toBe(201);

  await page.getByRole('link', { name: 'Messages', exact: true }).click();
  const form = page.getByRole('form', { name: "Try a customer's SMS reply" });
  await form.waitFor();
  // A phone number that is not one: refused next to the field.
  await form.getByLabel("Customer's phone").fill('212 555');
  await form.getByLabel('Reply').fill('R');
  await form.getByRole('button', { name: 'Send as the customer' }).click();
  await form.locator('#sms-from-problem').waitFor();
  expect(await form.getByLabel("Customer's phone").getAttribute('aria-invalid')).toBe('true');

  await form.getByLabel("Customer's phone").fill(phone);
  await form.getByRole('button', { name: 'Send as the customer' }).click();
  const status = form.getByRole('status');
  await status.filter({ hasText: 'slots offered' }).waitFor();
  expect(await status.textContent()).toContain('Reply 1, 2, 3 for: 1)');
  await page.getByRole('cell', { name: phone }).first().waitFor();
  await checked('39-local-sms-reply');

  await form.getByLabel('Reply').fill('1');
  await form.getByRole('button', { name: 'Send as the customer' }).click();
  await status.filter({ hasText: 'rescheduled' }).waitFor();
  const offered = await db()
    .selectFrom('timeline_events')
    .select('data')
    .where('appointment_id', '=', booked.body.appointment.id)
    .where('kind', '=', 'sms:slots_offered')
    .executeTakeFirstOrThrow();
  const first = (offered.data as { offered: Array<{ startsAt: number }> }).offered[0]!;
  const moved = await eventually(() =>
    db()
      .selectFrom('appointments')
      .select('starts_at')
      .where('id', '=', booked.body.appointment.id)
      .where('starts_at', '=', new Date(first.startsAt))
      .executeTakeFirst(),
  );
  expect(moved.starts_at.getTime()).toBe(first.startsAt);
});

/** Picks the first day on the booking time picker's month calendar with free times on or after `from`. */
async function pickOpenDayFrom(page: Page, from: number): Promise<void> {
  const first = new Date(from).toISOString().slice(0, 10);
  for (let month = 0; month < 3; month += 1) {
    const open = await page.$$eval('.month-grid button[data-day][aria-disabled="false"]', (buttons) =>
      buttons.map((b) => b.getAttribute('data-day') ?? ''),
    );
    const day = open.find((d) => d >= first);
    if (day) {
      await page.locator(`.month-grid button[data-day="${day}"]`).click();
      return;
    }
    await page.getByRole('button', { name: 'Next month' }).click();
    await page.locator(`.month-grid button[data-day="${open[0] ?? ''}"]`).waitFor({ state: 'detached' });
  }
  throw new Error(`no open day on or after ${first} within three months`);
}
