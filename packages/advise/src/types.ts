/** The engines advise knows; MariaDB is `mysql`. */
export type AdviseDialect = 'postgres' | 'mysql' | 'sqlite';

/** Every dialect, in a stable order. */
export const ADVISE_DIALECTS: readonly AdviseDialect[] = ['postgres', 'mysql', 'sqlite'];

/**
 * Runs one query and resolves with its rows (column name -> value). On PostgreSQL every call must go
 * to the same database session: HypoPG's hypothetical indexes, the prepared statements and the
 * read-only transaction advise opens live in the backend that made them. A failed query rejects with
 * the driver's error (its `sqlState` or `code` is kept in the statement's reason).
 */
export type AdviseRun = (sql: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** Options of `adviseIndexes`; defaults in `ADVISE_DEFAULTS`. */
export interface AdviseOptions {
  /**
   * The statements to advise on (one statement each; parameters `$1` are allowed on PostgreSQL, `?` on
   * MySQL and SQLite). Without them, the `top` statements of pg_stat_statements (PostgreSQL only).
   */
  readonly statements?: readonly string[];
  /**
   * How many statements to read from pg_stat_statements, by total time (planning and execution),
   * among those of the current database. Ignored when `statements` are given.
   * @default 10
   */
  readonly top?: number;
  /** pg_stat_statements: only statements called at least this often (dexter's --min-calls). @default 0 */
  readonly minCalls?: number;
  /** pg_stat_statements: only statements whose mean time is at least this, in ms. @default 0 */
  readonly minMeanMs?: number;
  /**
   * Statements whose planned cost is below this are left alone: an index cannot win much on them
   * (dexter's --min-cost). @default 100
   */
  readonly minCost?: number;
  /**
   * The share of a statement's cost an index must take away to be advised (dexter's 50 %): kept when
   * the cost after is at most `(1 - minSavings)` times the cost before. A two-column index must take
   * the same share again from the best cost one-column indexes reach. @default 0.5
   */
  readonly minSavings?: number;
  /** Stops between queries and rejects with ADVISE_ABORTED (the query in flight is the run's to cancel). */
  readonly signal?: AbortSignal;
}

/** Defaults of `AdviseOptions`. */
export const ADVISE_DEFAULTS = Object.freeze({
  top: 10,
  minCalls: 0,
  minMeanMs: 0,
  minCost: 100,
  minSavings: 0.5,
});

/** One statement's cost without and with an advised index. */
export interface StatementCost {
  readonly statement: string;
  readonly costBefore: number | null;
  /** With the index alone (hypothetical); null when not proven. */
  readonly costAfter: number | null;
}

/** An index to create. */
export interface IndexAdvice {
  /** The table's name (without its schema). */
  readonly table: string;
  /** The table's schema (PostgreSQL), database (MySQL) or null (SQLite's main). */
  readonly schema: string | null;
  /** Key columns, in index order. */
  readonly columns: readonly string[];
  /** The name the statement gives the index (free on the table's schema when advised). */
  readonly name: string;
  /** The statement that builds it without blocking writes where the engine can (CONCURRENTLY, LOCK=NONE). */
  readonly sql: string;
  /** The cost of the statements it helps, summed, without it; null where the plan shows no cost (MariaDB, SQLite). */
  readonly costBefore: number | null;
  /** Their cost with only this index added (a HypoPG hypothetical index); null when not proven. */
  readonly costAfter: number | null;
  /** True when a hypothetical index showed the planner using it and the cost falling as the rules ask. */
  readonly proven: boolean;
  /** The statements it helps. */
  readonly statements: readonly string[];
  /** Each statement's own figures. */
  readonly statementCosts: readonly StatementCost[];
  /** Estimated size (HypoPG's hypopg_relation_size); null when not proven. */
  readonly sizeBytes: number | null;
  /** One sentence: what proved it, or what the plan shows and why it is not proven. */
  readonly reason: string;
}

/** What advise made of one statement. */
export type StatementStatus =
  /** An advised index helps it (proven). */
  | 'improved'
  /** Hypothetical indexes did not cut its cost enough, or no column of it could take one. */
  | 'no-gain'
  /** Its cost is below `minCost`. */
  | 'cheap'
  /** Candidates from its plan, not proven (no HypoPG, MySQL, SQLite). */
  | 'unproven'
  /** Not looked at: not a SELECT/INSERT/UPDATE/DELETE, no user table, or EXPLAIN failed (the reason says). */
  | 'skipped';

export interface StatementAdvice {
  readonly sql: string;
  readonly status: StatementStatus;
  readonly costBefore: number | null;
  /** With the advised indexes that serve it; null when none is proven. */
  readonly costAfter: number | null;
  /** Names of the advised indexes that serve it. */
  readonly indexes: readonly string[];
  /** From pg_stat_statements (with `top`). */
  readonly calls?: number;
  readonly totalMs?: number;
  readonly meanMs?: number;
  readonly reason: string;
}

/** Whether HypoPG can prove the advice on this database. */
export interface HypopgStatus {
  /**
   * `ready`: the extension is created in this database; `not-created`: installed on the server, not
   * created here; `not-available`: not installed on the server; `unsupported`: not PostgreSQL.
   */
  readonly state: 'ready' | 'not-created' | 'not-available' | 'unsupported';
  readonly version: string | null;
  /** How to make it ready (the package to install, the CREATE EXTENSION); null when ready. */
  readonly hint: string | null;
}

/** An index worth dropping (unused or duplicate), as the engine gathers them. */
export interface IndexDrop {
  /** The index's name, schema-qualified where the engine has schemas. */
  readonly index: string;
  readonly table: string;
  readonly schema: string | null;
  readonly kind: 'duplicate' | 'unused';
  /** One sentence: what covers it, or since when it was never scanned. */
  readonly reason: string;
  readonly sizeBytes: number | null;
  readonly indexScans: number | null;
  /** The statement that drops it. */
  readonly sql: string;
}

/** What `adviseIndexes` returns. */
export interface AdviceReport {
  readonly dialect: AdviseDialect;
  /** Where the statements came from. */
  readonly source: 'statements' | 'pg_stat_statements';
  /** True when the indexes were proven with hypothetical indexes (PostgreSQL with HypoPG). */
  readonly proven: boolean;
  readonly hypopg: HypopgStatus;
  readonly indexes: readonly IndexAdvice[];
  readonly statements: readonly StatementAdvice[];
  /** Sentences for the person: why nothing is proven, what was left out. */
  readonly notes: readonly string[];
}
