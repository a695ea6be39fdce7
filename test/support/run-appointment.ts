/**
 * Runs one appointment workflow on the time-skipping server with the in-memory activities: a worker
 * on its own task queue, the workflow started from `snapshot`, the test body, the history saved when
 * RECORD_HISTORIES=1, and — whatever happens — no workflow left running, since one left without its
 * worker would stop the shared server from skipping time for the next test.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type {
  Actor,
  AppointmentSnapshot,
  AppointmentWorkflowInput,
  Channel,
} from '../../workflows/appointment/messages';
import type { appointmentWorkflow } from '../../workflows/appointment/workflow';
import { appointmentSearchAttributes } from '../../temporal/search-attributes';
import type { FakeWorld } from './fake-activities';
import { recordHistory } from './histories';
import { workflowBundle } from './temporal';

export type AppointmentHandle = WorkflowHandle<typeof appointmentWorkflow>;

export async function runAppointment(
  env: TestWorkflowEnvironment,
  snapshot: AppointmentSnapshot,
  world: FakeWorld,
  bookedBy: { actor: Actor; channel: Channel },
  body: (handle: AppointmentHandle) => Promise<void>,
  input: Partial<AppointmentWorkflowInput> = {},
): Promise<void> {
  const taskQueue = `appointments-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: workflowBundle(),
    activities: world.activities,
  });
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof appointmentWorkflow>('appointmentWorkflow', {
      taskQueue,
      workflowId: `appointment:${randomUUID()}`,
      args: [{ appointment: snapshot, bookedBy, ...input }],
      // As the booking starts it (src/booking/service.ts): the workflow publishes only what changes.
      typedSearchAttributes: appointmentSearchAttributes(snapshot),
    });
    try {
      await body(handle);
      if ((await handle.describe()).status.name === 'COMPLETED') {
        await recordHistory('appointment', expect.getState().currentTestName ?? handle.workflowId, handle);
      }
    } finally {
      const { status } = await handle.describe();
      if (status.name === 'RUNNING') await handle.terminate('test finished');
    }
  });
}
