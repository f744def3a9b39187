import type { UserConfig, ViteUserConfig } from 'vitest/config';
export declare function packageConfig(test?: ViteUserConfig['test']): UserConfig;
