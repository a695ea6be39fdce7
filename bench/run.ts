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
  // `npm run bench -- engine --bookings=500`: names pick the benchmarks whose file name contains one
  // (all when none, e.g. `npm run bench -- lighthouse`); flags go to the benchmarks.
  const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => names.length === 0 || names.some((n) => f.includes(n)))
    .sort();
  if (files.length === 0) {
    console.log('no benchmarks yet (add bench/<name>.bench.ts exporting run(): Promise<BenchResult>)');
    return;
  }
  for (const file of files) {
    const mod = (await import(join(__dirname, file))) as { run: (argv: string[]) => Promise<BenchResult> };
    const result = await mod.run(process.argv.slice(2));
    console.log(`\n${result.name}`);
    for (const [key, value] of Object.entries(result.figures)) console.log(`  ${key.padEnd(60)} ${value}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
