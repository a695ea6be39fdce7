/**
 * Membership plans managed through HTTP (admin app, Settings → Membership plans): the staff list with
 * retired plans and sales, admin-only changes, validation naming the field, the terms of a plan that
 * has sold memberships refused with 409 (free while it has sold nothing), a new name and price applying
 * to new purchases only (a sold membership's card keeps what it was sold with), a retired plan not for
 * sale, and every change on the append-only timeline.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { DEMO_ADMIN, DEMO_TECHNICIAN } from '../../src/db/seed';
import { createStaffAccount } from '../../src/staff/accounts';
import { api, startSystem, type System } from '../support/system';

jest.setTimeout(180_000);

let system: System;
let bearer: Record<string, string>;
let massage: string;
let consultation: string;
beforeAll(async () => {
  system = await startSystem();
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Back office')).key}` };
  const services = await api<{ services: Array<{ id: string; slug: string }> }>(system, 'GET', '/api/services');
  massage = services.body.services.find((s) => s.slug === 'deep-tissue-massage')!.id;
  consultation = services.body.services.find((s) => s.slug === 'consultation')!.id;
});
afterAll(async () => {
  await system?.stop();
});

async function session(email: string, password: string): Promise<Record<string, string>> {
  const response = await fetch(`${system.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status).toBe(200);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': csrfToken };
}

interface Refusal {
  error: { code: string; message: string; fields: Array<{ field: string; message: string }> };
}
interface Plan {
  id: string;
  name: string;
  priceMinor: number;
  visitsTotal: number | null;
  validityDays: number;
  serviceIds: string[];
  active: boolean;
  memberships: { sold: number; active: number };
  lockedFields: string[];
}
interface Card {
  plan: { name: string; price: { amountMinor: number; currency: string } };
}

const newPlan = (name: string) => ({
  name,
  visitsTotal: 3,
  validityDays: 60,
  priceMinor: 24900,
  currency: 'USD',
  serviceIds: [massage],
});

let purchaseCount = 0;
const buy = (planId: string) => {
  purchaseCount += 1;
  return api<{ membership: Card & { id: string } } & Partial<Refusal>>(system, 'POST', '/api/memberships', {
    planId,
    timeZone: 'America/Chicago',
    customer: { name: `Buyer ${purchaseCount}`, email: `plan-buyer-${purchaseCount}@example.com`, smsOptIn: false },
    paymentMethodId: 'pm_card_visa',
    idempotencyKey: `plans-admin-purchase-${purchaseCount}`,
  });
};
const staffList = async (headers = bearer) => {
  const listed = await api<{ plans: Plan[] }>(system, 'GET', '/api/admin/membership-plans', undefined, headers);
  expect(listed.status).toBe(200);
  return listed.body.plans;
};
const publicList = async () =>
  (await api<{ plans: Array<{ id: string; price: { amountMinor: number } }> }>(system, 'GET', '/api/membership-plans'))
    .body.plans;

it('refuses bad values naming the field, unknown plans and services, and non-admins', async () => {
  const bad = await api<Refusal>(
    system,
    'POST',
    '/api/membership-plans',
    { name: ' ', visitsTotal: 0, validityDays: 1.5, priceMinor: -1, currency: 'usd', serviceIds: ['nope'] },
    bearer,
  );
  expect(bad.status).toBe(400);
  expect(bad.body.error.code).toBe('validation_failed');
  expect(bad.body.error.fields.map((f) => f.field).sort()).toEqual(
    ['currency', 'name', 'priceMinor', 'serviceIds.0', 'validityDays', 'visitsTotal'].sort(),
  );
  expect(bad.body.error.fields.find((f) => f.field === 'priceMinor')!.message).toBe('must be 0 or more');

  const unknownService = await api<Refusal>(
    system,
    'POST',
    '/api/membership-plans',
    { ...newPlan('Ghost plan'), serviceIds: ['00000000-0000-4000-8000-000000000000'] },
    bearer,
  );
  expect(unknownService.status).toBe(422);
  expect(unknownService.body.error.fields[0]!.field).toBe('serviceIds');

  const created = await api<{ plan: Plan }>(
    system,
    'POST',
    '/api/membership-plans',
    newPlan('Validation plan'),
    bearer,
  );
  expect(created.status).toBe(201);
  const id = created.body.plan.id;

  const badPatch = await api<Refusal>(
    system,
    'PATCH',
    `/api/membership-plans/${id}`,
    { priceMinor: 'ten', validityDays: 0, colour: 'red' },
    bearer,
  );
  expect(badPatch.status).toBe(400);
  expect(badPatch.body.error.fields.map((f) => f.field).sort()).toEqual(['colour', 'priceMinor', 'validityDays']);
  expect(badPatch.body.error.fields.find((f) => f.field === 'colour')!.message).toBe('not a known field');
  const empty = await api<Refusal>(system, 'PATCH', `/api/membership-plans/${id}`, {}, bearer);
  expect(empty.status).toBe(400);

  const missing = await api<Refusal>(
    system,
    'PATCH',
    '/api/membership-plans/00000000-0000-4000-8000-000000000000',
    { name: 'Anything' },
    bearer,
  );
  expect(missing.status).toBe(404);
  const notAnId = await api<Refusal>(system, 'PATCH', '/api/membership-plans/42', { name: 'Anything' }, bearer);
  expect(notAnId.status).toBe(400);
  expect(notAnId.body.error.fields[0]!.field).toBe('id');
  const unknownServiceOnEdit = await api<Refusal>(
    system,
    'PATCH',
    `/api/membership-plans/${id}`,
    { serviceIds: ['00000000-0000-4000-8000-000000000000'] },
    bearer,
  );
  expect(unknownServiceOnEdit.status).toBe(422);
  expect(unknownServiceOnEdit.body.error.fields[0]!.field).toBe('serviceIds');

  // Changes are for admins: a technician may not even read the list, office staff may read but not change.
  const technician = await session(DEMO_TECHNICIAN.email, DEMO_TECHNICIAN.password);
  expect((await api(system, 'GET', '/api/admin/membership-plans', undefined, technician)).status).toBe(403);
  await createStaffAccount(system.database.db, {
    email: 'desk@plans.example',
    name: 'Desk Person',
    role: 'staff',
    password: 'front-desk-password',
  });
  const desk = await session('desk@plans.example', 'front-desk-password');
  expect((await staffList(desk)).some((p) => p.id === id)).toBe(true);
  const deskPatch = await api<Refusal>(system, 'PATCH', `/api/membership-plans/${id}`, { name: 'By desk' }, desk);
  expect(deskPatch.status).toBe(403);
  const deskCreate = await api<Refusal>(system, 'POST', '/api/membership-plans', newPlan('By desk'), desk);
  expect(deskCreate.status).toBe(403);
  const noCsrf = await api<Refusal>(
    system,
    'PATCH',
    `/api/membership-plans/${id}`,
    { name: 'x' },
    {
      cookie: (await session(DEMO_ADMIN.email, DEMO_ADMIN.password)).cookie!,
    },
  );
  expect(noCsrf.status).toBe(403);

  const admin = await session(DEMO_ADMIN.email, DEMO_ADMIN.password);
  const byAdmin = await api<{ plan: Plan }>(
    system,
    'PATCH',
    `/api/membership-plans/${id}`,
    { name: 'Validation plan (renamed)' },
    admin,
  );
  expect(byAdmin.status).toBe(200);
  expect(byAdmin.body.plan.name).toBe('Validation plan (renamed)');
});

it('changes terms freely until the plan sells; then only name, description, price and active, for new purchases', async () => {
  const created = await api<{ plan: Plan }>(system, 'POST', '/api/membership-plans', newPlan('Massage 3-pack'), bearer);
  expect(created.status).toBe(201);
  const id = created.body.plan.id;
  expect(created.body.plan.memberships).toEqual({ sold: 0, active: 0 });
  expect(created.body.plan.lockedFields).toEqual([]);

  // Nothing sold: every term may change.
  const reshaped = await api<{ plan: Plan; changes: Record<string, unknown> }>(
    system,
    'PATCH',
    `/api/membership-plans/${id}`,
    { visitsTotal: 5, validityDays: 90, serviceIds: [massage, consultation], lateCancelHours: 48 },
    bearer,
  );
  expect(reshaped.status).toBe(200);
  expect(reshaped.body.plan).toMatchObject({ visitsTotal: 5, validityDays: 90 });
  expect(reshaped.body.plan.serviceIds.sort()).toEqual([massage, consultation].sort());
  expect(Object.keys(reshaped.body.changes).sort()).toEqual(
    ['lateCancelHours', 'serviceIds', 'validityDays', 'visitsTotal'].sort(),
  );

  const first = await buy(id);
  expect(first.status).toBe(201);
  expect(first.body.membership.plan).toMatchObject({
    name: 'Massage 3-pack',
    price: { amountMinor: 24900, currency: 'USD' },
  });

  // Sold: the customer's terms are fixed, each refusal naming its field.
  for (const [field, value] of Object.entries({
    visitsTotal: 6,
    validityDays: 30,
    serviceIds: [massage],
    lateCancelHours: 12,
    lateCancelForfeits: false,
    noShowForfeits: false,
    expiryReminderDays: 3,
  })) {
    const refused = await api<Refusal>(system, 'PATCH', `/api/membership-plans/${id}`, { [field]: value }, bearer);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('plan_terms_locked');
    expect(refused.body.error.fields).toEqual([
      { field, message: expect.stringContaining('Create a new plan instead') },
    ]);
  }
  // A refused change changes nothing, even the allowed fields sent with it.
  const mixed = await api<Refusal>(
    system,
    'PATCH',
    `/api/membership-plans/${id}`,
    { priceMinor: 1, validityDays: 30 },
    bearer,
  );
  expect(mixed.status).toBe(409);
  // The form sends the unchanged terms back: the same values are not a change.
  const repriced = await api<{ plan: Plan; changes: Record<string, { from: unknown; to: unknown }> }>(
    system,
    'PATCH',
    `/api/membership-plans/${id}`,
    {
      name: 'Massage 5-visit pass',
      description: 'Five deep tissue massages or consultations',
      priceMinor: 29900,
      visitsTotal: 5,
      validityDays: 90,
      serviceIds: [consultation, massage],
    },
    bearer,
  );
  expect(repriced.status).toBe(200);
  expect(repriced.body.changes).toEqual({
    name: { from: 'Massage 3-pack', to: 'Massage 5-visit pass' },
    description: { from: '', to: 'Five deep tissue massages or consultations' },
    priceMinor: { from: 24900, to: 29900 },
  });
  expect(repriced.body.plan.lockedFields).toEqual(expect.arrayContaining(['visitsTotal', 'serviceIds']));

  // The membership already sold keeps the name and price it was sold with; a new one gets the new ones.
  const firstCard = await api<{ membership: Card }>(
    system,
    'GET',
    `/api/memberships/${first.body.membership.id}`,
    undefined,
    bearer,
  );
  expect(firstCard.body.membership.plan).toMatchObject({ name: 'Massage 3-pack', price: { amountMinor: 24900 } });
  const staffMemberships = await api<{ memberships: Array<{ id: string; planName: string }> }>(
    system,
    'GET',
    '/api/admin/memberships',
    undefined,
    bearer,
  );
  expect(staffMemberships.body.memberships.find((m) => m.id === first.body.membership.id)!.planName).toBe(
    'Massage 3-pack',
  );
  const second = await buy(id);
  expect(second.status).toBe(201);
  expect(second.body.membership.plan).toMatchObject({ name: 'Massage 5-visit pass', price: { amountMinor: 29900 } });
  expect((await publicList()).find((p) => p.id === id)!.price.amountMinor).toBe(29900);

  const listed = (await staffList()).find((p) => p.id === id)!;
  expect(listed.memberships).toEqual({ sold: 2, active: 2 });

  // Retired: not for sale (the purchase path refuses it), still on the staff list; offered again: for sale.
  const retired = await api<{ plan: Plan }>(system, 'PATCH', `/api/membership-plans/${id}`, { active: false }, bearer);
  expect(retired.status).toBe(200);
  expect((await publicList()).some((p) => p.id === id)).toBe(false);
  const refusedPurchase = await buy(id);
  expect(refusedPurchase.status).toBe(422);
  expect(refusedPurchase.body.error!.fields[0]!.field).toBe('planId');
  expect((await staffList()).find((p) => p.id === id)).toMatchObject({ active: false, memberships: { sold: 2 } });
  const staffOne = await api<{ plan: Plan; history: Array<{ kind: string }> }>(
    system,
    'GET',
    `/api/admin/membership-plans/${id}`,
    undefined,
    bearer,
  );
  expect(staffOne.status).toBe(200);
  expect(staffOne.body.plan.active).toBe(false);

  const offered = await api<{ plan: Plan }>(system, 'PATCH', `/api/membership-plans/${id}`, { active: true }, bearer);
  expect(offered.body.plan.active).toBe(true);
  expect((await publicList()).some((p) => p.id === id)).toBe(true);

  // Every change audited on the timeline, with the actor and the fields (refusals wrote nothing).
  const audit = await system.database.db
    .selectFrom('timeline_events')
    .select(['kind', 'actor', 'channel', 'data'])
    .where('kind', 'like', 'membership_plan:%')
    .where((eb) => eb(eb.ref('data', '->>').key('planId' as never), '=', id))
    .orderBy('id')
    .execute();
  expect(audit.map((a) => a.kind)).toEqual([
    'membership_plan:created',
    'membership_plan:updated',
    'membership_plan:updated',
    'membership_plan:retired',
    'membership_plan:offered',
  ]);
  expect(audit.every((a) => a.actor === 'Back office' && a.channel === 'admin')).toBe(true);
  expect((audit[3]!.data as { changes: unknown }).changes).toEqual({ active: { from: true, to: false } });
});
