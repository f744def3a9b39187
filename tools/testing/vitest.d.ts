import type { UserConfig, ViteUserConfig } from 'vitest/config';
export declare function packageConfig(test?: ViteUserConfig['test']): UserConfig;
/** HOME and XDG_*_HOME pointing into a new temporary folder. */
export declare function isolatedHome(): Record<
  'HOME' | 'XDG_CONFIG_HOME' | 'XDG_DATA_HOME' | 'XDG_STATE_HOME' | 'XDG_CACHE_HOME',
  string
>;
