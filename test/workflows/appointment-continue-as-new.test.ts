/**
 * Continue-as-new (issue 18, patch appointment-continue-as-new-v1), under time skipping: one
 * appointment rescheduled 500 times hands over to a new run every `MAX_CHANGES_PER_RUN` changes,
 * carrying its state (revision, marks, tasks, billing, the queued messages), so every run's history
 * stays small and nothing is lost or sent twice.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DAY_MS, HOUR_MS } from '../../src/domain/time';
import {
  type Actor,
  MAX_CHANGES_PER_RUN,
  cancelUpdate,
  rescheduleUpdate,
  stateQuery,
} from '../../workflows/appointment/messages';
import { fakeWorld, snapshotAt } from '../support/fake-activities';
import { recordHistory } from '../support/histories';
import { runAppointment } from '../support/run-appointment';
import { timeSkippingEnv } from '../support/temporal';

jest.setTimeout(900_000);

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const frontDesk: Actor = { kind: 'staff', id: 'staff-1', name: 'Avery Chen' };

/**
 * An update that reaches the Java time-skipping server while the run continues as new can be answered
 * "update … not found" (a real server retries it onto the new run; see test/workflows/membership.test.ts).
 */
async function acrossHandOver<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      const handedOver = error instanceof WorkflowNotFoundError && /not found/.test(error.message);
      if (!handedOver || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

it('one appointment rescheduled 500 times: continues as new, carrying its state, every run small', async () => {
  const bookedAt = await env.currentTimeMs();
  const base = bookedAt + 40 * DAY_MS;
  const snapshot = snapshotAt(base);
  const world = fakeWorld(snapshot);
  await runAppointment(env, snapshot, world, { actor: frontDesk, channel: 'phone' }, async (handle) => {
    const firstRunId = (await handle.describe()).runId;
    for (let i = 1; i <= 500; i += 1) {
      const state = await acrossHandOver(() =>
        handle.executeUpdate(rescheduleUpdate, {
          args: [{ startsAt: base + i * HOUR_MS, actor: frontDesk, channel: 'phone' }],
        }),
      );
      expect(state.appointment.revision).toBe(i + 1);
    }
    const state = await acrossHandOver(() => handle.query(stateQuery));
    expect(state.appointment).toMatchObject({ revision: 501, startsAt: base + 500 * HOUR_MS });
    expect(state.run).toBeGreaterThanOrEqual(Math.floor(500 / MAX_CHANGES_PER_RUN));
    expect(state.marks.map((m) => m.state)).toEqual(['pending', 'pending', 'pending']);

    const first = env.client.workflow.getHandle(handle.workflowId, firstRunId);
    const firstHistory = (await first.fetchHistory()).events ?? [];
    expect(firstHistory.some((e) => e.workflowExecutionContinuedAsNewEventAttributes)).toBe(true);
    // About 20 events per reschedule (update, activities, timer, message): each run's history stays
    // near 2,000 events (measured 2,015 for the first run), not the ~10,000 of 500 reschedules in one.
    expect(firstHistory.length).toBeLessThan(MAX_CHANGES_PER_RUN * 25);
    await recordHistory('appointment', 'continue-as-new first run of 500 reschedules', first);

    await acrossHandOver(() =>
      handle.executeUpdate(cancelUpdate, { args: [{ reason: 'Moving away', actor: frontDesk, channel: 'phone' }] }),
    );
    const final = await handle.result();
    expect(final.appointment.status).toBe('cancelled');
    expect(final.rebookFollowUp).toBe('sent');
    expect(final.run).toBe(state.run);

    // Every reschedule applied once, every message sent once (queued ones travelled with the state).
    expect(world.calls.filter((c) => c.name === 'applyReschedule')).toHaveLength(500);
    const sent = world.messages();
    const rescheduled = sent.filter((m) => m.event === 'rescheduled').map((m) => m.revision);
    expect(new Set(rescheduled).size).toBe(500);
    expect(rescheduled).toHaveLength(500);
    expect(sent.filter((m) => m.event === 'confirmation')).toHaveLength(1);
    expect(sent.filter((m) => m.event.startsWith('reminder'))).toHaveLength(0);
    expect(sent.at(-1)?.event).toBe('rebookFollowUp');
  });
});
