/**
 * Every error the vault throws. Messages name files and entry names, never a password or a value.
 * Apps map codes to exit codes (see README.md); the library only throws.
 */

/** Stable error codes, one per class below. */
export type VaultErrorCode =
  | 'VAULT_LOCKED'
  | 'VAULT_TAMPERED'
  | 'VAULT_UNSUPPORTED_VERSION'
  | 'VAULT_INSECURE'
  | 'VAULT_NOT_FOUND'
  | 'VAULT_EXISTS'
  | 'VAULT_ENTRY_NOT_FOUND'
  | 'VAULT_ENTRY_EXISTS'
  | 'VAULT_BAD_NAME'
  | 'VAULT_BAD_PASSWORD'
  | 'VAULT_BAD_OPTIONS'
  | 'VAULT_BUSY'
  | 'VAULT_CLOSED'
  | 'VAULT_IO'
  | 'VAULT_KEYCHAIN_UNAVAILABLE';

/** Base class of every vault error. */
export class VaultError extends Error {
  readonly code: VaultErrorCode;
  /** The vault file concerned, when there is one. */
  readonly path: string | undefined;

  constructor(code: VaultErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.path = options.path;
  }
}

/** Why a vault could not be unlocked. */
export type VaultLockedReason = 'wrong-password' | 'missing-password' | 'rekeyed';

/** Wrong or missing master password, or the vault was re-keyed by another process since it was opened. */
export class VaultLockedError extends VaultError {
  readonly reason: VaultLockedReason;

  constructor(path: string, reason: VaultLockedReason, cause?: unknown) {
    const messages: Record<VaultLockedReason, string> = {
      'wrong-password': `Wrong master password for the vault ${path}.`,
      'missing-password': `The vault ${path} needs its master password (hidden prompt or AISHELL_VAULT_PASSWORD).`,
      rekeyed: `The vault ${path} was re-encrypted under another password by another process; open it again.`,
    };
    super('VAULT_LOCKED', messages[reason], { path, cause });
    this.reason = reason;
  }
}

/** The file failed its integrity check: a byte was changed, or it is not a vault at all. */
export class VaultTamperedError extends VaultError {
  /** Which check failed, e.g. `checksum`, `mac`, `entry "prod"`, `structure`. */
  readonly detail: string;

  constructor(path: string, detail: string, cause?: unknown) {
    super(
      'VAULT_TAMPERED',
      `The vault ${path} failed its integrity check (${detail}): it was changed outside aishell or is damaged. ` +
        `It was not modified; the previous version is kept at ${path}.prev.`,
      { path, cause },
    );
    this.detail = detail;
  }
}

/** The file is a vault of a format version this code does not read. */
export class VaultUnsupportedVersionError extends VaultError {
  readonly version: unknown;

  constructor(path: string, version: unknown) {
    super(
      'VAULT_UNSUPPORTED_VERSION',
      `The vault ${path} has format version ${JSON.stringify(version)}; this aishell reads version 1. ` +
        'Upgrade aishell, or the file was changed outside aishell.',
      { path },
    );
    this.version = version;
  }
}

/** The vault file or its folder can be read or written by other users (refused, as ssh refuses a readable key). */
export class VaultInsecureError extends VaultError {
  /** The file or folder at fault. */
  readonly target: string;
  /** Its permission bits, e.g. `0o644`. */
  readonly mode: number;
  /** The command that fixes it, e.g. `chmod 600 /home/me/.local/share/aishell/vault.json`. */
  readonly fix: string;

  constructor(path: string, target: string, mode: number, problem: string, fix: string) {
    super('VAULT_INSECURE', `${problem} The vault must be private to you; refusing to use it. Run: ${fix}`, {
      path,
    });
    this.target = target;
    this.mode = mode;
    this.fix = fix;
  }
}

/** No vault file yet. */
export class VaultNotFoundError extends VaultError {
  constructor(path: string) {
    super('VAULT_NOT_FOUND', `No vault at ${path}. Create one with: aishell vault init`, { path });
  }
}

/** `create` found a vault already there. */
export class VaultExistsError extends VaultError {
  constructor(path: string) {
    super(
      'VAULT_EXISTS',
      `A vault already exists at ${path}; use "aishell vault rotate" to change its password.`,
      {
        path,
      },
    );
  }
}

/** No entry of that name. */
export class VaultEntryNotFoundError extends VaultError {
  readonly entry: string;

  constructor(path: string, entry: string) {
    super('VAULT_ENTRY_NOT_FOUND', `The vault has no entry named "${entry}".`, { path });
    this.entry = entry;
  }
}

/** `add` of a name that is already there (use `set` to replace). */
export class VaultEntryExistsError extends VaultError {
  readonly entry: string;

  constructor(path: string, entry: string) {
    super('VAULT_ENTRY_EXISTS', `The vault already has an entry named "${entry}".`, { path });
    this.entry = entry;
  }
}

/** An entry name that is not allowed (see `ENTRY_NAME_PATTERN`). The name is not repeated: it may be a pasted secret. */
export class VaultBadNameError extends VaultError {
  constructor() {
    super(
      'VAULT_BAD_NAME',
      'That entry name is not allowed: use 1-128 characters from A-Z a-z 0-9 . _ - @ : /, ' +
        'starting with a letter or digit.',
    );
  }
}

/** A new master password that is not acceptable (empty). */
export class VaultBadPasswordError extends VaultError {
  constructor(message: string) {
    super('VAULT_BAD_PASSWORD', message);
  }
}

/** Options outside what the vault accepts (e.g. scrypt parameters out of bounds): a mistake in the caller. */
export class VaultBadOptionsError extends VaultError {
  constructor(message: string) {
    super('VAULT_BAD_OPTIONS', message);
  }
}

/** Another process held the vault's lock for longer than `lockTimeoutMillis`. */
export class VaultBusyError extends VaultError {
  constructor(path: string, cause?: unknown) {
    super('VAULT_BUSY', `The vault ${path} is locked by another aishell process; try again.`, {
      path,
      cause,
    });
  }
}

/** A method was called after `close()`. */
export class VaultClosedError extends VaultError {
  constructor(path: string) {
    super('VAULT_CLOSED', `The vault ${path} was closed.`, { path });
  }
}

/** A file-system failure other than the ones above. */
export class VaultIoError extends VaultError {
  readonly errno: number | undefined;
  readonly syscall: string | undefined;
  readonly fsCode: string | undefined;

  constructor(path: string, action: string, cause: unknown) {
    const err = cause as NodeJS.ErrnoException;
    super('VAULT_IO', `Could not ${action} ${path}: ${err?.code ?? 'unknown error'}.`, { path, cause });
    this.errno = err?.errno;
    this.syscall = err?.syscall;
    this.fsCode = err?.code;
  }
}

/** No OS keychain here (no Secret Service on Linux, binding missing for this platform, keychain locked). */
export class VaultKeychainUnavailableError extends VaultError {
  constructor(detail: string, cause?: unknown) {
    super(
      'VAULT_KEYCHAIN_UNAVAILABLE',
      `No OS keychain is available here (${detail}). Give the master password at the prompt or in ` +
        'AISHELL_VAULT_PASSWORD instead.',
      { cause },
    );
  }
}
