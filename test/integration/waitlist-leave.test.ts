/**
 * Leaving the waitlist through every door: the customer in the portal (only their own places; again is
 * the same), "No thanks" on an offer's link (the held time is bookable again at once and the place is
 * gone), and staff taking someone off the line; a wait that ended in a booking cannot be left.
 */
import { api, bookByPhone, eventually, freeSlots, portalSignedIn, useFrontDesk } from '../support/system';

jest.setTimeout(240_000);

const desk = useFrontDesk({ OUTBOUND_DISPATCH_INTERVAL_MS: '200' });

const waitFor = (date: string, name: string) =>
  api<{ entry: { id: string } }>(desk.system, 'POST', '/api/waitlist', {
    serviceId: desk.consultation,
    fromDate: date,
    toDate: date,
    timeZone: 'UTC',
    customer: { name, email: `${name.toLowerCase().replace(' ', '.')}@example.com` },
  });

const portalOf = async (email: string) => (await portalSignedIn(desk.system, email)).headers;

const statusOf = async (entryId: string) =>
  (
    await desk.system.database.db
      .selectFrom('waitlist_entries')
      .select('status')
      .where('id', '=', entryId)
      .executeTakeFirstOrThrow()
  ).status;

it('a customer leaves from the portal or an offer link, staff take someone off; a booked wait stays', async () => {
  const { system, auth, consultation } = desk;
  const slots = await freeSlots(system, consultation, 8, 15);
  const days = [...new Set(slots.map((s) => s.startsAt.slice(0, 10)))];
  const [portalDay, offerDay] = [days[0]!, days[1]!];

  // The portal lists my own places only, and leaves them (again: the same).
  const pia = (await waitFor(portalDay, 'Pia Portal')).body.entry.id;
  const other = (await waitFor(portalDay, 'Oli Other')).body.entry.id;
  const piaPortal = await portalOf('pia.portal@example.com');
  const mine = await api<{ entries: Array<{ id: string; serviceName: string; fromDate: string; timeFrom: string }> }>(
    system,
    'GET',
    '/api/portal/waitlist',
    undefined,
    piaPortal,
  );
  expect(mine.body.entries).toEqual([
    expect.objectContaining({ id: pia, serviceName: 'Consultation', fromDate: portalDay, timeFrom: '00:00' }),
  ]);
  expect((await api(system, 'DELETE', `/api/portal/waitlist/${other}`, undefined, piaPortal)).status).toBe(404);
  expect(await statusOf(other)).toBe('waiting');
  expect((await api(system, 'DELETE', `/api/portal/waitlist/${pia}`, undefined, piaPortal)).status).toBe(204);
  expect((await api(system, 'DELETE', `/api/portal/waitlist/${pia}`, undefined, piaPortal)).status).toBe(204);
  expect(await statusOf(pia)).toBe('left');
  expect(
    (await api<{ entries: unknown[] }>(system, 'GET', '/api/portal/waitlist', undefined, piaPortal)).body.entries,
  ).toEqual([]);
  expect((await api(system, 'DELETE', '/api/portal/waitlist/not-an-id', undefined, piaPortal)).status).toBe(400);

  // Staff take Oli off the line.
  expect((await api(system, 'DELETE', `/api/admin/waitlist/${other}`, undefined, auth)).status).toBe(204);
  expect(await statusOf(other)).toBe('left');

  // An offer's "No thanks": the place is gone and the held time is bookable again at once.
  const freed = slots.find((s) => s.startsAt.slice(0, 10) === offerDay)!;
  const nia = (await waitFor(offerDay, 'Nia Nothanks')).body.entry.id;
  const booked = await bookByPhone(system, auth, {
    serviceId: consultation,
    slot: freed,
    customer: { name: 'Cy Cancel', email: 'cy.cancel@example.com' },
  });
  expect(
    (await api(system, 'POST', `/api/appointments/${booked.id}/cancel`, { reason: 'away', channel: 'phone' }, auth))
      .status,
  ).toBe(200);
  const offer = await eventually(
    async () =>
      system.database.db
        .selectFrom('messages')
        .select('body')
        .where('template', '=', 'waitlistOffer')
        .where('recipient', '=', 'nia.nothanks@example.com')
        .executeTakeFirst(),
    60_000,
  );
  const token = /\/waitlist\/offer\/([A-Za-z0-9_-]{43})/.exec(offer.body)?.[1];
  expect(token).toBeDefined();
  const held = async () =>
    (await freeSlots(system, consultation, 8, 15)).some(
      (s) => s.startsAt === freed.startsAt && s.staffId === freed.staffId,
    );
  expect(await held()).toBe(false);
  expect((await api(system, 'POST', `/api/waitlist/offers/${token}/leave`)).status).toBe(204);
  expect((await api(system, 'POST', `/api/waitlist/offers/${token}/leave`)).status).toBe(204);
  expect(await statusOf(nia)).toBe('left');
  expect(await held()).toBe(true);
  const seen = await api<{ offer: { status: string } }>(system, 'GET', `/api/waitlist/offers/${token}`);
  expect(seen.body.offer.status).toBe('expired');
  expect((await api(system, 'POST', `/api/waitlist/offers/${'x'.repeat(43)}/leave`)).status).toBe(404);

  // A wait that ended in a booking cannot be left: cancel the appointment instead.
  const wren = (await waitFor(offerDay, 'Wren Booked')).body.entry.id;
  await system.database.db.updateTable('waitlist_entries').set({ status: 'booked' }).where('id', '=', wren).execute();
  const refused = await api<{ error: { code: string } }>(
    system,
    'DELETE',
    `/api/admin/waitlist/${wren}`,
    undefined,
    auth,
  );
  expect([refused.status, refused.body.error.code]).toEqual([409, 'already_booked']);
});
