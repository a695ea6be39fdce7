/**
 * Ensures a Temporal Schedule at start-up: created, or brought in line with the configuration when it
 * exists (an `update`, never a duplicate); deleted when the configuration turns it off. Used by the
 * retention schedule (src/retention/schedule.ts) and the unbooked-deposit sweep
 * (src/payments/unbooked-deposit-schedule.ts).
 */
import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type ScheduleOptionsAction,
  type ScheduleOverlapPolicy,
  type ScheduleSpec,
} from '@temporalio/client';

export type ScheduleOutcome = 'created' | 'updated' | 'removed' | 'absent';

export async function ensureSchedule(
  client: Client,
  scheduleId: string,
  wanted: {
    spec: ScheduleSpec;
    action: ScheduleOptionsAction;
    policies: { overlap: ScheduleOverlapPolicy; catchupWindow: string };
  } | null,
): Promise<ScheduleOutcome> {
  const handle = client.schedule.getHandle(scheduleId);
  if (wanted === null) {
    try {
      await handle.delete();
      return 'removed';
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return 'absent';
      throw error;
    }
  }
  const { spec, action, policies } = wanted;
  try {
    await client.schedule.create({ scheduleId, spec, action, policies });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await handle.update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, ...policies } }));
  return 'updated';
}
