/**
 * "Book again" in the appointment workflow (patch appointment-follow-ups-v1), under time skipping: a
 * delivered, paid visit of a service with `bookAgainWeeks` sends the invitation (with the next free
 * times) that many weeks after its end; a new booking by the contact before then cancels it; a service
 * without the setting never asks the patch. The report written at delivery travels to the activity.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/domain/time';
import { DEFAULT_LIFECYCLE_POLICY } from '../../src/domain/lifecycle-policy';
import { type Actor, completeTaskUpdate } from '../../workflows/appointment/messages';
import { type FakeWorld, fakeWorld, snapshotAt } from '../support/fake-activities';
import { type AppointmentHandle, runAppointment } from '../support/run-appointment';
import { timeSkippingEnv } from '../support/temporal';
import { untilState } from '../support/workflow-state';

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const technician: Actor = { kind: 'technician', name: 'Jordan Patel' };
const WEEK_MS = 7 * DAY_MS;
/** Activities are stamped a little after their timer by real processing time. */
const TOLERANCE_MS = 10_000;

async function withDeliveredVisit(
  bookAgainWeeks: number | undefined,
  body: (handle: AppointmentHandle, world: FakeWorld, endsAt: number) => Promise<void>,
): Promise<void> {
  const startsAt = (await env.currentTimeMs()) + 72 * HOUR_MS;
  const policy = { ...DEFAULT_LIFECYCLE_POLICY, ...(bookAgainWeeks ? { bookAgainWeeks } : {}) };
  const snapshot = snapshotAt(startsAt, { billing: { policy: 'auto', incrementMinutes: 15 }, policy });
  const world = fakeWorld(snapshot);
  await runAppointment(env, snapshot, world, { actor: technician, channel: 'phone' }, async (handle) => {
    await env.sleep(72 * HOUR_MS + 30 * MINUTE_MS);
    await handle.executeUpdate(completeTaskUpdate, {
      args: [
        {
          taskId: 'task-deliver_service',
          form: { minutes: 60, report: { summary: 'Tuned the setup', nextSteps: 'Check again in June' } },
          actor: technician,
          channel: 'in_person',
        },
      ],
    });
    // Paid, then past the feedback request (3 h): the book-again timer is next.
    await untilState(handle, (s) => s.billing?.payment === 'paid');
    await env.sleep(4 * HOUR_MS);
    await body(handle, world, snapshot.endsAt);
  });
}

const customerEvents = (world: FakeWorld) =>
  world
    .messages()
    .filter((m) => m.audience === 'customer')
    .map((m) => m.event);

describe('follow-ups v1', () => {
  it('book again fires six weeks after the end of a paid visit, with the next free times', async () => {
    await withDeliveredVisit(6, async (handle, world, endsAt) => {
      const waiting = await untilState(handle, (s) => s.bookAgain !== undefined);
      expect(waiting.bookAgain).toEqual({ state: 'waiting', at: endsAt + 6 * WEEK_MS });
      expect(customerEvents(world)).not.toContain('bookAgain');

      const final = await handle.result();
      expect(final.bookAgain).toEqual({ state: 'sent', at: endsAt + 6 * WEEK_MS });
      expect(customerEvents(world)).toEqual([
        'confirmation',
        'reminder48h',
        'reminder12h',
        'receipt',
        'feedbackRequest',
        'bookAgain',
      ]);
      const sent = world.messages().find((m) => m.event === 'bookAgain')!;
      expect(Math.abs(sent.at - (endsAt + 6 * WEEK_MS))).toBeLessThanOrEqual(TOLERANCE_MS);
      const send = world.calls.find((c) => c.name === 'sendAppointmentMessages' && c.input.event === 'bookAgain');
      expect(send?.input).toMatchObject({ step: 'book-again', suggestSlots: 3, onlyIfCurrent: false });
      const check = world.calls.find((c) => c.name === 'contactBookedAgain')!;
      expect(check.input).toEqual({ contactId: 'c1', appointmentId: 'a1', since: endsAt - 60 * MINUTE_MS });
      expect(Math.abs(check.at - (endsAt + 6 * WEEK_MS))).toBeLessThanOrEqual(TOLERANCE_MS);
      // The report written at delivery reaches the activity that stores it (the receipt reads it there).
      expect(world.calls.find((c) => c.name === 'completeDeliverTask')?.input).toMatchObject({
        report: { summary: 'Tuned the setup', nextSteps: 'Check again in June' },
      });
    });
  });

  it('a new booking by the contact before the timer fires cancels book again', async () => {
    await withDeliveredVisit(4, async (handle, world, endsAt) => {
      await untilState(handle, (s) => s.bookAgain?.state === 'waiting');
      // Two weeks later the customer books their next visit (the database now answers "booked again").
      await env.sleep(2 * WEEK_MS);
      expect(customerEvents(world)).not.toContain('bookAgain');
      world.rebooked.value = true;

      const final = await handle.result();
      expect(final.bookAgain).toEqual({ state: 'not_needed', at: endsAt + 4 * WEEK_MS });
      expect(customerEvents(world)).not.toContain('bookAgain');
      expect(world.calls.filter((c) => c.name === 'contactBookedAgain')).toHaveLength(1);
    });
  });

  it('a service without book again: the run ends after the feedback request, no follow-up', async () => {
    await withDeliveredVisit(undefined, async (handle, world) => {
      const final = await handle.result();
      expect(final.bookAgain).toBeUndefined();
      expect(customerEvents(world).at(-1)).toBe('feedbackRequest');
      expect(world.calls.some((c) => c.name === 'contactBookedAgain')).toBe(false);
      const history = await handle.fetchHistory();
      const markers = (history.events ?? []).filter(
        (e) => e.markerRecordedEventAttributes?.markerName === 'core_patch',
      );
      expect(JSON.stringify(markers)).not.toContain('appointment-follow-ups-v1');
    });
  });
});
