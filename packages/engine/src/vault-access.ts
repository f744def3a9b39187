import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  type ScryptParams,
  Vault,
  VaultBadPasswordError,
  VaultKeychain,
  VaultKeychainUnavailableError,
  VaultLockedError,
  VaultNotFoundError,
} from '@aishell/vault';
import { type AishellPaths, resolvePaths } from './paths.js';

/** Scripts give the master password here. */
export const VAULT_PASSWORD_ENV = 'AISHELL_VAULT_PASSWORD';
/** Scripts give the new master password of `rotate` here. */
export const VAULT_NEW_PASSWORD_ENV = 'AISHELL_VAULT_NEW_PASSWORD';
/** `1` (or `true`) looks the master password up in the OS keychain before prompting. */
export const VAULT_KEYCHAIN_ENV = 'AISHELL_VAULT_KEYCHAIN';

/** Why a master password is asked for: `create` and `rotate` ask for a new one (prompts should ask twice). */
export type VaultPasswordPurpose = 'unlock' | 'create' | 'rotate';

/** How the engine reaches the vault of a person or a script. */
export interface VaultAccessOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default resolvePaths(env) */
  readonly paths?: AishellPaths;
  /** Asks the person (a hidden prompt on a terminal). Absent in scripts, where a missing password is `VAULT_LOCKED`. */
  readonly promptPassword?: (purpose: VaultPasswordPurpose) => Promise<string>;
  /** Look the master password up in the OS keychain before prompting. @default env AISHELL_VAULT_KEYCHAIN is 1 or true */
  readonly keychain?: boolean;
  /** scrypt cost of a vault created here. @default VAULT_DEFAULTS.scrypt of @aishell/vault */
  readonly scrypt?: Partial<ScryptParams>;
  readonly signal?: AbortSignal;
}

function vaultPaths(options: VaultAccessOptions): { env: NodeJS.ProcessEnv; paths: AishellPaths } {
  const env = options.env ?? process.env;
  return { env, paths: options.paths ?? resolvePaths(env) };
}

function keychainWanted(options: VaultAccessOptions, env: NodeJS.ProcessEnv): boolean {
  return options.keychain ?? /^(1|true|yes)$/i.test(env[VAULT_KEYCHAIN_ENV] ?? '');
}

/**
 * Unlock the vault at `paths.vaultFile`: the password from AISHELL_VAULT_PASSWORD if set (and only
 * that); else from the OS keychain when enabled; else (or when the keychain's is wrong) from the prompt.
 * With none of them: `VAULT_LOCKED` (missing password).
 */
export async function openVault(options: VaultAccessOptions = {}): Promise<Vault> {
  const { env, paths } = vaultPaths(options);
  const file = paths.vaultFile;
  const signal = options.signal ? { signal: options.signal } : {};
  const fromEnv = env[VAULT_PASSWORD_ENV];
  if (fromEnv) return Vault.open(file, fromEnv, signal);
  if (!(await Vault.exists(file))) throw new VaultNotFoundError(file); // before any prompt
  if (keychainWanted(options, env)) {
    const remembered = await new VaultKeychain().getPassword(file, signal).catch((error: unknown) => {
      if (error instanceof VaultKeychainUnavailableError) return undefined; // the prompt still works
      throw error;
    });
    if (remembered) {
      try {
        return await Vault.open(file, remembered, signal);
      } catch (error) {
        // A remembered password from before a rotate on another machine: ask instead.
        if (!(error instanceof VaultLockedError) || !options.promptPassword) throw error;
      }
    }
  }
  if (!options.promptPassword) throw new VaultLockedError(file, 'missing-password');
  return Vault.open(file, await options.promptPassword('unlock'), signal);
}

/**
 * Create the vault (VAULT_EXISTS if there is one) with the master password from AISHELL_VAULT_PASSWORD
 * or the prompt. aishell's own data folder is made private (0700) first: it may have been created by an
 * older version with the default mode; any other folder open to others is refused by the vault.
 */
export async function createVault(options: VaultAccessOptions = {}): Promise<Vault> {
  const { env, paths } = vaultPaths(options);
  const file = paths.vaultFile;
  await makeDataDirPrivate(paths);
  const password = env[VAULT_PASSWORD_ENV] || (await options.promptPassword?.('create'));
  if (!password) throw new VaultLockedError(file, 'missing-password');
  return Vault.create(file, password, {
    ...(options.scrypt ? { scrypt: options.scrypt } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/**
 * Re-encrypt the vault under a new master password from AISHELL_VAULT_NEW_PASSWORD or the prompt.
 * When the keychain is enabled and reachable, the remembered password follows.
 */
export async function rotateVault(vault: Vault, options: VaultAccessOptions = {}): Promise<void> {
  const { env } = vaultPaths(options);
  const password = env[VAULT_NEW_PASSWORD_ENV] || (await options.promptPassword?.('rotate'));
  if (!password) {
    throw new VaultBadPasswordError(
      `Give the new master password at the prompt or in ${VAULT_NEW_PASSWORD_ENV}.`,
    );
  }
  await vault.rotate(password, options.signal ? { signal: options.signal } : {});
  if (keychainWanted(options, env)) {
    const keychain = new VaultKeychain();
    const signal = options.signal ? { signal: options.signal } : {};
    if (await keychain.getPassword(vault.path, signal).catch(() => undefined)) {
      await keychain.setPassword(vault.path, password, signal);
    }
  }
}

/**
 * Remember the master password in the OS keychain after checking that it unlocks the vault.
 * `VAULT_KEYCHAIN_UNAVAILABLE` where there is no keychain.
 */
export async function rememberVaultPassword(options: VaultAccessOptions = {}): Promise<void> {
  const { env, paths } = vaultPaths(options);
  const password = env[VAULT_PASSWORD_ENV] || (await options.promptPassword?.('unlock'));
  if (!password) throw new VaultLockedError(paths.vaultFile, 'missing-password');
  const signal = options.signal ? { signal: options.signal } : {};
  await (await Vault.open(paths.vaultFile, password, signal)).close();
  await new VaultKeychain().setPassword(paths.vaultFile, password, signal);
}

/** Forget the remembered master password; true if one was stored. */
export async function forgetVaultPassword(options: VaultAccessOptions = {}): Promise<boolean> {
  const { paths } = vaultPaths(options);
  return new VaultKeychain().deletePassword(
    paths.vaultFile,
    options.signal ? { signal: options.signal } : {},
  );
}

/** What `aishell vault` shows without the password. */
export interface VaultStatus {
  readonly path: string;
  readonly exists: boolean;
  /** Entry names (checked against the file's checksum; authenticated only when unlocked). */
  readonly entries: readonly string[];
}

/** Where the vault is and which entries it holds, without the password (`VAULT_INSECURE`, `VAULT_TAMPERED`). */
export async function vaultStatus(options: VaultAccessOptions = {}): Promise<VaultStatus> {
  const { paths } = vaultPaths(options);
  if (!(await Vault.exists(paths.vaultFile))) return { path: paths.vaultFile, exists: false, entries: [] };
  const info = await Vault.inspect(paths.vaultFile);
  return { path: paths.vaultFile, exists: true, entries: info.entries };
}

/**
 * The vault as saved connections need it: opened on first use, at most once, and closed with the
 * session. `resolve`, `store` and `remove` are bound, so they can be handed over as callbacks
 * (`Session.open({ resolveSecret: secrets.resolve })`, `addConnection(..., { storeSecret: secrets.store })`).
 */
export class VaultSecrets implements AsyncDisposable {
  readonly #options: VaultAccessOptions;
  #vault: Promise<Vault> | undefined;

  constructor(options: VaultAccessOptions = {}) {
    this.#options = options;
  }

  /** The value of a vault entry (`VAULT_NOT_FOUND`, `VAULT_LOCKED`, `VAULT_ENTRY_NOT_FOUND`, ...). */
  readonly resolve = async (entry: string): Promise<string> => {
    const vault = await this.#open(false);
    // A long-lived holder (the daemon, the shell) must see entries saved by other processes since it
    // unlocked: re-read the file once before saying an entry does not exist.
    if (!vault.has(entry)) await vault.refresh(this.#signal());
    return vault.get(entry);
  };

  /** Keep a value in the vault, creating the vault on first use. */
  readonly store = async (entry: string, value: string): Promise<void> => {
    await (await this.#open(true)).set(entry, value, this.#signal());
  };

  /** Drop an entry if the vault and the entry exist. */
  readonly remove = async (entry: string): Promise<void> => {
    const { paths } = vaultPaths(this.#options);
    if (!this.#vault && !(await Vault.exists(paths.vaultFile))) return;
    const vault = await this.#open(false);
    if (vault.has(entry)) await vault.remove(entry, this.#signal());
  };

  async close(): Promise<void> {
    const vault = this.#vault;
    this.#vault = undefined;
    if (vault) await (await vault.catch(() => undefined))?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #signal(): { signal?: AbortSignal } {
    return this.#options.signal ? { signal: this.#options.signal } : {};
  }

  #open(createIfMissing: boolean): Promise<Vault> {
    if (this.#vault) return this.#vault;
    const opening = (async () => {
      const { paths } = vaultPaths(this.#options);
      if (createIfMissing && !(await Vault.exists(paths.vaultFile))) return createVault(this.#options);
      return openVault(this.#options);
    })();
    this.#vault = opening;
    // A failed unlock is not kept: the next call may succeed (another prompt, a new vault).
    opening.catch(() => {
      if (this.#vault === opening) this.#vault = undefined;
    });
    return opening;
  }
}

/** Make `$XDG_DATA_HOME/aishell` exist with mode 0700 (it is aishell's own folder, so tightening is safe). */
async function makeDataDirPrivate(paths: AishellPaths): Promise<void> {
  const dir = path.dirname(paths.vaultFile);
  if (dir !== paths.dataDir || process.platform === 'win32') return;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const info = await stat(dir);
    if ((info.mode & 0o077) !== 0 && info.uid === process.getuid?.()) await chmod(dir, 0o700);
  } catch {
    // Vault.create makes the folder itself and reports a failure with a typed VAULT_IO error.
  }
}
