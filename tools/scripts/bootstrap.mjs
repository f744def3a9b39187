#!/usr/bin/env node
// What `npm start` and `npm test` run on a machine with only Node 20 and npm: fetch the pinned pnpm
// when it is not installed (into .cache/ of this checkout) and put it first on PATH for everything
// started from here (Nx runs each package's scripts with pnpm), install the workspace, build it when
// the sources changed, then either open aishell (on the embedded demo unless a connection is
// configured) or run every test. When nothing needs installing or building, `npm start` prints only
// what aishell prints.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestSource, STAMP } from './source-stamp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PNPM = '12.4.2';
const [mode, ...rest] = process.argv.slice(2);
const log = (m) => process.stderr.write(`[aishell] ${m}\n`);

/** Runs a command; `quiet` keeps its output unless it fails. Exits with its status when it fails. */
function sh(cmd, args, env, quiet = false) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    if (quiet) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    process.exit(r.status ?? 1);
  }
}

/** The folder of a pnpm of the pinned version: the one on PATH, else one fetched once into .cache/. */
function pnpmDir() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim() === PNPM) return undefined;
  const prefix = path.join(root, '.cache', `pnpm-${PNPM}`);
  const bin = path.join(prefix, 'node_modules', '.bin');
  if (!existsSync(path.join(bin, 'pnpm'))) {
    log(`fetching pnpm ${PNPM} into .cache/ (once)`);
    sh(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        `pnpm@${PNPM}`,
      ],
      process.env,
    );
  }
  return bin;
}

const fetched = pnpmDir();
const env = {
  ...process.env,
  // Everything started from here (Nx and the package scripts it runs) finds the same pnpm.
  ...(fetched ? { PATH: `${fetched}${path.delimiter}${process.env.PATH ?? ''}` } : {}),
  NX_TUI: 'false',
  NX_DAEMON: 'false',
};

const installed = existsSync(path.join(root, 'node_modules', '.modules.yaml'));
const lockNewer =
  installed &&
  statSync(path.join(root, 'pnpm-lock.yaml')).mtimeMs >
    statSync(path.join(root, 'node_modules', '.modules.yaml')).mtimeMs;
if (!installed || lockNewer) {
  log('installing dependencies (first run only; native modules build from source: a few minutes)');
  // better-sqlite3 builds against the machine's Node headers where npm is set up for that.
  const nodedir = existsSync('/usr/include/node/node.h') ? { npm_config_nodedir: '/usr' } : {};
  sh('pnpm', ['install', '--frozen-lockfile'], { ...env, ...nodedir });
}

// The CLI's build writes the stamp (tools/scripts/source-stamp.mjs) with the newest source time it built from.
const sources = newestSource();
const built = existsSync(STAMP) ? Number(readFileSync(STAMP, 'utf8')) : 0;
if (built < sources || mode === 'test') {
  if (mode !== 'test') log('building (first run, or the sources changed)');
  const args = ['exec', 'nx', 'run-many', '-t', 'build', '--outputStyle=static'];
  sh('pnpm', args, env, mode !== 'test');
  // Nx may have restored dist/ from its cache, stamp included, from sources with older times than these
  // same contents have in this checkout: the build just made is of these sources.
  writeFileSync(STAMP, String(sources));
}

if (mode === 'test') {
  sh(process.execPath, [path.join(root, 'tools', 'scripts', 'run-tests.mjs'), ...rest], env);
} else {
  const r = spawnSync(process.execPath, [path.join(root, 'apps', 'cli', 'bin', 'run.js'), ...rest], {
    stdio: 'inherit',
    // npm runs scripts in the package's folder; `--file report.sql` means the folder the person is in.
    cwd: process.env.INIT_CWD || process.cwd(),
  });
  process.exit(r.status ?? 1);
}
