/**
 * Waits for an appointment workflow's state to meet a condition (polling its `state` query), for tests
 * whose workflow moves on asynchronously. The limit is generous (a loaded machine is slow); a condition
 * met early returns at once.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { type AppointmentState, stateQuery } from '../../workflows/appointment/messages';

export async function untilState(
  handle: Pick<WorkflowHandle, 'query'>,
  done: (state: AppointmentState) => boolean,
  timeoutMs = 60_000,
): Promise<AppointmentState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await handle.query(stateQuery);
    if (done(state)) return state;
    if (Date.now() > deadline) throw new Error('workflow state did not reach the expected condition');
    await new Promise((r) => setTimeout(r, 50));
  }
}
