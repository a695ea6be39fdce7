/**
 * The dev server (the `temporal` CLI resolved by temporal/binaries.ts) runs a workflow end to end and
 * has appointflow's custom search attributes registered, so flows can be found by them.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { AppointmentStage, StaffId } from '../../temporal/search-attributes';
import { devServerEnv } from '../support/temporal';
import type { taggedWorkflow } from '../fixtures/workflows/infrastructure';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await devServerEnv();
});

afterAll(async () => {
  await env?.teardown();
});

it('runs a workflow that sets custom search attributes, then finds it by them', async () => {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'infrastructure',
    workflowsPath: require.resolve('../fixtures/workflows/infrastructure'),
  });
  const staffId = randomUUID();
  const workflowId = `tagged-${randomUUID()}`;
  const result = await worker.runUntil(
    env.client.workflow.execute<typeof taggedWorkflow>('taggedWorkflow', {
      taskQueue: 'infrastructure',
      workflowId,
      args: ['Appointment Today', staffId],
    }),
  );
  expect(result).toBe(workflowId);

  const described = await env.client.workflow.getHandle(workflowId).describe();
  expect(described.typedSearchAttributes.get(AppointmentStage)).toBe('Appointment Today');

  // Visibility is eventually consistent: poll briefly for the list query.
  let found: string[] = [];
  for (let i = 0; i < 50 && found.length === 0; i += 1) {
    found = [];
    for await (const wf of env.client.workflow.list({
      query: `${StaffId.name} = '${staffId}' AND ${AppointmentStage.name} = 'Appointment Today'`,
    })) {
      found.push(wf.workflowId);
    }
    if (found.length === 0) await new Promise((r) => setTimeout(r, 200));
  }
  expect(found).toEqual([workflowId]);
});
