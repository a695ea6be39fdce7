/**
 * Replays the saved membership histories (test/histories/membership/: first runs that continued as new
 * and last runs that expired) against the current workflow bundle, so a change that running
 * memberships could not follow fails here. Record them with
 * `RECORD_HISTORIES=1 npm test -- --selectProjects system --testPathPatterns workflows/membership.test`.
 */
import { Worker } from '@temporalio/worker';
import { savedHistories } from '../support/histories';
import { workflowBundle } from '../support/temporal';
import { MEMBERSHIP_PATCHES } from '../../workflows/membership/messages';

const histories = savedHistories('membership');

it('has saved membership histories: a hand-over by continue-as-new and an expiry', () => {
  const names = histories.map((h) => h.name).join(' ');
  expect(histories.length).toBeGreaterThanOrEqual(6);
  expect(names).toContain('first-run');
  expect(names).toContain('last-run');
  const events = histories.flatMap((h) => h.history.events ?? []);
  expect(events.some((e) => e.workflowExecutionContinuedAsNewEventAttributes)).toBe(true);
  expect(events.some((e) => e.workflowExecutionCompletedEventAttributes)).toBe(true);
});

type Saved = (typeof histories)[number];
const withPatch = (h: Saved, patch: string) =>
  (h.history.events ?? []).some((e) => {
    const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
    return data !== undefined && data !== null && Buffer.from(data).toString().includes(patch);
  });

it('keeps histories from before and after each patch: extendValidity answering once written', () => {
  const extended = (h: Saved) =>
    (h.history.events ?? []).some(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'extendValidity',
    );
  const patch = MEMBERSHIP_PATCHES.extendWaitsForWrite;
  expect(histories.filter((h) => extended(h) && !withPatch(h, patch)).length).toBeGreaterThan(0);
  expect(histories.filter((h) => extended(h) && withPatch(h, patch)).length).toBeGreaterThan(0);
});

it('keeps histories from before and after each patch: expiry waiting for an open visit', () => {
  const endedByValidity = (h: Saved) =>
    (h.history.events ?? []).some((e) =>
      JSON.stringify(e.workflowExecutionCompletedEventAttributes?.result ?? '').includes('validity_ended'),
    ) || h.name.includes('validity-ends');
  const patch = MEMBERSHIP_PATCHES.validityWaitsForOpenVisits;
  expect(histories.filter((h) => endedByValidity(h) && !withPatch(h, patch)).length).toBeGreaterThan(0);
  expect(histories.filter((h) => withPatch(h, patch)).length).toBeGreaterThanOrEqual(2);
});

it('replays every saved membership history without non-determinism', async () => {
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
