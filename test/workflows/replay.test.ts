/**
 * Replays every saved history (test/histories/) against the current workflow bundle. A change to
 * workflow code that running appointments could not follow fails here; put such changes behind
 * `patched()`, keep the old histories, and record new ones.
 */
import { Worker } from '@temporalio/worker';
import { savedHistories } from '../support/histories';
import { workflowBundle } from '../support/temporal';

const histories = savedHistories('appointment');

it('has saved appointment histories to replay, covering every path', () => {
  const names = histories.map((h) => h.name).join(' ');
  expect(histories.length).toBeGreaterThanOrEqual(16);
  for (const path of ['reschedule', 'cancel', 'no-show', 'signal', 'start-service', 'dst'])
    expect(names).toContain(path);
});

it('replays every saved appointment history without non-determinism', async () => {
  const results = Worker.runReplayHistories(
    { workflowBundle: workflowBundle() },
    histories.map(({ name, history }) => ({ workflowId: name, history })),
  );
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of results) {
    replayed += 1;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(histories.length);
});
