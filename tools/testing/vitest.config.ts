import { packageConfig } from './src/vitest.js';

export default packageConfig();
