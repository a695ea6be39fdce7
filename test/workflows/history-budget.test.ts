/**
 * The history budget (issue 19): a full paid lifecycle — book → 48 h → 12 h → deliver with the hours →
 * charge → Paid Won → feedback — fits in `PAID_LIFECYCLE_EVENT_LIMIT` events (patch
 * appointment-lean-history-v1), so it cannot creep back; and what the Web UI shows is still right: the
 * search attributes follow the stage, the current details name it, every message went once.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { AppointmentStage, AppointmentStatus } from '../../temporal/search-attributes';
import { fakeWorld } from '../support/fake-activities';
import { describeProfile, historyProfile } from '../support/history-profile';
import { PAID_LIFECYCLE_EVENT_LIMIT, paidLifecycleSnapshot, runPaidLifecycle } from '../support/paid-lifecycle';
import { runAppointment } from '../support/run-appointment';
import { timeSkippingEnv } from '../support/temporal';

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

it('history budget: a full paid lifecycle in at most 80 events, search attributes and details still right', async () => {
  const snapshot = paidLifecycleSnapshot(await env.currentTimeMs());
  const world = fakeWorld(snapshot);
  await runAppointment(
    env,
    snapshot,
    world,
    { actor: { kind: 'staff', name: 'Avery Chen' }, channel: 'phone' },
    async (handle) => {
      const final = await runPaidLifecycle(env, handle, snapshot);
      expect(final.appointment).toMatchObject({ status: 'done', stage: 'Paid Won' });
      expect(final.billing).toMatchObject({ payment: 'paid', attempts: 1 });
      expect(final.marks.map((m) => m.state)).toEqual(['fired', 'fired', 'skipped']);
      expect(world.messages().map((m) => m.event)).toEqual([
        'confirmation',
        'reminder48h',
        'reminder12h',
        'staffBrief',
        'receipt',
        'feedbackRequest',
      ]);
      const stages = world.calls.filter((c) => c.name === 'setStage').map((c) => c.input.stage);
      expect(stages).toEqual(['Appointment Tomorrow', 'Appointment Today', 'Paid Won']);

      // The Web UI: search attributes and the current details.
      const described = await handle.describe();
      expect(described.typedSearchAttributes.get(AppointmentStage)).toBe('Paid Won');
      expect(described.typedSearchAttributes.get(AppointmentStatus)).toBe('done');
      const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      expect(metadata.currentDetails).toContain('**Paid Won** · status `done`');

      const profile = historyProfile(await handle.fetchHistory());
      console.log(`paid lifecycle history: ${describeProfile(profile)}`);
      expect(profile.events).toBeLessThanOrEqual(PAID_LIFECYCLE_EVENT_LIMIT);
    },
  );
});
