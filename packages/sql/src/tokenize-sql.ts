import { SQL_KEYWORDS } from './sql-keywords.js';
import { tokenize } from './sql-lexer.js';
import { STATEMENT_WORDS } from './statement-start.js';
import type { SqlDialect } from './types.js';

/** What a token of {@link tokenizeSql} is, as an editor colours it. */
export type SqlTokenKind =
  | 'keyword'
  | 'identifier'
  | 'quoted-identifier'
  | 'string'
  | 'number'
  | 'comment'
  | 'parameter'
  | 'operator'
  | 'punctuation';

/** One token: `start`/`end` are character offsets into the input (end exclusive). */
export interface SqlToken {
  readonly kind: SqlTokenKind;
  readonly start: number;
  readonly end: number;
  /** True for a string, quoted identifier or comment that runs to the end of the input unclosed. */
  readonly unterminated: boolean;
}

/**
 * The tokens of `sql` by the quoting and comment rules of `dialect`, with keywords told from other
 * words: what a shell needs to colour a line as it is typed and to see where the cursor stands
 * (inside a string, after FROM, after a `;`). Lexing only, synchronous; whitespace is skipped.
 * @example tokenizeSql("select 'a' -- x", 'postgres').map((t) => t.kind) // ['keyword', 'string', 'comment']
 */
export function tokenizeSql(sql: string, dialect: SqlDialect): SqlToken[] {
  return tokenize(sql, dialect).map((t) => {
    let kind: SqlTokenKind;
    switch (t.type) {
      case 'word': {
        const word = sql.slice(t.start, t.end);
        kind =
          SQL_KEYWORDS.has(word.toUpperCase()) || STATEMENT_WORDS.has(word.toLowerCase())
            ? 'keyword'
            : 'identifier';
        break;
      }
      case 'quoted':
        kind = 'quoted-identifier';
        break;
      case 'string':
      case 'number':
      case 'comment':
        kind = t.type;
        break;
      case 'exec-comment':
        kind = 'comment';
        break;
      case 'param':
      case 'variable':
        kind = 'parameter';
        break;
      case 'op':
        kind = 'operator';
        break;
      default:
        kind = 'punctuation';
    }
    return { kind, start: t.start, end: t.end, unterminated: t.unterminated };
  });
}
