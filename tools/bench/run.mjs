#!/usr/bin/env node
// `pnpm bench <name> [args]` runs tools/bench/<name>.ts with tsx; `pnpm eval:nl` runs eval-nl.ts.
// Every benchmark prints its figures as one JSON object on its last line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
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
// A benchmark never reads or writes the person's own aishell files: its own HOME and XDG folders.
const home = mkdtempSync(path.join(os.tmpdir(), 'aishell-bench-home-'));
const isolated = {
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, '.config'),
  XDG_DATA_HOME: path.join(home, '.local', 'share'),
  XDG_STATE_HOME: path.join(home, '.local', 'state'),
};
const result = spawnSync(
  existsSync(tsx) ? tsx : 'tsx',
  ['--conditions=@aishell/source', path.join(here, `${name}.ts`), ...argv],
  {
    stdio: 'inherit',
    cwd: path.resolve(here, '../..'),
    env: { ...process.env, ...isolated },
  },
);
rmSync(home, { recursive: true, force: true });
process.exit(result.status ?? 1);
