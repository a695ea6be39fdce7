/**
 * Temporal environments for tests, using the binaries resolved once by global-setup.ts:
 * - `timeSkippingEnv()`: the Java time-skipping test server; timers complete as soon as nothing else
 *   is pending, so days of workflow time pass in seconds;
 * - `devServerEnv()`: a real dev server (real time, visibility, search attributes registered).
 * Each call starts its own server, so test files stay isolated.
 */
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ServerExecutable } from '../../temporal/binaries';
import { ALL_SEARCH_ATTRIBUTES } from '../../temporal/search-attributes';

function executable(variable: string): ServerExecutable {
  const raw = process.env[variable];
  if (!raw) throw new Error(`${variable} is not set: system tests must run through jest's global setup`);
  return JSON.parse(raw) as ServerExecutable;
}

const INDEXED_VALUE_TYPES: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.TEXT]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * The SDK gives a starting server 5 s to accept connections, a limit it does not let callers change; a
 * JVM starting on a busy 2-core machine can take longer. A start that timed out is tried again (twice).
 */
async function started(start: () => Promise<TestWorkflowEnvironment>): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= 3 || !/did not start within/.test(String(error))) throw error;
    }
  }
}

/** The time-skipping server, with appointflow's search attributes registered as on a real cluster. */
export async function timeSkippingEnv(
  server: ServerExecutable = executable('APPOINTFLOW_TEST_TEST_SERVER'),
): Promise<TestWorkflowEnvironment> {
  const env = await started(() => TestWorkflowEnvironment.createTimeSkipping({ server: { executable: server } }));
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((key) => [key.name, INDEXED_VALUE_TYPES[key.type]])),
  });
  return env;
}

export function devServerEnv(): Promise<TestWorkflowEnvironment> {
  return started(() =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: executable('APPOINTFLOW_TEST_DEV_SERVER'),
        searchAttributes: [...ALL_SEARCH_ATTRIBUTES],
        log: { format: 'pretty', level: 'error' },
      },
    }),
  );
}

/** The product workflows, bundled once per run by global-setup.ts. */
export function workflowBundle(): { codePath: string } {
  const codePath = process.env.APPOINTFLOW_TEST_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('APPOINTFLOW_TEST_WORKFLOW_BUNDLE is not set');
  return { codePath };
}
