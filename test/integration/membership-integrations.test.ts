/**
 * Memberships wired into messaging and webhooks, end to end through HTTP with the dev server:
 * - a staff override of a membership message (template registry, /api/message-templates) is what
 *   the customer receives, by email and SMS, and an SMS opt-out is honoured like for other SMS;
 * - a webhook subscriber receives signed membership.* events for purchase → visit booked → visit used,
 *   once each, verifiable with the documented scheme;
 * - a membership visit cannot be moved past the membership's validity (staff API, manage link, and the
 *   appointment workflow's own reschedule update, refused by the activity), and the times offered for
 *   it (manage page, an email/SMS "reschedule" reply) stop at the validity end;
 * - a retried recordMembershipChange records its change and its event once.
 */
import { DateTime } from 'luxon';
import { membershipActivities } from '../../activities/memberships';
import { recordWhatsappInbound } from '../../src/messaging/whatsapp-windows';
import { createApiKey } from '../../src/auth/api-keys';
import { upcomingFreeSlots } from '../../src/availability/service';
import { handleReply } from '../../src/messaging/conversations';
import { httpErrorForUpdate } from '../../src/http/workflow-errors';
import { verifyAppointflowSignature } from '../../src/outbound/signature';
import { rescheduleUpdate } from '../../workflows/appointment/messages';
import { type RecordingServer, startRecordingServer } from '../support/recording-server';
import { api, eventually, freeSlots, type Slot, startSystem, type System, startService } from '../support/system';

jest.setTimeout(180_000);

let system: System;
let auth: Record<string, string>;
let subscriber: RecordingServer;
let massage: string;

beforeAll(async () => {
  subscriber = await startRecordingServer();
  system = await startSystem({ OUTBOUND_DISPATCH_INTERVAL_MS: '200', OUTBOUND_RETRY_INITIAL_MS: '300' });
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Membership glue')).key}` };
  const services = await api<{ services: Array<{ id: string; slug: string }> }>(system, 'GET', '/api/services');
  massage = services.body.services.find((s) => s.slug === 'deep-tissue-massage')!.id;
});
afterAll(async () => {
  await system?.stop();
  await subscriber?.close();
});

const zone = 'America/Chicago';

async function createPlan(name: string, validityDays: number, visitsTotal = 3): Promise<string> {
  const plan = await api<{ plan: { id: string } }>(
    system,
    'POST',
    '/api/membership-plans',
    { name, visitsTotal, validityDays, priceMinor: 15000, currency: 'USD', serviceIds: [massage] },
    auth,
  );
  expect(plan.status).toBe(201);
  return plan.body.plan.id;
}

async function buy(
  planId: string,
  customer: { name: string; email: string; phone?: string; smsOptIn: boolean },
  idempotencyKey: string,
): Promise<{ id: string; certificateNumber: string }> {
  const bought = await api<{ membership: { id: string; certificateNumber: string } }>(
    system,
    'POST',
    '/api/memberships',
    { planId, timeZone: zone, customer, paymentMethodId: 'pm_card_visa', idempotencyKey },
  );
  expect(bought.status).toBe(201);
  return bought.body.membership;
}

async function massageSlots(fromDays: number, toDays: number): Promise<Slot[]> {
  const availableSlots = await freeSlots(system, massage, fromDays, toDays, zone);
  return availableSlots;
}

async function bookVisit(slot: Slot, certificateNumber: string, customer: { name: string; email: string }) {
  const visit = await api<{ appointment: { id: string; workflowId: string }; manageUrl: string }>(
    system,
    'POST',
    '/api/bookings',
    {
      serviceId: massage,
      staffId: slot.staffId,
      startsAt: slot.startsAt,
      timeZone: zone,
      customer: { ...customer, smsOptIn: false },
      certificateNumber,
    },
  );
  expect(visit.status).toBe(201);
  return visit.body;
}

/**
 * Sets a membership's validity end through the staff API. The answer comes once the membership
 * workflow has written the change, so the card in it (and the row) already shows it.
 */
async function setValidity(membershipId: string, validUntil: string): Promise<void> {
  const changed = await api<{ membership: { validUntil: string; timeline: Array<{ kind: string; summary: string }> } }>(
    system,
    'POST',
    `/api/memberships/${membershipId}/extend`,
    { validUntil, channel: 'phone' },
    auth,
  );
  expect(changed.status).toBe(200);
  expect(changed.body.membership.validUntil).toBe(validUntil);
  expect(changed.body.membership.timeline.some((t) => t.kind === 'membership:validity')).toBe(true);
  const row = await system.database.db
    .selectFrom('memberships')
    .select('valid_until')
    .where('id', '=', membershipId)
    .executeTakeFirstOrThrow();
  expect(row.valid_until.toISOString()).toBe(validUntil);
}

const messagesOf = (membershipId: string) =>
  system.database.db.selectFrom('messages').selectAll().where('membership_id', '=', membershipId).execute();

it('sends the staff override of a membership message, by email and SMS, and no SMS after an opt-out', async () => {
  const email = await api(
    system,
    'PUT',
    '/api/message-templates/membershipPurchased/email',
    {
      subject: 'Welcome to {{plan.name}}, {{contact.firstName}}',
      body: 'Your certificate: {{membership.certificateNumber}} ({{membership.visits}}, until {{membership.validUntil}}).\n\nBook: {{links.booking}}',
    },
    auth,
  );
  expect(email.status).toBe(200);
  const sms = await api(
    system,
    'PUT',
    '/api/message-templates/membershipPurchased/sms',
    { body: 'Hi {{contact.firstName}}! Cert {{membership.certificateNumber}}. Book {{links.booking}}' },
    auth,
  );
  expect(sms.status).toBe(200);
  // Validated like every override: the membership events offer their own variables only.
  const unknown = await api<{ error: { fields: Array<{ field: string; message: string }> } }>(
    system,
    'PUT',
    '/api/message-templates/membershipExpired/sms',
    { body: 'See you {{appointment.when}}' },
    auth,
  );
  expect(unknown.status).toBe(422);
  expect(unknown.body.error.fields).toEqual([{ field: 'body', message: 'unknown variable: appointment.when' }]);
  const listed = await api<{ templates: Array<{ event: string; channel: string; overridden: boolean }> }>(
    system,
    'GET',
    '/api/message-templates',
    undefined,
    auth,
  );
  expect(listed.body.templates.filter((t) => t.event.startsWith('membership'))).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ event: 'membershipPurchased', channel: 'email', overridden: true }),
      expect.objectContaining({ event: 'membershipPurchased', channel: 'sms', overridden: true }),
      expect.objectContaining({ event: 'membershipExpiring', channel: 'sms', overridden: false }),
      expect.objectContaining({ event: 'membershipExpired', channel: 'email', overridden: false }),
    ]),
  );

  const planId = await createPlan('Massage 3-pack', 90);
  const customer = { name: 'Robin Vale', email: 'robin.vale@example.com', phone: '+13125550188', smsOptIn: true };
  const membership = await buy(planId, customer, 'purchase-robin-0001');
  const sent = await eventually(async () => {
    const rows = await messagesOf(membership.id);
    return rows.length === 2 && rows.every((m) => m.status === 'sent') && rows;
  });
  const byChannel = Object.fromEntries(sent.map((m) => [m.channel, m]));
  expect(byChannel.email!.subject).toBe('Welcome to Massage 3-pack, Robin');
  expect(byChannel.email!.body).toContain(
    `Your certificate: ${membership.certificateNumber} (3 of 3 visits left, until `,
  );
  expect(byChannel.email!.body).toMatch(/C[SD]T\)\./); // the validity end in the customer's zone, zone named
  // HTML is rendered with Handlebars' escaping (`=` becomes `&#x3D;`).
  expect(byChannel.email!.html).toContain(`Book: ${system.baseUrl}/book?certificate&#x3D;`);
  expect(byChannel.sms!.body).toBe(
    `Hi Robin! Cert ${membership.certificateNumber}. Book ${system.baseUrl}/book?certificate=${encodeURIComponent(membership.certificateNumber)}`,
  );
  expect(byChannel.sms!.recipient).toBe('+13125550188');

  // Robin replies STOP: the next membership message goes by email only.
  await system.database.db
    .updateTable('contacts')
    .set({ sms_opted_out_at: new Date(), sms_opt_out_source: 'sms:STOP' })
    .where('email', '=', customer.email)
    .execute();
  const second = await buy(planId, customer, 'purchase-robin-0002');
  const after = await eventually(async () => {
    const rows = await messagesOf(second.id);
    return rows.length >= 1 && rows.every((m) => m.status === 'sent') && rows;
  });
  await new Promise((r) => setTimeout(r, 500));
  expect((await messagesOf(second.id)).map((m) => m.channel)).toEqual(['email']);
  expect(after[0]!.subject).toBe('Welcome to Massage 3-pack, Robin');

  // Reset to the default: the built-in renderer again.
  expect(
    (await api(system, 'DELETE', '/api/message-templates/membershipPurchased/email', undefined, auth)).status,
  ).toBe(204);
  await api(system, 'DELETE', '/api/message-templates/membershipPurchased/sms', undefined, auth);
  const third = await buy(planId, { ...customer, email: 'robin.other@example.com', smsOptIn: false }, 'p-robin-3');
  const defaults = await eventually(async () => (await messagesOf(third.id))[0]);
  expect(defaults.subject).toBe(`Your Massage 3-pack membership — certificate ${third.certificateNumber}`);

  // A customer who chose WhatsApp gets membership messages there (the SMS text), not by SMS.
  const whit = { name: 'Whit Sapp', email: 'whit.sapp@example.com', phone: '+13125550199', smsOptIn: true };
  const first = await buy(planId, whit, 'purchase-whit-0001');
  await eventually(async () => (await messagesOf(first.id)).length === 2);
  const contact = await system.database.db
    .selectFrom('contacts')
    .select('id')
    .where('email', '=', whit.email)
    .executeTakeFirstOrThrow();
  const channels = await api(
    system,
    'PATCH',
    `/api/admin/contacts/${contact.id}/channels`,
    { preferredChannel: 'whatsapp', whatsappOptIn: true },
    auth,
  );
  expect(channels.status).toBe(200);
  await recordWhatsappInbound(system.database.db, whit.phone, new Date()); // inside the 24-hour window
  const onWhatsapp = await buy(planId, whit, 'purchase-whit-0002');
  const viaWhatsapp = await eventually(async () => {
    const rows = await messagesOf(onWhatsapp.id);
    return rows.length === 2 && rows.every((m) => m.status === 'sent') && rows;
  });
  expect(viaWhatsapp.map((m) => [m.channel, m.recipient]).sort()).toEqual([
    ['email', whit.email],
    ['whatsapp', whit.phone],
  ]);
  expect(viaWhatsapp.find((m) => m.channel === 'whatsapp')!.body).toContain(onWhatsapp.certificateNumber);
});

interface MembershipWebhook {
  id: string;
  type: string;
  data: {
    membership: { id: string; certificateNumber: string; stage: string; visits: { used: number; left: number } };
    visit?: { id: string; status: string };
    change: { kind: string } & Record<string, unknown>;
  };
}

it('delivers signed membership events to a webhook subscriber: purchase, visit booked, visit used', async () => {
  const sub = await api<{ secret: string }>(
    system,
    'POST',
    '/api/webhooks',
    { url: `${subscriber.url}/hooks/memberships`, events: ['membership.*', 'payment.succeeded'] },
    auth,
  );
  expect(sub.status).toBe(201);
  const { secret } = sub.body;
  const planId = await createPlan('Massage 2-pack (webhooks)', 60, 2);
  const customer = { name: 'Jo Marsh', email: 'jo.marsh@example.com', smsOptIn: false };
  const membership = await buy(planId, customer, 'purchase-jo-0001');

  const receivedFor = () =>
    subscriber.requests
      .map((request) => ({ request, body: request.json as MembershipWebhook }))
      .filter((r) => r.body.data.membership?.id === membership.id);
  const types = () => receivedFor().map((r) => r.body.type);

  await eventually(async () => types().includes('membership.purchased') && types().includes('payment.succeeded'));
  const slot = (await massageSlots(3, 10))[0]!;
  const visit = await bookVisit(slot, membership.certificateNumber, customer);
  await eventually(async () => types().includes('membership.visit_booked') && types());

  const deliver = await eventually(() =>
    system.database.db
      .selectFrom('tasks')
      .select('id')
      .where('appointment_id', '=', visit.appointment.id)
      .where('kind', '=', 'deliver_service')
      .executeTakeFirst(),
  );
  await startService(system, auth, visit.appointment.id);
  await eventually(
    async () =>
      (
        await api(
          system,
          'POST',
          `/api/tasks/${deliver.id}/complete`,
          { form: { minutes: 60 }, channel: 'in_person' },
          auth,
        )
      ).status === 200,
  );
  await eventually(async () => types().includes('membership.visit_used') && types(), 30_000);
  // Stage events follow the visit: Scheduled when booked, Unscheduled again when used.
  await eventually(async () => types().filter((t) => t === 'membership.stage_changed').length >= 2);

  const events = receivedFor();
  for (const { request } of events) {
    const header = request.headers['appointflow-signature'] as string;
    expect(verifyAppointflowSignature({ header, rawBody: request.rawBody, secret }).ok).toBe(true);
    expect(verifyAppointflowSignature({ header, rawBody: request.rawBody, secret: `${secret}x` }).ok).toBe(false);
    expect(request.headers['appointflow-event-type']).toBe((request.json as MembershipWebhook).type);
  }
  // Each event once, in the order the changes happened.
  const ids = events.map((e) => e.body.id);
  expect(new Set(ids).size).toBe(ids.length);
  const order = ['membership.purchased', 'membership.visit_booked', 'membership.visit_used'].map((t) =>
    types().indexOf(t),
  );
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(types().filter((t) => t === 'membership.purchased')).toHaveLength(1);
  expect(types().filter((t) => t === 'payment.succeeded')).toHaveLength(1);
  expect(types().filter((t) => t === 'membership.visit_booked')).toHaveLength(1);
  expect(types().filter((t) => t === 'membership.visit_used')).toHaveLength(1);

  const purchased = events.find((e) => e.body.type === 'membership.purchased')!.body.data;
  expect(purchased.membership).toMatchObject({
    certificateNumber: membership.certificateNumber,
    visits: { used: 0, left: 2 },
  });
  // The charge as a payment event, about the membership (no appointment), with the invoice and payment.
  const paid = events.find((e) => e.body.type === 'payment.succeeded')!.body.data;
  expect(paid.membership).toMatchObject({ id: membership.id, certificateNumber: membership.certificateNumber });
  expect(paid).not.toHaveProperty('appointment');
  expect(paid.change).toMatchObject({
    kind: 'membership:payment_succeeded',
    invoiceId: purchased.change.invoiceId,
    paymentId: purchased.change.paymentId,
    gateway: 'simulated',
    amountMinor: 15000,
    currency: 'USD',
  });
  expect(paid.change.paymentId).toEqual(expect.any(String));
  const booked = events.find((e) => e.body.type === 'membership.visit_booked')!.body.data;
  expect(booked.visit).toMatchObject({ id: visit.appointment.id, status: 'scheduled' });
  const used = events.find((e) => e.body.type === 'membership.visit_used')!.body.data;
  expect(used.visit).toMatchObject({ id: visit.appointment.id, status: 'done' });
  expect(used.membership.visits).toMatchObject({ used: 1, left: 1 });
  expect(used.change.kind).toBe('membership:visit_used');

  // The delivery log has them, delivered, under the membership subject.
  const mine = await eventually(async () => {
    const log = await api<{
      deliveries: Array<{ event: { type: string; subject: { id: string } }; status: string }>;
    }>(system, 'GET', '/api/deliveries', undefined, auth);
    const rows = log.body.deliveries.filter((d) => d.event.subject.id === membership.id);
    return rows.length >= 3 && rows.every((d) => d.status === 'succeeded') && rows;
  });
  expect(mine.map((d) => d.event.type)).toEqual(
    expect.arrayContaining([
      'membership.purchased',
      'payment.succeeded',
      'membership.visit_booked',
      'membership.visit_used',
    ]),
  );
});

it('refuses to move a membership visit past the membership validity, through every path', async () => {
  const planId = await createPlan('Massage week pass', 5, 2);
  const customer = { name: 'Kit Oduya', email: 'kit.oduya@example.com', smsOptIn: false };
  const membership = await buy(planId, customer, 'purchase-kit-0001');
  const validUntil = (
    await system.database.db
      .selectFrom('memberships')
      .select('valid_until')
      .where('id', '=', membership.id)
      .executeTakeFirstOrThrow()
  ).valid_until.getTime();
  const slots = await massageSlots(1, 12);
  const inside = slots.filter(
    (s) => Date.parse(s.startsAt) < validUntil && Date.parse(s.startsAt) > Date.now() + 86_400_000,
  );
  const beyond = slots.find((s) => Date.parse(s.startsAt) > validUntil + 86_400_000)!;
  expect(inside.length).toBeGreaterThan(1);
  expect(beyond).toBeDefined();
  const visit = await bookVisit(inside[0]!, membership.certificateNumber, customer);

  const staff = await api<{ error: { code: string; message: string; fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/appointments/${visit.appointment.id}/reschedule`,
    { startsAt: beyond.startsAt, staffId: beyond.staffId, channel: 'phone' },
    auth,
  );
  expect(staff.status).toBe(422);
  expect(staff.body.error.code).toBe('outside_membership_validity');
  expect(staff.body.error.fields.map((f) => f.field)).toEqual(['startsAt']);
  expect(staff.body.error.message).toContain(`membership ${membership.certificateNumber}, valid until`);

  // Another service, one the plan does not cover: refused naming serviceId.
  const services = await api<{ services: Array<{ id: string; slug: string }> }>(system, 'GET', '/api/services');
  const consultation = services.body.services.find((s) => s.slug === 'consultation')!.id;
  const otherService = await api<{ error: { code: string; fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/appointments/${visit.appointment.id}/reschedule`,
    { startsAt: inside[1]!.startsAt, serviceId: consultation, channel: 'phone' },
    auth,
  );
  expect(otherService.status).toBe(422);
  expect(otherService.body.error.code).toBe('service_not_covered');
  expect(otherService.body.error.fields.map((f) => f.field)).toEqual(['serviceId']);

  const token = visit.manageUrl.split('/manage/')[1]!;
  const manage = await api<{ error: { code: string } }>(system, 'POST', `/api/manage/${token}/reschedule`, {
    startsAt: beyond.startsAt,
  });
  expect(manage.status).toBe(422);
  expect(manage.body.error.code).toBe('outside_membership_validity');

  // Any other caller of the workflow's reschedule update (SMS replies, integrations) meets the activity's refusal.
  const handle = system.env.client.workflow.getHandle(visit.appointment.workflowId);
  const refused = await handle
    .executeUpdate(rescheduleUpdate, {
      args: [
        {
          startsAt: Date.parse(beyond.startsAt),
          staffId: beyond.staffId,
          actor: { kind: 'integration', name: 'Calendly' },
          channel: 'integration:calendly',
        },
      ],
    })
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  const http = httpErrorForUpdate(refused);
  expect(http.status).toBe(422);
  expect(http.code).toBe('outside_membership_validity');

  const row = await system.database.db
    .selectFrom('appointments')
    .select(['starts_at', 'revision', 'status'])
    .where('id', '=', visit.appointment.id)
    .executeTakeFirstOrThrow();
  expect(row.starts_at.toISOString()).toBe(new Date(inside[0]!.startsAt).toISOString());
  expect(row.status).toBe('scheduled');

  // Times offered for the visit stay within the validity: the manage page's availability…
  const from = DateTime.now().setZone(zone).toISODate();
  const to = DateTime.now().setZone(zone).plus({ days: 12 }).toISODate();
  const offered = await api<{ days: Array<{ slots: Slot[] }> }>(
    system,
    'GET',
    `/api/manage/${token}/availability?from=${from}&to=${to}&timeZone=${zone}`,
  );
  expect(offered.status).toBe(200);
  const offeredSlots = offered.body.days.flatMap((d) => d.slots);
  expect(offeredSlots.length).toBeGreaterThan(0);
  expect(offeredSlots.every((s) => Date.parse(s.startsAt) < validUntil)).toBe(true);
  // …and an email (or SMS) "reschedule" reply: with the validity ending at the third free time, two are offered.
  // The visit first moves to the first free time, so that validity does not strand it whatever the day
  // and hour the test runs (it used to sit a day ahead, after the third free time on some afternoons).
  const [first] = await upcomingFreeSlots(system.database.db, {
    serviceId: massage,
    from: Date.now(),
    now: Date.now(),
    count: 1,
  });
  const early = await api(
    system,
    'POST',
    `/api/appointments/${visit.appointment.id}/reschedule`,
    { startsAt: new Date(first!.startsAt).toISOString(), staffId: first!.staffId, channel: 'phone' },
    auth,
  );
  expect(early.status).toBe(200);
  const nextThree = await upcomingFreeSlots(system.database.db, {
    serviceId: massage,
    from: Date.now(),
    now: Date.now(),
    count: 3,
  });
  // The validity changes through the staff API (the membership workflow owns the row and writes it).
  await setValidity(membership.id, new Date(nextThree[2]!.startsAt).toISOString());
  const reply = await handleReply(
    { db: system.database.db, config: system.config, providers: {}, temporal: system.env.client },
    { channel: 'email', address: customer.email, text: 'reschedule', intent: { kind: 'reschedule' }, inboundId: 'r1' },
  );
  expect(reply.outcome).toBe('slots offered');
  expect(reply.reply).toContain('Reply 1, 2 for: 1) ');
  expect(reply.reply).not.toContain('3)');
  await setValidity(membership.id, new Date(validUntil).toISOString());

  // A move within the validity is still fine, and the visit stays free.
  const ok = await api<{ appointment: { startsAt: string } }>(
    system,
    'POST',
    `/api/appointments/${visit.appointment.id}/reschedule`,
    { startsAt: inside.at(-1)!.startsAt, staffId: inside.at(-1)!.staffId, channel: 'phone' },
    auth,
  );
  expect(ok.status).toBe(200);
  const moved = await system.database.db
    .selectFrom('appointments')
    .select(['starts_at', 'price_minor'])
    .where('id', '=', visit.appointment.id)
    .executeTakeFirstOrThrow();
  expect(moved.starts_at.getTime()).toBe(Date.parse(inside.at(-1)!.startsAt));
  expect(moved.price_minor).toBe(0);
});

it('records each membership change once with its event, also when the activity is retried', async () => {
  const planId = await createPlan('Massage single (retries)', 30, 1);
  const membership = await buy(
    planId,
    { name: 'Ira Stone', email: 'ira.stone@example.com', smsOptIn: false },
    'purchase-ira-0001',
  );
  // The membership's own workflow records the purchase (stage Appointment Unscheduled) and then sends the
  // welcome email: wait for that, or its write could land after the change this test records.
  await eventually(async () => {
    const rows = await messagesOf(membership.id);
    return rows.length === 1 && rows[0]!.status !== 'queued';
  });
  const { recordMembershipChange } = membershipActivities({
    db: system.database.db,
    config: system.config,
    providers: {
      email: { name: 'unused', send: () => Promise.reject(new Error('unused')) },
      sms: { name: 'unused', send: () => Promise.reject(new Error('unused')) },
    },
  });
  const validUntil = Date.now() + 86_400_000;
  const change = {
    membershipId: membership.id,
    stage: 'Membership Expired' as const,
    visitsUsed: 0,
    visitsForfeited: 0,
    visitsReturned: 0,
    validUntil,
    expired: true,
    entry: {
      kind: 'membership:expired',
      summary: 'Membership expired: validity ended',
      data: { reason: 'validity_ended' },
      idempotencyKey: `membership:${membership.id}:e999`,
    },
  };
  await recordMembershipChange(change);
  const first = await system.database.db
    .selectFrom('memberships')
    .select(['expired_at', 'stage'])
    .where('id', '=', membership.id)
    .executeTakeFirstOrThrow();
  expect(first.stage).toBe('Membership Expired');
  expect(first.expired_at).not.toBeNull();
  // The retry (a crash after the commit): nothing new, the expiry time kept.
  await recordMembershipChange(change);
  const again = await system.database.db
    .selectFrom('memberships')
    .select(['expired_at'])
    .where('id', '=', membership.id)
    .executeTakeFirstOrThrow();
  expect(again.expired_at).toEqual(first.expired_at);
  const events = await system.database.db
    .selectFrom('events')
    .select(['type', 'payload', 'source_key'])
    .where('subject_id', '=', membership.id)
    .where('type', '=', 'membership.expired')
    .execute();
  expect(events).toHaveLength(1);
  expect(events[0]!.source_key).toBe(`membership-change:membership:${membership.id}:e999`);
  expect(events[0]!.payload).toMatchObject({
    membership: { id: membership.id, stage: 'Membership Expired' },
    change: { kind: 'membership:expired', reason: 'validity_ended' },
  });
  const purchased = await system.database.db
    .selectFrom('events')
    .select('id')
    .where('subject_id', '=', membership.id)
    .where('type', '=', 'membership.purchased')
    .execute();
  expect(purchased).toHaveLength(1);
});
