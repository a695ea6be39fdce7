/**
 * Marks against the booking instant (issue 18, patch appointment-marks-from-booking-v1), under time
 * skipping: the workflow's first task runs after the booking (worker down, or the reconciler starting
 * it later), so a mark falls between the booking and the first task. It still fires, late, while its
 * reminder is useful; a reminder later than the policy allows is dropped with a timeline note.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { HOUR_MS } from '../../src/domain/time';
import { type Actor, stateQuery } from '../../workflows/appointment/messages';
import { type FakeWorld, fakeWorld, snapshotAt } from '../support/fake-activities';
import { type AppointmentHandle, runAppointment } from '../support/run-appointment';
import { timeSkippingEnv } from '../support/temporal';

const SECOND_MS = 1000;

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const customer: Actor = { kind: 'customer', name: 'Sam Rivera' };

/** Books `bookedAgo` before the workflow's first task, for an appointment starting `startsIn` after it. */
async function lateStart(
  bookedAgo: number,
  startsIn: number,
  body: (handle: AppointmentHandle, world: FakeWorld, firstTask: number) => Promise<void>,
): Promise<void> {
  const firstTask = await env.currentTimeMs();
  const snapshot = snapshotAt(firstTask + startsIn);
  const world = fakeWorld(snapshot);
  await runAppointment(
    env,
    snapshot,
    world,
    { actor: customer, channel: 'web' },
    (handle) => body(handle, world, firstTask),
    { bookedAt: firstTask - bookedAgo },
  );
}

describe('marks from the booking instant', () => {
  it('booked 10 s before the 48 h mark, first task 11 s after it: the mark fires late and the reminder goes', async () => {
    // The case: booked 15:13:50, mark due 15:14:00, first task 15:14:11.
    await lateStart(21 * SECOND_MS, 48 * HOUR_MS - 11 * SECOND_MS, async (handle, world, firstTask) => {
      const final = await handle.result();
      expect(final.marks.map((m) => `${m.kind}:${m.state}`)).toEqual([
        'tomorrow:fired',
        'today:fired',
        'closeOut:fired',
      ]);
      const reminder = world.messages().find((m) => m.event === 'reminder48h');
      expect(reminder).toBeDefined();
      expect(reminder!.at - firstTask).toBeLessThan(60 * SECOND_MS);
      // The stage came from the mark itself, not from "booked after mark".
      expect(world.calls.filter((c) => c.name === 'setStage').map((c) => c.input.reason)).toEqual([
        'tomorrow',
        'today',
      ]);
      expect(world.messages().map((m) => m.event)).toEqual([
        'confirmation',
        'reminder48h',
        'reminder12h',
        'staffBrief',
      ]);
    });
  });

  it('a 48 h reminder more than 12 h late is dropped with a timeline note; the stage still moves', async () => {
    // Booked 20 h before the first task, 30 h before the start: the 48 h mark was due 18 h ago.
    await lateStart(20 * HOUR_MS, 30 * HOUR_MS, async (handle, world) => {
      const final = await handle.result();
      expect(world.messages().map((m) => m.event)).toEqual(['confirmation', 'reminder12h', 'staffBrief']);
      const notes = world.calls.filter((c) => c.name === 'recordTimeline');
      expect(notes.map((c) => c.input.kind)).toEqual(['reminder:dropped']);
      expect(String(notes[0]!.input.summary)).toBe(
        'The tomorrow reminder was not sent: due 18 h ago, later than the 12 h a reminder may be late.',
      );
      expect(world.calls.filter((c) => c.name === 'setStage').map((c) => c.input.stage)).toEqual([
        'Appointment Tomorrow',
        'Appointment Today',
      ]);
      expect(final.marks.map((m) => m.state)).toEqual(['fired', 'fired', 'fired']);
    });
  });

  it('a workflow started without bookedAt (before the patch) still counts its first task as the booking', async () => {
    const firstTask = await env.currentTimeMs();
    const snapshot = snapshotAt(firstTask + 30 * HOUR_MS);
    const world = fakeWorld(snapshot);
    await runAppointment(env, snapshot, world, { actor: customer, channel: 'web' }, async (handle) => {
      const state = await handle.query(stateQuery);
      expect(state.marks.map((m) => `${m.kind}:${m.state}`)).toEqual([
        'tomorrow:skipped',
        'today:pending',
        'closeOut:pending',
      ]);
      await handle.result();
      expect(world.messages().map((m) => m.event)).toEqual(['confirmation', 'reminder12h', 'staffBrief']);
      expect(world.calls.some((c) => c.name === 'recordTimeline')).toBe(false);
    });
  });
});
