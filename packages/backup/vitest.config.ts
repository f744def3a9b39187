import { packageConfig } from '@aishell/testing/vitest';

export default packageConfig();
