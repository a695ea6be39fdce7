/** `npm run build:web`: builds the admin app and customer pages into web/dist with Vite. */
import { buildWebBundle } from '../src/web/bundle';

buildWebBundle({ quiet: process.argv.includes('--quiet') }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
