/**
 * Invoices a business can use, through HTTP with the real workflow, activities and the simulated
 * gateway: staff add lines before charging (a part, a discount), tax per line; the appointment shows
 * the invoice total; a cash payment recorded with who and when settles the invoice and the workflow
 * (Paid Won, no charge); a partial refund through the gateway with an idempotency key, shown on the
 * invoice, the timeline and the customer's receipt (JSON, HTML, PDF); void and write-off rules.
 */
import { createApiKey } from '../../src/auth/api-keys';
import { createManageToken } from '../../src/manage/tokens';
import { stateQuery } from '../../workflows/appointment/messages';
import {
  api,
  bookByPhone,
  eventually,
  freeSlots,
  serviceIdBySlug,
  startService,
  startSystem,
  type System,
} from '../support/system';

jest.setTimeout(120_000);

let system: System;
let auth: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Front desk')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

interface InvoiceBody {
  invoice: {
    id: string;
    number: number;
    status: string;
    lines: Array<{ description: string; kind?: string; amountMinor: number; taxable?: boolean }>;
    subtotalMinor: number;
    taxMinor: number;
    totalMinor: number;
    paidMinor: number;
    refundedMinor: number;
    balanceMinor: number;
    payments: Array<{ method: string; amountMinor: number; recordedBy: string; receivedAt: string; reference: string }>;
    refunds: Array<{ amountMinor: number; status: string; reason: string; requestedBy: string }>;
  };
}

async function book(email: string, slotIndex: number, card: string | null) {
  const consultation = await serviceIdBySlug(system, 'consultation');
  const slot = (await freeSlots(system, consultation, 3, 10))[slotIndex]!;
  const booked = await bookByPhone(system, auth, {
    serviceId: consultation,
    slot,
    customer: { name: `Customer ${slotIndex}`, email },
  });
  if (card) {
    const row = await system.database.db
      .selectFrom('appointments')
      .select('contact_id')
      .where('id', '=', booked.id)
      .executeTakeFirstOrThrow();
    await system.database.db
      .updateTable('contacts')
      .set({ default_payment_method_id: card })
      .where('id', '=', row.contact_id)
      .execute();
  }
  const handle = system.env.client.workflow.getHandle(booked.workflowId);
  const deliver = await eventually(async () => (await handle.query(stateQuery)).tasks.deliver ?? undefined);
  return { ...booked, handle, deliverTaskId: deliver.taskId };
}

/** Starts the service (days ahead, delivery is not yet due), then completes its deliver task. */
async function deliver(visit: { id: string; deliverTaskId: string }) {
  await startService(system, auth, visit.id);
  return api(
    system,
    'POST',
    `/api/tasks/${visit.deliverTaskId}/complete`,
    { form: { minutes: 30 }, channel: 'in_person' },
    auth,
  );
}

it('a part added before delivery is on the invoice and charged; a partial refund is on the invoice, timeline and receipt', async () => {
  const visit = await book('parts.refund@example.com', 0, 'pm_card_visa');

  // Lines staff add before charging; validation names the fields.
  const refused = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/appointments/${visit.id}/invoice/lines`,
    { kind: 'gift', description: '', unitMinor: 0 },
    auth,
  );
  expect(refused.status).toBe(400);
  expect(refused.body.error.fields.map((f) => f.field).sort()).toEqual(['description', 'kind', 'unitMinor']);
  const part = await api<InvoiceBody>(
    system,
    'POST',
    `/api/appointments/${visit.id}/invoice/lines`,
    { kind: 'part', description: 'Replacement filter', quantity: 2, unitMinor: 1_250 },
    auth,
  );
  expect(part.status).toBe(201);
  expect(part.body.invoice).toMatchObject({ status: 'draft', totalMinor: 2_700 }); // 2 500 + 8% tax

  expect((await deliver(visit)).status).toBe(200);
  await eventually(async () => (await visit.handle.query(stateQuery)).billing?.payment === 'paid');
  const paid = await api<InvoiceBody>(system, 'GET', `/api/appointments/${visit.id}/invoice`, undefined, auth);
  // Consultation $60 + filters $25, 8% tax on both.
  expect(paid.body.invoice).toMatchObject({
    status: 'paid',
    subtotalMinor: 8_500,
    taxMinor: 680,
    totalMinor: 9_180,
    paidMinor: 9_180,
    balanceMinor: 0,
  });
  expect(paid.body.invoice.lines.map((l) => l.description)).toEqual(['Consultation', 'Replacement filter']);
  const card = await api<{ appointment: { price: { amountMinor: number }; bookedPrice: { amountMinor: number } } }>(
    system,
    'GET',
    `/api/appointments/${visit.id}`,
    undefined,
    auth,
  );
  expect(card.body.appointment.price.amountMinor).toBe(9_180);
  expect(card.body.appointment.bookedPrice.amountMinor).toBe(6_000);

  // A partial refund needs an idempotency key; the same request twice refunds once.
  const noKey = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/invoices/${paid.body.invoice.id}/refunds`,
    { amountMinor: 2_700 },
    auth,
  );
  expect(noKey.status).toBe(400);
  expect(noKey.body.error.fields.map((f) => f.field)).toEqual(['idempotencyKey']);
  const tooMuch = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/invoices/${paid.body.invoice.id}/refunds`,
    { amountMinor: 9_181, idempotencyKey: 'refund-too-much' },
    auth,
  );
  expect(tooMuch.status).toBe(422);
  expect(tooMuch.body.error.fields.map((f) => f.field)).toEqual(['amountMinor']);
  const request = { amountMinor: 2_700, reason: 'Filters not needed', idempotencyKey: 'refund-filters-1' };
  const refunded = await api<InvoiceBody>(
    system,
    'POST',
    `/api/invoices/${paid.body.invoice.id}/refunds`,
    request,
    auth,
  );
  const again = await api<InvoiceBody>(system, 'POST', `/api/invoices/${paid.body.invoice.id}/refunds`, request, auth);
  expect(refunded.status).toBe(201);
  expect(again.body.invoice.refunds).toEqual(refunded.body.invoice.refunds);
  expect(refunded.body.invoice.refunds).toEqual([
    expect.objectContaining({
      amountMinor: 2_700,
      status: 'succeeded',
      reason: 'Filters not needed',
      requestedBy: 'Front desk',
    }),
  ]);
  expect(refunded.body.invoice.refundedMinor).toBe(2_700);
  const refundRows = await system.database.db.selectFrom('invoice_refunds').select('idempotency_key').execute();
  expect(refundRows).toHaveLength(1);
  expect(refundRows[0]!.idempotency_key).toContain('refund-filters-1');
  const timeline = await system.database.db
    .selectFrom('timeline_events')
    .select(['kind', 'summary'])
    .where('appointment_id', '=', visit.id)
    .where('kind', 'in', ['invoice:line_added', 'payment:succeeded', 'payment:refunded'])
    .orderBy('id')
    .execute();
  expect(timeline.map((t) => t.kind)).toEqual(['invoice:line_added', 'payment:succeeded', 'payment:refunded']);
  expect(timeline[2]!.summary).toBe(
    'Refund of $27.00 on invoice ' + paid.body.invoice.number + ' (Filters not needed)',
  );

  // The customer's receipt shows the refund, as JSON, HTML and PDF.
  const token = await createManageToken(system.database.db, visit.id, new Date(Date.now() + 86_400_000));
  const receipt = await api<{ invoice: { refunds: Array<{ amountMinor: number }>; refundedMinor: number } }>(
    system,
    'GET',
    `/api/manage/${token}/invoice`,
  );
  expect(receipt.body.invoice).toMatchObject({ refundedMinor: 2_700, refunds: [{ amountMinor: 2_700 }] });
  const html = await (await fetch(`${system.baseUrl}/api/manage/${token}/invoice?format=html`)).text();
  expect(html).toContain('refunded $27.00 (Filters not needed)');
  const pdf = await fetch(`${system.baseUrl}/api/manage/${token}/invoice?format=pdf`);
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="invoice-${paid.body.invoice.number}.pdf"`);
  expect(
    Buffer.from(await pdf.arrayBuffer())
      .subarray(0, 5)
      .toString(),
  ).toBe('%PDF-');
});

it('a cash payment recorded with who and when settles the invoice and ends the dunning; void and write-off rules', async () => {
  const visit = await book('cash.payer@example.com', 1, null);
  expect((await deliver(visit)).status).toBe(200);
  // No card: the customer was sent a pay link and the workflow waits to retry.
  await eventually(async () => (await visit.handle.query(stateQuery)).billing?.payment === 'awaiting_payment');
  const open = await api<InvoiceBody>(system, 'GET', `/api/appointments/${visit.id}/invoice`, undefined, auth);
  expect(open.body.invoice).toMatchObject({ status: 'open', totalMinor: 6_480, balanceMinor: 6_480 });
  const id = open.body.invoice.id;

  // A discount while still open; tax follows.
  const discounted = await api<InvoiceBody>(
    system,
    'POST',
    `/api/appointments/${visit.id}/invoice/lines`,
    { kind: 'discount', description: 'First visit', unitMinor: 1_000 },
    auth,
  );
  expect(discounted.body.invoice).toMatchObject({ subtotalMinor: 5_000, taxMinor: 400, totalMinor: 5_400 });
  expect(discounted.body.invoice.lines[1]).toMatchObject({ kind: 'discount', amountMinor: -1_000 });

  // More than is owed, a future date, an unknown method: refused naming the field.
  const over = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/invoices/${id}/payments`,
    { method: 'cash', amountMinor: 5_401 },
    auth,
  );
  expect(over.status).toBe(422);
  expect(over.body.error.fields.map((f) => f.field)).toEqual(['amountMinor']);
  const future = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/invoices/${id}/payments`,
    { method: 'cash', amountMinor: 100, receivedAt: new Date(Date.now() + 86_400_000).toISOString() },
    auth,
  );
  expect(future.body.error.fields.map((f) => f.field)).toEqual(['receivedAt']);
  const unknown = await api<{ error: { fields: Array<{ field: string }> } }>(
    system,
    'POST',
    `/api/invoices/${id}/payments`,
    { method: 'barter', amountMinor: 100 },
    auth,
  );
  expect(unknown.body.error.fields.map((f) => f.field)).toEqual(['method']);

  // A cheque for part, then cash for the rest (sent twice with the same key: credited once).
  const receivedAt = new Date(Date.now() - 3_600_000).toISOString();
  const cheque = await api<InvoiceBody>(
    system,
    'POST',
    `/api/invoices/${id}/payments`,
    { method: 'cheque', amountMinor: 2_000, reference: 'Cheque 1042', receivedAt, idempotencyKey: 'cheque-1042' },
    auth,
  );
  expect(cheque.status).toBe(201);
  expect(cheque.body.invoice).toMatchObject({ status: 'open', paidMinor: 2_000, balanceMinor: 3_400 });
  const cash = { method: 'cash', amountMinor: 3_400, idempotencyKey: 'cash-at-desk-1' };
  const settled = await api<InvoiceBody>(system, 'POST', `/api/invoices/${id}/payments`, cash, auth);
  const repeated = await api<InvoiceBody>(system, 'POST', `/api/invoices/${id}/payments`, cash, auth);
  expect(settled.status).toBe(201);
  expect(repeated.status).toBe(200);
  expect(repeated.body.invoice.payments).toHaveLength(2);
  expect(settled.body.invoice).toMatchObject({ status: 'paid', paidMinor: 5_400, balanceMinor: 0 });
  expect(settled.body.invoice.payments[0]).toMatchObject({
    method: 'cheque',
    reference: 'Cheque 1042',
    recordedBy: 'Front desk',
    receivedAt,
  });
  expect(settled.body.invoice.payments[1]).toMatchObject({ method: 'cash', recordedBy: 'Front desk' });

  // The workflow, woken, finds the invoice paid: Paid Won, a receipt, and no card charge.
  await eventually(async () => (await visit.handle.query(stateQuery)).billing?.payment === 'paid');
  const attempts = await system.database.db
    .selectFrom('payment_attempts as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .select(['p.status'])
    .where('i.id', '=', id)
    .execute();
  expect(attempts.every((a) => a.status !== 'succeeded')).toBe(true);
  // The stage is written by the workflow's next activity, after the state query already says paid.
  await eventually(() =>
    system.database.db
      .selectFrom('appointments')
      .select('stage')
      .where('id', '=', visit.id)
      .where('stage', '=', 'Paid Won')
      .executeTakeFirst(),
  );

  // Cash is refunded outside Stripe; a paid invoice can be neither voided nor written off.
  const cashRefund = await api(
    system,
    'POST',
    `/api/invoices/${id}/refunds`,
    { idempotencyKey: 'cash-refund-1' },
    auth,
  );
  expect(cashRefund.status).toBe(409);
  expect((await api(system, 'POST', `/api/invoices/${id}/void`, {}, auth)).status).toBe(409);
  expect((await api(system, 'POST', `/api/invoices/${id}/uncollectible`, {}, auth)).status).toBe(409);
  // Lines no longer change once paid.
  const late = await api(
    system,
    'POST',
    `/api/appointments/${visit.id}/invoice/lines`,
    { kind: 'part', description: 'Late part', unitMinor: 100 },
    auth,
  );
  expect(late.status).toBe(409);
});

it('after the workflow has ended, an uncollectible invoice is still settled by a card update through the manage link, once', async () => {
  const visit = await book('late.card@example.com', 2, null);
  expect((await deliver(visit)).status).toBe(200);
  await eventually(async () => (await visit.handle.query(stateQuery)).billing?.payment === 'awaiting_payment');
  // The workflow has ended (as after its last dunning attempt) and staff wrote the invoice off.
  await visit.handle.terminate('ended for the test, as after the last dunning attempt');
  const { invoice } = (await api<InvoiceBody>(system, 'GET', `/api/appointments/${visit.id}/invoice`, undefined, auth))
    .body;
  const writtenOff = await api<InvoiceBody>(
    system,
    'POST',
    `/api/invoices/${invoice.id}/uncollectible`,
    { note: 'no answer after three attempts' },
    auth,
  );
  expect(writtenOff.body.invoice.status).toBe('uncollectible');

  // The customer saves a card from the link in the old email: no workflow-not-found, the invoice is paid.
  const token = await createManageToken(system.database.db, visit.id, new Date(Date.now() + 86_400_000));
  const saved = await api(system, 'POST', `/api/manage/${token}/card`, { paymentMethodId: 'pm_card_visa' });
  expect(saved).toMatchObject({ status: 200, body: { saved: 'pm_card_visa', payment: 'succeeded' } });
  const again = await api(system, 'POST', `/api/manage/${token}/card`, { paymentMethodId: 'pm_card_visa' });
  expect(again).toMatchObject({ status: 200, body: { payment: 'nothing_owed' } });
  const after = await api<InvoiceBody>(system, 'GET', `/api/invoices/${invoice.id}`, undefined, auth);
  expect(after.body.invoice).toMatchObject({ status: 'paid', paidMinor: 6_480, balanceMinor: 0 });
  expect(after.body.invoice.payments).toEqual([expect.objectContaining({ method: 'card', amountMinor: 6_480 })]);
  const charges = await system.database.db
    .selectFrom('payment_attempts')
    .select(['status', 'provider_payment_id'])
    .where('invoice_id', '=', invoice.id)
    .where('status', '=', 'succeeded')
    .execute();
  expect(charges).toHaveLength(1);
});
