/**
 * The worker supervisor replaces a failed worker (a long Temporal outage ends `run()` with an error)
 * and one it could not create (the server unreachable at start), with growing backoff, and stops
 * cleanly on shutdown.
 */
import type { NativeConnection, Worker } from '@temporalio/worker';
import { nextBackoff, superviseWorker, type WorkerInstance } from '../../../src/temporal/worker-supervisor';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A stand-in worker whose run() ends when told to (fail or shut down). */
function fakeWorker() {
  let state = 'INITIALIZED';
  let finish!: (error?: Error) => void;
  const closed = { value: false };
  const worker = {
    run: () =>
      new Promise<void>((resolvePromise, reject) => {
        state = 'RUNNING';
        finish = (error) => {
          state = error ? 'FAILED' : 'STOPPED';
          if (error) reject(error);
          else resolvePromise();
        };
      }),
    shutdown: () => finish(),
    getState: () => state,
  };
  const connection = { close: () => Promise.resolve(void (closed.value = true)) };
  return {
    instance: { worker: worker as unknown as Worker, connection: connection as unknown as NativeConnection },
    fail: (error: Error) => finish(error),
    closed,
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i += 1) await new Promise((r) => setTimeout(r, 2));
  if (!check()) throw new Error('condition not met');
}

test('a worker that fails is replaced; one that cannot be created is retried; shutdown drains', async () => {
  const made: Array<ReturnType<typeof fakeWorker>> = [];
  let refusals = 1; // the first attempt finds the server unreachable
  const supervisor = superviseWorker({
    logger: silent,
    minBackoffMs: 1,
    maxBackoffMs: 4,
    start: () => {
      if (refusals > 0) {
        refusals -= 1;
        return Promise.reject(new Error('connection refused'));
      }
      const next = fakeWorker();
      made.push(next);
      return Promise.resolve<WorkerInstance>(next.instance);
    },
  });
  await supervisor.started;
  expect(supervisor.starts()).toBe(1);
  expect(supervisor.running()).toBe(true);

  made[0]!.fail(new Error('poll failure: transport error'));
  await until(() => supervisor.starts() === 2 && supervisor.running());
  expect(made[0]!.closed.value).toBe(true); // the dead worker's connection was closed

  await supervisor.shutdown();
  expect(made[1]!.instance.worker.getState()).toBe('STOPPED');
  expect(made[1]!.closed.value).toBe(true);
  expect(made).toHaveLength(2);
});

test('backoff doubles from the minimum up to the maximum', () => {
  const limits = { minBackoffMs: 1000, maxBackoffMs: 30_000 };
  const steps = [0];
  for (let i = 0; i < 7; i += 1) steps.push(nextBackoff(steps.at(-1)!, limits));
  expect(steps.slice(1)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
});
