/**
 * The web app has no import cycles (issue 18: pages read the signed-in staff member from
 * `admin/session.ts`, not from the app shell that imports them). Every module under web/src is read
 * with the TypeScript compiler's import scanner (type-only imports count too) and the graph searched.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const WEB = join(__dirname, '..', '..', '..', 'web', 'src');

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function resolveLocal(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')];
  return candidates.find((c) => /\.tsx?$/.test(c) && existsSync(c) && statSync(c).isFile() && c.startsWith(WEB));
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of modules(WEB)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.map((i) => resolveLocal(file, i.fileName)).filter((t) => t !== undefined);
    graph.set(file, targets);
  }
  return graph;
}

/** Every cycle found by depth-first search, each as the chain of modules that closes it. */
function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const chain = [...stack.slice(stack.indexOf(next)), next];
        found.push(chain.map((f) => relative(WEB, f)).join(' > '));
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('web app imports', () => {
  const graph = importGraph();

  it('reads the whole app (the scanner resolves local imports)', () => {
    expect(graph.size).toBeGreaterThan(100);
    const shell = graph.get(join(WEB, 'admin', 'AdminApp.tsx')) ?? [];
    expect(shell).toContain(join(WEB, 'admin', 'session.ts'));
  });

  it('finds a cycle when there is one (the search works)', () => {
    const a = join(WEB, 'a.ts');
    const b = join(WEB, 'b.ts');
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual(['a.ts > b.ts > a.ts']);
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });
});
