import { lineAndColumn, maskLiteral, SqlParseError, SqlParserNotLoadedError } from './errors.js';
import { postgresParser } from './parser-loader.js';
import { splitStatements } from './split-statements.js';

/** One statement of libpg_query's parse tree. */
export interface PostgresRawStatement {
  /** The statement's node, keyed by its type: `{ AlterTableStmt: { ... } }`. */
  readonly stmt?: Record<string, unknown>;
  /** UTF-8 byte offset of the statement's first token in the input (absent means 0). */
  readonly stmt_location?: number;
  /** Its length in bytes, up to and without the `;` (absent or 0 means to the end of the input). */
  readonly stmt_len?: number;
}

/** libpg_query's JSON parse tree of a script; every `location` inside is a UTF-8 byte offset. */
export interface PostgresParseTree {
  readonly version?: number;
  readonly stmts: readonly PostgresRawStatement[];
}

/**
 * PostgreSQL's own raw parse tree of `sql` (libpg_query, as the server's parser builds it before
 * analysis: names not resolved, `serial` not expanded). Synchronous; `await loadParser('postgres')` first.
 * Throws `SqlParserNotLoadedError` before that, `SqlParseError` (with the line and column) on a syntax error.
 * @example await loadParser('postgres'); parsePostgres('drop table t').stmts[0]?.stmt // { DropStmt: {...} }
 */
export function parsePostgres(sql: string): PostgresParseTree {
  const pg = postgresParser();
  if (pg === undefined) throw new SqlParserNotLoadedError('postgres');
  let tree: ReturnType<typeof pg.parseSync>;
  try {
    tree = pg.parseSync(sql);
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number; message?: string } }).sqlDetails;
    const message = details?.message ?? (error instanceof Error ? error.message : String(error));
    const position = Math.min(details?.cursorPosition ?? 0, sql.length);
    const { line, column } = lineAndColumn(sql, position);
    const spans = splitStatements(sql, 'postgres');
    const index = spans.findIndex((s) => position < s.end);
    const statementIndex = index === -1 ? Math.max(0, spans.length - 1) : index;
    throw new SqlParseError(
      maskLiteral(message),
      { position, line, column, statementIndex },
      { cause: error },
    );
  }
  return { ...(tree as { version?: number }), stmts: tree.stmts ?? [] };
}
