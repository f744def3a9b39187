import type { AishellErrorCode } from '@aishell/engine';
/** PRODUCT.md's exit codes. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  connect: 3,
  refused: 4,
  safety: 5,
  locked: 6,
  /** A check found warnings (`health`, `migrate lint`). */
  warn: 8,
  /** A check found critical problems (`health`, `migrate lint`). */
  crit: 9,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The CLI's own error codes (src/errors.ts). */
export type CliErrorCode = 'DAEMON_START_FAILED';

// Every error code of every package, and the exit code a person or script sees for it. A Record over the
// union: a code added to a package does not compile until it is decided here (docs/development.md).
const BY_CODE: Readonly<Record<AishellErrorCode | CliErrorCode, ExitCode>> = {
  ENGINE_USAGE: ExitCode.usage,
  ENGINE_UNKNOWN_CONNECTION: ExitCode.usage,
  ENGINE_CONFIG: ExitCode.usage,
  ENGINE_ABORTED: ExitCode.refused,
  SAFETY_REFUSED: ExitCode.safety,
  SAFETY_READ_ONLY: ExitCode.safety,
  CACHE_NOT_CONFIGURED: ExitCode.connect,
  SQL_PARSE: ExitCode.refused,
  SQL_FORMAT: ExitCode.refused,
  SQL_ABORTED: ExitCode.refused,
  // analyzeSync before loadParser: a bug in aishell, not the person's input.
  SQL_PARSER_NOT_LOADED: ExitCode.internal,
  POOL_URL: ExitCode.usage,
  POOL_CONNECT: ExitCode.connect,
  POOL_AUTH: ExitCode.connect,
  POOL_ACQUIRE_TIMEOUT: ExitCode.connect,
  POOL_CONNECTION_LOST: ExitCode.connect,
  POOL_QUERY: ExitCode.refused,
  POOL_TIMEOUT: ExitCode.refused,
  POOL_ABORTED: ExitCode.refused,
  // Used after close(): a bug.
  POOL_CLOSED: ExitCode.internal,
  CACHE_UNAVAILABLE: ExitCode.connect,
  CACHE_COMMAND: ExitCode.connect,
  CACHE_INVALID_ARGUMENT: ExitCode.usage,
  CACHE_ABORTED: ExitCode.refused,
  CACHE_CLOSED: ExitCode.internal,
  METRICS_INVALID_ARGUMENT: ExitCode.usage,
  NL_NO_TRANSLATION: ExitCode.refused,
  NL_UNSAFE_OUTPUT: ExitCode.refused,
  NL_PROBE: ExitCode.refused,
  NL_ABORTED: ExitCode.refused,
  NL_PROVIDER_NO_KEY: ExitCode.usage,
  NL_PROVIDER_AUTH: ExitCode.connect,
  NL_PROVIDER_UNREACHABLE: ExitCode.connect,
  NL_PROVIDER_TIMEOUT: ExitCode.connect,
  NL_PROVIDER_RATE_LIMITED: ExitCode.connect,
  NL_PROVIDER_FAILED: ExitCode.connect,
  NL_PROVIDER_REJECTED: ExitCode.refused,
  DEMO_OPTIONS: ExitCode.usage,
  // The embedded demo database could not be created (a full disk, a folder that cannot be written).
  DEMO_SEED: ExitCode.connect,
  VAULT_LOCKED: ExitCode.locked,
  VAULT_TAMPERED: ExitCode.locked,
  VAULT_INSECURE: ExitCode.locked,
  VAULT_NOT_FOUND: ExitCode.locked,
  VAULT_KEYCHAIN_UNAVAILABLE: ExitCode.locked,
  VAULT_UNSUPPORTED_VERSION: ExitCode.locked,
  VAULT_BUSY: ExitCode.locked,
  VAULT_IO: ExitCode.locked,
  VAULT_ENTRY_EXISTS: ExitCode.usage,
  VAULT_BAD_PASSWORD: ExitCode.usage,
  VAULT_ENTRY_NOT_FOUND: ExitCode.usage,
  VAULT_EXISTS: ExitCode.usage,
  VAULT_BAD_NAME: ExitCode.usage,
  VAULT_BAD_OPTIONS: ExitCode.usage,
  VAULT_CLOSED: ExitCode.internal,
  HEALTH_UNKNOWN_CHECK: ExitCode.usage,
  HEALTH_UNKNOWN_THRESHOLD: ExitCode.usage,
  HEALTH_BAD_THRESHOLD: ExitCode.usage,
  HEALTH_BAD_OPTION: ExitCode.usage,
  // The checks could not reach the database at all (a check that merely cannot run is skipped).
  HEALTH_QUERY_FAILED: ExitCode.connect,
  HEALTH_ABORTED: ExitCode.refused,
  // A saved plan that cannot be read: the person's input.
  PLAN_PARSE: ExitCode.usage,
  PLAN_UNSUPPORTED: ExitCode.usage,
  LINT_UNKNOWN_RULE: ExitCode.usage,
  LINT_BAD_OPTION: ExitCode.usage,
  LINT_ABORTED: ExitCode.refused,
  // A schema file the scratch database refused to load, or a catalog it could not read: the database refused.
  SCHEMA_LOAD: ExitCode.refused,
  SCHEMA_INTROSPECTION: ExitCode.refused,
  SCHEMA_UNSUPPORTED: ExitCode.usage,
  SCHEMA_BAD_OPTION: ExitCode.usage,
  SCHEMA_ABORTED: ExitCode.refused,
  ENGINE_SCRATCH_COPY: ExitCode.refused,
  ADVISE_BAD_OPTION: ExitCode.usage,
  ADVISE_NO_STATEMENTS: ExitCode.usage,
  // --top on MySQL/MariaDB or SQLite: the person asked for what the engine does not offer.
  ADVISE_TOP_UNSUPPORTED: ExitCode.usage,
  // --top without pg_stat_statements in the database: the server cannot answer (the hint says how to add it).
  ADVISE_NO_STATEMENT_STATS: ExitCode.refused,
  ADVISE_ABORTED: ExitCode.refused,
  // pg_dump or mysqldump missing, or older than the server: a required component is not there, as a
  // Redis that is required but down (the hint says what to install).
  BACKUP_TOOL_MISSING: ExitCode.connect,
  BACKUP_TOOL_TOO_OLD: ExitCode.connect,
  BACKUP_TOOL_FAILED: ExitCode.refused,
  BACKUP_NOT_FOUND: ExitCode.usage,
  // A damaged archive, or a restored copy that differs from the catalog: the backup is refused.
  BACKUP_CHECKSUM: ExitCode.refused,
  BACKUP_VERIFY_MISMATCH: ExitCode.refused,
  // A restore over tables without --yes, as a risky statement without it.
  BACKUP_TARGET_NOT_EMPTY: ExitCode.safety,
  // A catalog entry that cannot be read: a file to fix, as a broken config file is.
  BACKUP_CATALOG: ExitCode.usage,
  BACKUP_BAD_OPTION: ExitCode.usage,
  BACKUP_ABORTED: ExitCode.refused,
  DAEMON_START_FAILED: ExitCode.connect,
};

/** The exit code for an error: its package code, oclif's own exit for parse errors, else 1. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && Object.hasOwn(BY_CODE, code))
      return BY_CODE[code as keyof typeof BY_CODE];
    const oclifExit = (error as { oclif?: { exit?: unknown } }).oclif?.exit;
    if (typeof oclifExit === 'number' && oclifExit !== 0)
      return oclifExit === 1 ? ExitCode.internal : ExitCode.usage;
  }
  return ExitCode.internal;
}
