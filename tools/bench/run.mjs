#!/usr/bin/env node
// `pnpm bench <name> [args]` runs tools/bench/<name>.ts with tsx; `pnpm eval:nl` runs eval-nl.ts.
// Every benchmark prints its figures as one JSON object on its last line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
let name;
if (argv[0] === '--script') {
  name = argv[1];
  argv.splice(0, 2);
} else {
  name = argv.shift();
}
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3));
if (!name || !existsSync(path.join(here, `${name}.ts`))) {
  process.stderr.write(`usage: pnpm bench <name> [--json]\navailable: ${available.join(', ')}\n`);
  process.exit(2);
}
const tsx = path.resolve(here, '../../node_modules/.bin/tsx');
const result = spawnSync(
  existsSync(tsx) ? tsx : 'tsx',
  ['--conditions=@aishell/source', path.join(here, `${name}.ts`), ...argv],
  {
    stdio: 'inherit',
    cwd: path.resolve(here, '../..'),
  },
);
process.exit(result.status ?? 1);
