import { packageConfig } from '@aishell/testing/vitest';

// Sessions opened with `env: {}` fall back to the home folder for their files (the metrics history):
// packageConfig gives every test run a temporary HOME and XDG folders.
export default packageConfig();
