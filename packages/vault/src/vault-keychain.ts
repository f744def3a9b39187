import type { AsyncEntry } from '@napi-rs/keyring';
import { VaultKeychainUnavailableError } from './errors.js';
import type { VaultCallOptions } from './vault.js';

/** Options for `VaultKeychain`. */
export interface VaultKeychainOptions {
  /** Service name the passwords are filed under. @default 'aishell-vault' */
  readonly service?: string;
}

export const VAULT_KEYCHAIN_DEFAULTS = Object.freeze({
  service: 'aishell-vault',
});

/**
 * On Linux only a Secret Service (GNOME Keyring, KWallet, KeePassXC over D-Bus) is used. The binding's
 * fallback, the kernel session keyring, is refused: it forgets at logout, and inside containers and
 * sandboxes it fails or behaves differently from one process to the next.
 */
const ENTRY_OPTIONS = { linux: { store: 'secret-service' as const } };

type KeyringModule = typeof import('@napi-rs/keyring');

/**
 * The master password kept in the OS keychain (macOS Keychain, Windows Credential Manager, a Secret
 * Service on Linux), one per vault file (the account is the vault's path),
 * through @napi-rs/keyring (prebuilt binaries shipped inside npm packages). The binding is loaded on
 * first use only, so a platform without it costs nothing until someone asks for the keychain; every
 * failure is a `VAULT_KEYCHAIN_UNAVAILABLE` with a plain message.
 *
 * @example
 * const keychain = new VaultKeychain();
 * await keychain.setPassword(paths.vaultFile, password);
 * const remembered = await keychain.getPassword(paths.vaultFile); // string | undefined
 */
export class VaultKeychain {
  readonly #service: string;
  #module: Promise<KeyringModule> | undefined;

  constructor(options: VaultKeychainOptions = {}) {
    this.#service = options.service ?? VAULT_KEYCHAIN_DEFAULTS.service;
  }

  /** The remembered password for `account`, or undefined when none is stored. */
  async getPassword(account: string, options: VaultCallOptions = {}): Promise<string | undefined> {
    const entry = await this.#entry(account, options.signal);
    return (await this.#call(() => entry.getPassword(options.signal), options.signal)) ?? undefined;
  }

  /** Remember `password` for `account`, replacing any earlier one. */
  async setPassword(account: string, password: string, options: VaultCallOptions = {}): Promise<void> {
    const entry = await this.#entry(account, options.signal);
    await this.#call(() => entry.setPassword(password, options.signal), options.signal);
  }

  /** Forget the password for `account`; true if one was stored. */
  async deletePassword(account: string, options: VaultCallOptions = {}): Promise<boolean> {
    const entry = await this.#entry(account, options.signal);
    return this.#call(() => entry.deletePassword(options.signal), options.signal);
  }

  async #entry(account: string, signal: AbortSignal | undefined): Promise<AsyncEntry> {
    signal?.throwIfAborted();
    this.#module ??= import('@napi-rs/keyring').catch((error: unknown) => {
      this.#module = undefined;
      throw new VaultKeychainUnavailableError(
        `no keychain binding for ${process.platform}-${process.arch}`,
        error,
      );
    });
    const { AsyncEntry } = await this.#module;
    return this.#call(async () => new AsyncEntry(this.#service, account, ENTRY_OPTIONS), undefined);
  }

  async #call<T>(fn: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    signal?.throwIfAborted();
    try {
      return await fn();
    } catch (error) {
      signal?.throwIfAborted();
      throw new VaultKeychainUnavailableError(describe(error), error);
    }
  }
}

/** A short reason from the binding's error, which names the platform failure (never the password). */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/dbus|secret service/i.test(message)) return 'no Secret Service running on D-Bus';
  if (/access|denied|locked/i.test(message)) return 'the keychain refused access or is locked';
  return 'the platform keychain failed';
}
