/**
 * `npm run bench`: runs every benchmark under bench/ (files named *.bench.ts exporting `run()`) and
 * prints their figures. Benchmarks measure; they never assert timings.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchResult {
  name: string;
  figures: Record<string, number | string>;
}

async function main(): Promise<void> {
  // `npm run bench -- lighthouse` runs only the benchmarks whose file name contains "lighthouse".
  const only = process.argv[2];
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
    .sort();
  if (files.length === 0) {
    console.log('no benchmarks yet (add bench/<name>.bench.ts exporting run(): Promise<BenchResult>)');
    return;
  }
  for (const file of files) {
    const mod = (await import(join(__dirname, file))) as { run: () => Promise<BenchResult> };
    const result = await mod.run();
    console.log(`\n${result.name}`);
    for (const [key, value] of Object.entries(result.figures)) console.log(`  ${key.padEnd(32)} ${value}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
