/**
 * Cancellation policy through HTTP (issue 13, item 6): admins set a service's late-cancel window and
 * fee and its no-show fee (refused with the field named in words when wrong); the booking page lists
 * the policy, the confirmation carries it, the manage page says what cancelling now costs, and a
 * customer's late cancel is charged once to the card given at booking (an invoice with the fee line),
 * while staff may waive it. The windows are wide (30 days), so bookings made days ahead fall inside
 * them whatever the day the test runs.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { stateQuery } from '../../workflows/appointment/messages';
import {
  api,
  portalSignedIn,
  bookByPhone,
  eventually,
  freeSlots,
  serviceIdBySlug,
  startSystem,
  type System,
} from '../support/system';

jest.setTimeout(120_000);

let system: System;
let auth: Record<string, string>;
let consultation: string;
beforeAll(async () => {
  system = await startSystem();
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Owner')).key}` };
  consultation = await serviceIdBySlug(system, 'consultation');
});
afterAll(async () => {
  await system?.stop();
});

type Fields = { error: { code: string; fields: Array<{ field: string; message: string }> } };
const policy = {
  lateCancelHours: 720,
  lateCancelFee: { kind: 'fixed', amountMinor: 2500 },
  noShowFee: { kind: 'percent', percent: 50 },
};

it('admins set the policy on the service; bad values are refused naming the field', async () => {
  const bad = await api<Fields>(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    {
      cancellationPolicy: {
        lateCancelHours: 0,
        lateCancelFee: { kind: 'percent', percent: 150 },
        noShowFee: { kind: 'fixed', amountMinor: 0 },
      },
    },
    auth,
  );
  expect(bad.status).toBe(400);
  expect(bad.body.error.fields).toEqual(
    expect.arrayContaining([
      { field: 'cancellationPolicy.lateCancelFee.percent', message: 'must be at most 100 percent' },
      { field: 'cancellationPolicy.noShowFee.amountMinor', message: 'must be more than 0' },
    ]),
  );
  const noWindow = await api<Fields>(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    { cancellationPolicy: { ...policy, lateCancelHours: 0 } },
    auth,
  );
  expect(noWindow.body.error.fields).toEqual([
    {
      field: 'cancellationPolicy.lateCancelHours',
      message: 'set how many hours before the start the late-cancel fee applies (more than 0)',
    },
  ]);
  const unknown = await api<Fields>(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    { cancellationPolicy: { ...policy, graceMinutes: 5 } },
    auth,
  );
  expect(unknown.body.error.fields).toEqual([
    { field: 'cancellationPolicy.graceMinutes', message: 'not a known setting' },
  ]);

  const set = await api<{ service: { cancellationPolicy: unknown }; changes: Record<string, unknown> }>(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    { cancellationPolicy: policy, cardAtBooking: 'optional' },
    auth,
  );
  expect(set.status).toBe(200);
  expect(set.body.service.cancellationPolicy).toEqual(policy);
  expect(Object.keys(set.body.changes)).toContain('cancellationPolicy');

  // The booking page lists it with the amounts (Consultation is $60.00: the no-show fee is $30.00).
  const listed = await api<{ services: Array<{ id: string; cancellationPolicy: Record<string, unknown> | null }> }>(
    system,
    'GET',
    '/api/services',
  );
  expect(listed.body.services.find((s) => s.id === consultation)!.cancellationPolicy).toMatchObject({
    lateCancelHours: 720,
    lateCancelFeeMinor: 2500,
    noShowFeeMinor: 3000,
    currency: 'USD',
  });
});

it("a customer's late cancel on the manage page is quoted, then charged once to the card given at booking", async () => {
  const customer = { name: 'Lane Late', email: 'lane.late@example.com' };
  const setup = await api<{ setupIntentId: string }>(system, 'POST', '/api/payments/setup-intents', {
    ...customer,
    requestKey: 'lane-late-booking',
  });
  await api(system, 'POST', '/api/payments/simulated/confirm', {
    intentId: setup.body.setupIntentId,
    paymentMethodId: 'pm_card_visa',
  });
  const slot = (await freeSlots(system, consultation, 3, 10))[0]!;
  const booked = await api<{ appointment: { id: string; workflowId: string }; manageUrl: string }>(
    system,
    'POST',
    '/api/bookings',
    {
      serviceId: consultation,
      staffId: slot.staffId,
      startsAt: slot.startsAt,
      timeZone: 'America/New_York',
      customer,
      setupIntentId: setup.body.setupIntentId,
    },
  );
  expect(booked.status).toBe(201);
  const { id, workflowId } = booked.body.appointment;
  const token = booked.body.manageUrl.split('/manage/')[1]!;

  // The confirmation carries the policy.
  const confirmation = await eventually(async () =>
    system.database.db
      .selectFrom('messages')
      .select('body')
      .where('appointment_id', '=', id)
      .where('template', '=', 'confirmation')
      .where('channel', '=', 'email')
      .executeTakeFirst(),
  );
  expect(confirmation.body).toMatch(/Cancellation policy/);
  expect(confirmation.body).toMatch(/\$25\.00/);

  const page = await api<{ cancellation: Record<string, unknown> }>(system, 'GET', `/api/manage/${token}`);
  expect(page.body.cancellation).toMatchObject({ feeIfCancelledNow: 2500, lateCancelFeeMinor: 2500, currency: 'USD' });

  const cancelled = await api(system, 'POST', `/api/manage/${token}/cancel`, { reason: 'something came up' });
  expect(cancelled.status).toBe(200);
  const handle = system.env.client.workflow.getHandle(workflowId);
  await eventually(async () => (await handle.query(stateQuery)).billing?.payment === 'paid');
  const invoice = await system.database.db
    .selectFrom('invoices')
    .select(['id', 'status', 'total_minor', 'lines'])
    .where('appointment_id', '=', id)
    .executeTakeFirstOrThrow();
  expect(invoice).toMatchObject({ status: 'paid', total_minor: 2500 });
  expect(invoice.lines).toEqual([
    expect.objectContaining({ description: 'Late cancellation fee: Consultation', kind: 'fee', amountMinor: 2500 }),
  ]);
  const payments = await system.database.db
    .selectFrom('invoice_payments')
    .select(['method', 'amount_minor'])
    .where('invoice_id', '=', invoice.id)
    .execute();
  expect(payments).toEqual([{ method: 'card', amount_minor: 2500 }]);
  const attempts = await system.database.db
    .selectFrom('payment_attempts')
    .select(['status', 'idempotency_key'])
    .where('invoice_id', '=', invoice.id)
    .execute();
  expect(attempts).toEqual([{ status: 'succeeded', idempotency_key: `${workflowId}:fee-charge:1` }]);
  // The receipt says what it was for; no decline, no feedback request.
  const receipt = await eventually(async () =>
    system.database.db
      .selectFrom('messages')
      .select('body')
      .where('appointment_id', '=', id)
      .where('template', '=', 'receipt')
      .where('channel', '=', 'email')
      .executeTakeFirst(),
  );
  expect(receipt.body).toMatch(/late-cancellation fee/);
});

it('the portal quotes the cost too, and a late cancel there without a card gets a pay link for the fee', async () => {
  const slot = (await freeSlots(system, consultation, 3, 10))[2]!;
  const visit = await bookByPhone(system, auth, {
    serviceId: consultation,
    slot,
    customer: { name: 'Pia Portal', email: 'pia.portal@example.com' },
  });
  const { headers } = await portalSignedIn(system, 'pia.portal@example.com');
  const listed = await api<{ upcoming: Array<{ id: string; cancellation: Record<string, unknown> | null }> }>(
    system,
    'GET',
    '/api/portal/appointments',
    undefined,
    headers,
  );
  expect(listed.body.upcoming.find((a) => a.id === visit.id)!.cancellation).toMatchObject({ feeIfCancelledNow: 2500 });
  const cancelled = await api(system, 'POST', `/api/portal/appointments/${visit.id}/cancel`, {}, headers);
  expect(cancelled.status).toBe(200);
  const handle = system.env.client.workflow.getHandle(visit.workflowId);
  await eventually(async () => (await handle.query(stateQuery)).billing?.payment === 'awaiting_payment');
  const templates = await eventually(async () => {
    const rows = await system.database.db
      .selectFrom('messages')
      .select('template')
      .where('appointment_id', '=', visit.id)
      .execute();
    const names = rows.map((r) => r.template);
    return names.includes('paymentLink') && names;
  });
  expect(templates).not.toContain('paymentDeclined');
});

it('staff cancelling late waive the fee (and, by default, charge none)', async () => {
  const slot = (await freeSlots(system, consultation, 3, 10))[1]!;
  const visit = await bookByPhone(system, auth, {
    serviceId: consultation,
    slot,
    customer: { name: 'Wren Waived', email: 'wren.waived@example.com' },
  });
  const refused = await api<Fields>(
    system,
    'POST',
    `/api/appointments/${visit.id}/cancel`,
    { reason: 'x', channel: 'phone', cancellationFee: 'maybe' },
    auth,
  );
  expect(refused.status).toBe(400);
  expect(refused.body.error.fields[0]!.field).toBe('cancellationFee');
  const cancelled = await api(
    system,
    'POST',
    `/api/appointments/${visit.id}/cancel`,
    { reason: 'customer called, excused', channel: 'phone', cancellationFee: 'waive' },
    auth,
  );
  expect(cancelled.status).toBe(200);
  const state = await system.env.client.workflow.getHandle(visit.workflowId).query(stateQuery);
  expect(state.appointment.status).toBe('cancelled');
  expect(state.cancellationFee ?? null).toBeNull();
  const invoice = await system.database.db
    .selectFrom('invoices')
    .select('id')
    .where('appointment_id', '=', visit.id)
    .executeTakeFirst();
  expect(invoice).toBeUndefined();
  await api(
    system,
    'PATCH',
    `/api/admin/services/${consultation}`,
    { cancellationPolicy: null, cardAtBooking: 'none' },
    auth,
  );
});
