/** The engines a migration is linted for. MariaDB is `mysql`. */
export type LintDialect = 'postgres' | 'mysql';

/** Every dialect, for tables keyed by dialect. */
export const LINT_DIALECTS: readonly LintDialect[] = Object.freeze(['postgres', 'mysql']);

/** How bad a finding is: PRODUCT.md's exit code is 8 for warnings, 9 for errors. */
export type LintLevel = 'warning' | 'error';

/** One migration file as the caller read it. */
export interface LintFile {
  /** The path as the caller names it (reported back unchanged in `Finding.file`). */
  readonly path: string;
  readonly text: string;
}

/** One problem in one file (the JSON of `aishell migrate lint --json`, PRODUCT.md). */
export interface Finding {
  /** The rule's name (squawk's for PostgreSQL), e.g. `require-concurrent-index-creation`. */
  readonly rule: string;
  readonly level: LintLevel;
  /** `LintFile.path` of the file. */
  readonly file: string;
  /** 1-based line of the statement or of its offending part, in the file's own text. */
  readonly line: number;
  /** 1-based column (UTF-16 code units, as editors count them) on that line. */
  readonly column: number;
  /** What is wrong with this statement. */
  readonly message: string;
  /** Why it matters: the lock taken, what breaks. */
  readonly why: string;
  /** The safe way to write it: a statement to use instead where there is one, else what to do. */
  readonly fix: string;
}

/** The result of `lintMigrations`: findings ordered by file (in migration order), then position. */
export interface LintResult {
  readonly findings: Finding[];
  /** The paths linted, in the order the migration tools apply them. */
  readonly files: string[];
  /** Files the layout left out (down and undo migrations, files that are not `.sql`). */
  readonly skipped: { readonly path: string; readonly reason: SkipReason }[];
}

/** Options of `lintMigrations`. */
export interface LintOptions {
  readonly dialect: LintDialect;
  /**
   * The PostgreSQL major version the migrations will run on; what is safe depends on it (a constant
   * `DEFAULT` no longer rewrites the table from 11, a validated `CHECK` makes `SET NOT NULL` skip its scan
   * from 12).
   * @default 15
   */
  readonly pgVersion?: number;
  /**
   * Lint each file as if the migration tool wraps it in one transaction (squawk's
   * `--assume-in-transaction`). Unset: a file whose tool does so (dbmate unless `-- migrate:up
   * transaction:false`, goose unless `-- +goose NO TRANSACTION`) is linted in a transaction, others are not.
   */
  readonly assumeInTransaction?: boolean;
  /**
   * The rules to run, by name (opt-in rules included when named). Unset: every rule of the dialect that
   * is on by default. An unknown name throws `LINT_UNKNOWN_RULE` listing the valid ones.
   */
  readonly rules?: readonly string[];
  /** Read each file's layout (`migrationFiles`) to order them and lint only what migrates up. @default true */
  readonly layout?: boolean;
  /** Rejects with `LINT_ABORTED` (while the parser loads, or between files). */
  readonly signal?: AbortSignal;
}

/** The defaults of `LintOptions`. */
export const LINT_DEFAULTS = Object.freeze({ pgVersion: 15, layout: true });

/** A rule as data: what `LINT_RULES` lists and `docs/lint-rules.md` shows. */
export interface LintRule {
  readonly name: string;
  readonly dialect: LintDialect;
  /** The level of its findings (squawk's default: every rule a warning, a syntax error an error). */
  readonly level: LintLevel;
  /** Off unless named in `rules` (squawk's opt-in rules). */
  readonly optIn: boolean;
  /** One line: what the rule reports. */
  readonly summary: string;
  /** Why it matters. */
  readonly why: string;
  /** The safe way, in general (findings carry their own where they can be concrete). */
  readonly fix: string;
  /** A migration the rule reports (exactly one finding of this rule). */
  readonly bad: string;
  /** The same change written safely (no finding of this rule). */
  readonly good: string;
  /** The `LintOptions` the examples need (a PostgreSQL version, the transaction assumption). */
  readonly exampleOptions?: { readonly pgVersion?: number; readonly assumeInTransaction?: boolean };
}

/** The migration tools whose file layouts `migrationFiles` reads. */
export type MigrationTool =
  | 'dbmate'
  | 'goose'
  | 'golang-migrate'
  | 'flyway'
  | 'prisma'
  | 'timestamped'
  | 'plain';

/** One file as its migration tool sees it. */
export interface MigrationFile {
  readonly path: string;
  readonly text: string;
  readonly tool: MigrationTool;
  /** The version the tool orders by (digits, Flyway's dotted ones), or undefined (plain, repeatable). */
  readonly version: string | undefined;
  /** The descriptive part of the name (`create_users`). */
  readonly name: string;
  /** The part that migrates up, as character offsets into `text` (dbmate: after `-- migrate:up`, before `-- migrate:down`). */
  readonly up: { readonly start: number; readonly end: number };
  /** True when the tool runs the file in a transaction of its own (dbmate and goose, unless told not to). */
  readonly inTransaction: boolean;
  /**
   * What migrates this file back down, or null when the layout has none (Prisma, plain and timestamped
   * files, an up file whose down file was not given): dbmate's `-- migrate:down` section, goose's
   * `-- +goose Down` section, golang-migrate's `N_name.down.sql`, Flyway's `U<version>__name.sql`.
   */
  readonly down: MigrationDown | null;
}

/** The down part of a migration: a section of the same file (dbmate, goose) or a file of its own. */
export interface MigrationDown {
  /** The file that holds it (the up file itself for dbmate and goose). */
  readonly path: string;
  /** That file's whole text; the down part is `text.slice(start, end)`. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** True when the tool runs it in a transaction (dbmate unless `-- migrate:down transaction:false`, goose unless `NO TRANSACTION`). */
  readonly inTransaction: boolean;
}

/** Why `migrationFiles` leaves a file out of the lint. */
export type SkipReason = 'down-migration' | 'undo-migration' | 'not-sql';

/** The layout read: files to lint in the order the tools apply them, and the files left out. */
export interface MigrationLayout {
  readonly files: MigrationFile[];
  readonly skipped: { readonly path: string; readonly reason: SkipReason }[];
}
