#!/usr/bin/env node
// Runs every project's tests through Nx (one project at a time: they share real servers), then prints
// one summary line over all of them: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * aishell's folders under the person's real home (XDG places), as `aishell` itself would find them, and
 * under the account's home from the password database too: a test that starts aishell without HOME in
 * its environment would write there (Node's os.homedir() falls back to it), out of sight of $HOME.
 */
function realAishellFolders() {
  const primary = process.env.HOME || os.homedir();
  const folders = new Set();
  for (const home of new Set([primary, os.userInfo().homedir])) {
    const xdg = (name, ...fallback) =>
      home === primary && process.env[name] && path.isAbsolute(process.env[name])
        ? process.env[name]
        : path.join(home, ...fallback);
    folders.add(path.join(xdg('XDG_CONFIG_HOME', '.config'), 'aishell'));
    folders.add(path.join(xdg('XDG_DATA_HOME', '.local', 'share'), 'aishell'));
    folders.add(path.join(xdg('XDG_STATE_HOME', '.local', 'state'), 'aishell'));
  }
  return [...folders];
}

/** Every file under the folders with its size and modification time: what a test run must not change. */
function snapshot(folders) {
  const seen = new Map();
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else {
        const st = statSync(full, { throwIfNoEntry: false });
        if (st) seen.set(full, `${st.size}:${st.mtimeMs}`);
      }
    }
  };
  for (const f of folders) walk(f);
  return seen;
}

const folders = realAishellFolders();
const before = snapshot(folders);
const reportDir = mkdtempSync(path.join(os.tmpdir(), 'aishell-tests-'));
const extra = process.argv.slice(2);
const nx = path.join(root, 'node_modules', '.bin', 'nx');
const run = spawnSync(nx, ['run-many', '-t', 'test', '--parallel=1', '--outputStyle=stream', ...extra], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, AISHELL_TEST_REPORT_DIR: reportDir, NX_TUI: 'false', NX_DAEMON: 'false' },
});
let passed = 0;
let failed = 0;
let skipped = 0;
let files = 0;
for (const f of readdirSync(reportDir)) {
  const report = JSON.parse(readFileSync(path.join(reportDir, f), 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed +=
    (report.numFailedTests ?? 0) +
    (report.numFailedTestSuites && !report.numFailedTests ? report.numFailedTestSuites : 0);
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  files++;
}
rmSync(reportDir, { recursive: true, force: true });
// Every test runs with its own temporary HOME and XDG folders (tools/testing/vitest.js): a change under
// the real ones is a test that escaped, and fails the run.
const after = snapshot(folders);
const touched = [...new Set([...before.keys(), ...after.keys()])].filter(
  (f) => before.get(f) !== after.get(f),
);
if (touched.length > 0) {
  console.log(`\nFAIL: the tests changed files under the real home: ${touched.slice(0, 10).join(', ')}`);
  failed += 1;
}
const status = run.status ?? 1;
if (status !== 0 && failed === 0) failed = 1; // a project failed outside its tests (build, config): count it
console.log(`\n${files} test reports`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status !== 0 || failed > 0 || passed === 0 ? 1 : 0);
