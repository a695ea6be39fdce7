/**
 * `npm run build` step: bundles the workflow code once, for production workers
 * (WORKFLOW_BUNDLE_PATH=dist/workflow-bundle.js), so they start fast and run exactly the reviewed code.
 * A second bundle, `dist/workflow-bundle.traced.js`, adds the OpenTelemetry workflow interceptors; a
 * worker with tracing configured picks it (src/worker.ts, `bundleFor`), others keep the lean one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { TRACING_WORKFLOW_MODULE } from '../src/tracing';

async function main(): Promise<void> {
  const workflowsPath = require.resolve('../workflows');
  const out = resolve(__dirname, '../dist/workflow-bundle.js');
  mkdirSync(resolve(out, '..'), { recursive: true });
  for (const [path, workflowInterceptorModules] of [
    [out, []],
    [out.replace(/\.js$/, '.traced.js'), [TRACING_WORKFLOW_MODULE]],
  ] as const) {
    const { code } = await bundleWorkflowCode({
      workflowsPath,
      workflowInterceptorModules: [...workflowInterceptorModules],
    });
    writeFileSync(path, code);
    console.log(`workflow bundle written to ${path} (${Math.round(code.length / 1024)} KiB)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
