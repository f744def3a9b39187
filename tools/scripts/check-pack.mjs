#!/usr/bin/env node
// Every publishable package installs and imports on its own: pack each with pnpm (which turns
// workspace:* into real versions), install the tarballs with npm into an empty folder, import each
// package there, and run the packed CLI once against PostgreSQL when one is configured.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(os.tmpdir(), 'aishell-pack-'));
const tarballs = path.join(work, 'tarballs');
const app = path.join(work, 'app');
const names = [];
for (const group of ['packages', 'apps']) {
  for (const dir of readdirSync(path.join(root, group))) {
    const full = path.join(root, group, dir);
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(path.join(full, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (pkg.private) continue;
    execFileSync('pnpm', ['pack', '--pack-destination', tarballs], {
      cwd: full,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    names.push(pkg.name);
  }
}
const files = readdirSync(tarballs).map((f) => path.join(tarballs, f));
execFileSync('mkdir', ['-p', app]);
writeFileSync(
  path.join(app, 'package.json'),
  JSON.stringify({ name: 'pack-check', private: true, type: 'module' }),
);
// Native modules are not rebuilt here (--ignore-scripts): every engine loads its driver lazily, so
// importing a package must not need one.
execFileSync(
  'npm',
  ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', ...files],
  { cwd: app, stdio: 'inherit' },
);
let failed = 0;
for (const name of names) {
  if (name === '@aishell/cli' || name === '@aishell/daemon') continue;
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import('${name}'); if (!Object.keys(m).length) throw new Error('no exports');`,
    ],
    { cwd: app, encoding: 'utf8' },
  );
  console.log(`${r.status === 0 ? 'ok  ' : 'FAIL'} import ${name}${r.status === 0 ? '' : `\n${r.stderr}`}`);
  if (r.status !== 0) failed++;
}
// The CLI is a bundle (apps/cli/scripts/bundle.mjs): it must also run installed alone, with nothing
// but its own runtime dependencies beside it.
const alone = path.join(work, 'cli-alone');
execFileSync('mkdir', ['-p', alone]);
writeFileSync(path.join(alone, 'package.json'), JSON.stringify({ name: 'cli-alone', private: true }));
execFileSync(
  'npm',
  [
    'install',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    ...files.filter((f) => path.basename(f).startsWith('aishell-cli-')),
  ],
  { cwd: alone, stdio: 'inherit' },
);
const runs = [['--version']];
if (process.env.AISHELL_TEST_PG_URL)
  runs.push(['query', 'select 41 + 1 as answer', '--json', '-c', process.env.AISHELL_TEST_PG_URL]);
for (const [where, argv] of [app, alone].flatMap((dir) => runs.map((argv) => [dir, argv]))) {
  const cli = path.join(where, 'node_modules', '@aishell', 'cli', 'bin', 'run.js');
  const r = spawnSync(process.execPath, [cli, ...argv], {
    cwd: where,
    encoding: 'utf8',
    // A home of its own: the query writes the metrics history (XDG_STATE_HOME), which must not land in the
    // person's real ~/.local/state.
    env: {
      ...process.env,
      HOME: path.join(work, 'home'),
      XDG_CONFIG_HOME: path.join(work, 'cfg'),
      XDG_DATA_HOME: path.join(work, 'data'),
      XDG_STATE_HOME: path.join(work, 'state'),
    },
  });
  const ok = r.status === 0 && (argv[0] !== 'query' || JSON.parse(r.stdout).rows?.[0]?.answer === 42);
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} aishell ${argv.slice(0, 2).join(' ')}${where === alone ? ' (CLI installed alone)' : ''}${ok ? '' : `\n${r.stdout}${r.stderr}`}`,
  );
  if (!ok) failed++;
}
rmSync(work, { recursive: true, force: true });
if (failed) {
  console.error(`${failed} packed package check(s) failed`);
  process.exit(1);
}
console.log(`all ${names.length} packages install and import on their own`);
