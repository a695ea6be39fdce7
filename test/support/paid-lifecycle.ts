/**
 * The paid lifecycle whose history is budgeted (issue 19): booked 72 h ahead under the auto billing
 * policy → the 48 h mark (Appointment Tomorrow, reminder) → the 12 h mark (Appointment Today, reminder,
 * staff brief) → delivered 30 min into the visit with the billable hours → charged → Paid Won, receipt →
 * the feedback request 3 h later → the end. Shared by test/workflows/history-budget.test.ts and
 * `npm run bench -- history`.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { HOUR_MS, MINUTE_MS } from '../../src/domain/time';
import {
  type AppointmentSnapshot,
  type AppointmentState,
  completeTaskUpdate,
} from '../../workflows/appointment/messages';
import { snapshotAt } from './fake-activities';
import type { AppointmentHandle } from './run-appointment';

/** The most events the paid lifecycle's history may hold (patch appointment-lean-history-v1). */
export const PAID_LIFECYCLE_EVENT_LIMIT = 80;

export function paidLifecycleSnapshot(bookedAt: number): AppointmentSnapshot {
  return snapshotAt(bookedAt + 72 * HOUR_MS, { billing: { policy: 'auto', incrementMinutes: 15 } });
}

/** Drives the lifecycle on the time-skipping server to its end and answers the final state. */
export async function runPaidLifecycle(
  env: TestWorkflowEnvironment,
  handle: AppointmentHandle,
  snapshot: AppointmentSnapshot,
): Promise<AppointmentState> {
  await env.sleep(snapshot.startsAt + 30 * MINUTE_MS - (await env.currentTimeMs()));
  await handle.executeUpdate(completeTaskUpdate, {
    args: [
      {
        taskId: 'task-deliver_service',
        form: { minutes: 60, notes: 'Done' },
        actor: { kind: 'technician', name: 'Jordan Patel' },
        channel: 'in_person',
      },
    ],
  });
  return handle.result();
}
