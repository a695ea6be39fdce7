/**
 * Saved workflow histories for replay tests. With RECORD_HISTORIES=1, tests that run a workflow save
 * its history under test/histories/<workflow>/<name>.json (`RECORD_HISTORIES=1 npm test -- test/workflows`;
 * with RECORD_HISTORIES_PREFIX=<patch>, as <patch>-<name>.json, keeping the histories of the older path).
 * The replay test replays every saved file against the current workflow code on every run, so a
 * change that would break running workflows (without `patched()`) fails CI.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export const HISTORIES_DIR = resolve(__dirname, '../histories');

export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

export async function recordHistory(workflowType: string, name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const dir = join(HISTORIES_DIR, workflowType);
  mkdirSync(dir, { recursive: true });
  const history = temporal.api.history.v1.History.fromObject(await handle.fetchHistory());
  const plain = temporal.api.history.v1.History.toObject(history, {
    longs: String,
    enums: String,
    bytes: String,
    defaults: false,
  });
  // RECORD_HISTORIES_PREFIX names a new code path's histories so they sit next to the older ones.
  const prefix = process.env.RECORD_HISTORIES_PREFIX ? `${process.env.RECORD_HISTORIES_PREFIX}-` : '';
  writeFileSync(join(dir, `${slug(prefix + name)}.json`), JSON.stringify(plain, null, 1) + '\n');
}

/** Saved histories, decoded (stored as the proto's object form: enum names, longs and bytes as strings). */
export function savedHistories(
  workflowType: string,
): Array<{ name: string; history: temporal.api.history.v1.History }> {
  const dir = join(HISTORIES_DIR, workflowType);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      name: f.replace(/\.json$/, ''),
      history: temporal.api.history.v1.History.fromObject(
        JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>,
      ),
    }));
}
