import type { AdviseErrorCode } from '@aishell/advise';
import type { BackupErrorCode } from '@aishell/backup';
import type { CacheErrorCode } from '@aishell/cache';
import type { DemoErrorCode } from '@aishell/demo';
import type { HealthErrorCode } from '@aishell/health';
import type { LintErrorCode } from '@aishell/lint';
import type { MetricsErrorCode } from '@aishell/metrics';
import type { NlErrorCode } from '@aishell/nl';
import type { PlanErrorCode } from '@aishell/plan';
import type { PoolErrorCode } from '@aishell/pool';
import type { SchemaErrorCode } from '@aishell/schema';
import type { SqlErrorCode } from '@aishell/sql';
import type { VaultErrorCode } from '@aishell/vault';

/** Every code an error of @aishell/engine's own carries. */
export type EngineErrorCode =
  | 'ENGINE_USAGE'
  | 'ENGINE_UNKNOWN_CONNECTION'
  | 'ENGINE_CONFIG'
  | 'ENGINE_ABORTED'
  | 'SAFETY_REFUSED'
  | 'SAFETY_READ_ONLY'
  | 'CACHE_NOT_CONFIGURED'
  | 'ENGINE_SCRATCH_COPY';

/** Base of every error @aishell/engine raises itself; `code` is stable and what apps map to exit codes. */
export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly hint: string | undefined;
  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options?.hint;
  }
}

/** The person asked for something that cannot be: unknown saved connection, bad flag combination. */
export class UsageError extends EngineError {
  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super('ENGINE_USAGE', message, options);
  }
}

/** A connection name that is neither saved nor a URL. */
export class UnknownConnectionError extends EngineError {
  readonly connection: string;
  constructor(connection: string) {
    super('ENGINE_UNKNOWN_CONNECTION', `unknown connection "${connection}": not a saved name and not a URL`, {
      hint: 'list saved connections with `aishell connections`, or pass a URL such as postgres://user@host/db',
    });
    this.connection = connection;
  }
}

/** The config file exists but is not valid. */
export class ConfigError extends EngineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ENGINE_CONFIG', message, { ...options, hint: 'fix or remove the config file' });
  }
}

/** The safety guard refused to run a risky statement that was not confirmed. Nothing was sent. */
export class SafetyError extends EngineError {
  readonly reasons: readonly string[];
  readonly risk: string;
  constructor(risk: string, reasons: readonly string[]) {
    super(
      'SAFETY_REFUSED',
      `refused: ${risk} risk statement (${reasons.join('; ')}); nothing was sent to the server`,
      {
        hint: 're-run with --yes if you mean it',
      },
    );
    this.reasons = reasons;
    this.risk = risk;
  }
}

/**
 * Under `--read-only`, a statement that could end, replace or loosen the read-only transaction, or that
 * the analysis does not prove to be a read, was refused. Nothing was sent; `--yes` does not override it.
 */
export class ReadOnlyError extends EngineError {
  readonly reasons: readonly string[];
  constructor(reasons: readonly string[]) {
    super(
      'SAFETY_READ_ONLY',
      `refused under --read-only: ${reasons.join('; ')}; nothing was sent to the server`,
      {
        hint: 'only reads run under --read-only; run it without --read-only if you mean to change something',
      },
    );
    this.reasons = reasons;
  }
}

/**
 * A schema could not be copied into a scratch database (an extension the scratch lacks, a statement the
 * scratch's version refuses). The message names the statement.
 */
export class ScratchCopyError extends EngineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ENGINE_SCRATCH_COPY', message, {
      ...options,
      hint: 'pass --scratch <url> of a server of the same kind and version as the database',
    });
  }
}

/**
 * Every error code of every aishell package: what the apps must map to an exit code and an HTTP status.
 * A new code in any package's union does not compile until both maps decide it.
 */
export type AishellErrorCode =
  | EngineErrorCode
  | SqlErrorCode
  | PoolErrorCode
  | CacheErrorCode
  | MetricsErrorCode
  | VaultErrorCode
  | NlErrorCode
  | DemoErrorCode
  | HealthErrorCode
  | PlanErrorCode
  | LintErrorCode
  | SchemaErrorCode
  | AdviseErrorCode
  | BackupErrorCode;
