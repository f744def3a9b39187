import os from 'node:os';
import path from 'node:path';

/** Where aishell keeps its files, following the XDG base directory spec. */
export interface AishellPaths {
  readonly configDir: string;
  readonly dataDir: string;
  readonly stateDir: string;
  /** `$XDG_CONFIG_HOME/aishell/config.json` */
  readonly configFile: string;
  /** `$XDG_DATA_HOME/aishell/vault.json` */
  readonly vaultFile: string;
  /** `$XDG_DATA_HOME/aishell/demo` */
  readonly demoDir: string;
  /** `$XDG_STATE_HOME/aishell/history` */
  readonly historyFile: string;
  /** `$XDG_CONFIG_HOME/aishell/daemon-token` */
  readonly daemonTokenFile: string;
  /** `$XDG_DATA_HOME/aishell/backups`: the backup catalog unless `--to <dir>` names another */
  readonly backupsDir: string;
}

function base(env: NodeJS.ProcessEnv, name: string, fallback: string[]): string {
  const value = env[name];
  // The spec says relative values are invalid and must be ignored.
  if (value && path.isAbsolute(value)) return value;
  return path.join(env.HOME || os.homedir(), ...fallback);
}

/** Resolve aishell's file locations from the environment (no I/O). */
export function resolvePaths(env: NodeJS.ProcessEnv = process.env): AishellPaths {
  const configDir = path.join(base(env, 'XDG_CONFIG_HOME', ['.config']), 'aishell');
  const dataDir = path.join(base(env, 'XDG_DATA_HOME', ['.local', 'share']), 'aishell');
  const stateDir = path.join(base(env, 'XDG_STATE_HOME', ['.local', 'state']), 'aishell');
  return Object.freeze({
    configDir,
    dataDir,
    stateDir,
    configFile: path.join(configDir, 'config.json'),
    vaultFile: path.join(dataDir, 'vault.json'),
    demoDir: path.join(dataDir, 'demo'),
    historyFile: path.join(stateDir, 'history'),
    daemonTokenFile: path.join(configDir, 'daemon-token'),
    backupsDir: path.join(dataDir, 'backups'),
  });
}
