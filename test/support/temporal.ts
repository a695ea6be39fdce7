/**
 * Temporal environments for tests, using the binaries resolved once by global-setup.ts:
 * - `timeSkippingEnv()`: the Java time-skipping test server; timers complete as soon as nothing else
 *   is pending, so days of workflow time pass in seconds;
 * - `devServerEnv()`: a real dev server (real time, visibility, search attributes registered).
 * Each call starts its own server, so test files stay isolated.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ServerExecutable } from '../../temporal/binaries';
import { ALL_SEARCH_ATTRIBUTES } from '../../temporal/search-attributes';

function executable(variable: string): ServerExecutable {
  const raw = process.env[variable];
  if (!raw) throw new Error(`${variable} is not set: system tests must run through jest's global setup`);
  return JSON.parse(raw) as ServerExecutable;
}

export function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: executable('APPOINTFLOW_TEST_TEST_SERVER') },
  });
}

export function devServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: executable('APPOINTFLOW_TEST_DEV_SERVER'),
      searchAttributes: [...ALL_SEARCH_ATTRIBUTES],
      log: { format: 'pretty', level: 'error' },
    },
  });
}

/** The product workflows, bundled once per run by global-setup.ts. */
export function workflowBundle(): { codePath: string } {
  const codePath = process.env.APPOINTFLOW_TEST_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('APPOINTFLOW_TEST_WORKFLOW_BUNDLE is not set');
  return { codePath };
}
