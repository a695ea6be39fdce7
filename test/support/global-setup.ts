/**
 * Runs once per `jest` run before any system test: resolves the Temporal binaries (building them into
 * the cache on a fresh machine) and bundles the workflow code once, handing both to the test files
 * through environment variables.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { resolveDevServer, resolveTestServer } from '../../temporal/binaries';
import { resolveStripeMock } from './stripe-mock';

export default async function globalSetup(): Promise<void> {
  const log = (message: string) => process.stderr.write(`[test setup] ${message}\n`);
  const [devServer, testServer, stripeMock] = await Promise.all([
    resolveDevServer(process.env, log),
    resolveTestServer(process.env, log),
    resolveStripeMock(process.env, log),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'appointflow-jest-'));
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn: (m) => log(m), error: (m) => log(m), log() {} },
  });
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);
  process.env.APPOINTFLOW_TEST_DIR = dir;
  process.env.APPOINTFLOW_TEST_DEV_SERVER = JSON.stringify(devServer);
  process.env.APPOINTFLOW_TEST_TEST_SERVER = JSON.stringify(testServer);
  process.env.APPOINTFLOW_TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.APPOINTFLOW_TEST_STRIPE_MOCK = stripeMock;
}
