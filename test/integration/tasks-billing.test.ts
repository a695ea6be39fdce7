/**
 * Tasks and billing end to end through HTTP, with the dev server, the database, the real activities
 * and the simulated gateway: booking opens the deliver task; it can be listed and reassigned; completing
 * it with invalid minutes is refused naming the field; valid minutes open the invoice and start the
 * automatic charge, which finds no saved card (a pay link, no declined-card notice), then succeeds when the
 * card is updated (receipt, Paid Won); completing the task again changes nothing.
 */
import { DateTime } from 'luxon';
import { createApiKey } from '../../src/auth/api-keys';
import { stateQuery } from '../../workflows/appointment/messages';
import { api, bookByPhone, eventually, startSystem, type System, startService } from '../support/system';

jest.setTimeout(120_000);

let system: System;
let auth: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Back office')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

interface TaskView {
  id: string;
  kind: string;
  status: string;
  assignee_staff_id: string;
  appointment_id: string;
  deliver: { open: boolean; reason?: string } | null;
}

it('deliver task → hours → invoice → auto charge declines without a card → card updated → paid, with receipt', async () => {
  const { body: services } = await api<{ services: Array<{ id: string; slug: string }> }>(
    system,
    'GET',
    '/api/services',
  );
  const consultation = services.services.find((s) => s.slug === 'consultation')!.id;
  const from = DateTime.now().plus({ days: 2 }).toISODate();
  const to = DateTime.now().plus({ days: 9 }).toISODate();
  const slots = await api<{ days: Array<{ slots: Array<{ startsAt: string; staffId: string }> }> }>(
    system,
    'GET',
    `/api/services/${consultation}/availability?from=${from}&to=${to}&timeZone=America/New_York`,
  );
  const slot = slots.body.days[0]!.slots[0]!;
  const { id: appointmentId, workflowId } = await bookByPhone(system, auth, {
    serviceId: consultation,
    slot,
    customer: { name: 'Casey Brook', email: 'casey.brook@example.com', phone: '+12125550177', smsOptIn: true },
  });

  const deliver = await eventually(async () => {
    const list = await api<{ tasks: TaskView[] }>(
      system,
      'GET',
      `/api/tasks?assignee=${slot.staffId}`,
      undefined,
      auth,
    );
    return list.body.tasks.find((t) => t.appointment_id === appointmentId && t.kind === 'deliver_service');
  });
  expect(deliver.status).toBe('open');
  // The task list offers delivery only when the workflow will accept it, and says why not (the card's rule).
  expect(deliver.deliver).toEqual({
    open: false,
    reason: expect.stringMatching(/^Start the service first; without it/),
  });

  const staff = await system.database.db
    .selectFrom('staff')
    .select('id')
    .where('id', '!=', slot.staffId)
    .executeTakeFirstOrThrow();
  const reassigned = await api<{ task: TaskView }>(
    system,
    'POST',
    `/api/tasks/${deliver.id}/reassign`,
    { assigneeStaffId: staff.id },
    auth,
  );
  expect(reassigned.status).toBe(200);
  expect(reassigned.body.task.assignee_staff_id).toBe(staff.id);

  // Days ahead, the service cannot be marked delivered yet (409 naming the rule) until it has started.
  const early = await api<{ error: { code: string; message: string } }>(
    system,
    'POST',
    `/api/tasks/${deliver.id}/complete`,
    { form: { minutes: 30 }, channel: 'in_person' },
    auth,
  );
  expect(early.status).toBe(409);
  expect(early.body.error.code).toBe('delivery_not_yet_due');
  expect(early.body.error.message).toMatch(
    /^The service can be marked delivered once it has started, or from 1 h before its start \(.+\); it starts .+\.$/,
  );
  await startService(system, auth, appointmentId);
  const listed = await api<{ tasks: TaskView[] }>(system, 'GET', `/api/tasks?timeZone=Europe%2FParis`, undefined, auth);
  expect(listed.body.tasks.find((t) => t.id === deliver.id)?.deliver).toEqual({ open: true, irreversible: true });

  const invalid = await api<{ error: { code: string; fields: Array<{ field: string; message: string }> } }>(
    system,
    'POST',
    `/api/tasks/${deliver.id}/complete`,
    { form: { minutes: 20 }, channel: 'in_person' },
    auth,
  );
  expect(invalid.status).toBe(422);
  expect(invalid.body.error.fields).toEqual([
    { field: 'form.minutes', message: 'minutes must be a multiple of 15 minutes' },
  ]);

  const completed = await api<{ task: TaskView; workflow: { billing: { invoice: { totalMinor: number } } } }>(
    system,
    'POST',
    `/api/tasks/${deliver.id}/complete`,
    {
      form: { minutes: 30, notes: 'Discussed the plan' },
      channel: 'in_person',
      actor: { kind: 'technician', name: 'Jordan Patel' },
    },
    auth,
  );
  expect(completed.status).toBe(200);
  expect(completed.body.task.status).toBe('done');
  expect(completed.body.workflow.billing.invoice.totalMinor).toBe(6480); // 60.00 + 8% tax

  const handle = system.env.client.workflow.getHandle(workflowId);
  // No card on file: a pay link, never a declined-card notice (patch appointment-pay-links-v1).
  await eventually(async () => (await handle.query(stateQuery)).billing?.payment === 'awaiting_payment');
  const notice = await eventually(async () =>
    system.database.db
      .selectFrom('messages')
      .selectAll()
      .where('appointment_id', '=', appointmentId)
      .where('template', '=', 'paymentLink')
      .where('channel', '=', 'email')
      .executeTakeFirst(),
  );
  expect(notice.body).toContain('/pay');
  const declinedNotices = await system.database.db
    .selectFrom('messages')
    .select('id')
    .where('appointment_id', '=', appointmentId)
    .where('template', '=', 'paymentDeclined')
    .execute();
  expect(declinedNotices).toHaveLength(0);

  const again = await api(
    system,
    'POST',
    `/api/tasks/${deliver.id}/complete`,
    { form: { minutes: 45 }, channel: 'in_person' },
    auth,
  );
  expect(again.status).toBe(200);
  const appointmentRow = await system.database.db
    .selectFrom('appointments')
    .select(['billable_minutes', 'contact_id'])
    .where('id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  expect(appointmentRow.billable_minutes).toBe(30);

  // The customer follows the email's link and saves a (simulated) test card.
  const token = /\/manage\/([A-Za-z0-9_-]{43})\/pay/.exec(notice.body)?.[1];
  expect(token).toBeDefined();
  const badCard = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/manage/${token}/card`,
    { paymentMethodId: 'pm_made_up' },
  );
  expect(badCard.status).toBe(400);
  expect(badCard.body.error.fields.map((f) => f.field)).toEqual(['paymentMethodId']);
  const saved = await api(system, 'POST', `/api/manage/${token}/card`, { paymentMethodId: 'pm_card_visa' });
  expect(saved).toMatchObject({ status: 200, body: { gateway: 'simulated', saved: 'pm_card_visa' } });
  await eventually(async () => (await handle.query(stateQuery)).billing?.payment === 'paid');
  const receipt = await eventually(async () =>
    system.database.db
      .selectFrom('messages')
      .selectAll()
      .where('appointment_id', '=', appointmentId)
      .where('template', '=', 'receipt')
      .where('status', '=', 'sent')
      .execute()
      .then((rows) => rows.length === 2 && rows),
  );
  expect(receipt.find((m) => m.channel === 'email')!.body).toContain('$64.80');
  const row = await system.database.db
    .selectFrom('appointments')
    .select(['stage', 'status'])
    .where('id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ stage: 'Paid Won', status: 'done' });
  // The invoice, viewable and downloadable through the same link; the link cannot change the appointment.
  const invoice = await api<{ invoice: { status: string; totalMinor: number; number: number } }>(
    system,
    'GET',
    `/api/manage/${token}/invoice`,
  );
  expect(invoice.body.invoice).toMatchObject({ status: 'paid', totalMinor: 6480 });
  const download = await fetch(`${system.baseUrl}/api/manage/${token}/invoice?format=html`);
  expect(download.headers.get('content-disposition')).toBe(
    `attachment; filename="invoice-${invoice.body.invoice.number}.html"`,
  );
  expect(await download.text()).toContain('$64.80');
  expect((await api(system, 'POST', `/api/manage/${token}/cancel`, {})).status).toBe(410);

  const attempts = await system.database.db
    .selectFrom('payment_attempts')
    .select(['attempt', 'status', 'gateway', 'decline_code'])
    .orderBy('attempt')
    .execute();
  expect(attempts).toEqual([
    { attempt: 1, status: 'declined', gateway: 'simulated', decline_code: 'no_saved_card' },
    { attempt: 2, status: 'succeeded', gateway: 'simulated', decline_code: null },
  ]);
});
