/**
 * Runs `startPendingWorkflows` at start-up and then every `intervalMs`, so an appointment row whose
 * workflow start was interrupted gets its workflow within seconds. Safe on every API replica at once:
 * starting is idempotent per appointment.
 */
import type { Logger } from '../logger';
import { startPendingMembershipWorkflows } from '../memberships/service';
import { type BookingDeps, startPendingWorkflows } from './service';

export function startReconciler(deps: BookingDeps, logger: Logger, intervalMs = 10_000): { stop: () => Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = startPendingWorkflows(deps)
      .then(async (started) => [...started, ...(await startPendingMembershipWorkflows(deps))])
      .then(
        (started) => {
          if (started.length)
            logger.warn({ appointments: started }, 'started workflows for appointments left without one');
        },
        (error: unknown) => logger.warn({ err: error }, 'booking reconciler could not run; will retry'),
      );
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
