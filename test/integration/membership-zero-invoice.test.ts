/**
 * A membership visit on a service whose billing policy is manual (On-site Repair): the visit is priced
 * 0, so its invoice total is 0 and it is settled at once — no "charge customer" task for staff, no
 * payment attempt, the receipt and Paid Won as on the automatic path (patch appointment-zero-invoice-v1).
 */
import { createApiKey } from '../../src/auth/api-keys';
import { api, eventually, freeSlots, startSystem, type System, startService } from '../support/system';

jest.setTimeout(180_000);

let system: System;
let auth: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  const { key } = await createApiKey(system.database.db, 'Front desk tablet');
  auth = { authorization: `Bearer ${key}` };
});
afterAll(async () => {
  await system?.stop();
});

it('a membership visit on a manual-billing service: zero invoice settled without a charge task', async () => {
  const services = await api<{ services: Array<{ id: string; slug: string }> }>(system, 'GET', '/api/services');
  const repair = services.body.services.find((s) => s.slug === 'on-site-repair')!.id;
  const plan = await api<{ plan: { id: string } }>(
    system,
    'POST',
    '/api/membership-plans',
    {
      name: 'Repair care',
      visitsTotal: 3,
      validityDays: 365,
      priceMinor: 45000,
      currency: 'USD',
      serviceIds: [repair],
    },
    auth,
  );
  expect(plan.status).toBe(201);
  const bought = await api<{ membership: { id: string; certificateNumber: string } }>(
    system,
    'POST',
    '/api/memberships',
    {
      planId: plan.body.plan.id,
      timeZone: 'America/New_York',
      customer: { name: 'Lee Morgan', email: 'lee.morgan@example.com', smsOptIn: false },
      paymentMethodId: 'pm_card_visa',
      idempotencyKey: 'purchase-lee-0001',
    },
  );
  expect(bought.status).toBe(201);

  const zone = 'America/New_York';
  const availableSlots = await freeSlots(system, repair, 3, 10, zone);
  const slot = availableSlots[0]!;
  const visit = await api<{ appointment: { id: string } }>(
    system,
    'POST',
    '/api/appointments',
    {
      serviceId: repair,
      staffId: slot.staffId,
      startsAt: slot.startsAt,
      timeZone: zone,
      channel: 'phone',
      customer: { name: 'Lee Morgan', email: 'lee.morgan@example.com', smsOptIn: false },
      certificateNumber: bought.body.membership.certificateNumber,
    },
    auth,
  );
  expect(visit.status).toBe(201);
  const id = visit.body.appointment.id;

  const deliver = await eventually(() =>
    system.database.db
      .selectFrom('tasks')
      .select('id')
      .where('appointment_id', '=', id)
      .where('kind', '=', 'deliver_service')
      .executeTakeFirst(),
  );
  await startService(system, auth, id);
  const completed = await api(
    system,
    'POST',
    `/api/tasks/${deliver.id}/complete`,
    { form: { minutes: 90 }, channel: 'in_person' },
    auth,
  );
  expect(completed.status).toBe(200);

  const card = await eventually(async () => {
    const response = await api<{
      workflow: { billing: { payment: string; invoice: { totalMinor: number } } | null; tasks: { charge: unknown } };
      messages: Array<{ template: string }>;
    }>(system, 'GET', `/api/appointments/${id}`, undefined, auth);
    return (
      response.body.workflow?.billing?.payment === 'paid' &&
      response.body.messages.some((m) => m.template === 'receipt') &&
      response.body
    );
  });
  expect(card.workflow.billing?.invoice.totalMinor).toBe(0);
  expect(card.workflow.tasks.charge).toBeNull();
  expect(card.messages.map((m) => m.template)).not.toContain('staffChargeTask');

  const tasks = await system.database.db.selectFrom('tasks').select('kind').where('appointment_id', '=', id).execute();
  expect(tasks.map((t) => t.kind)).toEqual(['deliver_service']);
  const invoice = await system.database.db
    .selectFrom('invoices')
    .selectAll()
    .where('appointment_id', '=', id)
    .executeTakeFirstOrThrow();
  expect(invoice).toMatchObject({ total_minor: 0, status: 'paid' });
  const attempts = await system.database.db
    .selectFrom('payment_attempts')
    .select('id')
    .where('invoice_id', '=', invoice.id)
    .execute();
  expect(attempts).toHaveLength(0);
  const appointment = await system.database.db
    .selectFrom('appointments')
    .select('stage')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  expect(appointment.stage).toBe('Paid Won');
});
