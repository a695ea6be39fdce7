/**
 * `npm run temporal:binaries`: resolves (building or downloading into the cache if needed) the dev
 * server and the time-skipping test server, and prints where they are. `.ci/run` runs it before the
 * tests so the slow first build shows its own progress.
 */
import { describeDevServer, resolveDevServer, resolveTestServer } from './binaries';

async function main(): Promise<void> {
  const dev = await resolveDevServer();
  console.log(`dev server:  ${describeDevServer(dev)}`);
  const test = await resolveTestServer();
  console.log(`test server: ${test.type === 'existing-path' ? test.path : `SDK download into ${test.downloadDir}`}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
