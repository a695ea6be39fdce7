/**
 * Bounded retries in the appointment workflow (issue 18, patch appointment-bounded-retries-v1), under
 * time skipping: a message that cannot be rendered or sent is marked failed and staff are told while
 * the lifecycle goes on; a data step stuck past its limit alerts staff and is retried later without
 * holding the lock; bad input is refused and never hangs later updates.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { HOUR_MS, MINUTE_MS } from '../../src/domain/time';
import {
  type Actor,
  type AppointmentSnapshot,
  cancelSignal,
  cancelUpdate,
  stateQuery,
} from '../../workflows/appointment/messages';
import { type FakeWorld, fakeWorld, snapshotAt } from '../support/fake-activities';
import { localActivityType } from '../support/history-profile';
import { type AppointmentHandle, runAppointment } from '../support/run-appointment';
import { timeSkippingEnv } from '../support/temporal';

jest.setTimeout(180_000);

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const customer: Actor = { kind: 'customer', name: 'Sam Rivera' };

async function withAppointment(
  setup: (world: FakeWorld) => void,
  body: (handle: AppointmentHandle, world: FakeWorld, bookedAt: number) => Promise<void>,
  overrides: Partial<AppointmentSnapshot> = {},
): Promise<FakeWorld> {
  const bookedAt = await env.currentTimeMs();
  const snapshot = snapshotAt(bookedAt + 72 * HOUR_MS, overrides);
  const world = fakeWorld(snapshot);
  setup(world);
  await runAppointment(env, snapshot, world, { actor: customer, channel: 'web' }, (handle) =>
    body(handle, world, bookedAt),
  );
  return world;
}

const callsOf = (world: FakeWorld, name: string) => world.calls.filter((c) => c.name === name);

describe('bounded retries', () => {
  it('a bad template: the message is marked failed, staff are told, and the lifecycle completes', async () => {
    await withAppointment(
      (world) =>
        world.failingMessages.set('reminder48h', () =>
          ApplicationFailure.create({
            type: 'MessageRenderFailed',
            message: 'The reminder48h email could not be rendered: Parse error on line 1',
            nonRetryable: true,
          }),
        ),
      async (handle, world) => {
        const final = await handle.result();
        expect(final.closed).toBe(true);
        expect(final.appointment).toMatchObject({ status: 'done', stage: 'Paid Won' });
        // Tried once (never retried), recorded once, and the messages after it still went.
        expect(callsOf(world, 'sendAppointmentMessages').filter((c) => c.input.event === 'reminder48h')).toHaveLength(
          1,
        );
        const failures = callsOf(world, 'recordMessageFailure');
        expect(failures).toHaveLength(1);
        expect(failures[0]!.input).toMatchObject({ event: 'reminder48h', audience: 'customer', revision: 1 });
        expect(String(failures[0]!.input.reason)).toContain('Parse error on line 1');
        expect(world.messages().map((m) => m.event)).toEqual([
          'confirmation',
          'reminder48h',
          'reminder12h',
          'staffBrief',
        ]);
      },
    );
  });

  it('a provider that never recovers: bounded attempts, then marked failed, and the lifecycle completes', async () => {
    await withAppointment(
      (world) => world.failingMessages.set('reminder12h', () => new Error('provider unavailable (503)')),
      async (handle, world) => {
        const final = await handle.result();
        expect(final.closed).toBe(true);
        const attempts = callsOf(world, 'sendAppointmentMessages').filter((c) => c.input.event === 'reminder12h');
        expect(attempts.length).toBeGreaterThan(1);
        // Sent with the staff brief in one batch first (patch appointment-lean-history-v1), then on its own: 1 + 20.
        expect(attempts.length).toBeLessThanOrEqual(21);
        expect(callsOf(world, 'recordMessageFailure').map((c) => c.input.event)).toEqual(['reminder12h']);
        expect(world.messages().some((m) => m.event === 'staffBrief')).toBe(true);
      },
    );
  });

  it('a data step stuck past its limit: staff alerted once, retried later outside the lock, the mark still fires', async () => {
    let failures = 0;
    await withAppointment(
      (world) => {
        const setStage = world.activities.setStage;
        world.activities.setStage = async (input) => {
          // The database is down for the 48 h mark's first round of attempts: 15 local-activity attempts,
          // about ten minutes of back-off in workflow time (patch appointment-lean-history-v1).
          if (input.stage === 'Appointment Tomorrow' && failures < 15) {
            failures += 1;
            throw new Error('connection terminated');
          }
          return setStage(input);
        };
      },
      async (handle, world, bookedAt) => {
        // While the mark is stuck, an update is still answered (the lock is free).
        await env.sleep(24 * HOUR_MS + 11 * MINUTE_MS);
        const state = await handle.query(stateQuery);
        expect(state.marks[0]).toMatchObject({ kind: 'tomorrow', state: 'pending' });
        const final = await handle.result();
        const alerts = callsOf(world, 'alertStuckStep');
        expect(alerts).toHaveLength(1);
        expect(String(alerts[0]!.input.text)).toContain('tomorrow mark is stuck');
        expect(final.marks.map((m) => m.state)).toEqual(['fired', 'fired', 'fired']);
        const reminder = world.messages().find((m) => m.event === 'reminder48h');
        expect(reminder!.at).toBeGreaterThan(bookedAt + 24 * HOUR_MS + 20 * MINUTE_MS);
        expect(final.appointment.stage).toBe('Paid Won');
      },
    );
  });

  it('bad input (a NUL byte the database refuses) is refused, and the next update is answered', async () => {
    await withAppointment(
      (world) => {
        const applyStatusChange = world.activities.applyStatusChange;
        world.activities.applyStatusChange = async (input) => {
          if (input.reason.includes('\u0000'))
            throw ApplicationFailure.create({
              type: 'InvalidRequest',
              message: 'The request holds a value that cannot be stored (SQLSTATE 22021).',
              nonRetryable: true,
            });
          return applyStatusChange(input);
        };
      },
      async (handle) => {
        const refused = handle.executeUpdate(cancelUpdate, {
          args: [{ reason: 'a\u0000b', actor: customer, channel: 'manage_link' }],
        });
        await expect(refused).rejects.toMatchObject({ cause: { type: 'InvalidRequest' } });
        const state = await handle.executeUpdate(cancelUpdate, {
          args: [{ reason: 'Feeling unwell', actor: customer, channel: 'manage_link' }],
        });
        expect(state.appointment.status).toBe('cancelled');
        await handle.result();
      },
    );
  });
});

describe('end of run', () => {
  it('drains the outbox, then waits for handlers: a request arriving during the drain finishes before the end', async () => {
    await withAppointment(
      (world) => {
        world.rebooked.value = false;
        world.slowMessages.set('rebookFollowUp', 3_000);
      },
      async (handle, world) => {
        await handle.executeUpdate(cancelUpdate, {
          args: [{ reason: 'Moving away', actor: customer, channel: 'web' }],
        });
        // The rebook follow-up (24 h later) is the last message; while it is being sent, a webhook asks to cancel again.
        const result = handle.result(); // lets the server skip time
        await until(() =>
          world.calls.some((c) => c.name === 'sendAppointmentMessages' && c.input.event === 'rebookFollowUp'),
        );
        await handle.signal(cancelSignal, {
          reason: 'Duplicate from Calendly',
          actor: customer,
          channel: 'integration:calendly',
        });
        const final = await result;
        expect(final.rebookFollowUp).toBe('sent');

        // The refused request was written to the timeline before the workflow completed, not dropped.
        const history = (await handle.fetchHistory()).events ?? [];
        const scheduled = new Map<string, string>();
        let refusalDone = -1;
        let completed = -1;
        history.forEach((event, index) => {
          const activity = event.activityTaskScheduledEventAttributes;
          if (activity) scheduled.set(String(event.eventId), activity.activityType?.name ?? '');
          const done = event.activityTaskCompletedEventAttributes;
          if (done && scheduled.get(String(done.scheduledEventId)) === 'recordTimeline') refusalDone = index;
          if (localActivityType(event) === 'recordTimeline') refusalDone = index; // a local activity (lean history)
          if (event.workflowExecutionCompletedEventAttributes) completed = index;
        });
        expect(refusalDone).toBeGreaterThan(0);
        expect(completed).toBeGreaterThan(refusalDone);
        expect(callsOf(world, 'recordTimeline').map((c) => c.input.summary)).toEqual([
          'cancel request refused: This appointment is cancelled and cannot be cancelled.',
        ]);
      },
    );
  });
});

/** Waits (real time) until the condition holds: activities run in real time between the simulated jumps. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not reached');
}
