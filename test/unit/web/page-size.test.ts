/**
 * The admin app's modules stay small (issue 18: web pages under 300 lines, small components): every
 * module under web/src/admin is counted, and the test names any over the limit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ADMIN = join(__dirname, '..', '..', '..', 'web', 'src', 'admin');
const MAX_LINES = 300;

it(`keeps every admin module under ${MAX_LINES} lines`, () => {
  const modules = readdirSync(ADMIN).filter((f) => /\.tsx?$/.test(f));
  expect(modules.length).toBeGreaterThan(40);
  const tooLong = modules
    .map((f) => ({ f, lines: readFileSync(join(ADMIN, f), 'utf8').split('\n').length }))
    .filter(({ lines }) => lines > MAX_LINES)
    .map(({ f, lines }) => `${f} (${lines} lines)`);
  expect(tooLong).toEqual([]);
});
