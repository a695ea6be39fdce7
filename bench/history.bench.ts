/**
 * History per lifecycle (issue 19): runs the paid lifecycle of test/support/paid-lifecycle.ts (book →
 * 48 h → 12 h → deliver with the hours → charge → Paid Won → feedback) on the time-skipping server with
 * the in-memory activities, and prints its history by kind of event, next to the same lifecycle's
 * history recorded before patch appointment-lean-history-v1 (test/histories/appointment). The bound is
 * asserted by test/workflows/history-budget.test.ts; this prints the figures.
 */
import { randomUUID } from 'node:crypto';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { resolveTestServer } from '../temporal/binaries';
import { appointmentSearchAttributes } from '../temporal/search-attributes';
import { fakeWorld } from '../test/support/fake-activities';
import { describeProfile, historyProfile } from '../test/support/history-profile';
import { savedHistories } from '../test/support/histories';
import { PAID_LIFECYCLE_EVENT_LIMIT, paidLifecycleSnapshot, runPaidLifecycle } from '../test/support/paid-lifecycle';
import { timeSkippingEnv } from '../test/support/temporal';
import type { appointmentWorkflow } from '../workflows/appointment/workflow';
import type { BenchResult } from './run';

/** The budget test's history as recorded before the lean history (the same lifecycle, the older code path). */
const BEFORE = 'history-budget-a-full-paid-lifecycle-in-at-most-80-events-search-attributes-and-';

const log = (message: string) => process.stderr.write(`[history] ${message}\n`);

export async function run(): Promise<BenchResult> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') }); // the worker's state changes are not figures
  } catch {
    // Another benchmark in this run installed the runtime first.
  }
  const env = await timeSkippingEnv(await resolveTestServer(process.env, log));
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: log, log() {} };
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quiet });
  try {
    const snapshot = paidLifecycleSnapshot(await env.currentTimeMs());
    const world = fakeWorld(snapshot);
    const taskQueue = `history-bench-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { code },
      activities: world.activities,
    });
    const now = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof appointmentWorkflow>('appointmentWorkflow', {
        taskQueue,
        workflowId: `appointment:${randomUUID()}`,
        args: [{ appointment: snapshot, bookedBy: { actor: { kind: 'staff', name: 'Bench' }, channel: 'phone' } }],
        typedSearchAttributes: appointmentSearchAttributes(snapshot),
      });
      await runPaidLifecycle(env, handle, snapshot);
      return historyProfile(await handle.fetchHistory());
    });
    const saved = savedHistories('appointment').find((h) => h.name === BEFORE);
    const before = saved ? historyProfile(saved.history) : undefined;
    return {
      name: 'history: events per paid lifecycle (book → 48 h → 12 h → deliver → charge → Paid Won → feedback)',
      figures: {
        'events now': now.events,
        'events before appointment-lean-history-v1': before?.events ?? 'not recorded',
        'limit (test/workflows/history-budget.test.ts)': PAID_LIFECYCLE_EVENT_LIMIT,
        now: describeProfile(now),
        ...(before ? { before: describeProfile(before) } : {}),
      },
    };
  } finally {
    await env.teardown();
  }
}
