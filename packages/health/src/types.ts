/** The engines health knows; MariaDB is `mysql` (told apart by its version where queries differ). */
export type HealthDialect = 'postgres' | 'mysql' | 'sqlite';

/** Every dialect, in a stable order. */
export const HEALTH_DIALECTS: readonly HealthDialect[] = ['postgres', 'mysql', 'sqlite'];

/**
 * Runs one catalog query and resolves with its rows (column name -> value). The engine hands in one
 * backed by its pool; health calls it concurrently, once per check plus once to learn the server's
 * version. Health passes no parameters (thresholds are validated numbers written into the SQL), so a
 * `run` may ignore `params`.
 */
export type HealthRun = (sql: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** The verdict of one check. `skipped`: the check could not run here (the reason says why). */
export type HealthStatus = 'ok' | 'warn' | 'crit' | 'skipped';

/** What a check's `value` (and its first threshold) counts. */
export type HealthUnit = 'ratio' | 'seconds' | 'milliseconds' | 'count' | 'bytes' | 'xids';

/** A JSON value in an object that a check names. */
export type HealthValue = string | number | boolean | null | readonly HealthValue[];

/** One thing a check found (a session, a table, an index...); `fix`, when present, is its statement. */
export interface HealthObject {
  readonly [field: string]: HealthValue;
}

/** The outcome of one check, as `aishell health --json` prints it. */
export interface HealthCheckResult {
  /** The check's stable snake_case name (PRODUCT.md). */
  readonly name: string;
  readonly status: HealthStatus;
  /** The check's figure (the worst one where it looks at many things), in `unit`; null when there is none. */
  readonly value: number | null;
  /** The first threshold of the check as it applied to this run; null when it is off. */
  readonly threshold: number | null;
  /** The name of that threshold, as `thresholds` (and `--threshold`) take it. */
  readonly thresholdName: string;
  readonly unit: HealthUnit;
  /** What the check found, worst first, at most `maxObjects` of them. */
  readonly objects: readonly HealthObject[];
  /** How many more the check found beyond `objects`. */
  readonly moreObjects: number;
  /**
   * One line to act on: the statements to run where there are some (one per object, each ending in `;`),
   * else what to do; for a skipped check, how to make it run. Null when there is nothing to do.
   */
  readonly fix: string | null;
  /** One sentence: what the check saw, or why it was skipped. */
  readonly reason: string;
}

/** What the server said about itself before the checks ran. */
export interface HealthServer {
  /** `postgres`, `mysql`, `mariadb` or `sqlite`. */
  readonly flavor: 'postgres' | 'mysql' | 'mariadb' | 'sqlite';
  /** The server's version text (`15.20 (Debian ...)`, `10.11.19-MariaDB-0+deb12u1`, SQLite's `3.53.2`); `''` when unknown. */
  readonly version: string;
}

/** The document `checkHealth` returns. */
export interface HealthReport {
  readonly dialect: HealthDialect;
  readonly server: HealthServer;
  /** One result per check that was asked for, in the order of `healthChecks(dialect)`. */
  readonly checks: readonly HealthCheckResult[];
}

/** Options of `checkHealth`; defaults in `HEALTH_DEFAULTS`. */
export interface HealthOptions {
  /**
   * Names of the checks to run (`healthChecks(dialect)` lists them); an unknown name throws
   * `HEALTH_UNKNOWN_CHECK`.
   * @default every check of the dialect
   */
  readonly only?: readonly string[];
  /**
   * Threshold overrides by name (`idle_in_transaction_seconds: 5`); an unknown name throws
   * `HEALTH_UNKNOWN_THRESHOLD`, a value out of range `HEALTH_BAD_THRESHOLD`.
   * @default {}
   */
  readonly thresholds?: Readonly<Record<string, number>>;
  /**
   * Objects listed per check; the rest are counted in `moreObjects`.
   * @default 10
   */
  readonly maxObjects?: number;
  /**
   * Stops waiting and rejects with `HEALTH_ABORTED`. Queries already sent are the `run`'s to cancel
   * (the engine passes the same signal to its pool).
   */
  readonly signal?: AbortSignal;
}

/** Defaults of `HealthOptions`. */
export const HEALTH_DEFAULTS = Object.freeze({ maxObjects: 10 });

/** A threshold as `healthChecks` describes it. */
export interface HealthThresholdInfo {
  /** `<check>_<unit>`, e.g. `idle_in_transaction_seconds`. */
  readonly name: string;
  /** The default; null means off until set. */
  readonly default: number | null;
  readonly unit: HealthUnit;
  /** One line: what crossing it means. */
  readonly description: string;
}

/** A check as `healthChecks` describes it (for help texts and documentation). */
export interface HealthCheckInfo {
  readonly name: string;
  readonly description: string;
  readonly unit: HealthUnit;
  /** The first is the one each result reports as `threshold`. */
  readonly thresholds: readonly HealthThresholdInfo[];
}
