/**
 * Keeps a Temporal worker running through Temporal outages.
 *
 * The SDK's worker rides out short server restarts on its own (its pollers retry), but it cannot start
 * while the server is unreachable, and after a long enough outage its pollers give up and `run()`
 * rejects (the worker is FAILED and cannot be restarted). The supervisor owns the worker's life
 * instead of letting that end the process: it connects and creates the worker, runs it, and when the
 * run fails (or the first connection cannot be made) it closes what is left, waits with exponential
 * backoff (1 s doubling to 30 s, with jitter, back to 1 s once a run lasted a minute) and starts a new
 * connection and worker. `shutdown()` stops the loop and drains the running worker.
 *
 * Nothing is lost in between: workflow and activity tasks stay on the task queue on the server, and a
 * task a dead worker held is retried by the server after its timeout.
 */
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from '../logger';

export interface WorkerInstance {
  worker: Worker;
  connection: NativeConnection;
}

export interface SupervisorOptions {
  /** Connects and creates a worker (a new connection each time). */
  start(): Promise<WorkerInstance>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A run at least this long resets the backoff. */
  healthyRunMs?: number;
}

export interface SupervisedWorker {
  /** Resolves once the first worker is running (or the supervisor was shut down before that). */
  started: Promise<void>;
  /** How many times a worker was (re)started, the first included. */
  starts(): number;
  /** Whether a worker is running right now. */
  running(): boolean;
  /** Stops restarting, drains the running worker and closes its connection. */
  shutdown(): Promise<void>;
}

export function nextBackoff(previousMs: number, options: { minBackoffMs: number; maxBackoffMs: number }): number {
  return previousMs <= 0 ? options.minBackoffMs : Math.min(options.maxBackoffMs, previousMs * 2);
}

export function superviseWorker(options: SupervisorOptions): SupervisedWorker {
  const limits = { minBackoffMs: options.minBackoffMs ?? 1_000, maxBackoffMs: options.maxBackoffMs ?? 30_000 };
  const healthyRunMs = options.healthyRunMs ?? 60_000;
  const { logger } = options;
  let stopping = false;
  let current: WorkerInstance | undefined;
  let starts = 0;
  let wake: (() => void) | undefined;
  let markStarted!: () => void;
  const started = new Promise<void>((resolvePromise) => (markStarted = resolvePromise));

  const sleep = (ms: number) =>
    new Promise<void>((resolvePromise) => {
      const timer = setTimeout(resolvePromise, ms);
      wake = () => {
        clearTimeout(timer);
        resolvePromise();
      };
    });

  const closeQuietly = async (connection: NativeConnection | undefined) => {
    try {
      await connection?.close();
    } catch {
      // already closed or never usable
    }
  };

  const loop = async () => {
    let backoffMs = 0;
    while (!stopping) {
      let instance: WorkerInstance | undefined;
      const since = Date.now();
      try {
        instance = await options.start();
        if (stopping) {
          await closeQuietly(instance.connection);
          break;
        }
        current = instance;
        starts += 1;
        if (starts > 1) logger.warn({ starts }, 'Temporal worker restarted');
        const run = instance.worker.run();
        markStarted();
        await run;
        current = undefined;
        await closeQuietly(instance.connection);
        if (stopping) break;
        logger.warn('Temporal worker stopped without being asked to; starting a new one');
      } catch (error) {
        current = undefined;
        await closeQuietly(instance?.connection);
        if (stopping) break;
        logger.error(
          { err: error },
          instance ? 'Temporal worker failed; starting a new one' : 'cannot start the Temporal worker yet',
        );
      }
      backoffMs = Date.now() - since >= healthyRunMs ? limits.minBackoffMs : nextBackoff(backoffMs, limits);
      const delay = Math.round(backoffMs * (0.8 + Math.random() * 0.4));
      logger.info({ retryInMs: delay }, 'Temporal worker: retrying');
      await sleep(delay);
    }
    markStarted();
  };
  const done = loop();

  return {
    started,
    starts: () => starts,
    running: () => current?.worker.getState() === 'RUNNING',
    async shutdown() {
      stopping = true;
      wake?.();
      const instance = current;
      if (instance && instance.worker.getState() === 'RUNNING') instance.worker.shutdown();
      await done;
    },
  };
}
