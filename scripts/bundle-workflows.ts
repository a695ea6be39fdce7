/**
 * `npm run build` step: bundles the workflow code once, for production workers
 * (WORKFLOW_BUNDLE_PATH=dist/workflow-bundle.js), so they start fast and run exactly the reviewed code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  const out = resolve(__dirname, '../dist/workflow-bundle.js');
  mkdirSync(resolve(out, '..'), { recursive: true });
  writeFileSync(out, code);
  console.log(`workflow bundle written to ${out} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
