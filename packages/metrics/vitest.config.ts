import { packageConfig } from '@aishell/testing/vitest';

// --expose-gc: fingerprint-windows.test.ts settles the heap (global.gc) before and after measuring it.
export default packageConfig({ execArgv: ['--expose-gc'] });
