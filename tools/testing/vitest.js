// The entry `@aishell/testing/vitest`, the one file here that stays JavaScript: vite's config loader
// bundles a package's vitest.config.ts but hands every package import to Node itself, and Node 20
// cannot load TypeScript. tsx loads src/vitest.ts for this import only (no global loader).
import { tsImport } from 'tsx/esm/api';

const config = await tsImport('./src/vitest.ts', import.meta.url);

export const { isolatedHome, packageConfig } = config;
