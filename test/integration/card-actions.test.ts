/**
 * The appointment card's `actions` and `progress` over HTTP (issue 15): a future appointment offers a
 * move, a cancel and an early start (confirmed), no no-show yet (with the reason, in the zone asked
 * for); once started, start and no-show are closed with their reasons; a fixed-price visit is
 * delivered without a time (the server fills it) and its stage and price follow the invoice.
 */
import { createApiKey } from '../../src/auth/api-keys';
import type { CardActions } from '../../src/appointments/actions';
import type { CardProgress } from '../../src/appointments/progress';
import { api, bookByPhone, eventually, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(180_000);

let system: System;
let bearer: Record<string, string>;
beforeAll(async () => {
  system = await startSystem();
  bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Front desk')).key}` };
});
afterAll(async () => {
  await system?.stop();
});

interface Card {
  appointment: { status: string; billing: { pricing: string; incrementMinutes: number }; contact: { notes: string } };
  actions: CardActions;
  progress: CardProgress;
}

it('returns which actions can work and why the others cannot, following the appointment', async () => {
  const consultation = await serviceIdBySlug(system, 'consultation');
  const slot = (await freeSlots(system, consultation, 3, 10))[0]!;
  const booked = await bookByPhone(system, bearer, {
    serviceId: consultation,
    slot,
    customer: { name: 'Cara Card', email: 'cara.card@example.com' },
  });
  const card = () =>
    api<Card>(system, 'GET', `/api/appointments/${booked.id}?timeZone=America/Chicago`, undefined, bearer).then(
      (r) => r.body,
    );
  // The workflow answers (and opens the deliver task) shortly after booking.
  let before = await eventually(async () => {
    const c = await card();
    return c.actions.start.open ? c : undefined;
  });
  expect(before.actions.reschedule).toEqual({ open: true });
  expect(before.actions.cancel).toMatchObject({ open: true, irreversible: true });
  expect(before.actions.start.confirm).toMatch(/^It starts .* C[SD]T, in \d+ days\. Start the service early\?$/);
  expect(before.actions.noShow.open).toBe(false);
  expect(before.actions.noShow.reason).toMatch(/^Possible from the start time, .* C[SD]T\.$/);
  expect(before.actions.deliver.open).toBe(false);
  expect(before.progress).toEqual({
    stage: 'Appointment Scheduled',
    price: { amountMinor: 6000, currency: 'USD', basis: 'booked' },
  });
  expect(before.appointment.billing).toMatchObject({ pricing: 'fixed' });

  expect((await api(system, 'POST', `/api/appointments/${booked.id}/start`, { channel: 'admin' }, bearer)).status).toBe(
    200,
  );
  before = await card();
  expect(before.actions.start).toEqual({ open: false, reason: 'The service has already started.' });
  expect(before.actions.noShow).toEqual({ open: false, reason: 'The service has started, so the customer came.' });
  expect(before.actions.reschedule.open).toBe(false);
  expect(before.actions.deliver).toEqual({ open: true, irreversible: true });
  expect(before.progress.stage).toBe('In progress');

  // Fixed price: delivered without a time; the invoice total becomes the price.
  const task = await system.database.db
    .selectFrom('tasks')
    .select('id')
    .where('appointment_id', '=', booked.id)
    .where('kind', '=', 'deliver_service')
    .executeTakeFirstOrThrow();
  const done = await api(system, 'POST', `/api/tasks/${task.id}/complete`, { form: {}, channel: 'admin' }, bearer);
  expect(done.status).toBe(200);
  const after = await eventually(async () => {
    const c = await card();
    return c.progress.price.basis === 'invoiced' ? c : undefined;
  });
  expect(after.progress.price).toEqual({ amountMinor: 6480, currency: 'USD', basis: 'invoiced' }); // + 8% tax
  expect(['Delivered — awaiting payment', 'Paid Won']).toContain(after.progress.stage);
  expect(Object.values(after.actions).every((a) => !a.open)).toBe(true);
});
