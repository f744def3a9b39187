import { SQL_KEYWORDS } from './sql-keywords.js';
import type { Token } from './sql-lexer.js';
import type { SqlDialect } from './types.js';

/**
 * Folds a statement's tokens into its canonical text, the key of a result cache: two statements with the
 * same canonical text return the same rows. Comments are dropped (sqlcommenter and tracing libraries add
 * ones that change per request) and tokens are joined by one space, so whitespace and comments never
 * matter; keywords are upper case. Everything that can change a result is kept exactly as written:
 * literals, parameters, quoted identifiers, MySQL's executable comments (`/*! ... *\/`, which the server
 * runs). Unquoted identifiers fold to lower case where the engine folds them (PostgreSQL, SQLite);
 * MySQL's table names are case-sensitive on most systems, so there every word but a keyword keeps its
 * case, and a keyword that names a table read or written keeps it too.
 */
export function foldCanonical(
  sql: string,
  tokens: readonly Token[],
  dialect: SqlDialect,
  tables: readonly string[] = [],
): string {
  const tableWords =
    dialect === 'mysql' ? new Set(tables.flatMap((t) => t.toUpperCase().split('.'))) : new Set<string>();
  const out: string[] = [];
  for (const t of tokens) {
    if (t.type === 'comment' || t.type === 'semicolon') continue;
    let text = sql.slice(t.start, t.end);
    if (t.type === 'word') {
      const upper = text.toUpperCase();
      if (SQL_KEYWORDS.has(upper) && !tableWords.has(upper)) text = upper;
      else if (dialect !== 'mysql') text = text.toLowerCase();
    }
    out.push(text);
  }
  return out.join(' ');
}
