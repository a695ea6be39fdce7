/**
 * Memberships end to end through HTTP: a plan, buying a membership (simulated gateway), booking two
 * visits by certificate number, the card showing visits left and the stage, an in-policy cancel
 * returning a visit, and the refusals naming their field.
 */
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import { createApiKey } from '../../src/auth/api-keys';
import { normalizeCertificate } from '../../src/memberships/certificate';
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

interface Card {
  id: string;
  certificateNumber: string;
  stage: string;
  visits: { total: number; used: number; booked: number; left: number; bookable: number; returned: number };
  nextVisit: { appointmentId: string; service: string; startsAt: string; date: string; time: string } | null;
  timeline: Array<{ kind: string; summary: string }>;
}

it('buys a membership, books two visits by certificate number, and the card follows', async () => {
  const services = await api<{ services: Array<{ id: string; slug: string }> }>(system, 'GET', '/api/services');
  const massage = services.body.services.find((s) => s.slug === 'deep-tissue-massage')!.id;
  const consultation = services.body.services.find((s) => s.slug === 'consultation')!.id;

  const plan = await api<{ plan: { id: string } }>(
    system,
    'POST',
    '/api/membership-plans',
    {
      name: 'Massage 2-pack',
      visitsTotal: 2,
      validityDays: 90,
      priceMinor: 19900,
      currency: 'USD',
      serviceIds: [massage],
    },
    auth,
  );
  expect(plan.status).toBe(201);

  const purchase = {
    planId: plan.body.plan.id,
    timeZone: 'America/Chicago',
    customer: { name: 'Dana Park', email: 'dana@example.com', smsOptIn: false },
    paymentMethodId: 'pm_card_visa',
    idempotencyKey: 'purchase-dana-0001',
  };
  const bought = await api<{ membership: Card }>(system, 'POST', '/api/memberships', purchase);
  expect(bought.status).toBe(201);
  const card = bought.body.membership;
  expect(normalizeCertificate(card.certificateNumber)).toBe(card.certificateNumber);
  expect(card.visits).toMatchObject({ total: 2, used: 0, left: 2 });

  // The same purchase again: the same membership, no second charge.
  const again = await api<{ membership: Card }>(system, 'POST', '/api/memberships', purchase);
  expect(again.status).toBe(200);
  expect(again.body.membership.id).toBe(card.id);
  const invoices = await system.database.db
    .selectFrom('invoices')
    .selectAll()
    .where('membership_id', '=', card.id)
    .execute();
  expect(invoices).toHaveLength(1);
  expect(invoices[0]!.total_minor).toBe(19900);
  const attempts = await system.database.db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('invoice_id', '=', invoices[0]!.id)
    .execute();
  expect(attempts.map((a) => a.status)).toEqual(['succeeded']);

  const byCertificate = (number: string) =>
    api<{ membership: Card }>(system, 'GET', `/api/memberships/certificates/${number}`);
  await eventually(async () =>
    (await byCertificate(card.certificateNumber)).body.membership.timeline.some(
      (t) => t.kind === 'membership:purchased',
    ),
  );
  expect((await byCertificate(card.certificateNumber)).body.membership.stage).toBe('Appointment Unscheduled');

  const zone = 'America/Chicago';
  const availableSlots = await freeSlots(system, massage, 4, 12, zone);
  const slots = availableSlots;
  const first = slots[0]!;
  const second = slots.find((s) => Date.parse(s.startsAt) >= Date.parse(first.startsAt) + 48 * 3600_000)!;

  // The customer reads the number out in lower case with spaces: still found.
  const spoken = card.certificateNumber.toLowerCase().replace(/-/g, ' ');
  const visit1 = await api<{ appointment: { id: string; price: { amountMinor: number } } }>(
    system,
    'POST',
    '/api/bookings',
    {
      serviceId: massage,
      staffId: first.staffId,
      startsAt: first.startsAt,
      timeZone: zone,
      customer: { name: 'Dana Park', email: 'dana@example.com', smsOptIn: false },
      certificateNumber: spoken,
    },
  );
  expect(visit1.status).toBe(201);
  const visit2 = await api<{ appointment: { id: string } }>(
    system,
    'POST',
    '/api/appointments',
    {
      serviceId: massage,
      staffId: second.staffId,
      startsAt: second.startsAt,
      timeZone: zone,
      channel: 'phone',
      customer: { name: 'Dana Park', email: 'dana@example.com', smsOptIn: false },
      certificateNumber: card.certificateNumber,
    },
    auth,
  );
  expect(visit2.status).toBe(201);
  const rows = await system.database.db
    .selectFrom('appointments')
    .select(['price_minor', 'membership_id'])
    .where('membership_id', '=', card.id)
    .execute();
  expect(rows.map((r) => r.price_minor)).toEqual([0, 0]);

  const scheduled = await eventually(async () => {
    const c = (await byCertificate(card.certificateNumber)).body.membership;
    return (
      c.stage === 'Appointment Scheduled' &&
      c.timeline.filter((t) => t.kind === 'membership:visit_booked').length === 2 &&
      c
    );
  });
  expect(scheduled.visits).toMatchObject({ total: 2, booked: 2, left: 2, bookable: 0 });
  expect(scheduled.nextVisit).toMatchObject({
    appointmentId: visit1.body.appointment.id,
    service: 'Deep Tissue Massage',
  });
  expect(scheduled.nextVisit!.time).toBe(DateTime.fromISO(first.startsAt).setZone(zone).toFormat('HH:mm'));

  // A third visit: none left to book; a service the plan does not cover; a mistyped number.
  const slotFor = (await freeSlots(system, consultation, 4, 12, zone)).at(-1)!;
  const refusals = await Promise.all([
    api<{ error: { code: string; fields: Array<{ field: string }> } }>(system, 'POST', '/api/bookings', {
      serviceId: massage,
      startsAt: slots.at(-1)!.startsAt,
      staffId: slots.at(-1)!.staffId,
      timeZone: zone,
      customer: { name: 'Dana Park', email: 'dana@example.com', smsOptIn: false },
      certificateNumber: card.certificateNumber,
    }),
    api<{ error: { code: string; fields: Array<{ field: string }> } }>(system, 'POST', '/api/bookings', {
      serviceId: consultation,
      startsAt: slotFor.startsAt,
      staffId: slotFor.staffId,
      timeZone: zone,
      customer: { name: 'Dana Park', email: 'dana@example.com', smsOptIn: false },
      certificateNumber: card.certificateNumber,
    }),
    api<{ error: { code: string; fields: Array<{ field: string }> } }>(system, 'POST', '/api/bookings', {
      serviceId: massage,
      startsAt: slots.at(-1)!.startsAt,
      staffId: slots.at(-1)!.staffId,
      timeZone: zone,
      customer: { name: 'Dana Park', email: 'dana@example.com', smsOptIn: false },
      certificateNumber: `${card.certificateNumber.slice(0, -1)}${card.certificateNumber.endsWith('0') ? '1' : '0'}`,
    }),
  ]);
  expect(refusals.map((r) => [r.status, r.body.error.code, r.body.error.fields?.[0]?.field])).toEqual([
    [409, 'no_visits_left', 'certificateNumber'],
    [422, 'service_not_covered', 'serviceId'],
    [422, 'invalid_certificate', 'certificateNumber'],
  ]);

  // An in-policy cancel (days ahead) returns the visit: the card shows it at once.
  const cancelled = await api(
    system,
    'POST',
    `/api/appointments/${visit1.body.appointment.id}/cancel`,
    { reason: 'travel', channel: 'phone' },
    auth,
  );
  expect(cancelled.status).toBe(200);
  const after = await eventually(async () => {
    const c = (await byCertificate(card.certificateNumber)).body.membership;
    return (
      c.timeline.some((t) => t.kind === 'membership:visit_returned') &&
      c.nextVisit?.appointmentId === visit2.body.appointment.id &&
      c
    );
  });
  expect(after.visits).toMatchObject({ used: 0, returned: 1, booked: 1, left: 2, bookable: 1 });
  expect(after.stage).toBe('Appointment Scheduled');

  // Staff card: the workflow's own state agrees.
  const staffCard = await api<{ membership: Card; workflow: { counts: { left: number; returned: number } } }>(
    system,
    'GET',
    `/api/memberships/${card.id}`,
    undefined,
    auth,
  );
  expect(staffCard.status).toBe(200);
  expect(staffCard.body.workflow.counts).toMatchObject({ left: 2, returned: 1 });

  // Staff complete the second visit: the visit is used, its invoice is zero and nothing is charged.
  const deliver = await eventually(() =>
    system.database.db
      .selectFrom('tasks')
      .select('id')
      .where('appointment_id', '=', visit2.body.appointment.id)
      .where('kind', '=', 'deliver_service')
      .executeTakeFirst(),
  );
  await startService(system, auth, visit2.body.appointment.id);
  const completed = await api(
    system,
    'POST',
    `/api/tasks/${deliver.id}/complete`,
    { form: { minutes: 60 }, channel: 'in_person' },
    auth,
  );
  expect(completed.status).toBe(200);
  const used = await eventually(async () => {
    const c = (await byCertificate(card.certificateNumber)).body.membership;
    return c.visits.used === 1 && c.stage === 'Appointment Unscheduled' && c;
  });
  expect(used.visits).toMatchObject({ used: 1, returned: 1, booked: 0, left: 1, bookable: 1 });
  expect(used.nextVisit).toBeNull();
  const visitInvoice = await eventually(() =>
    system.database.db
      .selectFrom('invoices')
      .selectAll()
      .where('appointment_id', '=', visit2.body.appointment.id)
      .where('status', '=', 'paid')
      .executeTakeFirst(),
  );
  expect(visitInvoice.total_minor).toBe(0);
  const visitCharges = await system.database.db
    .selectFrom('payment_attempts')
    .select('id')
    .where('invoice_id', '=', visitInvoice.id)
    .execute();
  expect(visitCharges).toHaveLength(0);
  const row = await system.database.db
    .selectFrom('memberships')
    .select(['visits_used', 'stage'])
    .where('id', '=', card.id)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ visits_used: 1, stage: 'Appointment Unscheduled' });

  // The purchase confirmation went to the outbox with the certificate number.
  const messages = await system.database.db
    .selectFrom('messages')
    .selectAll()
    .where('membership_id', '=', card.id)
    .execute();
  expect(messages.map((m) => m.template)).toContain('membershipPurchased');
  expect(messages.find((m) => m.template === 'membershipPurchased')!.body).toContain(card.certificateNumber);
});

it('refuses a purchase with a declined card, naming the field', async () => {
  const plans = await api<{ plans: Array<{ id: string }> }>(system, 'GET', '/api/membership-plans');
  const declined = await api<{ error: { code: string; fields: Array<{ field: string }> } }>(
    system,
    'POST',
    '/api/memberships',
    {
      planId: plans.body.plans[0]!.id,
      timeZone: 'America/Chicago',
      customer: { name: 'Lee Wu', email: 'lee@example.com', smsOptIn: false },
      paymentMethodId: 'pm_card_visa_chargeDeclined',
      idempotencyKey: 'purchase-lee-0001',
    },
  );
  expect(declined.status).toBe(402);
  expect(declined.body.error.fields[0]!.field).toBe('paymentMethodId');
  // Nothing bought, so no membership and no payment.succeeded for that customer.
  const recorded = await system.database.db
    .selectFrom('events')
    .select('type')
    .where('type', 'in', ['payment.succeeded', 'membership.purchased'])
    .where(sql<boolean>`payload->'membership'->'contact'->>'email' = 'lee@example.com'`)
    .execute();
  expect(recorded).toEqual([]);
  const unknown = await api<{ error: { fields: Array<{ field: string }> } }>(system, 'POST', '/api/memberships', {
    planId: '00000000-0000-4000-8000-000000000000',
    timeZone: 'America/Chicago',
    customer: { name: 'Lee Wu', email: 'lee@example.com', smsOptIn: false },
    paymentMethodId: 'pm_card_visa',
    idempotencyKey: 'purchase-lee-0002',
  });
  expect(unknown.status).toBe(422);
  expect(unknown.body.error.fields[0]!.field).toBe('planId');
});

it('changes the end of validity by date, answering with the changed card, and refuses ends that strand a visit', async () => {
  const services = await api<{ services: Array<{ id: string; slug: string }> }>(system, 'GET', '/api/services');
  const massage = services.body.services.find((s) => s.slug === 'deep-tissue-massage')!.id;
  const zone = 'America/Chicago';
  const plan = await api<{ plan: { id: string } }>(
    system,
    'POST',
    '/api/membership-plans',
    {
      name: 'Massage 3-pack (validity)',
      visitsTotal: 3,
      validityDays: 60,
      priceMinor: 24900,
      currency: 'USD',
      serviceIds: [massage],
    },
    auth,
  );
  const customer = { name: 'Noor Haddad', email: 'noor@example.com', smsOptIn: false };
  const bought = await api<{ membership: Card & { validFrom: string; validUntil: string } }>(
    system,
    'POST',
    '/api/memberships',
    {
      planId: plan.body.plan.id,
      timeZone: zone,
      customer,
      paymentMethodId: 'pm_card_visa',
      idempotencyKey: 'purchase-noor-0001',
    },
  );
  expect(bought.status).toBe(201);
  const { id, validUntil: before } = bought.body.membership;
  const slot = (await freeSlots(system, massage, 5, 12, zone))[0]!;
  const visit = await api(system, 'POST', '/api/bookings', {
    serviceId: massage,
    staffId: slot.staffId,
    startsAt: slot.startsAt,
    timeZone: zone,
    customer,
    certificateNumber: bought.body.membership.certificateNumber,
  });
  expect(visit.status).toBe(201);
  const visitDay = DateTime.fromISO(slot.startsAt, { zone });
  const change = (body: Record<string, unknown>, membershipId = id) =>
    api<{
      membership: Card & { validUntil: string };
      error: { code: string; message: string; fields: Array<{ field: string }> };
    }>(system, 'POST', `/api/memberships/${membershipId}/extend`, body, auth);
  const fieldsOf = (r: Awaited<ReturnType<typeof change>>) => r.body.error.fields.map((f) => f.field);

  const neither = await change({ channel: 'phone' });
  expect(neither.status).toBe(400);
  expect(fieldsOf(neither)).toEqual(['validUntil']);
  const both = await change({ validUntil: before, validUntilDate: '2030-01-01', channel: 'phone' });
  expect(both.status).toBe(400);
  expect(fieldsOf(both)).toEqual(['validUntil']);
  const badDate = await change({ validUntilDate: '2030-13-01', channel: 'phone' });
  expect(badDate.status).toBe(400);
  expect(fieldsOf(badDate)).toEqual(['validUntilDate']);
  const unknown = await change(
    { validUntilDate: '2030-01-01', channel: 'phone' },
    '00000000-0000-4000-8000-000000000000',
  );
  expect(unknown.status).toBe(404);

  // Ending the day before the booked visit would strand it: refused, naming the field and the visit.
  const stranding = await change({ validUntilDate: visitDay.minus({ days: 1 }).toISODate(), channel: 'phone' });
  expect(stranding.status).toBe(422);
  expect(stranding.body.error.code).toBe('visit_outside_validity');
  expect(fieldsOf(stranding)).toEqual(['validUntilDate']);
  expect(stranding.body.error.message).toContain('move or cancel it first');
  const startless = await change({ validUntil: '2020-01-01T00:00:00Z', channel: 'phone' });
  expect(startless.status).toBe(422);
  expect(startless.body.error.code).toBe('invalid_validity');

  // Thirty days after the visit: the end of that day in the membership's zone, on the card at once.
  const newEnd = visitDay.plus({ days: 30 });
  const changed = await change({ validUntilDate: newEnd.toISODate(), channel: 'phone' });
  expect(changed.status).toBe(200);
  const expected = newEnd.endOf('day').toUTC().toISO();
  expect(changed.body.membership.validUntil).toBe(expected);
  expect(changed.body.membership.timeline.filter((t) => t.kind === 'membership:validity')).toHaveLength(1);
  const row = await system.database.db
    .selectFrom('memberships')
    .select('valid_until')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  expect(row.valid_until.toISOString()).toBe(expected);
});
