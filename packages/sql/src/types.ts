/** The SQL dialects aishell understands. MariaDB is `mysql`. */
export type SqlDialect = 'postgres' | 'mysql' | 'sqlite';

/** What a statement is, broadly. */
export type StatementKind =
  | 'select'
  | 'insert'
  | 'update'
  | 'delete'
  | 'merge'
  | 'ddl'
  | 'dcl'
  | 'transaction'
  | 'utility'
  | 'other';

/** How much harm a statement can do, in rising order. */
export type Risk = 'low' | 'medium' | 'high' | 'critical';

/** What aishell knows about one statement. */
export interface StatementAnalysis {
  /** The statement's text, without surrounding whitespace, comments and the `;`. */
  text: string;
  kind: StatementKind;
  /** False for anything with an effect (writes, locks, session settings, side-effecting functions). */
  readOnly: boolean;
  /** Tables the statement reads, as written (schema-qualified where written so), without CTE names. */
  tablesRead: string[];
  /** Tables whose rows or definition the statement changes. */
  tablesWritten: string[];
  risk: Risk;
  /** Why `risk` is what it is and why `readOnly` is false, most severe first. */
  reasons: string[];
  /**
   * The result may change from one run to the next with no write in between: it calls a function such as
   * now(), random(), uuid(), currval(), current_setting(), names CURRENT_TIMESTAMP, or the date 'now'.
   * A result cache must not keep it.
   */
  volatile: boolean;
  /** Equal for statements that differ only in whitespace, case, comments, literals, IN-list length. */
  fingerprint: string;
  /** The statement with literals replaced by placeholders, IN lists collapsed, layout folded. */
  normalized: string;
  /**
   * Equal for statements that differ only in whitespace, keyword case or comments; literals, parameters and
   * quoted identifiers kept exactly (a result cache's key). Computed on first read; not enumerable.
   */
  readonly canonical: string;
}

/** The analysis of a whole script (the JSON of `aishell sql analyze --json`). */
export interface Analysis {
  dialect: SqlDialect;
  statements: StatementAnalysis[];
}

/** One statement of a script: its text and where it sits (character offsets, end exclusive). */
export interface StatementSpan {
  text: string;
  start: number;
  end: number;
}

/** Every dialect, for tables keyed by dialect. */
export const SQL_DIALECTS: readonly SqlDialect[] = Object.freeze(['postgres', 'mysql', 'sqlite']);
