/**
 * stripe-mock (Stripe's own mock API server, validating requests against Stripe's OpenAPI spec) for
 * payment integration tests: built once with `go install` into the cache like the Temporal CLI
 * (STRIPE_MOCK_PATH → PATH → cache → go install), resolved by global-setup.ts, and started per test
 * file on a free port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { type Log, resolveGoTool } from '../../temporal/binaries';
import { freePort } from './ports';

export const STRIPE_MOCK_MODULE = 'github.com/stripe/stripe-mock';
export const STRIPE_MOCK_VERSION = 'v0.203.0';

export function resolveStripeMock(env: NodeJS.ProcessEnv = process.env, log?: Log): Promise<string> {
  return resolveGoTool(
    {
      pathVariable: 'STRIPE_MOCK_PATH',
      command: 'stripe-mock',
      module: STRIPE_MOCK_MODULE,
      version: STRIPE_MOCK_VERSION,
      expected: 'under a minute',
    },
    env,
    log,
  );
}

export interface StripeMock {
  apiBase: string;
  stop(): Promise<void>;
}

export async function startStripeMock(): Promise<StripeMock> {
  const path = process.env.APPOINTFLOW_TEST_STRIPE_MOCK;
  if (!path)
    throw new Error('APPOINTFLOW_TEST_STRIPE_MOCK is not set: system tests must run through jest global setup');
  const port = await freePort();
  const child: ChildProcess = spawn(path, ['-http-port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const apiBase = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`stripe-mock exited: ${stderr}`);
    try {
      await fetch(`${apiBase}/v1/customers`, { headers: { authorization: 'Bearer sk_test_ready' } });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`stripe-mock did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    apiBase,
    stop: () =>
      new Promise((resolvePromise) => {
        if (child.exitCode !== null) return resolvePromise();
        child.once('exit', () => resolvePromise());
        child.kill('SIGTERM');
      }),
  };
}
