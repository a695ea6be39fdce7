/**
 * The served OpenAPI document is valid OpenAPI 3.1 (checked with @apidevtools/swagger-parser) and
 * complete: every route the Express app answers is documented with its method, every secured operation
 * names its security and 401, and every path parameter is declared.
 */
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { loadConfig } from '../../../src/config';
import { createApp } from '../../../src/http/app';
import { openApiDocument } from '../../../src/http/openapi';
import { expressRoutes } from '../../../src/http/route-inventory';
import { createLogger } from '../../../src/logger';
import type { AppDeps } from '../../../src/http/app';

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      { security?: unknown[]; responses: Record<string, unknown>; parameters?: Array<{ in: string; name: string }> }
    >
  >;
};

function app() {
  const config = loadConfig({ LOG_LEVEL: 'silent' }, tmpdir());
  const deps = { config, database: { db: {} }, temporal: {}, logger: createLogger(config) } as unknown as AppDeps;
  return createApp(deps);
}

it('is a valid OpenAPI 3.1 document (scripts/check-openapi.ts, the validator CI runs)', () => {
  // The validator is an ES module, so it runs in its own process.
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/check-openapi.ts'], { encoding: 'utf8' });
  expect(out).toMatch(/^OpenAPI document valid: \d+ paths, \d+ operations/);
});

it('documents every route the app answers, with its method', () => {
  const doc = openApiDocument() as Doc;
  const documented = new Set(
    Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
  );
  const routes = expressRoutes(app()).filter(
    (r) =>
      r.path.startsWith('/api/') || r.path.startsWith('/webhooks/') || r.path.endsWith('z') || r.path === '/metrics',
  );
  expect(routes.length).toBeGreaterThan(80);
  const missing = routes.map((r) => `${r.method} ${r.path}`).filter((r) => !documented.has(r));
  expect(missing).toEqual([]);
});

it('names the security and the 401 of every operation that needs staff, and declares every path parameter', () => {
  const doc = openApiDocument() as Doc;
  for (const [path, ops] of Object.entries(doc.paths)) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(ops)) {
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect({ op: `${method} ${path}`, params: declared.sort() }).toEqual({
        op: `${method} ${path}`,
        params: [...names].sort(),
      });
      if (op.security?.length)
        expect({ op: `${method} ${path}`, has401: '401' in op.responses }).toEqual({
          op: `${method} ${path}`,
          has401: true,
        });
      expect({ op: `${method} ${path}`, has400: '400' in op.responses }).toEqual({
        op: `${method} ${path}`,
        has400: true,
      });
    }
  }
  const secured = Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/appointments'));
  for (const [, ops] of secured) for (const op of Object.values(ops)) expect(op.security).toHaveLength(2);
});
