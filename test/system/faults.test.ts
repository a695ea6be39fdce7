/**
 * The short form of `npm run faults` (scripts/faults/run.ts): a minute of bookings, reschedules,
 * cancels and membership purchases, each request keyed and retried after lost answers, while the worker
 * (a separate process) is SIGKILLed every few seconds, the HTTP server once, and PostgreSQL and Temporal
 * are restarted. Nothing acknowledged is lost, nothing is duplicated (appointments, memberships, emails
 * at the provider, charges), no reminder due in the run is skipped, and every retried request got the
 * first answer. The counts are printed.
 */
import type { ServerExecutable } from '../../temporal/binaries';
import { runFaultInjection } from '../../scripts/faults/run';
import { workflowBundle } from '../support/temporal';

jest.setTimeout(900_000);

it('survives worker kills and dependency restarts: 0 lost, 0 duplicated, 0 skipped due marks, first answers', async () => {
  const cli = JSON.parse(process.env.APPOINTFLOW_TEST_DEV_SERVER ?? '{}') as ServerExecutable;
  if (cli.type !== 'existing-path') throw new Error('the fault test needs the Temporal CLI binary');
  const lines: string[] = [];
  const report = await runFaultInjection({
    loadMs: 60_000,
    bookings: 24,
    killEveryMs: [8000, 15_000],
    minWorkerKills: 3,
    workflowBundlePath: workflowBundle().codePath,
    temporalCli: cli.path,
    log: (line) => lines.push(line),
  });
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(report.counts, null, 2)}\n`);
  expect(report.problems.filter((p) => !p.startsWith('setup:'))).toEqual([]);
  const { counts } = report;
  expect(counts.bookings).toBeGreaterThanOrEqual(20);
  expect(counts.workerKills).toBeGreaterThanOrEqual(3);
  expect([counts.postgresRestarts, counts.temporalRestarts, counts.serverKills]).toEqual([1, 1, 1]);
  expect(counts.retries).toBeGreaterThan(0);
  expect(counts.marksDue).toBeGreaterThan(0);
  expect([counts.lost, counts.duplicated, counts.skippedDueMarks, counts.answeredDifferently]).toEqual([0, 0, 0, 0]);
});
