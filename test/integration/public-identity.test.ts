/**
 * Identity on the public endpoints (issue 12 item 2), through HTTP: a booking or a membership purchase
 * with someone else's email never reads or overwrites their stored details; what it asked to change
 * waits until the customer confirms it from a link sent to their own email; a declined purchase leaves
 * no contact behind; and a customer who proved control is recognised on their next booking.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { api, eventually, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(180_000);

let system: System;
let bearer: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Identity test')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

const SAM = 'sam.rivera@example.com'; // seeded: Sam Rivera, +12125550123, SMS opt-in

async function contact(email: string) {
  return system.database.db
    .selectFrom('contacts')
    .select(['id', 'name', 'phone', 'sms_opt_in', 'address', 'time_zone'])
    .where('email', '=', email)
    .executeTakeFirst();
}

type Booked = {
  appointment: { id: string; contact: Record<string, unknown> };
  manageUrl: string;
  detailsPending: boolean;
};

let slotIndex = 0;
async function book(customer: Record<string, unknown>, headers: Record<string, string> = {}) {
  const serviceId = await serviceIdBySlug(system, 'consultation');
  const slots = await freeSlots(system, serviceId, 2, 12);
  const slot = slots[slotIndex++ * 3]!;
  return api<Booked>(
    system,
    'POST',
    '/api/bookings',
    { serviceId, startsAt: slot.startsAt, timeZone: 'America/Chicago', customer: { smsOptIn: false, ...customer } },
    headers,
  );
}

/** The manage link in the confirmation email sent to the contact's stored address. */
async function emailedToken(appointmentId: string): Promise<string> {
  const email = await eventually(() =>
    system.database.db
      .selectFrom('messages')
      .select(['body', 'recipient'])
      .where('appointment_id', '=', appointmentId)
      .where('template', '=', 'confirmation')
      .where('channel', '=', 'email')
      .executeTakeFirst(),
  );
  return /\/manage\/([A-Za-z0-9_-]{43})/.exec(email.body)![1]!;
}

it("a booking with a customer's email changes none of their details and echoes none of them", async () => {
  const before = await contact(SAM);
  const hijack = await book({
    name: 'Mallory',
    email: 'Sam.Rivera@example.com',
    phone: '+13125550142',
    smsOptIn: true,
  });
  expect(hijack.status).toBe(201);
  expect(hijack.body.detailsPending).toBe(true);
  expect(hijack.body.appointment.contact).toEqual({ name: 'Mallory', email: SAM, phone: '+13125550142' });
  expect(await contact(SAM)).toEqual(before);

  // Without a phone, the answer has none either: Sam's stored phone and opt-in are never echoed.
  const probe = await book({ name: 'Mallory', email: SAM });
  expect(probe.status).toBe(201);
  expect(JSON.stringify(probe.body)).not.toContain('+12125550123');
  expect(JSON.stringify(probe.body)).not.toContain('Sam Rivera');
  expect(probe.body.appointment.contact).toEqual({ name: 'Mallory', email: SAM, phone: null });

  // The booker's own link shows what they sent, and cannot confirm anything.
  const answerToken = hijack.body.manageUrl.split('/manage/')[1]!;
  const view = await api<{ appointment: { contact: unknown }; pendingDetails: unknown }>(
    system,
    'GET',
    `/api/manage/${answerToken}`,
  );
  expect(view.body.appointment.contact).toEqual({ name: 'Mallory' });
  expect(view.body.pendingDetails).toBeNull();
  const confirm = await api(system, 'POST', `/api/manage/${answerToken}/details`, { confirm: true });
  expect(confirm.status).toBe(403);
  expect(await contact(SAM)).toEqual(before);

  // The front desk sees the request on Sam's contact page, waiting for Sam (nothing applied).
  const staffKey = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Front desk')).key}` };
  const card = await api<{ pendingDetails: Array<{ appointmentId: string; details: unknown }> }>(
    system,
    'GET',
    `/api/admin/contacts/${before!.id}`,
    undefined,
    staffKey,
  );
  expect(card.body.pendingDetails).toEqual([
    expect.objectContaining({
      appointmentId: probe.body.appointment.id,
      details: { name: 'Mallory', timeZone: 'America/Chicago' },
    }),
    expect.objectContaining({
      appointmentId: hijack.body.appointment.id,
      details: { name: 'Mallory', phone: '+13125550142', timeZone: 'America/Chicago' },
    }),
  ]);

  // Sam, from the link in the email only Sam received, sees the request and declines it.
  const samToken = await emailedToken(hijack.body.appointment.id);
  const samView = await api<{ pendingDetails: unknown }>(system, 'GET', `/api/manage/${samToken}`);
  expect(samView.body.pendingDetails).toEqual({
    name: 'Mallory',
    phone: '+13125550142',
    timeZone: 'America/Chicago',
  });
  const declined = await api<{ outcome: string }>(system, 'POST', `/api/manage/${samToken}/details`, {
    confirm: false,
  });
  expect(declined.body.outcome).toBe('discarded');
  expect(await contact(SAM)).toEqual(before);
  const after = await api<{ pendingDetails: Array<{ appointmentId: string }> }>(
    system,
    'GET',
    `/api/admin/contacts/${before!.id}`,
    undefined,
    staffKey,
  );
  expect(after.body.pendingDetails.map((p) => p.appointmentId)).toEqual([probe.body.appointment.id]);
});

it('the customer confirms new details from their email; their device is then recognised', async () => {
  const email = 'returning.rae@example.com';
  const first = await book({ name: 'Rae Stone', email, phone: '+13125550100' });
  expect(first.body.detailsPending).toBe(false);
  const created = (await contact(email))!;

  const changed = await book({ name: 'Rae Stone-Hill', email, phone: '+13125550199', smsOptIn: true });
  expect(changed.body.detailsPending).toBe(true);
  expect(await contact(email)).toEqual(created);

  const token = await emailedToken(changed.body.appointment.id);
  const response = await fetch(`${system.baseUrl}/api/manage/${token}/details`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ confirm: true }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ outcome: 'applied' });
  expect(await contact(email)).toMatchObject({ name: 'Rae Stone-Hill', phone: '+13125550199', sms_opt_in: true });
  const setCookie = response.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/^af_customer=[\w-]{43}; Path=\/api\/; Expires=.*; HttpOnly; SameSite=Lax$/);
  const device = { cookie: setCookie.split(';')[0]! };

  // The remembered device books with new details: a returning customer, applied at once.
  const again = await book({ name: 'Rae Hill', email, phone: '+13125550199' }, device);
  expect(again.body.detailsPending).toBe(false);
  expect(await contact(email)).toMatchObject({ name: 'Rae Hill' });
  // The same device with someone else's email proves nothing about them.
  const before = await contact(SAM);
  const other = await book({ name: 'Rae Hill', email: SAM }, device);
  expect(other.body.detailsPending).toBe(true);
  expect(await contact(SAM)).toEqual(before);
});

it('a membership purchase never changes a known contact, and a declined card leaves no contact behind', async () => {
  const plan = await api<{ plan: { id: string } }>(
    system,
    'POST',
    '/api/membership-plans',
    { name: 'Identity Pack', visitsTotal: 3, validityDays: 90, priceMinor: 12000, currency: 'USD' },
    bearer,
  );
  expect(plan.status).toBe(201);
  const purchase = (email: string, paymentMethodId: string, key: string) =>
    api(system, 'POST', '/api/memberships', {
      planId: plan.body.plan.id,
      timeZone: 'America/New_York',
      customer: { name: 'Mallory', email, phone: '+13125550142', smsOptIn: true },
      paymentMethodId,
      idempotencyKey: key,
    });

  const declined = await purchase('new.buyer@example.com', 'pm_card_visa_chargeDeclined', 'identity-declined-1');
  expect(declined.status).toBe(402);
  expect(await contact('new.buyer@example.com')).toBeUndefined();

  const before = await contact(SAM);
  const bought = await purchase(SAM, 'pm_card_visa', 'identity-known-1');
  expect(bought.status).toBe(201);
  expect(JSON.stringify(bought.body)).not.toContain('+12125550123');
  expect(await contact(SAM)).toEqual(before);
  const samStripe = await system.database.db
    .selectFrom('contacts')
    .select('stripe_customer_id')
    .where('email', '=', SAM)
    .executeTakeFirstOrThrow();
  expect(samStripe.stripe_customer_id).toBeNull();

  const fresh = await purchase('new.buyer@example.com', 'pm_card_visa', 'identity-new-1');
  expect(fresh.status).toBe(201);
  expect(await contact('new.buyer@example.com')).toMatchObject({ name: 'Mallory', sms_opt_in: true });
});
