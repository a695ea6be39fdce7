/**
 * A customer who chose WhatsApp gets every customer message there, not only appointment reminders:
 * the technician's "on my way" (outside the 24-hour window without an approved template it is held
 * back, never sent as free text; inside it, free text) and a waitlist offer. Membership messages are
 * covered in membership-integrations.test.ts. Channels are picked in src/messaging/recipients.ts.
 */
import { recordWhatsappInbound } from '../../src/messaging/whatsapp-windows';
import { api, bookByPhone, eventually, freeSlots, type Slot, useFrontDesk } from '../support/system';

jest.setTimeout(240_000);

const desk = useFrontDesk({ OUTBOUND_DISPATCH_INTERVAL_MS: '200' });

const PHONE = '+12125550142';

it('"on my way" and a waitlist offer go by WhatsApp to a customer who chose it', async () => {
  const { system, auth, consultation } = desk;
  const slots: Slot[] = await freeSlots(system, consultation, 8, 15);
  const mine = slots[0]!;
  const freed = slots.find((s) => s.startsAt.slice(0, 10) !== mine.startsAt.slice(0, 10))!;
  const visit = await bookByPhone(system, auth, {
    serviceId: consultation,
    slot: mine,
    customer: { name: 'Wanda Apps', email: 'wanda.apps@example.com', phone: PHONE, smsOptIn: true },
  });
  const { db } = system.database;
  const contact = await db
    .selectFrom('contacts')
    .select('id')
    .where('email', '=', 'wanda.apps@example.com')
    .executeTakeFirstOrThrow();
  const chose = await api(
    system,
    'PATCH',
    `/api/admin/contacts/${contact.id}/channels`,
    { preferredChannel: 'whatsapp', whatsappOptIn: true },
    auth,
  );
  expect(chose.status).toBe(200);

  // Outside the 24-hour window, with no approved template configured: held back, not sent as free text.
  const outside = await api<{ message: { channel: string; sent: boolean; messageId: string } }>(
    system,
    'POST',
    `/api/appointments/${visit.id}/on-my-way`,
    { etaMinutes: 20 },
    auth,
  );
  expect(outside.status).toBe(201);
  expect(outside.body.message).toMatchObject({ channel: 'whatsapp', sent: false });
  const held = await db
    .selectFrom('messages')
    .select(['status', 'error', 'recipient'])
    .where('id', '=', outside.body.message.messageId)
    .executeTakeFirstOrThrow();
  expect(held).toMatchObject({ status: 'suppressed', recipient: PHONE });
  expect(held.error).toContain('24-hour window');

  // The customer wrote on WhatsApp: inside the window the same message goes as free text.
  await recordWhatsappInbound(db, PHONE, new Date());
  const inside = await api<{ message: { channel: string; sent: boolean; text: string } }>(
    system,
    'POST',
    `/api/appointments/${visit.id}/on-my-way`,
    { etaMinutes: 25 },
    auth,
  );
  expect(inside.body.message).toMatchObject({ channel: 'whatsapp', sent: true });
  expect(inside.body.message.text).toContain('is on the way');
  const onMyWay = await db
    .selectFrom('messages')
    .select('channel')
    .where('template', '=', 'onMyWay')
    .where('contact_id', '=', contact.id)
    .execute();
  expect(onMyWay.map((m) => m.channel)).toEqual(['whatsapp', 'whatsapp']);

  // Wanda waits for another day; a booking there is cancelled: the offer comes by WhatsApp.
  const date = freed.startsAt.slice(0, 10);
  const joined = await api(
    system,
    'POST',
    '/api/admin/waitlist',
    {
      serviceId: consultation,
      fromDate: date,
      toDate: date,
      weekdays: [],
      timeFrom: '00:00',
      timeTo: '24:00',
      timeZone: 'UTC',
      channel: 'phone',
      customer: { name: 'Wanda Apps', email: 'wanda.apps@example.com', phone: PHONE },
    },
    auth,
  );
  expect(joined.status).toBe(201);
  const other = await bookByPhone(system, auth, {
    serviceId: consultation,
    slot: freed,
    customer: { name: 'Otto Other', email: 'otto.other@example.com' },
  });
  expect(
    (await api(system, 'POST', `/api/appointments/${other.id}/cancel`, { reason: 'sick', channel: 'phone' }, auth))
      .status,
  ).toBe(200);
  const offers = await eventually(async () => {
    const rows = await db
      .selectFrom('messages')
      .select(['channel', 'recipient', 'status', 'body'])
      .where('template', '=', 'waitlistOffer')
      .where('contact_id', '=', contact.id)
      .execute();
    return rows.length === 2 && rows.every((m) => m.status === 'sent') && rows;
  }, 60_000);
  expect(offers.map((m) => [m.channel, m.recipient]).sort()).toEqual([
    ['email', 'wanda.apps@example.com'],
    ['whatsapp', PHONE],
  ]);
  expect(offers.find((m) => m.channel === 'whatsapp')!.body).toContain('/waitlist/offer/');
});
