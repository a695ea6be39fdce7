/**
 * The waitlist end to end: two customers join (booking page, and staff for a caller); a booked visit
 * is cancelled and, with no staff action, the freed slot is offered to the first in line (the offer
 * message in the outbox with a one-tap link), held (nobody else is offered it), claimed through the
 * link — booked through the normal path — and the staff list shows the line and the offer.
 */
import { createApiKey } from '../../src/auth/api-keys';
import {
  api,
  bookByPhone,
  eventually,
  freeSlots,
  serviceIdBySlug,
  startSystem,
  type Slot,
  type System,
} from '../support/system';

jest.setTimeout(240_000);

let system: System;
let auth: Record<string, string>;
let consultation: string;

beforeAll(async () => {
  system = await startSystem({ OUTBOUND_DISPATCH_INTERVAL_MS: '200' });
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Front desk')).key}` };
  consultation = await serviceIdBySlug(system, 'consultation');
});
afterAll(async () => {
  await system?.stop();
});

it('a cancel frees a slot that the waitlist offers, holds and books with no staff action', async () => {
  const slot: Slot = (await freeSlots(system, consultation, 8, 15))[0]!;
  const date = slot.startsAt.slice(0, 10);
  const booked = await bookByPhone(system, auth, {
    serviceId: consultation,
    slot,
    customer: { name: 'Otto Busy', email: 'otto.busy@example.com' },
  });
  const wish = {
    serviceId: consultation,
    fromDate: date,
    toDate: date,
    weekdays: [],
    timeFrom: '00:00',
    timeTo: '24:00',
    timeZone: 'UTC',
  };
  const first = await api<{ entry: { id: string } }>(system, 'POST', '/api/waitlist', {
    ...wish,
    customer: { name: 'Wren Waiting', email: 'wren.waiting@example.com', phone: '+12125550188', smsOptIn: true },
  });
  expect(first.status).toBe(201);
  const second = await api(
    system,
    'POST',
    '/api/admin/waitlist',
    { ...wish, channel: 'phone', customer: { name: 'Cal Caller', email: 'cal.caller@example.com' } },
    auth,
  );
  expect(second.status).toBe(201);
  const bad = await api<{ error: { fields: Array<{ field: string }> } }>(system, 'POST', '/api/waitlist', {
    ...wish,
    timeFrom: '18:00',
    timeTo: '09:00',
    customer: { name: 'X', email: 'x@example.com' },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.fields[0]!.field).toBe('timeTo');

  // The customer cancels; nobody on the staff side does anything.
  expect(
    (await api(system, 'POST', `/api/appointments/${booked.id}/cancel`, { reason: 'sick', channel: 'phone' }, auth))
      .status,
  ).toBe(200);

  // The first in line gets the offer by email and SMS, with a one-tap link.
  const offerSms = await eventually(
    async () =>
      system.database.db
        .selectFrom('messages')
        .select(['body', 'recipient'])
        .where('template', '=', 'waitlistOffer')
        .where('channel', '=', 'sms')
        .executeTakeFirst(),
    60_000,
  );
  expect(offerSms.recipient).toBe('+12125550188');
  const token = new RegExp(`${system.baseUrl}/waitlist/offer/([A-Za-z0-9_-]{43})`).exec(offerSms.body)?.[1];
  expect(token).toBeDefined();

  // Held: the slot is not offered to anyone else meanwhile.
  expect(
    (await freeSlots(system, consultation, 8, 15)).some(
      (s) => s.startsAt === slot.startsAt && s.staffId === slot.staffId,
    ),
  ).toBe(false);
  const seen = await api<{ offer: { status: string; startsAt: string } }>(
    system,
    'GET',
    `/api/waitlist/offers/${token}`,
  );
  expect(seen.body.offer).toMatchObject({ status: 'open', startsAt: slot.startsAt });

  // One tap: booked through the normal path, the workflow ends claimed.
  const claimed = await api<{ appointmentId: string; manageUrl: string }>(
    system,
    'POST',
    `/api/waitlist/offers/${token}/claim`,
  );
  expect(claimed.status).toBe(201);
  const row = await system.database.db
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select(['a.starts_at', 'a.status', 'c.email'])
    .where('a.id', '=', claimed.body.appointmentId)
    .executeTakeFirstOrThrow();
  expect(row).toMatchObject({ status: 'scheduled', email: 'wren.waiting@example.com' });
  expect(row.starts_at.toISOString()).toBe(slot.startsAt);
  // A second tap answers the same booking.
  const again = await api<{ appointmentId: string }>(system, 'POST', `/api/waitlist/offers/${token}/claim`);
  expect(again.body.appointmentId).toBe(claimed.body.appointmentId);

  // Staff see the line and the offer made.
  const list = await api<{
    entries: Array<{ contactName: string; status: string }>;
    offers: Array<{ contactName: string; status: string; startsAt: string }>;
  }>(system, 'GET', '/api/admin/waitlist', undefined, auth);
  expect(list.body.entries.map((e) => [e.contactName, e.status])).toEqual([
    ['Wren Waiting', 'booked'],
    ['Cal Caller', 'waiting'],
  ]);
  expect(list.body.offers).toEqual([
    expect.objectContaining({ contactName: 'Wren Waiting', status: 'claimed', startsAt: slot.startsAt }),
  ]);
  const workflow = await system.database.db
    .selectFrom('waitlist_offers')
    .select('workflow_id')
    .executeTakeFirstOrThrow();
  const result = await system.env.client.workflow.getHandle(workflow.workflow_id).result();
  expect(result).toMatchObject({ outcome: 'claimed', offers: 1 });
});
