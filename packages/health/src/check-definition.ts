// The shape of a check: data (name, thresholds, SQL) plus three small functions. The per-dialect lists
// (postgres-checks.ts, mysql-checks.ts, sqlite-checks.ts) are arrays of these.
import type { DatabaseErrorInfo } from './database-error.js';
import type { ServerFacts } from './server-facts.js';
import type { HealthObject, HealthStatus, HealthUnit } from './types.js';

export type Row = Record<string, unknown>;

/** A threshold of a check (a ratio must lie in 0..1, anything else be 0 or more). */
export interface ThresholdDefinition {
  readonly name: string;
  readonly default: number | null;
  readonly unit: HealthUnit;
  readonly description: string;
}

/** The thresholds in force for one run, by name (null: off). */
export type Thresholds = Readonly<Record<string, number | null>>;

/** What a check's query and functions may look at. */
export interface CheckContext {
  readonly facts: ServerFacts;
  readonly thresholds: Thresholds;
  /** Objects to list (the SQL may fetch at most this many; the total is counted apart). */
  readonly maxObjects: number;
}

/** Why a check does not run on this server, and how to make it run. */
export interface CheckSkip {
  readonly skip: string;
  readonly fix: string | null;
}

/** What a check's rows say, before the verdict. */
export interface Evaluation {
  readonly value: number | null;
  /** Worst first; may hold more than `maxObjects` (the runner cuts). */
  readonly objects: readonly HealthObject[];
  /** How many objects there are in all (>= objects.length). */
  readonly total: number;
  /** Extra figures for the reason text (counts of everything looked at, timestamps...). */
  readonly extra?: Readonly<Record<string, number | string | null>>;
}

/** A verdict that is not a skip. */
export type Verdict = Exclude<HealthStatus, 'skipped'>;

export interface CheckDefinition {
  readonly name: string;
  readonly description: string;
  readonly unit: HealthUnit;
  /** The first one is reported as the result's `threshold`. */
  readonly thresholds: readonly ThresholdDefinition[];
  /** The one catalog query, or why the check cannot run on this server. */
  readonly query: (ctx: CheckContext) => string | CheckSkip;
  readonly evaluate: (rows: readonly Row[], ctx: CheckContext) => Evaluation;
  readonly verdict: (e: Evaluation, t: Thresholds) => Verdict;
  /** The sentence of `reason` for a check that ran. */
  readonly reason: (e: Evaluation, t: Thresholds, ctx: CheckContext) => string;
  /** The fix for a warn or crit verdict, given the objects listed. */
  readonly fix: (objects: readonly HealthObject[], ctx: CheckContext) => string | null;
  /**
   * Turns a database error into a result where the error is itself the finding (SQLite's corrupt
   * file) or has a better explanation than the server's message; undefined: the common handling.
   */
  readonly onError?: (error: DatabaseErrorInfo, ctx: CheckContext) => ErrorOutcome | undefined;
}

export type ErrorOutcome =
  | { readonly status: 'skipped'; readonly reason: string; readonly fix: string | null }
  | { readonly status: Verdict; readonly reason: string; readonly fix: string | null };

/** The threshold's value, which the runner guarantees exists for a check's own names. */
export function threshold(t: Thresholds, name: string): number | null {
  return t[name] ?? null;
}

/** warn (or crit past `critName`) when the value is above the threshold. */
export function above(warnName: string, critName?: string): CheckDefinition['verdict'] {
  return (e, t) => {
    const warn = threshold(t, warnName);
    const crit = critName === undefined ? null : threshold(t, critName);
    if (e.value === null) return 'ok';
    if (crit !== null && e.value > crit) return 'crit';
    if (warn !== null && e.value > warn) return 'warn';
    return 'ok';
  };
}

/** warn (or crit below `critName`) when the value is below the threshold. */
export function below(warnName: string, critName?: string): CheckDefinition['verdict'] {
  return (e, t) => {
    const warn = threshold(t, warnName);
    const crit = critName === undefined ? null : threshold(t, critName);
    if (e.value === null) return 'ok';
    if (crit !== null && e.value < crit) return 'crit';
    if (warn !== null && e.value < warn) return 'warn';
    return 'ok';
  };
}

/** `severity` when the check found any object (its SQL already applied the thresholds). */
export function anyObject(severity: Verdict): CheckDefinition['verdict'] {
  return (e) => (e.total > 0 ? severity : 'ok');
}

/** The objects' own statements, one after the other. */
export function objectFixes(objects: readonly HealthObject[]): string | null {
  const fixes = objects.map((o) => o.fix).filter((f): f is string => typeof f === 'string' && f !== '');
  return fixes.length ? fixes.join(' ') : null;
}
