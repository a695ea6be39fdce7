/**
 * The size rules for workflow code (issue 18): `appointmentWorkflow` reads as the lifecycle in under
 * 120 lines, and no function in workflows/ runs over 150 lines. Every file under workflows/ is parsed
 * with the TypeScript compiler and every function-like node measured from its first to its last line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..', '..');
const WORKFLOWS = join(ROOT, 'workflows');
const MAX_LINES = 150;
const MAX_MAIN_LINES = 120;

type Measured = { file: string; name: string; line: number; lines: number };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function nameOf(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return parent.name.getText(source);
  }
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  return '(anonymous)';
}

function measure(file: string): Measured[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Measured[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const fn = node as ts.FunctionLikeDeclaration;
      const first = source.getLineAndCharacterOfPosition(fn.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(fn.getEnd()).line;
      found.push({ file: relative(ROOT, file), name: nameOf(fn, source), line: first + 1, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const all = sourceFiles(WORKFLOWS).flatMap(measure);

describe('workflow function sizes', () => {
  it('measures the workflow code (the walk finds the functions)', () => {
    expect(all.length).toBeGreaterThan(50);
    expect(all.some((f) => f.name === 'appointmentWorkflow')).toBe(true);
  });

  it(`has no function in workflows/ over ${MAX_LINES} lines`, () => {
    const tooLong = all
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`);
    expect(tooLong).toEqual([]);
  });

  it(`keeps appointmentWorkflow under ${MAX_MAIN_LINES} lines`, () => {
    const main = all.filter(
      (f) => f.file === join('workflows', 'appointment', 'workflow.ts') && f.name === 'appointmentWorkflow',
    );
    expect(main).toHaveLength(1);
    expect(main[0]!.lines).toBeLessThan(MAX_MAIN_LINES);
  });
});
