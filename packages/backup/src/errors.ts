/** Every error @aishell/backup throws; `code` is stable and is what callers switch on. */
export type BackupErrorCode =
  /** A dump or restore tool (pg_dump, pg_restore, mariadb-dump, mysqldump, mariadb, mysql) is not installed. */
  | 'BACKUP_TOOL_MISSING'
  /** The client tool is older than the server (or than the tool that wrote the archive); `hint` says what to install. */
  | 'BACKUP_TOOL_TOO_OLD'
  /** The tool ran and failed (exit status or signal); the message holds the last lines it printed. */
  | 'BACKUP_TOOL_FAILED'
  /** No backup with that id in the catalog (or the catalog is empty). */
  | 'BACKUP_NOT_FOUND'
  /** The archive's sha256 (or size) differs from the catalog's: it was changed or damaged since. */
  | 'BACKUP_CHECKSUM'
  /** A restored copy differs from what the catalog recorded (schema or row counts). */
  | 'BACKUP_VERIFY_MISMATCH'
  /** The restore target holds tables and the restore was not confirmed. */
  | 'BACKUP_TARGET_NOT_EMPTY'
  /** A catalog entry or the catalog folder cannot be read or written. */
  | 'BACKUP_CATALOG'
  /** An option is malformed (`keep` below 0, an engine the archive cannot be restored into, ...). */
  | 'BACKUP_BAD_OPTION'
  /** The `signal` fired: the tool was stopped and its partial output removed. */
  | 'BACKUP_ABORTED';

/** The one error class of this package. */
export class BackupError extends Error {
  readonly code: BackupErrorCode;
  /** What to do about it (the package to install, the flag to add). */
  hint: string | undefined;

  constructor(code: BackupErrorCode, message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BackupError';
    this.code = code;
    this.hint = options?.hint;
  }
}

/** The error to throw when `signal` fired. */
export function abortedError(signal: AbortSignal | undefined, what: string): BackupError {
  const reason = signal?.reason instanceof Error ? `: ${signal.reason.message}` : '';
  return new BackupError('BACKUP_ABORTED', `${what} stopped${reason}`);
}
