#!/usr/bin/env node
// What `npm start` and `npm test` run on a machine with only Node 20 and npm: fetch the pinned pnpm
// through npx when it is not installed, install the workspace, build it, then either open aishell
// (on the embedded demo unless a connection is configured) or run every test.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PNPM = '12.4.2';
const [mode, ...rest] = process.argv.slice(2);

function sh(cmd, args, extraEnv = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function pnpm() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim() === PNPM) return ['pnpm', []];
  return ['npx', ['--yes', `pnpm@${PNPM}`]];
}

const log = (m) => process.stderr.write(`[aishell] ${m}\n`);
const [pm, pmArgs] = pnpm();
const installed = existsSync(path.join(root, 'node_modules', '.modules.yaml'));
const lockNewer =
  installed &&
  statSync(path.join(root, 'pnpm-lock.yaml')).mtimeMs >
    statSync(path.join(root, 'node_modules', '.modules.yaml')).mtimeMs;
if (!installed || lockNewer) {
  log('installing dependencies (first run only; native modules build from source: a few minutes)');
  // better-sqlite3 builds against the machine's Node headers where npm is set up for that.
  const nodedir = existsSync('/usr/include/node/node.h') ? { npm_config_nodedir: '/usr' } : {};
  sh(pm, [...pmArgs, 'install', '--frozen-lockfile'], nodedir);
}
/** Newest modification time of the sources the CLI is built from (packages and apps, not tests). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.(ts|json|sql)$/.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}
const bundle = path.join(root, 'apps', 'cli', 'dist', 'aishell.js');
const stale =
  !existsSync(bundle) ||
  statSync(bundle).mtimeMs <
    Math.max(newestSource(path.join(root, 'packages')), newestSource(path.join(root, 'apps')));
if (stale || mode === 'test') {
  log('building');
  sh(pm, [...pmArgs, 'exec', 'nx', 'run-many', '-t', 'build', '--outputStyle=static'], {
    NX_TUI: 'false',
    NX_DAEMON: 'false',
  });
}
if (mode === 'test') {
  sh(process.execPath, [path.join(root, 'tools', 'scripts', 'run-tests.mjs'), ...rest]);
} else {
  const r = spawnSync(process.execPath, [path.join(root, 'apps', 'cli', 'bin', 'run.js'), ...rest], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}
