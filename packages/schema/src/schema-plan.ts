// What the differ returns: PRODUCT.md's `schema diff` document (statements with hazards and whether each
// is the online form, and what could not be planned), with the fields the engine needs to run it.
import type { SchemaDialect } from './schema-model.js';

/**
 * Hazard codes, as pg-schema-diff's users know them, plus MySQL's TABLE_REBUILD and METADATA_LOCK.
 * A statement lists every one that applies to it.
 */
export const HAZARD_CODES = [
  /** Rows or values are removed: a table, a column, a sequence, a narrowing type change. */
  'DELETES_DATA',
  /** Reads and writes of the table wait while the statement works (a rewrite, a scan, a drop). */
  'ACQUIRES_ACCESS_EXCLUSIVE_LOCK',
  /** Writes to the table wait while the statement works (CREATE INDEX without CONCURRENTLY). */
  'ACQUIRES_SHARE_LOCK',
  /** Writes to the table (and to a referenced one) wait while the lock is held (foreign keys, triggers). */
  'ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK',
  /** An index is built: I/O and CPU proportional to the table. */
  'INDEX_BUILD',
  /** An index goes: queries that used it may become slow. */
  'INDEX_DROPPED',
  /** The statement reads or rewrites the whole table (or refreshes a materialized view). */
  'IMPACTS_DATABASE_PERFORMANCE',
  /** What the object uses cannot be read from the catalog (function bodies): its order is not proven. */
  'HAS_UNTRACKABLE_DEPENDENCIES',
  /** Who may read or write what changes: privileges, row-level security, policies. */
  'AUTHZ_UPDATE',
  /** The statement can fail on existing data, or changes behaviour in a way the schema does not show. */
  'CORRECTNESS',
  /** An extension's update script runs. */
  'UPGRADING_EXTENSION_VERSION',
  /** MySQL/MariaDB copies the table (ALGORITHM=COPY or an INPLACE rebuild). */
  'TABLE_REBUILD',
  /** MySQL/MariaDB waits for an exclusive metadata lock, queued behind open transactions on the table. */
  'METADATA_LOCK',
] as const;

export type HazardCode = (typeof HAZARD_CODES)[number];

export interface Hazard {
  readonly code: HazardCode;
  /** One sentence about this statement. */
  readonly message: string;
}

/** One statement of a migration plan. */
export interface PlanStatement {
  /** One SQL statement, without a trailing `;`. */
  readonly sql: string;
  readonly hazards: readonly Hazard[];
  /**
   * True when the statement does not hold a lock that blocks the table's reads or writes for longer than
   * a catalog update: the online form where there is one (CONCURRENTLY, NOT VALID then VALIDATE,
   * ALGORITHM=INSTANT/INPLACE), or a statement that needs none (a new table, a comment).
   */
  readonly online: boolean;
  /** False for statements that cannot run inside a transaction block (CONCURRENTLY). */
  readonly transactional: boolean;
  /** The lock timeout to set before it (`SET lock_timeout`, MySQL `lock_wait_timeout`). */
  readonly lockTimeoutMillis: number;
  /** The statement timeout to set before it (PostgreSQL `statement_timeout`); null to leave it. */
  readonly statementTimeoutMillis: number | null;
}

/** Something the differ saw differ and cannot plan; never left out silently. */
export interface UnsupportedDifference {
  /** The object kind: `enum`, `partition`, `rule`, `column order`... */
  readonly kind: string;
  /** The object, qualified. */
  readonly name: string;
  /** What differs and why it is not planned. */
  readonly message: string;
}

/** A migration plan: run `statements` in order (see `planSteps`) to turn `from` into `to`. */
export interface SchemaPlan {
  readonly dialect: SchemaDialect;
  readonly statements: readonly PlanStatement[];
  readonly unsupported: readonly UnsupportedDifference[];
}

/** Options of `diffSchemas`. */
export interface DiffOptions {
  /**
   * Tables and columns renamed from `from` to `to`; without an entry a rename is a drop and an add.
   * Keys are `table`, `schema.table`, `table.column` or `schema.table.column` (PostgreSQL's schema
   * defaults to `public`); values the new name alone or in the same form as the key.
   * @default {}
   */
  readonly renames?: Readonly<Record<string, string>>;
  /**
   * Plan the online form of each change where one exists (CREATE INDEX CONCURRENTLY, NOT VALID then
   * VALIDATE, SET NOT NULL through a validated CHECK, ALGORITHM=INSTANT/INPLACE).
   * @default true
   */
  readonly online?: boolean;
  /** Lock timeout before each statement, in milliseconds. @default 3000 */
  readonly lockTimeoutMillis?: number;
  /** PostgreSQL statement timeout before a quick statement, in milliseconds. @default 3000 */
  readonly statementTimeoutMillis?: number;
  /**
   * PostgreSQL statement timeout before a statement that works through a table (an index build, a
   * validation, a rewrite), in milliseconds.
   * @default 1200000
   */
  readonly longStatementTimeoutMillis?: number;
}

/** The defaults of `DiffOptions`. */
export const DIFF_DEFAULTS = Object.freeze({
  renames: Object.freeze({}) as Readonly<Record<string, string>>,
  online: true,
  lockTimeoutMillis: 3_000,
  statementTimeoutMillis: 3_000,
  longStatementTimeoutMillis: 1_200_000,
});
