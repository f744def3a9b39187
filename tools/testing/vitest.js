// The one vitest config every package and app uses, so that tests resolve workspace packages
// to their TypeScript sources (the "@aishell/source" export condition) instead of a stale dist/.
import path from 'node:path';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

const conditions = ['@aishell/source', ...defaultServerConditions];

/** @param {import('vitest/config').ViteUserConfig['test']} [test] */
export function packageConfig(test = {}) {
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
    },
  });
}
