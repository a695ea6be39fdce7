/**
 * `npm run faults [-- <load seconds> <bookings>]`: the fault-injection run of scripts/faults/run.ts
 * (PostgreSQL, a standalone Temporal dev server, the worker and HTTP server as separate processes;
 * the worker SIGKILLed every few seconds, the HTTP server once, PostgreSQL and Temporal restarted),
 * printing the counts and every problem found. Exits 1 when anything was lost, duplicated, skipped or
 * answered differently. Defaults: 180 s of load, 90 bookings. Needs PostgreSQL's server binaries
 * (`.ci/postgres.sh` installs them) and the Temporal CLI (`npm run temporal:binaries`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { resolveDevServer } from '../temporal/binaries';
import { runFaultInjection } from './faults/run';

async function main(): Promise<void> {
  const [seconds = '180', bookings = '90'] = process.argv.slice(2);
  const cli = await resolveDevServer(process.env);
  if (cli.type !== 'existing-path') throw new Error('the Temporal CLI is needed (npm run temporal:binaries)');
  const quiet = () => undefined;
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: console.error, log: quiet },
  });
  const bundlePath = join(mkdtempSync(join(tmpdir(), 'appointflow-faults-bundle-')), 'workflows.js');
  writeFileSync(bundlePath, code);
  const report = await runFaultInjection({
    loadMs: Number(seconds) * 1000,
    bookings: Number(bookings),
    killEveryMs: [5000, 12_000],
    workflowBundlePath: bundlePath,
    temporalCli: cli.path,
  });
  console.log('\nfault injection');
  for (const [name, value] of Object.entries(report.counts)) console.log(`  ${name.padEnd(24)} ${value}`);
  for (const line of report.problems) console.log(`  ! ${line}`);
  process.exitCode = report.problems.some((p) => !p.startsWith('setup:')) ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
