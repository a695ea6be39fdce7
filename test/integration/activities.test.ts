/**
 * The activities against a real database, called as a retry or a replay would call them: the same
 * input twice never writes or sends twice, and a reminder for an appointment that moved on is dropped.
 */
import { tmpdir } from 'node:os';
import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import { appointmentActivities } from '../../activities/appointments';
import { notificationActivities } from '../../activities/notifications';
import { book } from '../../src/booking/service';
import { loadConfig } from '../../src/config';
import { seedDemoData } from '../../src/db/seed';
import { availableSlots } from '../../src/availability/service';
import type { MessageProvider, OutgoingMessage } from '../../src/messaging/providers';
import type { PaymentGateway } from '../../src/payments/gateway';
import { SimulatedGateway } from '../../src/payments/simulated-gateway';
import { billingActivities } from '../../activities/billing';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
const sent: OutgoingMessage[] = [];
const countingProvider: MessageProvider = {
  name: 'outbox',
  async send(message) {
    sent.push(message);
    return { providerMessageId: `test:${message.id}` };
  },
};

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoData(database.db);
});
afterAll(async () => {
  await database.drop();
});

async function bookOne(email: string) {
  const config = loadConfig({}, tmpdir());
  const service = await database.db
    .selectFrom('services')
    .select('id')
    .where('slug', '=', 'consultation')
    .executeTakeFirstOrThrow();
  const now = Date.now();
  const slot = (
    await availableSlots(database.db, {
      serviceId: service.id,
      from: now + 3 * 86400_000,
      to: now + 10 * 86400_000,
      now,
    })
  )[0]!;
  const noTemporal = { workflow: { start: async () => undefined } } as unknown as Client;
  const result = await book(
    { db: database.db, temporal: noTemporal, config },
    {
      serviceId: service.id,
      startsAt: slot.startsAt,
      timeZone: 'Europe/London',
      customer: { name: 'Alex Kim', email, phone: '+447700900123', smsOptIn: true },
      actor: { kind: 'customer', name: 'Alex Kim' },
      channel: 'web',
    },
  );
  return { config, appointmentId: result.appointmentId, workflowId: result.workflowId, slot };
}

const count = async (table: 'messages' | 'timeline_events', appointmentId: string) =>
  (
    await database.db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as('n'))
      .where('appointment_id', '=', appointmentId)
      .executeTakeFirstOrThrow()
  ).n;

it('sends each message once however often the activity runs', async () => {
  const { config, appointmentId, workflowId } = await bookOne('alex.kim@example.com');
  const messaging = notificationActivities({
    db: database.db,
    config,
    providers: { email: countingProvider, sms: countingProvider },
    payments: new SimulatedGateway(),
  });
  const input = {
    appointmentId,
    workflowId,
    audience: 'customer' as const,
    event: 'confirmation' as const,
    step: 'booked',
    revision: 1,
    onlyIfCurrent: false,
  };
  const first = await messaging.sendAppointmentMessages(input);
  const second = await messaging.sendAppointmentMessages(input);
  expect(first.messageIds).toHaveLength(2);
  expect(second.messageIds.sort()).toEqual(first.messageIds.sort());
  expect(sent.filter((m) => first.messageIds.includes(m.id))).toHaveLength(2);
  expect(await count('messages', appointmentId)).toBe(2);
  const sms = sent.find((m) => m.channel === 'sms' && first.messageIds.includes(m.id))!;
  expect(sms.to).toBe('+447700900123');
  expect(sms.text).toMatch(/\d{1,2}:\d{2} (AM|PM) GMT/); // the customer chose Europe/London (winter)
});

it('applies a reschedule once per idempotency key, and drops a reminder for the old revision', async () => {
  const { config, appointmentId, workflowId, slot } = await bookOne('sam.lee@example.com');
  const data = appointmentActivities({ db: database.db });
  const messaging = notificationActivities({
    db: database.db,
    config,
    providers: { email: countingProvider, sms: countingProvider },
    payments: new SimulatedGateway(),
  });
  const request = {
    appointmentId,
    expectedRevision: 1,
    startsAt: slot.startsAt + 86400_000,
    actor: { kind: 'customer' as const, name: 'Sam Lee' },
    channel: 'manage_link' as const,
    now: Date.now(),
    idempotencyKey: `${workflowId}:reschedule:from-r1`,
  };
  const once = await data.applyReschedule(request);
  const twice = await data.applyReschedule(request);
  expect(once.revision).toBe(2);
  expect(twice).toEqual(once);
  const rescheduled = await database.db
    .selectFrom('timeline_events')
    .select('kind')
    .where('appointment_id', '=', appointmentId)
    .where('kind', '=', 'rescheduled')
    .execute();
  expect(rescheduled).toHaveLength(1);

  const stale = await messaging.sendAppointmentMessages({
    appointmentId,
    workflowId,
    audience: 'customer',
    event: 'reminder48h',
    step: 'reminder48h',
    revision: 1,
    onlyIfCurrent: true,
  });
  expect(stale).toEqual({ messageIds: [], skipped: 'stale' });

  await data.applyStatusChange({
    appointmentId,
    status: 'cancelled',
    stage: 'Closed Lost',
    reason: 'test',
    actor: { kind: 'customer', name: 'Sam Lee' },
    channel: 'manage_link',
    idempotencyKey: `${workflowId}:status:cancelled`,
  });
  const afterCancel = await messaging.sendAppointmentMessages({
    appointmentId,
    workflowId,
    audience: 'customer',
    event: 'reminder12h',
    step: 'reminder12h',
    revision: 2,
    onlyIfCurrent: true,
  });
  expect(afterCancel.skipped).toBe('stale');
  expect(await count('messages', appointmentId)).toBe(0);
  const tokens = await database.db
    .selectFrom('manage_tokens')
    .select('revoked_at')
    .where('appointment_id', '=', appointmentId)
    .execute();
  expect(tokens.every((t) => t.revoked_at !== null)).toBe(true);
});

it('billing: the deliver task opens the invoice; a charge without a card declines, with a card succeeds once; billing messages render', async () => {
  const { config, appointmentId, workflowId } = await bookOne('jamie.fox@example.com');
  const payments = new SimulatedGateway();
  const data = appointmentActivities({ db: database.db });
  const billing = billingActivities({ db: database.db, payments });
  const messaging = notificationActivities({
    db: database.db,
    config,
    providers: { email: countingProvider, sms: countingProvider },
    payments,
  });
  const technician = { kind: 'technician' as const, name: 'Jordan Patel' };

  const { taskId } = await data.createTask({
    appointmentId,
    kind: 'deliver_service',
    title: 'Deliver Consultation',
    assigneeStaffId: null,
    dueAt: null,
    idempotencyKey: `${workflowId}:task:deliver`,
  });
  const delivered = await billing.completeDeliverTask({
    appointmentId,
    taskId,
    minutes: 30,
    actor: technician,
    channel: 'in_person',
  });
  const again = await billing.completeDeliverTask({
    appointmentId,
    taskId,
    minutes: 45,
    actor: technician,
    channel: 'in_person',
  });
  expect(again).toEqual(delivered);
  expect(delivered.appointment.status).toBe('done');
  // Consultation: fixed 60.00 USD, business tax 8% → 64.80.
  expect(delivered.invoice).toMatchObject({ subtotalMinor: 6000, taxMinor: 480, totalMinor: 6480, currency: 'USD' });

  const noCard = await billing.chargeInvoice({ appointmentId, attempt: 1, idempotencyKey: `${workflowId}:charge:1` });
  expect(noCard).toMatchObject({ status: 'declined', declineCode: 'no_saved_card', gateway: 'simulated' });
  const declinedNotice = await messaging.sendAppointmentMessages({
    appointmentId,
    workflowId,
    audience: 'customer',
    event: 'paymentDeclined',
    step: 'payment-attempt-1',
    revision: 1,
    onlyIfCurrent: false,
    nextAttemptAt: Date.now() + 86400_000,
  });
  expect(declinedNotice.messageIds.length).toBeGreaterThan(0);

  const contact = await database.db
    .selectFrom('appointments')
    .select('contact_id')
    .where('id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  await database.db
    .updateTable('contacts')
    .set({ default_payment_method_id: 'pm_card_visa', card_brand: 'visa', card_last4: '4242' })
    .where('id', '=', contact.contact_id)
    .execute();
  const paid = await billing.chargeInvoice({ appointmentId, attempt: 2, idempotencyKey: `${workflowId}:charge:2` });
  const replayed = await billing.chargeInvoice({ appointmentId, attempt: 2, idempotencyKey: `${workflowId}:charge:2` });
  expect(paid).toMatchObject({ status: 'succeeded', gateway: 'simulated' });
  expect(replayed).toEqual(paid);
  const attempts = await database.db
    .selectFrom('payment_attempts')
    .select(['attempt', 'status'])
    .orderBy('attempt')
    .execute();
  expect(attempts.filter((a) => a.status === 'succeeded')).toHaveLength(1);
  const invoice = await database.db
    .selectFrom('invoices')
    .select(['status', 'number'])
    .where('appointment_id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  expect(invoice.status).toBe('paid');

  await messaging.sendAppointmentMessages({
    appointmentId,
    workflowId,
    audience: 'customer',
    event: 'receipt',
    step: 'receipt',
    revision: 1,
    onlyIfCurrent: false,
  });
  const receipt = await database.db
    .selectFrom('messages')
    .select(['body', 'channel'])
    .where('appointment_id', '=', appointmentId)
    .where('template', '=', 'receipt')
    .where('channel', '=', 'email')
    .executeTakeFirstOrThrow();
  expect(receipt.body).toContain('$64.80');
  expect(receipt.body).toContain(String(invoice.number));
  expect(receipt.body).toContain('4242');
  await messaging.sendAppointmentMessages({
    appointmentId,
    workflowId,
    audience: 'staff',
    event: 'staffDeliverOverdue',
    step: 'deliver-overdue',
    revision: 1,
    onlyIfCurrent: false,
  });
});

it('a charge whose activity fails after the gateway accepted it is retried without a second charge', async () => {
  const { appointmentId, workflowId } = await bookOne('robin.crash@example.com');
  const gateway = new SimulatedGateway();
  let calls = 0;
  const paymentIds = new Set<string>();
  // Accepts the charge, then loses the answer (as a crash or a dropped connection would) on the first call.
  const flaky: PaymentGateway = {
    name: gateway.name,
    simulated: gateway.simulated,
    ensureCustomer: (input) => gateway.ensureCustomer(input),
    createSetupIntent: (input) => gateway.createSetupIntent(input),
    retrieveSetupIntent: (id) => gateway.retrieveSetupIntent(id),
    describeCard: (id) => gateway.describeCard(id),
    listCards: (id) => gateway.listCards(id),
    detachCard: (input) => gateway.detachCard(input),
    createPaymentIntent: (request) => gateway.createPaymentIntent(request),
    retrievePaymentIntent: (id) => gateway.retrievePaymentIntent(id),
    refund: (request) => gateway.refund(request),
    async chargeOffSession(request) {
      calls += 1;
      const result = await gateway.chargeOffSession(request);
      if (result.paymentId) paymentIds.add(result.paymentId);
      if (calls === 1) throw new Error('connection reset after the charge was accepted');
      return result;
    },
  };
  const data = appointmentActivities({ db: database.db });
  const billing = billingActivities({ db: database.db, payments: flaky });
  const { taskId } = await data.createTask({
    appointmentId,
    kind: 'deliver_service',
    title: 'Deliver Consultation',
    assigneeStaffId: null,
    dueAt: null,
    idempotencyKey: `${workflowId}:task:deliver`,
  });
  await billing.completeDeliverTask({
    appointmentId,
    taskId,
    minutes: 30,
    actor: { kind: 'staff', name: 'Avery Chen' },
    channel: 'in_person',
  });
  const contact = await database.db
    .selectFrom('appointments')
    .select('contact_id')
    .where('id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  await database.db
    .updateTable('contacts')
    .set({ default_payment_method_id: 'pm_card_visa' })
    .where('id', '=', contact.contact_id)
    .execute();

  const attempt = { appointmentId, attempt: 1, idempotencyKey: `${workflowId}:charge:1` };
  await expect(billing.chargeInvoice(attempt)).rejects.toThrow('connection reset'); // Temporal retries this activity
  const retried = await billing.chargeInvoice(attempt);
  expect(retried.status).toBe('succeeded');
  expect(calls).toBe(2);
  expect(paymentIds.size).toBe(1); // the gateway answered the retry with the same payment
  const rows = await database.db
    .selectFrom('payment_attempts as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .select(['p.status', 'p.provider_payment_id', 'i.status as invoice_status'])
    .where('i.appointment_id', '=', appointmentId)
    .execute();
  expect(rows).toEqual([{ status: 'succeeded', provider_payment_id: [...paymentIds][0], invoice_status: 'paid' }]);
});

it('an invoice with nothing to pay is settled without a charge', async () => {
  const { appointmentId, workflowId } = await bookOne('free.visit@example.com');
  const gateway = new SimulatedGateway();
  const charge = jest.spyOn(gateway, 'chargeOffSession');
  const data = appointmentActivities({ db: database.db });
  const billing = billingActivities({ db: database.db, payments: gateway });
  const deliver = await data.createTask({
    appointmentId,
    kind: 'deliver_service',
    title: 'Deliver',
    assigneeStaffId: null,
    dueAt: null,
    idempotencyKey: `${workflowId}:task:deliver`,
  });
  await billing.completeDeliverTask({
    appointmentId,
    taskId: deliver.taskId,
    minutes: 30,
    actor: { kind: 'staff', name: 'Avery Chen' },
    channel: 'in_person',
  });
  // A free service: the invoice totals zero.
  await database.db
    .updateTable('invoices')
    .set({ lines: '[]', subtotal_minor: 0, tax_minor: 0, total_minor: 0 })
    .where('appointment_id', '=', appointmentId)
    .execute();
  const outcome = await billing.chargeInvoice({ appointmentId, attempt: 1, idempotencyKey: `${workflowId}:charge:1` });
  expect(outcome).toMatchObject({ status: 'succeeded', paymentId: null });
  expect(charge).not.toHaveBeenCalled();
  const invoice = await database.db
    .selectFrom('invoices')
    .select('status')
    .where('appointment_id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  expect(invoice.status).toBe('paid');
});

it('the charge-task email for the billing owner greets the billing owner and is recorded as theirs', async () => {
  const { config, appointmentId, workflowId } = await bookOne('casey.lin@example.com');
  const payments = new SimulatedGateway();
  const data = appointmentActivities({ db: database.db });
  const billing = billingActivities({ db: database.db, payments });
  const messaging = notificationActivities({
    db: database.db,
    config,
    providers: { email: countingProvider, sms: countingProvider },
    payments,
  });
  const { taskId } = await data.createTask({
    appointmentId,
    kind: 'deliver_service',
    title: 'Deliver Consultation',
    assigneeStaffId: null,
    dueAt: null,
    idempotencyKey: `${workflowId}:task:deliver`,
  });
  await billing.completeDeliverTask({
    appointmentId,
    taskId,
    minutes: 30,
    actor: { kind: 'technician', name: 'Jordan Patel' },
    channel: 'in_person',
  });
  const appointment = await database.db
    .selectFrom('appointments')
    .select('staff_id')
    .where('id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  const owner = await database.db
    .selectFrom('staff')
    .select(['id', 'name', 'email'])
    .where('id', '!=', appointment.staff_id)
    .orderBy('name')
    .executeTakeFirstOrThrow();
  await database.db.updateTable('business').set({ billing_owner_staff_id: owner.id }).execute();
  try {
    await messaging.sendAppointmentMessages({
      appointmentId,
      workflowId,
      audience: 'staff',
      event: 'staffChargeTask',
      step: 'charge-task',
      revision: 1,
      onlyIfCurrent: false,
      toBillingOwner: true,
    });
  } finally {
    await database.db.updateTable('business').set({ billing_owner_staff_id: null }).execute();
  }
  const email = await database.db
    .selectFrom('messages')
    .select(['recipient', 'staff_id', 'body'])
    .where('appointment_id', '=', appointmentId)
    .where('template', '=', 'staffChargeTask')
    .executeTakeFirstOrThrow();
  expect(email.recipient).toBe(owner.email);
  expect(email.staff_id).toBe(owner.id);
  expect(email.body).toMatch(new RegExp(`^Hi ${owner.name.split(' ')[0]},\\n`));
});
