/** The outbound delivery settings: defaults (about ten hours of retries) and a bad value named. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config';

// An empty directory: no .env from elsewhere.
const emptyDir = () => mkdtempSync(join(tmpdir(), 'appointflow-outbound-config-'));

it('defaults to 18 attempts from 10 s doubling to at most 1 h apart, and a 2 s dispatch poll', () => {
  const { outbound } = loadConfig({}, emptyDir());
  expect(outbound).toEqual({
    retryInitialMs: 10_000,
    retryMaxIntervalMs: 3_600_000,
    maxAttempts: 18,
    dispatchIntervalMs: 2_000,
  });
  let total = 0;
  for (let retry = 0; retry < outbound.maxAttempts - 1; retry += 1) {
    total += Math.min(outbound.retryInitialMs * 2 ** retry, outbound.retryMaxIntervalMs);
  }
  expect(total / 3_600_000).toBeGreaterThan(9);
  expect(total / 3_600_000).toBeLessThan(11);
});

it('names a bad outbound setting', () => {
  expect(() => loadConfig({ OUTBOUND_MAX_ATTEMPTS: '0' }, emptyDir())).toThrow(/OUTBOUND_MAX_ATTEMPTS: .*\(got "0"\)/);
  expect(() => loadConfig({ OUTBOUND_RETRY_INITIAL_MS: 'soon' }, emptyDir())).toThrow(
    /OUTBOUND_RETRY_INITIAL_MS: expected milliseconds/,
  );
});
