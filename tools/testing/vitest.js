// The one vitest config every package and app uses, so that tests resolve workspace packages
// to their TypeScript sources (the "@aishell/source" export condition) instead of a stale dist/.
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

const conditions = ['@aishell/source', ...defaultServerConditions];

/** @param {import('vitest/config').ViteUserConfig['test']} [test] */
export function packageConfig(test = {}) {
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
      ...test,
    },
  });
}
