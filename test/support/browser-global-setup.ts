/**
 * Global setup of the `browser` project: everything the system tests need (reused when the `system`
 * project's setup already ran in this jest run), plus a fresh build of the web bundle with Vite's JS
 * API, run through tsx in a child process because Vite is ESM-only and jest loads this file as CommonJS.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import systemGlobalSetup from './global-setup';

export default async function browserGlobalSetup(): Promise<void> {
  if (!process.env.APPOINTFLOW_TEST_WORKFLOW_BUNDLE) await systemGlobalSetup();
  const root = resolve(__dirname, '../..');
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-web.ts', '--quiet'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
