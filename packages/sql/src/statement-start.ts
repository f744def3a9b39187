import { tokenize } from './sql-lexer.js';

// The words SQL statements begin with, in all three dialects (PostgreSQL, MySQL/MariaDB, SQLite).
export const STATEMENT_WORDS: ReadonlySet<string> = new Set(
  (
    'select with insert update delete merge create alter drop truncate grant revoke begin start commit ' +
    'rollback end savepoint release set reset show explain analyze analyse vacuum copy values table call do ' +
    'lock prepare execute deallocate declare fetch close move listen notify unlisten comment refresh reindex ' +
    'cluster checkpoint discard load use describe desc replace pragma attach detach rename optimize repair ' +
    'check handler kill flush purge'
  ).split(' '),
);

/**
 * Whether a line of input starts like SQL: with a statement's first word (as a whole word: "selected" is
 * not "select"), a parenthesis, or a comment. A shell uses it to tell SQL from a question in English.
 * Lexing only, no parser: it runs on every line typed.
 * @example looksLikeSql('select 1') // true; looksLikeSql('customers who spent over $1000') // false
 */
export function looksLikeSql(line: string): boolean {
  const [first] = tokenize(line.trimStart().slice(0, 200), 'postgres');
  if (first === undefined) return false;
  if (first.type === 'open' || first.type === 'comment') return true;
  if (first.type !== 'word') return false;
  return STATEMENT_WORDS.has(line.trimStart().slice(first.start, first.end).toLowerCase());
}
