/**
 * Replays the saved histories of `inboundFetchWorkflow` (recorded by the inbound-integrations system
 * test with RECORD_HISTORIES=1) against the current bundle, so a change that running fetch workflows
 * could not follow fails here.
 */
import { Worker } from '@temporalio/worker';
import { savedHistories } from '../support/histories';
import { workflowBundle } from '../support/temporal';

const histories = savedHistories('integration-inbound');

it('replays every saved inbound fetch history (retried fetch, sync-token fetch, Graph fetch)', async () => {
  expect(histories.length).toBeGreaterThanOrEqual(3);
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: workflowBundle() },
    histories.map(({ name, history }) => ({ workflowId: name, history })),
  )) {
    replayed += 1;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(histories.length);
});
