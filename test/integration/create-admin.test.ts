/**
 * `npm run create-admin` (its command, `tsx scripts/create-admin.ts`) on a fresh embedded database:
 * creates a working admin sign-in with the given or a generated password, and refuses a second account
 * for the same email.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../src/db/database';
import { signIn } from '../../src/staff/accounts';

jest.setTimeout(120_000);

const root = resolve(__dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'appointflow-admin-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function createAdmin(args: string[], env: Record<string, string> = {}) {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/create-admin.ts', ...args], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: '', DATA_DIR: dataDir, ...env },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

it('creates the first admin, prints a generated password once, and refuses a duplicate', async () => {
  const usage = await createAdmin([]);
  expect(usage.code).toBe(1);
  expect(usage.out).toContain('usage: npm run create-admin');

  const first = await createAdmin(['owner@example.com', 'Olive', 'Owner']);
  expect(first.code).toBe(0);
  const password = /Password \(shown once\): (\S+)/.exec(first.out)?.[1];
  expect(password).toBeDefined();

  const given = await createAdmin(['second@example.com', 'Sam Second'], { ADMIN_PASSWORD: 'a long enough password' });
  expect(given.code).toBe(0);
  expect(given.out).not.toContain('a long enough password');

  const duplicate = await createAdmin(['OWNER@example.com', 'Someone Else']);
  expect(duplicate.code).toBe(1);
  expect(duplicate.out).toContain('An account for OWNER@example.com already exists.');

  const database = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'pglite') });
  try {
    const owner = await signIn(database.db, { email: 'owner@example.com', password: password!, ip: 'test' });
    expect(owner).toMatchObject({ ok: true, staff: { role: 'admin', name: 'Olive Owner' } });
    const second = await signIn(database.db, {
      email: 'second@example.com',
      password: 'a long enough password',
      ip: 'test',
    });
    expect(second.ok).toBe(true);
  } finally {
    await database.close();
  }
});
