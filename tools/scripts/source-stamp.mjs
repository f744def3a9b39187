// The stamp that tells `npm start` whether the CLI must be built again: the newest modification time of
// the sources the CLI bundle is built from, written into apps/cli/dist/.built-from by the build itself
// (apps/cli/scripts/bundle.mjs), so that any build (the bootstrap's, `pnpm nx build cli`, CI's) leaves
// a true stamp behind, and a build that empties dist/ cannot leave the next `npm start` rebuilding.
// Modification times, not a content hash: reading every source at each start would cost more than the
// start itself (docs/benchmarks.md, "startup").
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the stamp lives. */
export const STAMP = path.join(root, 'apps', 'cli', 'dist', '.built-from');

/** Files a build writes beside the sources: they must not make the sources look newer than the build. */
const GENERATED = new Set(['oclif.manifest.json']);

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || GENERATED.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestIn(full));
    else if (/\.(ts|json|sql)$/.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Newest modification time of the sources the CLI is built from (packages and apps, not outputs). */
export function newestSource() {
  return Math.max(newestIn(path.join(root, 'packages')), newestIn(path.join(root, 'apps')));
}
