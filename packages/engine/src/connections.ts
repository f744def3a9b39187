import { parseConnectionUrl, redactUrl } from '@aishell/pool';
import { type AishellConfig, loadConfig, saveConfig } from './config.js';
import { UsageError } from './errors.js';
import type { AishellPaths } from './paths.js';

const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/;

export interface AddConnectionOptions {
  readonly name: string;
  readonly url: string;
  /** Keep the URL's password in the vault (through `storeSecret`). @default false */
  readonly savePassword?: boolean;
  /** Make this the default connection. @default false */
  readonly makeDefault?: boolean;
  /** Stores a secret in the vault under an entry name; needed when savePassword is set. */
  readonly storeSecret?: (entry: string, value: string) => Promise<void>;
  readonly env?: NodeJS.ProcessEnv;
}

export interface SavedConnectionInfo {
  readonly name: string;
  /** The URL with any password masked. */
  readonly url: string;
  readonly dialect: string;
  readonly isDefault: boolean;
  /** Vault entry of the saved password, if any. */
  readonly passwordEntry: string | null;
}

export interface AddConnectionResult extends SavedConnectionInfo {
  /** The URL held a password that was not saved (no --save-password). */
  readonly passwordDropped: boolean;
}

/** The vault entry name that holds a saved connection's password. */
export function connectionSecretEntry(name: string): string {
  return `connection.${name}`;
}

function validateName(name: string): void {
  if (!NAME.test(name) || name === 'demo') {
    throw new UsageError(`invalid connection name "${name}"`, {
      hint: 'use letters, digits, _ . - (starting with a letter); "demo" is reserved',
    });
  }
}

/** Save a named connection: its URL without the password in the config, the password (if asked) in the vault. */
export async function addConnection(
  paths: AishellPaths,
  options: AddConnectionOptions,
): Promise<AddConnectionResult> {
  validateName(options.name);
  const parsed = parseConnectionUrl(options.url, options.env ? { env: options.env } : {});
  let url = options.url;
  let passwordEntry: string | undefined;
  let passwordDropped = false;
  if (parsed.dialect === 'postgres' || parsed.dialect === 'mysql') {
    const u = new URL(options.url);
    const password = decodeURIComponent(u.password);
    if (password && !password.startsWith('vault:')) {
      u.password = '';
      url = u.toString();
      if (options.savePassword) {
        if (!options.storeSecret) throw new UsageError('--save-password needs the vault');
        passwordEntry = connectionSecretEntry(options.name);
        await options.storeSecret(passwordEntry, password);
      } else {
        passwordDropped = true;
      }
    }
  }
  const config = await loadConfig(paths);
  const next: AishellConfig = {
    ...config,
    connections: {
      ...config.connections,
      [options.name]: { url, ...(passwordEntry ? { passwordEntry } : {}) },
    },
    ...(options.makeDefault ? { defaultConnection: options.name } : {}),
  };
  await saveConfig(paths, next);
  return {
    name: options.name,
    url: redactUrl(url),
    dialect: parsed.dialect,
    isDefault: next.defaultConnection === options.name,
    passwordEntry: passwordEntry ?? null,
    passwordDropped,
  };
}

/** The saved connections, sorted by name. */
export async function listConnections(paths: AishellPaths): Promise<SavedConnectionInfo[]> {
  const config = await loadConfig(paths);
  return Object.entries(config.connections)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, saved]) => {
      let dialect = 'unknown';
      try {
        dialect = parseConnectionUrl(saved.url, { env: {} }).dialect;
      } catch {
        // an unparsable saved URL still lists; `connections test` reports the problem
      }
      return {
        name,
        url: redactUrl(saved.url),
        dialect,
        isDefault: config.defaultConnection === name,
        passwordEntry: saved.passwordEntry ?? null,
      };
    });
}

/** Forget a saved connection; returns the vault entry of its password (for the caller to remove), if any. */
export async function removeConnection(
  paths: AishellPaths,
  name: string,
): Promise<{ passwordEntry: string | null }> {
  const config = await loadConfig(paths);
  const saved = config.connections[name];
  if (!saved)
    throw new UsageError(`no saved connection named "${name}"`, { hint: 'see `aishell connections`' });
  const { [name]: _removed, ...rest } = config.connections;
  // Everything else the config holds (the daemon's allowlist, ...) stays as it was.
  const { defaultConnection, ...others } = config;
  const next: AishellConfig = { ...others, connections: rest };
  if (defaultConnection && defaultConnection !== name) next.defaultConnection = defaultConnection;
  await saveConfig(paths, next);
  return { passwordEntry: saved.passwordEntry ?? null };
}
