// The one vitest config every package and app uses, so that tests resolve workspace packages
// to their TypeScript sources (the "@aishell/source" export condition) instead of a stale dist/.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultServerConditions } from 'vite';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const conditions = ['@aishell/source', ...defaultServerConditions];

/**
 * A fresh home for one test run: HOME and the XDG folders point into a new temporary folder, so that no
 * test (nor a CLI or daemon it starts, which inherit the environment) reads or writes a person's real
 * config, vault, demo or history. tools/scripts/run-tests.mjs checks that the real ones stay untouched.
 */
export function isolatedHome(): Record<
  'HOME' | 'XDG_CONFIG_HOME' | 'XDG_DATA_HOME' | 'XDG_STATE_HOME' | 'XDG_CACHE_HOME',
  string
> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'aishell-test-home-'));
  return {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
  };
}

/** The vitest config of a package: `test` adds to (or overrides) the shared settings. */
export function packageConfig(test: NonNullable<ViteUserConfig['test']> = {}): ViteUserConfig {
  // tools/scripts/run-tests.mjs asks every package for a JSON report, to print one summary line.
  const reportDir = process.env.AISHELL_TEST_REPORT_DIR;
  const reporting = reportDir
    ? {
        reporters: ['default', 'json'],
        outputFile: { json: path.join(reportDir, `${path.basename(process.cwd())}-${process.pid}.json`) },
      }
    : {};
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      // Integration tests share real servers and databases; files run one after another per package
      // so that fault tests (killing connections) do not disturb their neighbours.
      fileParallelism: false,
      ...reporting,
      ...test,
      env: { ...isolatedHome(), ...test.env },
    },
  });
}
