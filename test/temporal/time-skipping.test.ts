/**
 * The time-skipping test server (Java, from Maven Central, resolved by temporal/binaries.ts) runs a
 * workflow whose 48-hour timer completes in seconds of wall time.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { timeSkippingEnv } from '../support/temporal';
import type { sleepWorkflow } from '../fixtures/workflows/infrastructure';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await timeSkippingEnv();
});

afterAll(async () => {
  await env?.teardown();
});

it('completes a 48-hour workflow timer in a few seconds of wall time', async () => {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'infrastructure',
    workflowsPath: require.resolve('../fixtures/workflows/infrastructure'),
  });
  const wallStart = Date.now();
  const result = await worker.runUntil(
    env.client.workflow.execute<typeof sleepWorkflow>('sleepWorkflow', {
      taskQueue: 'infrastructure',
      workflowId: `sleep-${randomUUID()}`,
      args: [48],
    }),
  );
  const wallSeconds = (Date.now() - wallStart) / 1000;
  expect(result.wokeAt - result.startedAt).toBeGreaterThanOrEqual(48 * 60 * 60 * 1000);
  expect(result.wokeAt - result.startedAt).toBeLessThan(49 * 60 * 60 * 1000);
  expect(wallSeconds).toBeLessThan(30);
});
