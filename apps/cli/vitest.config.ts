import { packageConfig } from '@aishell/testing/vitest';

// Every CLI test spawns the real binary, often several times: allow for a loaded machine.
export default packageConfig({ testTimeout: 120_000 });
