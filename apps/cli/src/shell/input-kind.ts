import { looksLikeSql, type SqlDialect, tokenizeSql } from '@aishell/engine';

/** What the shell makes of an input: nothing, a backslash command, a question in English, or SQL. */
export type InputKind = 'empty' | 'meta' | 'question' | 'sql';

/**
 * A line that starts with `\` is a backslash command; one line that does not read as SQL (no
 * statement word first, no `;` at its end: @aishell/sql's `looksLikeSql`) is a question; anything
 * else is SQL. `forceSql` (after `\sql`) reads everything but a backslash command as SQL.
 */
export function inputKind(text: string, forceSql = false): InputKind {
  const trimmed = text.trim();
  if (trimmed === '') return 'empty';
  if (trimmed.startsWith('\\')) return 'meta';
  if (forceSql) return 'sql';
  if (!trimmed.includes('\n') && !trimmed.endsWith(';') && !looksLikeSql(trimmed)) return 'question';
  return 'sql';
}

/**
 * Whether Enter runs the input or starts another line of it, as in psql: SQL runs once its last
 * token (comments aside) is a `;` outside any string, quoted name or comment; a backslash command,
 * a question and an empty line run at once.
 */
export function inputComplete(text: string, dialect: SqlDialect, forceSql = false): boolean {
  if (inputKind(text, forceSql) !== 'sql') return true;
  const tokens = tokenizeSql(text, dialect);
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i];
    if (token === undefined || token.unterminated) return false;
    if (token.kind === 'comment') continue;
    return token.kind === 'punctuation' && text[token.start] === ';';
  }
  return false;
}
