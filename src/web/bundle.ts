/**
 * The admin app and customer pages are a React bundle built by Vite from `web/` into `web/dist`
 * (gitignored). `npm run build:web` builds it; `npm start` and the test setup build it when missing.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as Vite from 'vite' with { 'resolution-mode': 'import' };

type ViteModule = typeof Vite;

const root = resolve(__dirname, '../..');

/** Where the built bundle lives: next to the sources under tsx, or beside `dist/` in a compiled build. */
export function webDistDir(): string {
  const candidates = [join(root, 'web', 'dist'), resolve(root, '..', 'web', 'dist')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0]!;
}

export function webBundleBuilt(): boolean {
  return existsSync(join(webDistDir(), 'index.html'));
}

/** Builds the bundle with Vite's JS API (Vite is ESM-only: loaded with a real dynamic import). */
export async function buildWebBundle(options: { quiet?: boolean } = {}): Promise<void> {
  const load = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<ViteModule>;
  const vite = await load('vite');
  await vite.build({
    configFile: join(root, 'web', 'vite.config.ts'),
    root: join(root, 'web'),
    mode: 'production',
    logLevel: options.quiet ? 'warn' : 'info',
  });
  // The booking widget's loader for other sites: one classic script, /embed.js (web/src/embed/embed.ts).
  await vite.build({
    configFile: false,
    root: join(root, 'web'),
    mode: 'production',
    logLevel: options.quiet ? 'warn' : 'info',
    build: {
      outDir: join(root, 'web', 'dist'),
      emptyOutDir: false,
      target: 'es2020',
      lib: {
        entry: join(root, 'web', 'src', 'embed', 'embed.ts'),
        formats: ['iife'],
        name: 'AppointflowEmbed',
        fileName: () => 'embed.js',
      },
    },
  });
}
