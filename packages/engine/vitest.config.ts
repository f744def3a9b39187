import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageConfig } from '@aishell/testing/vitest';

// Sessions opened with `env: {}` fall back to the home folder for their files (the metrics history):
// a temporary HOME keeps tests from ever writing to a person's real one.
export default packageConfig({ env: { HOME: mkdtempSync(path.join(os.tmpdir(), 'aishell-engine-home-')) } });
