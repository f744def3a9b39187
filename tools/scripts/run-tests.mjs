#!/usr/bin/env node
// Runs every project's tests through Nx (one project at a time: they share real servers), then prints
// one summary line over all of them: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
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
const status = run.status ?? 1;
if (status !== 0 && failed === 0) failed = 1; // a project failed outside its tests (build, config): count it
console.log(`\n${files} test reports`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status !== 0 || failed > 0 || passed === 0 ? 1 : 0);
