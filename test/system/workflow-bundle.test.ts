/**
 * Every cached workflow pays for what the workflow bundle holds (docs/architecture.md, "Worker sizing"):
 * luxon and zod, and the domain modules that import them, stay out of it.
 */
import { readFileSync } from 'node:fs';
import { workflowBundle } from '../support/temporal';

it('keeps luxon and zod out of the workflow bundle', () => {
  // The run's bundle (test/support/global-setup.ts), without its inline source map.
  const code = readFileSync(workflowBundle().codePath, 'utf8').replace(/\/\/# sourceMappingURL=.*$/m, '');
  const packages = new Set([...code.matchAll(/node_modules\/((?:@[^/]+\/)?[^/"'\s]+)/g)].map((m) => m[1]));
  const modules = new Set([...code.matchAll(/\.\/(src\/[^"'\s]+\.ts)/g)].map((m) => m[1]));
  // The module paths are there to read: the workflow runtime and the pure domain modules.
  expect(packages).toContain('@temporalio/workflow');
  expect(modules).toContain('src/domain/marks.ts');
  expect([...packages].filter((p) => p === 'luxon' || p === 'zod')).toEqual([]);
  expect([...modules].filter((m) => m === 'src/domain/time.ts' || m === 'src/domain/lifecycle-policy.ts')).toEqual([]);
});
