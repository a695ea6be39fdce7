/**
 * Saved cards and paying an invoice in the portal through HTTP (issue 16), with the simulated gateway:
 * the customer's cards are listed and one is removed (a card on file is no longer charged); another
 * customer can neither see nor remove it (id swapping); an open invoice's "Pay" hands over to the
 * existing pay page, which settles it once; another customer's invoice is a 404.
 */
import { createApiKey } from '../../src/auth/api-keys';
import {
  api,
  portalSignedIn,
  bookByPhone,
  freeSlots,
  serviceIdBySlug,
  startSystem,
  type System,
} from '../support/system';

jest.setTimeout(120_000);

let system: System;
let bearer: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Portal payments')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

const signedIn = (email: string) => portalSignedIn(system, email);

interface Refusal {
  error: { code: string; fields?: Array<{ field: string; message: string }> };
}

it('lists the saved card and removes it; another customer can neither see nor remove it', async () => {
  const sam = await signedIn('sam.rivera@example.com');
  const morgan = await signedIn('morgan.lee@example.com');
  await system.database.db
    .updateTable('contacts')
    .set({ default_payment_method_id: 'pm_card_visa', card_brand: 'visa', card_last4: '4242' })
    .where('id', '=', sam.contactId)
    .execute();

  expect((await api(system, 'GET', '/api/portal/cards')).status).toBe(401);
  const listed = await api<{ cards: unknown[] }>(system, 'GET', '/api/portal/cards', undefined, sam.headers);
  expect(listed.body.cards).toEqual([
    { id: 'pm_card_visa', brand: 'visa', last4: '4242', expMonth: null, expYear: null, onFile: true },
  ]);
  expect(
    (await api<{ cards: unknown[] }>(system, 'GET', '/api/portal/cards', undefined, morgan.headers)).body.cards,
  ).toEqual([]);

  // Morgan swaps in Sam's card id: not found, and Sam's card stays.
  const swapped = await api<Refusal>(system, 'DELETE', '/api/portal/cards/pm_card_visa', undefined, morgan.headers);
  expect(swapped.status).toBe(404);
  expect(
    (await api<{ cards: unknown[] }>(system, 'GET', '/api/portal/cards', undefined, sam.headers)).body.cards,
  ).toHaveLength(1);

  const bad = await api<Refusal>(system, 'DELETE', '/api/portal/cards/pm%20visa', undefined, sam.headers);
  expect(bad.status).toBe(400);
  expect(bad.body.error.fields?.map((f) => f.field)).toEqual(['id']);
  const noCsrf = await api(system, 'DELETE', '/api/portal/cards/pm_card_visa', undefined, {
    cookie: sam.headers.cookie!,
  });
  expect(noCsrf.status).toBe(403);

  const removed = await api(system, 'DELETE', '/api/portal/cards/pm_card_visa', undefined, sam.headers);
  expect(removed.status).toBe(204);
  expect(
    (await api<{ cards: unknown[] }>(system, 'GET', '/api/portal/cards', undefined, sam.headers)).body.cards,
  ).toEqual([]);
  const contact = await system.database.db
    .selectFrom('contacts')
    .select(['default_payment_method_id', 'card_last4'])
    .where('id', '=', sam.contactId)
    .executeTakeFirstOrThrow();
  expect(contact).toEqual({ default_payment_method_id: null, card_last4: null });
  // Removing it again finds nothing to remove.
  expect((await api(system, 'DELETE', '/api/portal/cards/pm_card_visa', undefined, sam.headers)).status).toBe(404);
});

it("an open invoice's Pay leads to the pay page, which settles it once; another customer's invoice is a 404", async () => {
  const sam = await signedIn('sam.rivera@example.com');
  const morgan = await signedIn('morgan.lee@example.com');
  const serviceId = await serviceIdBySlug(system, 'consultation');
  const slot = (await freeSlots(system, serviceId, 3, 12))[0]!;
  const visit = await bookByPhone(system, bearer, {
    serviceId,
    slot,
    customer: { name: 'Sam Rivera', email: 'sam.rivera@example.com' },
  });
  const invoice = await system.database.db
    .insertInto('invoices')
    .values({
      contact_id: sam.contactId,
      appointment_id: visit.id,
      currency: 'USD',
      lines: JSON.stringify([{ description: 'Consultation', quantity: 1, unitMinor: 5000, amountMinor: 5000 }]),
      subtotal_minor: 5000,
      total_minor: 5000,
      status: 'open',
      issued_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const swapped = await api(system, 'POST', `/api/portal/invoices/${invoice.id}/pay-link`, {}, morgan.headers);
  expect(swapped.status).toBe(404);
  const link = await api<{ url: string }>(
    system,
    'POST',
    `/api/portal/invoices/${invoice.id}/pay-link`,
    {},
    sam.headers,
  );
  expect(link.status).toBe(201);
  const token = /^\/manage\/([A-Za-z0-9_-]{43})\/pay$/.exec(link.body.url)![1]!;

  // The existing pay page flow, as the page drives it.
  const intent = await api<{ paymentIntentId: string; amountMinor: number }>(
    system,
    'POST',
    `/api/manage/${token}/pay`,
    {},
  );
  expect(intent).toMatchObject({ status: 201, body: { amountMinor: 5000 } });
  await api(system, 'POST', '/api/payments/simulated/confirm', {
    intentId: intent.body.paymentIntentId,
    paymentMethodId: 'pm_card_visa',
  });
  for (let i = 0; i < 2; i += 1) {
    const done = await api<{ status: string; invoice: { status: string; balanceMinor: number } }>(
      system,
      'POST',
      `/api/manage/${token}/pay/complete`,
      { paymentIntentId: intent.body.paymentIntentId },
    );
    expect(done.body).toMatchObject({ status: 'succeeded', invoice: { status: 'paid', balanceMinor: 0 } });
  }
  const payments = await system.database.db
    .selectFrom('invoice_payments')
    .select(['method', 'amount_minor'])
    .where('invoice_id', '=', invoice.id)
    .execute();
  expect(payments).toEqual([{ method: 'pay_link', amount_minor: 5000 }]);
  const again = await api<Refusal>(system, 'POST', `/api/portal/invoices/${invoice.id}/pay-link`, {}, sam.headers);
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('nothing_owed');
});
