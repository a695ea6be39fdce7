/**
 * The bare engine the engine bench compares appointflow with: workflows doing the least Temporal
 * allows for the same shape of work, on the same dev server, in a worker process of their own.
 */
import { condition, defineUpdate, proxySinks, setHandler, sleep, type Sinks } from '@temporalio/workflow';

export interface BenchSinks extends Sinks {
  bench: { firstTask(): void };
}

const { bench } = proxySinks<BenchSinks>();

export const pingUpdate = defineUpdate<number, [number]>('ping');

/** Start + complete: the bare counterpart of a booking to its confirmation. */
export async function bareStartComplete(): Promise<void> {
  // Nothing: the workflow completes in its first task.
}

/** Sleeps until `until` (epoch ms) and returns when it woke; the bare counterpart of a mark. */
export async function bareSleeper(until: number): Promise<number> {
  bench.firstTask();
  await sleep(Math.max(1, until - Date.now()));
  return Date.now();
}

/** Answers `ping` updates until told to stop; the bare counterpart of a reschedule. */
export async function bareUpdatable(): Promise<void> {
  let stop = false;
  setHandler(pingUpdate, (n: number) => {
    if (n < 0) stop = true;
    return n;
  });
  bench.firstTask();
  await condition(() => stop);
}
